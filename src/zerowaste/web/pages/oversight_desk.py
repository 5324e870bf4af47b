"""The regulator's desk pages (risk, whitelist, inspection plans) and their public pages."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from zerowaste.bootstrap import Context
from zerowaste.domain.access import Principal
from zerowaste.errors import InvalidInput, NotAuthenticated
from zerowaste.oversight.inspection_draw import (
    DEFAULT_BASE_RATE,
    DEFAULT_WHITELISTED_RATE,
    DrawRates,
    check_seed,
    parse_rate,
)
from zerowaste.oversight.risk import DEFAULT_WEIGHTS, HIGH_FROM, LOW_BELOW
from zerowaste.oversight.whitelist import CRITERIA, parse_action
from zerowaste.services.inspection_plans import PlanView
from zerowaste.web.i18n import Translator
from zerowaste.web.pages.actions import Actions, read_form
from zerowaste.web.pages.common import firm_name
from zerowaste.web.pages.firm_page import path_id
from zerowaste.web.routing import page_router
from zerowaste.web.templating import PageRenderer

FormBody = Annotated[FormData, Depends(read_form)]


def _field(data: FormData, name: str) -> str:
    value = data.get(name)
    return value.strip() if isinstance(value, str) else ""


def _date(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a YYYY-MM-DD date", field=field) from None


def _seed(text: str) -> int | None:
    if not text:
        return None
    try:
        return check_seed(int(text))
    except ValueError:
        raise InvalidInput(f"{text!r} is not a whole number", field="seed") from None


class DeskPages:
    """Builds the desk pages.

    Args:
        renderer: Renders the pages; its context holds the services.
    """

    def __init__(self, renderer: PageRenderer) -> None:
        self.renderer = renderer
        self.context: Context = renderer.context

    def _signed_in(self, request: Request) -> Principal:
        principal = self.renderer.principal(request)
        if principal is None:
            raise NotAuthenticated("sign in to use the regulator's desk")
        return principal

    @staticmethod
    def _jurisdiction(request: Request) -> str | None:
        return request.query_params.get("jurisdiction_code") or None

    def risk_list(self, request: Request) -> HTMLResponse:
        """The firms of the regulator's jurisdiction by risk score, highest first."""
        principal = self._signed_in(request)
        t = self.renderer.translator(request)
        firms = self.context.risk.region(principal, self._jurisdiction(request))
        rows = [
            {
                "id": f.organization.id,
                "name": firm_name(f.organization, t.language),
                "region": f.organization.region_code,
                "risk": f.risk,
            }
            for f in firms
        ]
        values = {"active": "desk", "rows": rows, "cuts": (LOW_BELOW, HIGH_FROM)}
        return self.renderer.render(request, "risk.html", values)

    def risk_firm(self, request: Request, raw_id: str) -> HTMLResponse:
        """One firm's score with every factor's value, weight and contribution."""
        principal = self._signed_in(request)
        t = self.renderer.translator(request)
        found = self.context.risk.firm(principal, path_id(raw_id, "organization_id"))
        values = {
            "active": "desk",
            "name": firm_name(found.organization, t.language),
            "organization": found.organization,
            "risk": found.risk,
            "cuts": (LOW_BELOW, HIGH_FROM),
            "weights_total": sum(DEFAULT_WEIGHTS.values()),
        }
        return self.renderer.render(request, "risk_firm.html", values)

    def whitelist(self, request: Request) -> HTMLResponse:
        """Candidates against the criteria, with admit and remove forms."""
        principal = self._signed_in(request)
        t = self.renderer.translator(request)
        found = self.context.whitelist.candidates(principal, self._jurisdiction(request))
        rows = [
            {
                "c": c,
                "name": firm_name(c.organization, t.language),
                "failed": [t(f"desk.criterion.{f.value}") for f in c.evaluation.failed],
            }
            for c in found
        ]
        criteria = [c.value for c in CRITERIA]
        values = {"active": "desk", "rows": rows, "criteria": criteria}
        return self.renderer.render(request, "whitelist.html", values)

    def whitelist_public(self, request: Request) -> HTMLResponse:
        """The public whitelist (anyone)."""
        entries = self.context.whitelist.listed(self._jurisdiction(request))
        t = self.renderer.translator(request)
        rows = [
            {"e": e, "name": e.name_en if t.language == "en" and e.name_en else e.name}
            for e in entries
        ]
        return self.renderer.render(
            request, "whitelist_public.html", {"active": "whitelist", "rows": rows}
        )

    def plans(self, request: Request) -> HTMLResponse:
        """The plans of the regulator's jurisdiction and the draw form."""
        principal = self._signed_in(request)
        found = self.context.inspection_plans.plans(principal, self._jurisdiction(request))
        values = {
            "active": "desk",
            "plans": found,
            "jurisdiction": principal.jurisdiction_code or "",
            "rates": (DEFAULT_WHITELISTED_RATE, DEFAULT_BASE_RATE),
        }
        return self.renderer.render(request, "inspection_plans.html", values)

    def _plan_values(self, view: PlanView, t: Translator, public: bool) -> dict[str, Any]:
        rows = [
            {
                "r": r,
                "name": firm_name(r.organization, t.language),
                "status": t(f"desk.status.{r.status.value}"),
                "reason": t(f"desk.reason.{r.draw.reason.value}"),
            }
            for r in view.results
        ]
        return {
            "active": "whitelist" if public else "desk",
            "plan": view.plan,
            "rows": rows,
            "public": public,
            "reproducible": view.plan.redrawn() == list(view.plan.draws),
        }

    def plan(self, request: Request, raw_id: str) -> HTMLResponse:
        """One plan with each assignment's inspection, gaps and gap alerts."""
        principal = self._signed_in(request)
        view = self.context.inspection_plans.plan(principal, path_id(raw_id, "plan_id"))
        values = self._plan_values(view, self.renderer.translator(request), public=False)
        return self.renderer.render(request, "inspection_plan.html", values)

    def plans_public(self, request: Request) -> HTMLResponse:
        """The published plans (anyone)."""
        found = self.context.inspection_plans.public_plans()
        return self.renderer.render(
            request, "inspection_plans_public.html", {"active": "whitelist", "plans": found}
        )

    def plan_public(self, request: Request, raw_id: str) -> HTMLResponse:
        """A published plan with its results (anyone); inspectors by name only."""
        view = self.context.inspection_plans.public_plan(path_id(raw_id, "plan_id"))
        values = self._plan_values(view, self.renderer.translator(request), public=True)
        return self.renderer.render(request, "inspection_plan.html", values)


def build_router(renderer: PageRenderer) -> APIRouter:
    """Return the router of the desk pages and their public pages.

    Args:
        renderer: Renders the pages.
    """
    router = page_router(renderer)
    pages = DeskPages(renderer)
    actions = Actions(renderer)
    context = renderer.context

    @router.get("/risk", response_class=HTMLResponse)
    def risk_list(request: Request) -> HTMLResponse:
        """Firms by risk score."""
        return pages.risk_list(request)

    @router.get("/risk/{organization_id}", response_class=HTMLResponse)
    def risk_firm(request: Request, organization_id: str) -> HTMLResponse:
        """One firm's score and factors."""
        return pages.risk_firm(request, organization_id)

    @router.get("/whitelist/candidates", response_class=HTMLResponse)
    def whitelist(request: Request) -> HTMLResponse:
        """Whitelist candidates."""
        return pages.whitelist(request)

    @router.post("/whitelist/candidates/{organization_id}/{action}", response_class=HTMLResponse)
    def change(request: Request, organization_id: str, action: str, data: FormBody) -> Response:
        """Admit or remove a firm, with the reason given."""
        principal = actions.poster(request, data)
        step = parse_action(action)
        context.whitelist.change(
            principal, path_id(organization_id, "organization_id"), step, _field(data, "reason")
        )
        return actions.redirect(request, "/whitelist/candidates", f"desk.flash.{step.value}")

    @router.get("/inspections", response_class=HTMLResponse)
    def plans(request: Request) -> HTMLResponse:
        """Inspection plans and the draw form."""
        return pages.plans(request)

    @router.post("/inspections", response_class=HTMLResponse)
    def draw(request: Request, data: FormBody) -> Response:
        """Draw a plan from the form."""
        principal = actions.poster(request, data)
        rates = DrawRates(
            parse_rate(
                _field(data, "whitelisted_rate") or DEFAULT_WHITELISTED_RATE, "whitelisted_rate"
            ),
            parse_rate(_field(data, "base_rate") or DEFAULT_BASE_RATE, "base_rate"),
        )
        plan = context.inspection_plans.draw(
            principal,
            _field(data, "jurisdiction_code"),
            _date(_field(data, "period_start"), "period_start"),
            _date(_field(data, "period_end"), "period_end"),
            seed=_seed(_field(data, "seed")),
            rates=rates,
        )
        return actions.redirect(request, f"/inspections/{plan.plan_id}", "desk.flash.drawn")

    @router.get("/inspections/{plan_id}", response_class=HTMLResponse)
    def plan(request: Request, plan_id: str) -> HTMLResponse:
        """One plan with its results."""
        return pages.plan(request, plan_id)

    @router.post("/inspections/{plan_id}/publish", response_class=HTMLResponse)
    def publish(request: Request, plan_id: str, data: FormBody) -> Response:
        """Publish a plan and its results."""
        principal = actions.poster(request, data)
        view = context.inspection_plans.publish(principal, path_id(plan_id, "plan_id"))
        return actions.redirect(
            request, f"/inspections/{view.plan.plan_id}", "desk.flash.published"
        )

    @router.get("/whitelist", response_class=HTMLResponse)
    def whitelist_public(request: Request) -> HTMLResponse:
        """The public whitelist."""
        return pages.whitelist_public(request)

    @router.get("/inspection-plans", response_class=HTMLResponse)
    def plans_public(request: Request) -> HTMLResponse:
        """The published inspection plans."""
        return pages.plans_public(request)

    @router.get("/inspection-plans/{plan_id}", response_class=HTMLResponse)
    def plan_public(request: Request, plan_id: str) -> HTMLResponse:
        """A published plan's results."""
        return pages.plan_public(request, plan_id)

    return router
