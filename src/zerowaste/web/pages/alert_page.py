"""One alert's page, its workflow forms (acknowledge, resolve, dismiss) and its receipts bundle."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from zerowaste.bootstrap import Context
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.alerts import MAX_REASON_CHARS, Alert, AlertAction, AlertState
from zerowaste.errors import AlertStateConflict, InvalidInput, NotFound
from zerowaste.services.alerts import AlertView
from zerowaste.services.trace import RECEIPT_PATH
from zerowaste.web.forms import Form
from zerowaste.web.i18n import Translator
from zerowaste.web.pages.actions import Actions, form_pairs
from zerowaste.web.pages.alert_rows import (
    STATE_CLASS,
    Names,
    root_of,
    rule_explanation,
    rule_name,
    signed_in,
    spec_of,
)
from zerowaste.web.pages.common import RegionNames
from zerowaste.web.pages.firm_page import path_id
from zerowaste.web.templating import PageRenderer

#: The format of the receipts bundle an alert's page offers for download.
BUNDLE_FORMAT = "zerowaste.alert-receipts/1"
VERIFIER_KEY_PATH = "/api/v1/ledger/verifier-key"
_BATCH_URN = re.compile(r"^urn:zerowaste:batch:([0-9a-f-]{36})$")
_STEPS = (AlertAction.ACKNOWLEDGE, AlertAction.RESOLVE, AlertAction.DISMISS)


def batches_in(document: bytes) -> list[uuid.UUID]:
    """Return the batches an event document names in its inputs and outputs, in order."""
    try:
        event = json.loads(document)
    except ValueError:
        return []
    found: list[uuid.UUID] = []
    for line in [*event.get("inputs", ()), *event.get("outputs", ())]:
        match = _BATCH_URN.match(str(line.get("batch", ""))) if isinstance(line, dict) else None
        if match and uuid.UUID(match.group(1)) not in found:
            found.append(uuid.UUID(match.group(1)))
    return found


def offered_steps(principal: Principal, alert: Alert) -> list[str]:
    """The steps a principal may take on the alert now (only a regulator of its jurisdiction)."""
    if principal.role is not UserRole.REGULATOR or not principal.oversees(alert.region_code):
        return []
    if alert.state.is_closed:
        return []
    return [
        s.value
        for s in _STEPS
        if s is not AlertAction.ACKNOWLEDGE or alert.state is AlertState.OPEN
    ]


class AlertPage:
    """Builds one alert's page and handles its workflow forms.

    Args:
        renderer: Renders the page; its context holds the services.
    """

    def __init__(self, renderer: PageRenderer) -> None:
        self.renderer = renderer
        self.context: Context = renderer.context
        self.actions = Actions(renderer)

    def _user(self, user_id: uuid.UUID | None, t: Translator) -> str:
        if user_id is None:
            return t("alert.platform")
        try:
            return self.context.accounts.user(user_id).username
        except NotFound:
            return str(user_id)

    def _history(self, view: AlertView, t: Translator, root: str) -> list[dict[str, Any]]:
        regions = RegionNames(self.context)
        return [
            {
                "action": step.action.value,
                "action_label": t.enum("alert_action", step.action),
                "time": step.action_time,
                "user": self._user(step.user_id, t),
                "jurisdiction": (
                    f"{regions(step.jurisdiction_code)} ({step.jurisdiction_code})"
                    if step.jurisdiction_code
                    else ""
                ),
                "reason": step.reason,
                "leaf": step.leaf_index,
                "state_label": t.enum("alert_state", step.state_after),
                "receipt": root + RECEIPT_PATH.format(event_id=row.action_id),
            }
            for step, row in zip(view.history, view.actions, strict=False)
        ]

    @staticmethod
    def _raised_parameters(view: AlertView) -> dict[str, str]:
        for row in view.actions:
            if row.action == AlertAction.RAISE.value:
                members = json.loads(row.document)
                parameters = members.get("parameters", {})
                return {str(k): str(v) for k, v in parameters.items()}
        return {}

    def render(
        self,
        request: Request,
        raw_id: str,
        form: Form | None = None,
        failed: str = "",
        status: int = 200,
    ) -> HTMLResponse:
        """Render the alert a page path names.

        Raises:
            NotAuthenticated: Nobody is signed in.
            NotFound: No such alert (or a malformed id).
            Forbidden: Not the user's own alert nor in its jurisdiction.
        """
        principal = signed_in(self.renderer, request)
        view = self.context.alerts.alert(principal, path_id(raw_id, "alert_id"))
        t = self.renderer.translator(request)
        root = root_of(request)
        alert = view.alert
        names = Names(self.context, t.language)
        spec = spec_of(alert.rule_id)
        texts = [("zh", alert.explanation_zh), ("en", alert.explanation_en)]
        if t.language == "en":
            texts.reverse()
        site = None
        if alert.site_id is not None:
            try:
                site = self.context.sites.site(alert.site_id).name
            except NotFound:
                site = str(alert.site_id)
        values = {
            "active": "alerts",
            "a": alert,
            "rule": spec,
            "rule_name": rule_name(spec, t.language) if spec else alert.rule_id,
            "rule_explanation": rule_explanation(spec, t.language) if spec else "",
            "rule_level": t.enum("rule_level", spec.level) if spec else "",
            "organization": names(alert.organization_id),
            "state_label": t.enum("alert_state", alert.state),
            "state_class": STATE_CLASS[alert.state],
            "severity_label": t.enum("severity", alert.severity),
            "explanations": [
                {"lang": lang, "label": t(f"alert.explanation_{lang}"), "text": text}
                for lang, text in texts
            ],
            "site": site,
            "parameters": self._raised_parameters(view),
            "evidence": [
                {
                    "type": e.event_type,
                    "time": e.event_time,
                    "leaf": e.leaf_index,
                    "organization": names(e.organization_id),
                    "organization_id": e.organization_id,
                    "batches": batches_in(e.document),
                    "receipt": root + RECEIPT_PATH.format(event_id=e.event_id),
                }
                for e in view.evidence
            ],
            "history": self._history(view, t, root),
            "steps": offered_steps(principal, alert),
            "form": form or Form(["reason"]),
            "failed": failed,
            "max_reason": MAX_REASON_CHARS,
        }
        return self.renderer.render(request, "alert.html", values, status=status)

    def act(self, request: Request, raw_id: str, raw_action: str, data: FormData) -> Response:
        """Take a regulator's step; a refused step shows the page again, nothing stored.

        Raises:
            NotAuthenticated: No signed-in session.
            Forbidden: A bad CSRF token, not a regulator, or outside its jurisdiction.
            NotFound: No such alert or step.
        """
        principal = self.actions.poster(request, data)
        alert_id = path_id(raw_id, "alert_id")
        try:
            action = AlertAction(raw_action)
        except ValueError:
            raise NotFound(f"no step {raw_action!r}", field="action") from None
        if action not in _STEPS:
            raise NotFound("an alert is raised by the rules, not by hand", field="action")
        form = Form.submitted(["reason"], form_pairs(data))
        try:
            reason = form.text(
                "reason",
                required=action is not AlertAction.ACKNOWLEDGE,
                max_length=MAX_REASON_CHARS,
            )
            self.context.alerts.act(principal, alert_id, action, reason)
        except (InvalidInput, AlertStateConflict) as exc:
            form.fail(exc, self.renderer.translator(request))
            return self.render(request, raw_id, form, action.value, exc.status)
        return self.actions.redirect(request, f"/alerts/{alert_id}", f"flash.alert_{action.value}")

    def receipts(self, request: Request, raw_id: str) -> JSONResponse:
        """The alert and the receipts of its evidence events, as a JSON attachment.

        Raises:
            NotAuthenticated: Nobody is signed in.
            NotFound: No such alert.
            Forbidden: Not the user's own alert nor in its jurisdiction.
        """
        principal = signed_in(self.renderer, request)
        alert_id = path_id(raw_id, "alert_id")
        alert = self.context.alerts.alert(principal, alert_id).alert
        receipts = self.context.alerts.receipts(principal, alert_id)
        bundle = {
            "format": BUNDLE_FORMAT,
            "alert_id": str(alert.alert_id),
            "number": alert.label,
            "rule_id": alert.rule_id,
            "fingerprint": alert.fingerprint,
            "organization_id": str(alert.organization_id),
            "state": alert.state.value,
            "explanation_zh": alert.explanation_zh,
            "explanation_en": alert.explanation_en,
            "log_id": self.context.alerts.log_id,
            "verifier_key_url": root_of(request) + VERIFIER_KEY_PATH,
            "evidence_events": len(alert.event_ids),
            "receipts": [r.to_json() for r in receipts],
        }
        return JSONResponse(
            bundle,
            headers={
                "Content-Disposition": f'attachment; filename="{alert.label}-receipts.json"',
                "Cache-Control": "no-store",
            },
        )
