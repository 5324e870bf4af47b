"""Manifest list and detail pages, and the approvals page with the regulators' decision buttons."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from zerowaste.bootstrap import Context
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.approvals import Approval, ApprovalAction, ApprovalState
from zerowaste.domain.manifests import Manifest, ManifestState
from zerowaste.domain.pages import PageRequest
from zerowaste.domain.regions import in_jurisdiction
from zerowaste.errors import InvalidInput, NotAuthenticated, NotFound
from zerowaste.services.trace import RECEIPT_PATH
from zerowaste.web.i18n import Translator
from zerowaste.web.pages.actions import Actions, read_form
from zerowaste.web.pages.common import collect, firm_name
from zerowaste.web.pages.firm_page import path_id
from zerowaste.web.routing import page_router
from zerowaste.web.templating import PageRenderer

FormBody = Annotated[FormData, Depends(read_form)]
#: At most this many manifests are listed on one page.
LIST_LIMIT = 200


def _signed_in(renderer: PageRenderer, request: Request) -> Principal:
    principal = renderer.principal(request)
    if principal is None:
        raise NotAuthenticated("sign in to see manifests")
    return principal


class ManifestPages:
    """Builds the manifest and approval pages.

    Args:
        renderer: Renders the pages; its context holds the services.
    """

    def __init__(self, renderer: PageRenderer) -> None:
        self.renderer = renderer
        self.context: Context = renderer.context

    def _names(
        self, ids: set[uuid.UUID] | frozenset[uuid.UUID], language: str
    ) -> dict[uuid.UUID, str]:
        names: dict[uuid.UUID, str] = {}
        for organization_id in ids:
            try:
                names[organization_id] = firm_name(
                    self.context.organizations.get(organization_id), language
                )
            except NotFound:
                names[organization_id] = str(organization_id)
        return names

    def listing(self, request: Request) -> HTMLResponse:
        """The manifests the signed-in user takes part in or oversees, newest numbers last."""
        principal = _signed_in(self.renderer, request)
        t = self.renderer.translator(request)
        raw_state = request.query_params.get("state") or None
        try:
            state = ManifestState(raw_state) if raw_state else None
        except ValueError:
            raise InvalidInput(f"{raw_state!r} is not a manifest state", field="state") from None
        page = self.context.manifests.find(principal, PageRequest(None, LIST_LIMIT), state=state)
        parties = {i for m in page.items for i in (m.terms.generator_id, m.terms.receiver_id)}
        names = self._names(parties, t.language)
        rows = [
            {
                "id": m.manifest_id,
                "number": m.number,
                "state": m.state.value,
                "state_label": t.enum("manifest_state", m.state),
                "generator": names[m.terms.generator_id],
                "receiver": names[m.terms.receiver_id],
                "mass": m.terms.mass_kg,
                "issued_at": m.issued_at,
                "cross_province": m.cross_province,
            }
            for m in page.items
        ]
        states = [(s.value, t.enum("manifest_state", s)) for s in ManifestState]
        values = {"active": "manifests", "rows": rows, "states": states, "state": raw_state or ""}
        return self.renderer.render(request, "manifests.html", values)

    def detail(self, request: Request, raw_id: str) -> HTMLResponse:
        """One manifest: state, parties, lines, legs, signatures with receipts, versions."""
        principal = _signed_in(self.renderer, request)
        manifest_id = path_id(raw_id, "manifest_id")
        view = self.context.manifests.manifest(principal, manifest_id)
        t = self.renderer.translator(request)
        root = str(request.scope.get("root_path", "")).rstrip("/")
        m = view.manifest
        names = {o.id: firm_name(o, t.language) for o in view.organizations.values()}
        names.update(self._names(m.party_ids - set(names), t.language))
        sites = {s.id: s.name for s in view.sites.values()}

        def receipt(entry_id: uuid.UUID) -> str:
            return root + RECEIPT_PATH.format(event_id=entry_id)

        values = {
            "active": "manifests",
            "m": m,
            "state_label": t.enum("manifest_state", m.state),
            "parties": self._parties(m, names, sites, t),
            "names": names,
            "approval": view.approval,
            "signatures": [
                {
                    "action": t.enum("manifest_action", s.action),
                    "role": t.enum("party_role", s.role),
                    "organization": names.get(s.organization_id, str(s.organization_id)),
                    "leg": s.leg,
                    "signed_at": s.signed_at,
                    "key_id": s.key_id,
                    "version": s.version,
                    "leaf": s.leaf_index,
                    "receipt": receipt(s.action_id),
                }
                for s in m.signatures
            ],
            "versions": [
                {
                    "version": v,
                    "transporters": [names.get(x, str(x)) for x in terms.transporter_ids],
                    "receiver": names.get(terms.receiver_id, str(terms.receiver_id)),
                    "mass": terms.mass_kg,
                    "lines": len(terms.lines),
                }
                for v, _, terms in view.versions
            ],
            "events": [
                {
                    "type": e.event_type,
                    "time": e.event_time,
                    "leaf": e.leaf_index,
                    "organization": names.get(e.organization_id, str(e.organization_id)),
                    "receipt": receipt(e.event_id),
                }
                for e in view.events
            ],
            "rejection": None
            if m.rejection is None
            else t(
                "manifest.rejection_text",
                mass=format(m.rejection.mass_kg, "f"),
                disposition=t.enum("disposition", m.rejection.disposition),
                reason=m.rejection.reason,
            ),
        }
        return self.renderer.render(request, "manifest.html", values)

    @staticmethod
    def _parties(
        m: Manifest, names: dict[uuid.UUID, str], sites: dict[uuid.UUID, str], t: Translator
    ) -> list[dict[str, Any]]:
        terms = m.terms
        rows = [
            {
                "role": t("party_role.generator"),
                "name": names.get(terms.generator_id, ""),
                "id": terms.generator_id,
                "site": sites.get(terms.generator_site_id, ""),
            },
        ]
        rows.extend(
            {
                "role": f"{t('party_role.transporter')} {index + 1}",
                "name": names.get(leg, ""),
                "id": leg,
                "site": "",
            }
            for index, leg in enumerate(terms.transporter_ids)
        )
        rows.append(
            {
                "role": t("party_role.receiver"),
                "name": names.get(terms.receiver_id, ""),
                "id": terms.receiver_id,
                "site": sites.get(terms.receiver_site_id, ""),
            }
        )
        if m.rejection is not None:
            rows.append(
                {
                    "role": t("party_role.return_receiver"),
                    "name": names.get(m.rejection.organization_id, ""),
                    "id": m.rejection.organization_id,
                    "site": sites.get(m.rejection.site_id, ""),
                }
            )
        return rows

    def approvals(self, request: Request, status: int = 200) -> HTMLResponse:
        """The approvals the user may see; a regulator gets the buttons of its turn."""
        principal = _signed_in(self.renderer, request)
        t = self.renderer.translator(request)
        items: list[Approval] = collect(lambda page: self.context.approvals.find(principal, page))
        names = self._names(
            {i for a in items for i in (a.terms.generator_id, a.terms.receiver_id)}, t.language
        )
        rows = [
            {
                "a": a,
                "state_label": t.enum("approval_state", a.state),
                "generator": names[a.terms.generator_id],
                "receiver": names[a.terms.receiver_id],
                "decisions": decisions(principal, a),
            }
            for a in items
        ]
        return self.renderer.render(
            request, "approvals.html", {"active": "approvals", "rows": rows}, status=status
        )


def decisions(principal: Principal, approval: Approval) -> list[str]:
    """The decisions a principal may sign now: the destination consents, then the origin."""
    if principal.role is UserRole.ADMIN:
        region = None
    elif principal.role is UserRole.REGULATOR and principal.jurisdiction_code:
        region = principal.jurisdiction_code
    else:
        return []
    if region is not None and not region.endswith("0000"):
        return []

    def covers(code: str) -> bool:
        return region is None or in_jurisdiction(code, region)

    if approval.state is ApprovalState.REQUESTED and covers(approval.destination_region_code):
        return [ApprovalAction.CONSENT.value, ApprovalAction.REFUSE.value]
    if approval.state is ApprovalState.CONSENTED and covers(approval.origin_region_code):
        return [ApprovalAction.APPROVE.value, ApprovalAction.REFUSE.value]
    return []


def build_router(renderer: PageRenderer) -> APIRouter:
    """Return the router of the manifest and approval pages.

    Args:
        renderer: Renders the pages.
    """
    router = page_router(renderer)
    pages = ManifestPages(renderer)
    actions = Actions(renderer)

    @router.get("/manifests", response_class=HTMLResponse)
    def manifest_list(request: Request) -> HTMLResponse:
        """The signed-in user's manifests."""
        return pages.listing(request)

    @router.get("/manifests/{manifest_id}", response_class=HTMLResponse)
    def manifest_detail(request: Request, manifest_id: str) -> HTMLResponse:
        """One manifest with its parties and signatures."""
        return pages.detail(request, manifest_id)

    @router.get("/approvals", response_class=HTMLResponse)
    def approval_list(request: Request) -> HTMLResponse:
        """Cross-province approvals, with decision buttons for regulators."""
        return pages.approvals(request)

    @router.post("/approvals/{approval_id}/{decision}", response_class=HTMLResponse)
    def decide(request: Request, approval_id: str, decision: str, data: FormBody) -> Response:
        """A regulator's consent, approval or refusal, signed by the platform."""
        principal = actions.poster(request, data)
        try:
            action = ApprovalAction(decision)
        except ValueError:
            raise NotFound(f"no decision {decision!r}", field="decision") from None
        if action is ApprovalAction.REQUEST:
            raise NotFound("a request is made by the generator", field="decision")
        note = data.get("note")
        renderer.context.approvals.decide(
            principal,
            path_id(approval_id, "approval_id"),
            action,
            note=note if isinstance(note, str) else "",
        )
        return actions.redirect(request, "/approvals", f"flash.approval_{action.value}")

    return router
