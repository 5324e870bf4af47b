"""The public rulebook page and the regulator desk: alert counts, open alerts, links to the work."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse

from zerowaste.bootstrap import Context
from zerowaste.domain.alerts import AlertState
from zerowaste.domain.pages import PageRequest
from zerowaste.oversight.rules import RULES
from zerowaste.web.pages.alert_rows import (
    Names,
    alert_row,
    overseer,
    rule_explanation,
    rule_name,
)
from zerowaste.web.pages.common import RegionNames
from zerowaste.web.templating import PageRenderer

#: Open alerts shown on the desk.
LATEST_OPEN = 10
#: The desk's links to the regulator's work: (message id, path).
WORK_LINKS = (
    ("desk.alerts", "/alerts"),
    ("desk.approvals", "/approvals"),
    ("desk.whitelist", "/whitelist/candidates"),
    ("desk.inspections", "/inspections"),
    ("desk.risk", "/risk"),
    ("desk.rules", "/rules"),
)


class DeskPages:
    """Builds the rulebook and the regulator desk.

    Args:
        renderer: Renders the pages; its context holds the services.
    """

    def __init__(self, renderer: PageRenderer) -> None:
        self.renderer = renderer
        self.context: Context = renderer.context

    def rules(self, request: Request) -> HTMLResponse:
        """Every rule of the registry with the parameters in force (public)."""
        t = self.renderer.translator(request)
        settings = self.context.oversight.settings
        other = "zh" if t.language == "en" else "en"
        rows: list[dict[str, Any]] = []
        for spec in RULES:
            in_force = settings.parameters(spec.rule_id)
            rows.append(
                {
                    "id": spec.rule_id,
                    "name": rule_name(spec, t.language),
                    "other_name": rule_name(spec, other),
                    "explanation": rule_explanation(spec, t.language),
                    "other_explanation": rule_explanation(spec, other),
                    "other_lang": other,
                    "severity": spec.severity.value,
                    "severity_label": t.enum("severity", spec.severity),
                    "level": t.enum("rule_level", spec.level),
                    "stage": spec.stage.value if spec.stage else "",
                    "legal_basis": spec.legal_basis,
                    "parameters": [
                        {
                            "name": name,
                            "value": format(value.normalize(), "f"),
                            "default": format(spec.parameters[name].normalize(), "f"),
                        }
                        for name, value in in_force.items()
                    ],
                }
            )
        return self.renderer.render(request, "rules.html", {"active": "rules", "rows": rows})

    def desk(self, request: Request) -> HTMLResponse:
        """The desk of a regulator (its jurisdiction) or an admin (everything).

        Raises:
            NotAuthenticated: Nobody is signed in.
            Forbidden: A firm user.
        """
        principal = overseer(self.renderer, request)
        t = self.renderer.translator(request)
        counts = self.context.alerts.counts(principal)
        by_state = {s.value: 0 for s in AlertState}
        by_rule: dict[str, dict[str, int]] = {}
        for (rule_id, state), number in counts.items():
            by_state[state] = by_state.get(state, 0) + number
            row = by_rule.setdefault(rule_id, {s.value: 0 for s in AlertState})
            row[state] = row.get(state, 0) + number
        rules = [
            {
                "id": spec.rule_id,
                "name": rule_name(spec, t.language),
                "severity_label": t.enum("severity", spec.severity),
                "counts": by_rule[spec.rule_id],
                "total": sum(by_rule[spec.rule_id].values()),
            }
            for spec in RULES
            if spec.rule_id in by_rule
        ]
        latest = self.context.alerts.find(
            principal, PageRequest(None, LATEST_OPEN), states=[AlertState.OPEN]
        )
        names = Names(self.context, t.language)
        names.load(a.organization_id for a in latest.items)
        code = principal.jurisdiction_code
        values = {
            "active": "desk",
            "where": (
                t("desk.jurisdiction", region=f"{RegionNames(self.context)(code)} ({code})")
                if code
                else t("desk.everywhere")
            ),
            "states": [
                {
                    "state": s.value,
                    "label": t.enum("alert_state", s),
                    "count": by_state[s.value],
                    "url": f"/alerts?state={s.value}",
                }
                for s in AlertState
            ],
            "total": sum(by_state.values()),
            "rules": rules,
            "latest": [alert_row(a, t, names) for a in latest.items],
            "links": [(t(key), path) for key, path in WORK_LINKS],
        }
        return self.renderer.render(request, "desk.html", values)
