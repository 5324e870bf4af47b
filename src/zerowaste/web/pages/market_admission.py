"""The chain admission page: the rules, each supplier's values against them, the rules form."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.admission import (
    AdmissionRules,
    Clause,
    Comparator,
    Criterion,
    IndicatorValue,
    ParamValue,
    SupplierIndicator,
    Verdict,
    YearBasis,
    check_rules,
    clause_from_json,
    criterion_from_json,
)
from zerowaste.errors import AdmissionRulesNotSet, Forbidden, InvalidInput, ZeroWasteError
from zerowaste.services.admission import demo_admission_rules
from zerowaste.web.forms import FieldError, Form
from zerowaste.web.i18n import Translator
from zerowaste.web.pages.actions import Actions, form_pairs, read_form
from zerowaste.web.pages.common import firm_name
from zerowaste.web.pages.firm_page import path_id
from zerowaste.web.routing import page_router
from zerowaste.web.templating import PageRenderer

FormBody = Annotated[FormData, Depends(read_form)]
#: Blank rows the form offers below the criteria and clauses already set.
BLANK_ROWS = 2
MAX_ROWS = 40
CRITERION_PARTS = ("indicator", "comparator", "threshold", "required")
CLAUSE_PARTS = ("key", "text_zh", "text_en", "params")
_TRUE = frozenset({"true", "yes", "1", "是", "y"})
_FALSE = frozenset({"false", "no", "0", "否", "n"})
_INDEXED = re.compile(r"^(criteria|clauses)\[(\d+)\](?:\.(\w+))?")


def _fields(rows_c: int, rows_k: int) -> list[str]:
    names = ["year_basis", "criteria_rows", "clause_rows"]
    names += [f"c{i}_{p}" for i in range(rows_c) for p in CRITERION_PARTS]
    names += [f"k{i}_{p}" for i in range(rows_k) for p in CLAUSE_PARTS]
    return names


def params_text(params: dict[str, ParamValue]) -> str:
    """Parameters as the form writes them: `days=15; lab=CMA`."""
    shown = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in params.items()}
    return "; ".join(f"{k}={v}" for k, v in shown.items())


def parse_params(text: str, field: str) -> dict[str, ParamValue]:
    """Parameters from `name=value; ...`: whole numbers, decimals, true/false, else text."""
    found: dict[str, ParamValue] = {}
    for part in filter(None, (p.strip() for p in re.split(r"[;；\n]", text))):
        name, sep, raw = part.partition("=")
        if not sep or not name.strip():
            raise FieldError("admission.bad_params", field)
        value = raw.strip()
        if re.fullmatch(r"-?\d+", value):
            found[name.strip()] = int(value)
        elif re.fullmatch(r"-?\d+\.\d+", value):
            found[name.strip()] = Decimal(value)
        elif value.lower() in ("true", "false"):
            found[name.strip()] = value.lower() == "true"
        else:
            found[name.strip()] = value
    return found


def rules_form(
    criteria: tuple[Criterion, ...], clauses: tuple[Clause, ...], basis: YearBasis
) -> Form:
    """The form prefilled with rules (and blank rows to add more)."""
    rows_c, rows_k = len(criteria) + BLANK_ROWS, len(clauses) + BLANK_ROWS
    values: dict[str, str | list[str]] = {
        "year_basis": basis.value,
        "criteria_rows": str(rows_c),
        "clause_rows": str(rows_k),
    }
    for i, c in enumerate(criteria):
        threshold = str(c.threshold).lower() if isinstance(c.threshold, bool) else str(c.threshold)
        values |= {
            f"c{i}_indicator": c.indicator.value,
            f"c{i}_comparator": c.comparator.value,
            f"c{i}_threshold": threshold,
            f"c{i}_required": ["1"] if c.required else [],
        }
    for i, k in enumerate(clauses):
        values |= {
            f"k{i}_key": k.key,
            f"k{i}_text_zh": k.text_zh,
            f"k{i}_text_en": k.text_en,
            f"k{i}_params": params_text(dict(k.params)),
        }
    return Form(_fields(rows_c, rows_k), values)


def _rows(form: Form, name: str) -> int:
    raw = form.value(name)
    return min(int(raw), MAX_ROWS) if raw.isdigit() else 0


def _threshold(form: Form, i: int, indicator: str) -> object:
    raw = form.text(f"c{i}_threshold", max_length=40)
    if indicator != SupplierIndicator.WHITELISTED.value:
        return raw or None
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise FieldError("admission.bad_boolean", f"c{i}_threshold")


def _relabel(exc: InvalidInput, prefix: str) -> InvalidInput:
    exc.field = f"{prefix}_{exc.field}" if exc.field else f"{prefix}_key"
    return exc


def parse_rules_form(form: Form) -> tuple[tuple[Criterion, ...], tuple[Clause, ...], YearBasis]:
    """The rules a submitted form gives; errors name the form field (`c2_threshold`)."""
    basis = form.choice("year_basis", YearBasis)
    criteria: list[Criterion] = []
    rows_c: list[int] = []
    for i in range(_rows(form, "criteria_rows")):
        indicator = form.value(f"c{i}_indicator").strip()
        if not indicator:
            continue
        raw = {
            "indicator": indicator,
            "comparator": form.value(f"c{i}_comparator"),
            "threshold": _threshold(form, i, indicator),
            "required": form.selected(f"c{i}_required", "1"),
        }
        try:
            criteria.append(criterion_from_json(raw))
        except InvalidInput as exc:
            raise _relabel(exc, f"c{i}") from None
        rows_c.append(i)
    clauses: list[Clause] = []
    rows_k: list[int] = []
    for i in range(_rows(form, "clause_rows")):
        texts = {p: form.text(f"k{i}_{p}", max_length=2000) for p in CLAUSE_PARTS[:3]}
        if not any(texts.values()):
            continue
        params = parse_params(form.text(f"k{i}_params", max_length=2000), f"k{i}_params")
        try:
            clauses.append(clause_from_json(texts | {"params": params}))
        except InvalidInput as exc:
            if exc.field and exc.field.startswith("params."):
                exc.field = "params"
            raise _relabel(exc, f"k{i}") from None
        rows_k.append(i)
    try:
        check_rules(criteria, clauses)
    except InvalidInput as exc:
        match = _INDEXED.match(exc.field or "")
        if match:
            rows = rows_c if match.group(1) == "criteria" else rows_k
            letter = "c" if match.group(1) == "criteria" else "k"
            exc.field = f"{letter}{rows[int(match.group(2))]}_{match.group(3) or 'key'}"
        raise
    return tuple(criteria), tuple(clauses), basis


def _shown(t: Translator, value: IndicatorValue) -> str:
    if value is None:
        return t("admission.unknown_value")
    if isinstance(value, bool):
        return t("admission.yes") if value else t("admission.no")
    return f"{value.normalize():f}"


def criterion_view(t: Translator, criterion: Criterion) -> dict[str, Any]:
    """A criterion as the page shows it, in the page language."""
    threshold = criterion.threshold
    shown = _shown(t, threshold) if isinstance(threshold, bool) else f"{threshold.normalize():f}"
    symbol = {Comparator.AT_MOST: "≤", Comparator.AT_LEAST: "≥", Comparator.EQUALS: "="}
    return {
        "key": criterion.indicator.value,
        "label": t(f"admission.indicator.{criterion.indicator.value}"),
        "test": f"{symbol[criterion.comparator]} {shown}",
        "unit": t(f"admission.unit.{unit}") if (unit := criterion.indicator.unit) else "",
        "direction": t(f"admission.direction.{criterion.indicator.direction.value}"),
        "required": criterion.required,
    }


def verdict_view(t: Translator, verdict: Verdict, name: str) -> dict[str, Any]:
    """A supplier's row: each criterion's value coloured by its outcome."""
    return {
        "id": verdict.supplier_id,
        "name": name,
        "member": verdict.member,
        "admitted": verdict.admitted,
        "cells": [
            {
                "value": _shown(t, r.value),
                "outcome": r.outcome.value,
                "outcome_label": t(f"admission.outcome.{r.outcome.value}"),
            }
            for r in verdict.results
        ],
    }


def build_router(renderer: PageRenderer) -> APIRouter:
    """Return the router of the chain admission page and its rules form.

    Args:
        renderer: Renders the pages.
    """
    router = page_router(renderer)
    context = renderer.context
    actions = Actions(renderer)

    def manages(principal: Principal, master_id: uuid.UUID) -> bool:
        return principal.role is UserRole.ADMIN or principal.organization_id == master_id

    def page(
        request: Request,
        principal: Principal,
        master_id: uuid.UUID,
        *,
        form: Form | None = None,
        status: int = 200,
    ) -> HTMLResponse:
        t = renderer.translator(request)
        master = context.organizations.get(master_id)
        try:
            rules: AdmissionRules | None = context.admission.rules(master_id)
        except AdmissionRulesNotSet:
            rules = None
        values: dict[str, Any] = {
            "active": "market",
            "master": {"id": master.id, "name": firm_name(master, t.language)},
            "rules": None,
            "manages": manages(principal, master_id),
            "bases": [
                {"value": b.value, "label": t(f"admission.year_basis.{b.value}")} for b in YearBasis
            ],
            "indicators": [
                {"value": i.value, "label": t(f"admission.indicator.{i.value}")}
                for i in SupplierIndicator
            ],
            "comparators": [{"value": c.value, "label": c.value} for c in Comparator],
            "suppliers": None,
            "year": "",
            "defaults": rules is None,
        }
        if rules is not None:
            values["rules"] = {
                "version": rules.version,
                "updated": rules.updated_at.strftime("%Y-%m-%d %H:%M") if rules.updated_at else "",
                "basis": t(f"admission.year_basis.{rules.year_basis.value}"),
                "criteria": [criterion_view(t, c) for c in rules.criteria],
                "clauses": [{"key": c.key, "text": c.text(t.language)} for c in rules.clauses],
            }
            raw_year = request.query_params.get("year", "").strip()
            year = int(raw_year) if raw_year.isdigit() else None
            try:
                verdicts = context.admission.check(principal, master_id, year)
            except Forbidden:
                verdicts = None
            if verdicts is not None:
                names = context.organizations.many(v.supplier_id for v in verdicts)
                values["suppliers"] = [
                    verdict_view(t, v, firm_name(names[v.supplier_id], t.language))
                    for v in verdicts
                ]
                values["admitted"] = sum(1 for v in verdicts if v.admitted)
                values["year"] = year or context.admission.default_year(rules)
        if form is None:
            if rules is not None:
                form = rules_form(rules.criteria, rules.clauses, rules.year_basis)
            else:
                criteria, clauses = demo_admission_rules(master_id)
                form = rules_form(criteria, clauses, YearBasis.PREVIOUS_YEAR)
        values["form"] = form
        values["criteria_rows"] = _rows(form, "criteria_rows")
        values["clause_rows"] = _rows(form, "clause_rows")
        return renderer.render(request, "market_admission.html", values, status=status)

    @router.get("/market/chains/{chain_master_id}/admission", response_class=HTMLResponse)
    def admission_page(request: Request, chain_master_id: str) -> HTMLResponse:
        """The chain master's rules and its suppliers' results (signed-in users)."""
        principal = actions.viewer(request)
        master_id = path_id(chain_master_id, "chain_master_id")
        context.admission.history(master_id)  # NotFound / NotChainMaster before anything else
        return page(request, principal, master_id)

    @router.post("/market/chains/{chain_master_id}/admission", response_class=HTMLResponse)
    def save_rules(request: Request, chain_master_id: str, data: FormBody) -> Response:
        """Store the form's rules as a new version (the chain master's users or admins)."""
        principal = actions.poster(request, data)
        master_id = path_id(chain_master_id, "chain_master_id")
        context.admission.history(master_id)
        actions.require(manages(principal, master_id))
        pairs = form_pairs(data)
        probe = Form.submitted(("criteria_rows", "clause_rows"), pairs)
        form = Form.submitted(
            _fields(_rows(probe, "criteria_rows"), _rows(probe, "clause_rows")), pairs
        )
        try:
            criteria, clauses, basis = parse_rules_form(form)
            context.admission.set_rules(principal, master_id, criteria, clauses, basis)
        except ZeroWasteError as exc:
            form.fail(exc, renderer.translator(request))
            return page(request, principal, master_id, form=form, status=exc.status)
        path = f"/market/chains/{master_id}/admission"
        return actions.redirect(request, path, "admission.saved")

    return router
