"""The evaluation workbench: pick a dataset and a model; see its table, mediation, event study."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from markupsafe import Markup
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from zerowaste.domain.access import Principal, Rule, role_may_attempt
from zerowaste.errors import InvalidInput, ZeroWasteError
from zerowaste.errors.evaluation import DatasetNotFound
from zerowaste.evaluation.dataset import Panel
from zerowaste.evaluation.event_study import EventStudy
from zerowaste.evaluation.mediation import Mediation
from zerowaste.evaluation.panel import CLUSTERS, FIXED_EFFECTS
from zerowaste.evaluation.tables import TableFormat
from zerowaste.services.evaluation import MAX_SOURCE
from zerowaste.web.forms import Form
from zerowaste.web.i18n import Translator
from zerowaste.web.pages.actions import Actions, form_pairs, read_form
from zerowaste.web.pages.trace import PLOTLY_PREFIX
from zerowaste.web.routing import page_router
from zerowaste.web.templating import PageRenderer

ANALYSES = ("model", "mediation", "event_study")
FIELDS = (
    "dataset",
    "analysis",
    "outcome",
    "regressors",
    "fixed_effects",
    "cluster",
    "treatment",
    "mediator",
    "controls",
    "replicates",
    "seed",
    "cohort",
    "leads",
    "lags",
)
IMPORT_FIELDS = ("name", "source", "file", "csv")
FormBody = Annotated[FormData, Depends(read_form)]
#: The most bootstrap replicates the page runs (the API and CLI allow more).
PAGE_REPLICATES = 999


def _int(form: Form, name: str, default: int, low: int, high: int) -> int:
    raw = form.value(name).strip()
    if not raw:
        return default
    if not raw.lstrip("-").isdigit() or not low <= int(raw) <= high:
        raise InvalidInput(f"a whole number {low}-{high}", field=name)
    return int(raw)


def _required(form: Form, name: str) -> str:
    value = form.value(name).strip()
    if not value:
        raise InvalidInput("choose one", field=name)
    return value


def may_import(principal: Principal) -> bool:
    """Whether the principal may import datasets (regulators and administrators)."""
    return role_may_attempt(Rule.REGULATOR, principal.role)


def uploaded_text(data: FormData) -> str:
    """The CSV of the import form: the uploaded file if any, else the pasted text.

    Raises:
        InvalidInput: The upload is not UTF-8 text (field `file`).
    """
    upload = data.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        try:
            return upload.file.read().decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput("the file is not UTF-8 text", field="file") from None
    pasted = data.get("csv")
    return pasted if isinstance(pasted, str) else ""


def chart_of(t: Translator, study: EventStudy) -> dict[str, Any]:
    """The event-study plot's data: each estimator's path with its 95 % interval."""
    series = []
    for e in study.estimates:
        points = sorted([(-1, 0.0, 0.0, 0.0)] + [
            (c.period, c.estimate, c.ci_low, c.ci_high) for c in e.coefficients
        ])  # fmt: skip
        series.append(
            {
                "name": t(f"evaluation.estimator.{e.estimator}"),
                "period": [p[0] for p in points],
                "estimate": [p[1] for p in points],
                "low": [p[2] for p in points],
                "high": [p[3] for p in points],
            }
        )
    return {
        "series": series,
        "labels": {
            "x": t("evaluation.relative_period"),
            "y": t("evaluation.effect_on", name=study.outcome),
        },
    }


def mediation_view(result: Mediation) -> dict[str, Any]:
    """The decomposition shown under the steps' table."""
    boot = result.bootstrap
    return {
        "c": f"{result.c:.6f}",
        "c_prime": f"{result.c_prime:.6f}",
        "a": f"{result.a:.6f}",
        "b": f"{result.b:.6f}",
        "indirect": f"{result.indirect:.6f}",
        "gap": f"{result.identity_gap:.1e}",
        "share": f"{result.share_mediated:.1%}" if result.share_mediated is not None else "—",
        "sobel_z": f"{result.sobel_z:.4f}",
        "sobel_p": f"{result.sobel_p:.4g}",
        "bootstrap": {
            "replicates": boot.replicates,
            "seed": boot.seed,
            "cluster": boot.cluster,
            "low": f"{boot.ci_low:.6f}",
            "high": f"{boot.ci_high:.6f}",
        }
        if boot
        else None,
    }


def event_rows(study: EventStudy) -> list[dict[str, Any]]:
    """One row per relative period, each estimator's estimate (SE) side by side."""
    periods = sorted({c.period for e in study.estimates for c in e.coefficients})
    rows = []
    for p in periods:
        cells = []
        for e in study.estimates:
            found = next((c for c in e.coefficients if c.period == p), None)
            cells.append(f"{found.estimate:.4f} ({found.se:.4f})" if found else "")
        rows.append({"period": p, "cells": cells})
    return rows


def build_router(renderer: PageRenderer) -> APIRouter:
    """Return the router of the evaluation workbench.

    Args:
        renderer: Renders the pages.
    """
    router = page_router(renderer)
    context = renderer.context
    actions = Actions(renderer)
    service = context.evaluation

    def analyse(form: Form, panel: Panel, values: dict[str, Any], t: Translator) -> None:
        analysis = form.value("analysis") or "model"
        if analysis not in ANALYSES:
            raise InvalidInput("choose an analysis", field="analysis")
        outcome = _required(form, "outcome")
        fixed_effects = [fe for fe in FIXED_EFFECTS if form.selected("fixed_effects", fe)]
        cluster = form.value("cluster") or None
        if analysis == "model":
            models = service.fit(panel, outcome, form.all("regressors"), fixed_effects, cluster)
            values["table"] = Markup(service.table(models, TableFormat.HTML))  # noqa: S704
        elif analysis == "mediation":
            result = service.mediation(
                panel,
                outcome,
                _required(form, "treatment"),
                _required(form, "mediator"),
                form.all("controls"),
                fixed_effects,
                cluster,
                _int(form, "replicates", 0, 0, PAGE_REPLICATES),
                _int(form, "seed", 0, 0, 2**31 - 1),
            )
            steps = (result.total, result.path_a, result.direct)
            values["table"] = Markup(service.table(steps, TableFormat.HTML))  # noqa: S704
            values["mediation"] = mediation_view(result)
        else:
            study = service.event_study(
                panel,
                outcome,
                _required(form, "cohort"),
                _int(form, "leads", 4, -100, 100),
                _int(form, "lags", 4, -100, 100),
                form.all("controls"),
                cluster or "firm",
            )
            values["study"] = study
            values["event_rows"] = event_rows(study)
            values["chart"] = chart_of(t, study)

    def page(
        request: Request, principal: Principal, imported: Form | None = None, status: int = 200
    ) -> HTMLResponse:
        t = renderer.translator(request)
        pairs = [(k, v) for k, v in request.query_params.multi_items() if k in FIELDS]
        form = Form.submitted(FIELDS, pairs)
        if not form.values.get("fixed_effects") and not form.value("outcome"):
            form.values["fixed_effects"] = ["firm", "year"]
        root = str(request.scope.get("root_path", "")).rstrip("/")
        values: dict[str, Any] = {
            "active": "evaluation",
            "datasets": (datasets := service.datasets()),
            "dataset_choices": [{"value": d.name, "label": d.name} for d in datasets],
            "form": form,
            "chosen": None,
            "variables": [],
            "analyses": [{"value": a, "label": t(f"evaluation.analysis.{a}")} for a in ANALYSES],
            "fixed_effect_choices": [
                {"value": fe, "label": t(f"evaluation.key.{fe}")} for fe in FIXED_EFFECTS
            ],
            "cluster_choices": [{"value": c, "label": t(f"evaluation.key.{c}")} for c in CLUSTERS],
            "table": None,
            "mediation": None,
            "study": None,
            "chart": None,
            "plotly_js": f"{root}{PLOTLY_PREFIX}/plotly.min.js",
            "may_import": may_import(principal),
            "import_form": imported or Form(IMPORT_FIELDS),
        }
        name = form.value("dataset")
        if name:
            try:
                stored = service.dataset(name)
            except DatasetNotFound as exc:
                form.fail(exc, t)
                return renderer.render(request, "evaluation.html", values, status=404)
            values["chosen"] = stored.summary
            values["balance"] = stored.panel.balance
            values["variables"] = [{"value": v, "label": v} for v in stored.panel.variables]
            if form.value("outcome"):
                try:
                    analyse(form, stored.panel, values, t)
                except ZeroWasteError as exc:
                    form.fail(exc, t)
                    status = exc.status
        return renderer.render(request, "evaluation.html", values, status=status)

    @router.get("/evaluation", response_class=HTMLResponse)
    def workbench(request: Request) -> HTMLResponse:
        """Datasets, the model form and the chosen analysis (signed-in users)."""
        return page(request, actions.viewer(request))

    @router.post("/evaluation/datasets", response_class=HTMLResponse)
    def import_dataset(request: Request, data: FormBody) -> Response:
        """Store an uploaded or pasted panel CSV (regulators and administrators)."""
        principal = actions.poster(request, data)
        actions.require(may_import(principal))
        form = Form.submitted(IMPORT_FIELDS, form_pairs(data))
        try:
            name = form.text("name", required=True, max_length=64)
            source = form.text("source", required=True, max_length=MAX_SOURCE)
            text = uploaded_text(data)
            if not text.strip():
                raise InvalidInput("upload a CSV file or paste its text", field="file")
            service.import_dataset(principal, name, text, source)
        except ZeroWasteError as exc:
            form.fail(exc, renderer.translator(request))
            return page(request, principal, form, exc.status)
        return actions.redirect(request, f"/evaluation?dataset={name}", "evaluation.imported")

    return router
