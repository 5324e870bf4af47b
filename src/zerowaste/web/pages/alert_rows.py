"""What the alert pages share: the signed-in check, names, rule labels, table rows, map points."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from starlette.requests import Request

from zerowaste.bootstrap import Context
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.alerts import Alert, AlertState
from zerowaste.domain.pages import PageRequest
from zerowaste.domain.sites import Site
from zerowaste.errors import Forbidden, NotAuthenticated, NotFound
from zerowaste.oversight.rules import RuleSpec, rule
from zerowaste.web.i18n import Translator
from zerowaste.web.pages.common import firm_name
from zerowaste.web.templating import PageRenderer

#: The CSS status class of each alert state (red while open, amber when acknowledged).
STATE_CLASS = {
    AlertState.OPEN: "expired",
    AlertState.ACKNOWLEDGED: "pending",
    AlertState.RESOLVED: "in_force",
    AlertState.DISMISSED: "in_force",
}


def signed_in(renderer: PageRenderer, request: Request) -> Principal:
    """Return the signed-in principal, or raise `NotAuthenticated` (a sign-in redirect)."""
    principal = renderer.principal(request)
    if principal is None:
        raise NotAuthenticated("sign in to see alerts")
    return principal


def overseer(renderer: PageRenderer, request: Request) -> Principal:
    """Return the signed-in regulator or admin.

    Raises:
        NotAuthenticated: Nobody is signed in.
        Forbidden: A firm user.
    """
    principal = signed_in(renderer, request)
    if principal.role not in (UserRole.REGULATOR, UserRole.ADMIN):
        raise Forbidden("the desk is for regulators and administrators")
    return principal


def root_of(request: Request) -> str:
    """Return the application's root path, without a trailing slash."""
    return str(request.scope.get("root_path", "")).rstrip("/")


def rule_name(spec: RuleSpec, language: str) -> str:
    """Return the rule's name in the page language."""
    return spec.name_en if language == "en" else spec.name_zh


def rule_explanation(spec: RuleSpec, language: str) -> str:
    """Return what the rule checks, in the page language."""
    return spec.explanation_en if language == "en" else spec.explanation_zh


def explanation(alert: Alert, language: str) -> str:
    """Return the alert's explanation in the page language."""
    return alert.explanation_en if language == "en" else alert.explanation_zh


def spec_of(rule_id: str) -> RuleSpec | None:
    """Return the rule with this id, or None if the registry no longer has it."""
    try:
        return rule(rule_id)
    except NotFound:
        return None


class Names:
    """Organization names in the page language, looked up once per request.

    Args:
        context: The application context.
        language: The page language.
    """

    def __init__(self, context: Context, language: str) -> None:
        self._context = context
        self._language = language
        self._names: dict[uuid.UUID, str] = {}

    def load(self, organization_ids: Iterable[uuid.UUID]) -> None:
        """Read the names of these organizations at once (ahead of rendering a table)."""
        wanted = [i for i in dict.fromkeys(organization_ids) if i not in self._names]
        found = self._context.organizations.many(wanted)
        for organization_id in wanted:
            organization = found.get(organization_id)
            self._names[organization_id] = (
                firm_name(organization, self._language) if organization else str(organization_id)
            )

    def __call__(self, organization_id: uuid.UUID) -> str:
        """Return the organization's name, or its id when it is not registered."""
        if organization_id not in self._names:
            self.load([organization_id])
        return self._names[organization_id]


def alert_row(alert: Alert, t: Translator, names: Names) -> dict[str, Any]:
    """Return one alert as a row of the alert tables."""
    spec = spec_of(alert.rule_id)
    return {
        "id": alert.alert_id,
        "label": alert.label,
        "rule_id": alert.rule_id,
        "rule": rule_name(spec, t.language) if spec else alert.rule_id,
        "organization_id": alert.organization_id,
        "organization": names(alert.organization_id),
        "severity": alert.severity,
        "severity_label": t.enum("severity", alert.severity),
        "state": alert.state.value,
        "state_label": t.enum("alert_state", alert.state),
        "state_class": STATE_CLASS[alert.state],
        "raised_at": alert.raised_at,
        "explanation": explanation(alert, t.language),
    }


def _first_site(
    context: Context, organization_id: uuid.UUID, first_sites: dict[uuid.UUID, Site | None]
) -> Site | None:
    """The organization's first site (looked up once per organization), or None."""
    if organization_id not in first_sites:
        page = context.sites.find_sites(PageRequest(None, 1), organization_id=organization_id)
        first_sites[organization_id] = page.items[0] if page.items else None
    return first_sites[organization_id]


def alert_map(
    context: Context, t: Translator, alerts: Iterable[Alert], names: Names, root: str
) -> dict[str, Any]:
    """Return the JSON the map script reads: one marker per alert, at its site.

    An alert naming no site (or a site since removed) is placed at its organization's first
    site; an organization without sites leaves its alerts off the map.
    """
    alerts = list(alerts)
    names.load(a.organization_id for a in alerts)
    named = context.sites.sites(a.site_id for a in alerts if a.site_id is not None)
    first_sites: dict[uuid.UUID, Site | None] = {}
    points = []
    for alert in alerts:
        site = named.get(alert.site_id) if alert.site_id is not None else None
        if site is None:
            site = _first_site(context, alert.organization_id, first_sites)
        if site is None:
            continue
        spec = spec_of(alert.rule_id)
        points.append(
            {
                "lat": site.latitude,
                "lng": site.longitude,
                "name": f"{alert.label} · {rule_name(spec, t.language) if spec else alert.rule_id}",
                "kind": f"{site.name} · {t.enum('severity', alert.severity)} · "
                f"{t.enum('alert_state', alert.state)}",
                "kind_code": site.kind.value,
                "firm": names(alert.organization_id),
                "url": f"{root}/alerts/{alert.alert_id}",
            }
        )
    settings = context.settings
    return {
        "tiles": settings.map_tile_url,
        "attribution": settings.map_tile_attribution,
        "labels": {"view_firm": t("alerts.view_alert")},
        "points": points,
    }
