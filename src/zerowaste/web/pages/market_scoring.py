"""The supplier ranking (entropy-weight TOPSIS) and chain evaluation pages of a chain master."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import HTMLResponse

from zerowaste.domain.access import Principal
from zerowaste.errors import InvalidInput, ZeroWasteError
from zerowaste.errors.indicators import ScoringNotPossible
from zerowaste.indicators.topsis import Ranking
from zerowaste.services.scoring import DEFAULT_CRITERIA, ScoringCriterion
from zerowaste.web.forms import Form
from zerowaste.web.i18n import Translator
from zerowaste.web.pages.actions import Actions
from zerowaste.web.pages.firm_page import path_id
from zerowaste.web.routing import page_router
from zerowaste.web.templating import PageRenderer


def label(t: Translator, criterion_id: str) -> str:
    """A criterion's name in the page language (its id if the catalog has none)."""
    key = f"admission.indicator.{criterion_id}"
    text = t(key)
    return criterion_id if text == key else text


def _unit(t: Translator, unit: str) -> str:
    if not unit:
        return t("scoring.unit.yes_no")
    key = f"admission.unit.{unit}"
    text = t(key)
    return unit if text == key else text


def _shown(value: Decimal | None) -> str:
    return "—" if value is None else f"{value.normalize():f}"


def _fields(criteria: tuple[ScoringCriterion, ...]) -> list[str]:
    return ["year", "criteria", "alpha", *(f"w_{c.criterion_id}" for c in criteria)]


def read_query(
    request: Request, criteria: tuple[ScoringCriterion, ...], default_year: int
) -> tuple[Form, int | None, list[str], dict[str, float] | None, float | None]:
    """The form as the query string fills it, and the year, criteria, weights and α it asks for.

    Raises:
        InvalidInput: A year, weight or α that is not a number (the form field named).
    """
    pairs = list(request.query_params.multi_items())
    form = Form.submitted(_fields(criteria), pairs, aliases={"weights": "criteria"})
    if not pairs:
        form = Form(_fields(criteria), {"year": str(default_year), "criteria": DEFAULT_CRITERIA})
    raw_year = form.value("year").strip()
    year: int | None = None
    if raw_year:
        if not raw_year.isdigit():
            raise InvalidInput(f"{raw_year!r} is not a year", field="year")
        year = int(raw_year)
    chosen = form.all("criteria") or list(DEFAULT_CRITERIA)
    expert: dict[str, float] = {}
    for name in chosen:
        raw = form.value(f"w_{name}").strip()
        if raw:
            try:
                expert[name] = float(raw)
            except ValueError:
                raise InvalidInput(f"{raw!r} is not a number", field=f"w_{name}") from None
    raw_alpha = form.value("alpha").strip()
    alpha: float | None = None
    if raw_alpha:
        try:
            alpha = float(raw_alpha)
        except ValueError:
            raise InvalidInput(f"{raw_alpha!r} is not a number", field="alpha") from None
    return form, year, chosen, expert or None, alpha


def ranking_view(
    t: Translator,
    criteria: tuple[ScoringCriterion, ...],
    ranking: Ranking,
    names: dict[uuid.UUID, str],
) -> dict[str, Any]:
    """The ranking as the page shows it: weights and their source, ranked rows, exclusions."""
    w = ranking.weights
    source = t(f"scoring.source.{w.source.value}", alpha=w.alpha if w.alpha is not None else "")
    return {
        "source": source,
        "weights": [
            {
                "key": c.criterion_id,
                "label": label(t, c.criterion_id),
                "unit": _unit(t, c.unit),
                "direction": t(
                    "admission.direction.higher_is_better"
                    if c.benefit
                    else "admission.direction.lower_is_better"
                ),
                "weight": f"{w.used[j]:.4f}",
                "entropy": f"{w.entropy.weights[j]:.4f}" if w.entropy else "—",
                "expert": f"{w.expert[j]:.4f}" if w.expert else "—",
            }
            for j, c in enumerate(criteria)
        ],
        "rows": [
            {
                "id": s.key,
                "name": names.get(uuid.UUID(s.key), s.key),
                "rank": s.rank,
                "closeness": f"{s.closeness:.4f}",
                "d_plus": f"{s.d_plus:.4f}",
                "d_minus": f"{s.d_minus:.4f}",
                "main_gap": label(t, gap.criterion) if (gap := s.main_gap) else "",
                "parts": [
                    {
                        "key": c.criterion,
                        "label": label(t, c.criterion),
                        "share": f"{c.share:.3f}",
                        "percent": f"{100 * c.share:.0f}",
                        "value": f"{c.value:.6g}",
                    }
                    for c in s.contributions
                ],
            }
            for s in ranking.ranked
        ],
        "excluded": [
            {
                "id": e.key,
                "name": names.get(uuid.UUID(e.key), e.key),
                "missing": ", ".join(label(t, m) for m in e.missing),
            }
            for e in ranking.excluded
        ],
    }


def build_router(renderer: PageRenderer) -> APIRouter:
    """Return the router of the supplier ranking and chain evaluation pages.

    Args:
        renderer: Renders the pages.
    """
    router = page_router(renderer)
    context = renderer.context
    actions = Actions(renderer)

    def master_of(principal: Principal, chain_master_id: str) -> dict[str, Any]:
        master_id = path_id(chain_master_id, "chain_master_id")
        context.admission.history(master_id)  # NotFound / NotChainMaster first
        context.chains.chain(principal, master_id)  # Forbidden unless it is the viewer's to see
        master = context.organizations.get(master_id)
        return {"id": master.id, "name": master.name}

    @router.get("/market/chains/{chain_master_id}/ranking", response_class=HTMLResponse)
    def ranking_page(request: Request, chain_master_id: str) -> HTMLResponse:
        """The chain's suppliers ranked by entropy-weight TOPSIS, with a form to reweigh."""
        principal = actions.viewer(request)
        master = master_of(principal, chain_master_id)
        t = renderer.translator(request)
        criteria = context.scoring.criteria()
        default_year = context.scoring.default_year(master["id"])
        values: dict[str, Any] = {
            "active": "market",
            "master": master,
            "choices": [
                {"value": c.criterion_id, "label": label(t, c.criterion_id)} for c in criteria
            ],
            "criteria": [
                {"key": c.criterion_id, "label": label(t, c.criterion_id)} for c in criteria
            ],
            "ranking": None,
            "problem": "",
            "year": default_year,
        }
        status = 200
        form = Form(_fields(criteria))
        try:
            form, year, chosen, expert, alpha = read_query(request, criteria, default_year)
            found = context.scoring.rank_suppliers(
                principal, master["id"], year, chosen, expert, alpha
            )
            values["year"] = found.year
            values["ranking"] = ranking_view(t, found.criteria, found.ranking, dict(found.names))
        except ScoringNotPossible as exc:
            values["problem"] = exc.detail
            status = exc.status
        except InvalidInput as exc:
            if exc.field == "weights":
                exc.field = "criteria"
            form.fail(exc, t)
            status = exc.status
        values["form"] = form
        return renderer.render(request, "market_ranking.html", values, status=status)

    @router.get("/market/chains/{chain_master_id}/evaluation", response_class=HTMLResponse)
    def evaluation_page(request: Request, chain_master_id: str) -> HTMLResponse:
        """The chain master's evaluation: aggregates, each member's values, rank and verdict."""
        principal = actions.viewer(request)
        master = master_of(principal, chain_master_id)
        t = renderer.translator(request)
        raw = request.query_params.get("year", "").strip()
        try:
            if raw and not raw.isdigit():
                raise InvalidInput(f"{raw!r} is not a year", field="year")
            found = context.scoring.chain_evaluation(
                principal, master["id"], int(raw) if raw else None
            )
        except ZeroWasteError as exc:
            return renderer.error(request, exc.status, exc.detail)
        a = found.aggregates
        offered = context.scoring.criteria()
        shown = [c.criterion_id for c in offered]
        yes_no = {c.criterion_id for c in offered if not c.unit}

        def cell(key: str, value: Decimal | None) -> str:
            if key in yes_no and value is not None:
                return t("admission.yes") if value else t("admission.no")
            return _shown(value)

        ordered = sorted(found.members, key=lambda m: (m.rank is None, m.rank or 0, m.name))
        values = {
            "active": "market",
            "master": master,
            "year": found.year,
            "aggregates": [
                {
                    "key": key,
                    "label": t(f"scoring.{name}", n=a.with_output_value, m=a.members),
                    "value": value,
                }
                for key, name, value in (
                    ("members", "members", str(a.members)),
                    ("generated_t", "generated_t", _shown(a.generated_t)),
                    ("utilized_t", "utilized_t", _shown(a.utilized_t)),
                    ("disposed_t", "disposed_t", _shown(a.disposed_t)),
                    ("utilization_rate", "chain_utilization", _shown(a.utilization_rate)),
                    ("disposal_share", "chain_disposal", _shown(a.disposal_share)),
                    ("waste_intensity", "chain_intensity", _shown(a.waste_intensity)),
                    ("hazardous_intensity", "chain_hazardous", _shown(a.hazardous_intensity)),
                )
            ],  # fmt: skip
            "columns": [{"key": k, "label": label(t, k)} for k in shown],
            "members": [
                {
                    "id": m.supplier_id,
                    "name": m.name,
                    "rank": m.rank,
                    "closeness": f"{m.closeness:.4f}" if m.closeness is not None else "",
                    "excluded": ", ".join(label(t, c) for c in m.excluded_for),
                    "cells": [cell(k, m.values.get(k)) for k in shown],
                    "verdict": None if m.verdict is None else m.verdict.admitted,
                }
                for m in ordered
            ],
            "ranked_on": ", ".join(label(t, c.criterion_id) for c in found.criteria),
            "problem": found.ranking_problem or "",
            "rules_version": found.rules_version,
        }
        return renderer.render(request, "market_chain_evaluation.html", values)

    return router
