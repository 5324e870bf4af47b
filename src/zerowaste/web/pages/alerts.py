"""The alert list (filters, counts, pages, map) and the routes of every alert and desk page."""

from __future__ import annotations

import uuid
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from zerowaste.api.pagination import encode_cursor, page_request
from zerowaste.bootstrap import Context
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.alerts import AlertState
from zerowaste.domain.pages import MAX_PAGE_SIZE, PageRequest
from zerowaste.errors import InvalidInput
from zerowaste.oversight.rules import RULES, Severity
from zerowaste.web.pages.actions import read_form
from zerowaste.web.pages.alert_page import AlertPage
from zerowaste.web.pages.alert_rows import (
    Names,
    alert_map,
    alert_row,
    root_of,
    rule_name,
    signed_in,
)
from zerowaste.web.pages.common import firm_name
from zerowaste.web.pages.desk import DeskPages
from zerowaste.web.routing import page_router
from zerowaste.web.templating import PageRenderer

FormBody = Annotated[FormData, Depends(read_form)]
#: Alerts listed on one page.
ALERTS_PER_PAGE = 50
Filter = Annotated[str, Query(max_length=60)]


def _choice(value: str, allowed: set[str], field: str) -> str | None:
    if not value:
        return None
    if value not in allowed:
        raise InvalidInput(f"{value!r} is not a known {field}", field=field)
    return value


def _organization(value: str) -> uuid.UUID | None:
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise InvalidInput(f"{value!r} is not an organization id", field="organization") from None


class AlertList:
    """Builds the alert list of the signed-in user.

    Args:
        renderer: Renders the page; its context holds the services.
    """

    def __init__(self, renderer: PageRenderer) -> None:
        self.renderer = renderer
        self.context: Context = renderer.context

    def _organizations(self, principal: Principal, language: str) -> list[tuple[str, str]]:
        """The organizations a regulator or admin may narrow the list to (one page of them)."""
        if principal.role is UserRole.FIRM:
            return []
        region = principal.jurisdiction_code if principal.role is UserRole.REGULATOR else None
        if principal.role is UserRole.REGULATOR and region is None:
            return []
        page = self.context.organizations.find(PageRequest(None, MAX_PAGE_SIZE), region_code=region)
        named = [(str(o.id), firm_name(o, language)) for o in page.items]
        return sorted(named, key=lambda pair: pair[1])

    def render(
        self, request: Request, state: str, rule: str, severity: str, organization: str, cursor: str
    ) -> HTMLResponse:
        """Render one page of the alerts matching the filters.

        Raises:
            NotAuthenticated: Nobody is signed in.
            InvalidInput: A filter or the cursor is not one the page offers (names the field).
            Forbidden: The organization named is not one the user acts for.
        """
        principal = signed_in(self.renderer, request)
        t = self.renderer.translator(request)
        chosen_state = _choice(state, {s.value for s in AlertState}, "state")
        chosen_rule = _choice(rule, {r.rule_id for r in RULES}, "rule")
        chosen_severity = _choice(severity, {s.value for s in Severity}, "severity")
        organization_id = _organization(organization)
        page = self.context.alerts.find(
            principal,
            page_request(cursor or None, ALERTS_PER_PAGE),
            organization_id=organization_id,
            states=[AlertState(chosen_state)] if chosen_state else None,
            rule_id=chosen_rule,
            severity=chosen_severity,
        )
        names = Names(self.context, t.language)
        names.load(a.organization_id for a in page.items)
        root = root_of(request)
        counts: dict[str, int] = {}
        for (_, alert_state), number in self.context.alerts.counts(principal).items():
            counts[alert_state] = counts.get(alert_state, 0) + number
        filters = [
            (k, v)
            for k, v in (
                ("state", state),
                ("rule", rule),
                ("severity", severity),
                ("organization", organization),
            )
            if v
        ]
        next_cursor = encode_cursor(page.next_after)
        path = request.url.path
        values: dict[str, Any] = {
            "active": "alerts",
            "rows": [alert_row(a, t, names) for a in page.items],
            "map": alert_map(self.context, t, page.items, names, root),
            "counts": [
                {
                    "state": s.value,
                    "label": t.enum("alert_state", s),
                    "count": counts.get(s.value, 0),
                    "url": f"{path}?{urlencode({'state': s.value})}",
                }
                for s in AlertState
            ],
            "total": sum(counts.values()),
            "filter": {
                "state": state,
                "rule": rule,
                "severity": severity,
                "organization": organization,
            },
            "states": [(s.value, t.enum("alert_state", s)) for s in AlertState],
            "rules": [(r.rule_id, rule_name(r, t.language)) for r in RULES],
            "severities": [(s.value, t.enum("severity", s)) for s in Severity],
            "organizations": self._organizations(principal, t.language),
            "first_url": f"{path}?{urlencode(filters)}".rstrip("?") if cursor else None,
            "next_url": (
                f"{path}?{urlencode([*filters, ('cursor', next_cursor)])}" if next_cursor else None
            ),
        }
        return self.renderer.render(request, "alerts.html", values)


def build_router(renderer: PageRenderer) -> APIRouter:
    """Return the router of the alert pages, the rulebook and the regulator desk.

    Args:
        renderer: Renders the pages.
    """
    router = page_router(renderer)
    listing = AlertList(renderer)
    detail = AlertPage(renderer)
    desk = DeskPages(renderer)

    @router.get("/alerts", response_class=HTMLResponse)
    def alert_list(
        request: Request,
        state: Filter = "",
        rule: Filter = "",
        severity: Filter = "",
        organization: Filter = "",
        cursor: Annotated[str, Query(max_length=400)] = "",
    ) -> HTMLResponse:
        """The alerts the signed-in user may see, filtered, with a map."""
        return listing.render(request, state, rule, severity, organization, cursor)

    @router.get("/alerts/{alert_id}", response_class=HTMLResponse)
    def alert_detail(request: Request, alert_id: str) -> HTMLResponse:
        """One alert: explanation, figures, rule, evidence, history and the workflow forms."""
        return detail.render(request, alert_id)

    @router.get("/alerts/{alert_id}/receipts.json")
    def alert_receipts(request: Request, alert_id: str) -> JSONResponse:
        """The receipts of an alert's evidence events, as one JSON download."""
        return detail.receipts(request, alert_id)

    @router.post("/alerts/{alert_id}/{action}", response_class=HTMLResponse)
    def alert_act(request: Request, alert_id: str, action: str, data: FormBody) -> Response:
        """A regulator's acknowledgement, resolution or dismissal, signed by the platform."""
        return detail.act(request, alert_id, action, data)

    @router.get("/rules", response_class=HTMLResponse)
    def rules(request: Request) -> HTMLResponse:
        """The published rulebook: every rule, its legal basis and parameters."""
        return desk.rules(request)

    @router.get("/desk", response_class=HTMLResponse)
    def regulator_desk(request: Request) -> HTMLResponse:
        """The regulator's landing page: alert counts, latest open alerts, links to the work."""
        return desk.desk(request)

    return router
