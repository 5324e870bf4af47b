"""Proposal and contract pages: incoming/outgoing proposals, the new-proposal form, contracts."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from zerowaste.bootstrap import Context
from zerowaste.domain.access import Principal
from zerowaste.domain.contracts import Contract, ContractState
from zerowaste.domain.listings import BASIS_DAYS, QuantityBasis
from zerowaste.domain.proposals import Proposal, ProposalAction, ProposalState
from zerowaste.domain.quantities import parse_decimal
from zerowaste.errors import InvalidInput, NotFound, ZeroWasteError
from zerowaste.services.contract_records import performance_record
from zerowaste.services.trace import RECEIPT_PATH
from zerowaste.web.pages.actions import Actions, read_form
from zerowaste.web.pages.common import collect, firm_name
from zerowaste.web.pages.firm_page import path_id
from zerowaste.web.pages.trace import PLOTLY_PREFIX
from zerowaste.web.routing import page_router
from zerowaste.web.templating import PageRenderer

FormBody = Annotated[FormData, Depends(read_form)]
_FORM_FIELDS = ("supply", "demand", "quantity", "price", "start", "end", "shortfall_penalty",
                "off_spec_penalty", "revenue_share", "beneficiary", "note")  # fmt: skip


def _text(data: FormData, name: str) -> str:
    value = data.get(name)
    return value.strip() if isinstance(value, str) else ""


def _day(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{text!r} is not a date (YYYY-MM-DD)", field=field) from None


class ContractPages:
    """Builds the proposal and contract pages."""

    def __init__(self, renderer: PageRenderer) -> None:
        self.renderer = renderer
        self.context: Context = renderer.context
        self.actions = Actions(renderer)

    def _name(self, organization_id: uuid.UUID | None, language: str) -> str:
        if organization_id is None:
            return ""
        try:
            return firm_name(self.context.organizations.get(organization_id), language)
        except NotFound:
            return str(organization_id)

    # -- proposals -------------------------------------------------------------------------

    def proposals(self, request: Request) -> HTMLResponse:
        """The user's proposals, incoming (with accept/decline) and outgoing (with withdraw)."""
        principal = self.actions.viewer(request)
        t = self.renderer.translator(request)
        items: list[Proposal] = collect(lambda page: self.context.proposals.find(principal, page))
        incoming, outgoing, others = [], [], []
        for p in items:
            row = self._proposal_row(p, t.language, t)
            if principal.organization_id == p.counterparty_id:
                row["buttons"] = ["accept", "decline"] if p.state is ProposalState.PROPOSED else []
                incoming.append(row)
            elif principal.organization_id == p.proposer_id:
                row["buttons"] = ["withdraw"] if p.state is ProposalState.PROPOSED else []
                outgoing.append(row)
            else:
                row["buttons"] = []
                others.append(row)
        values = {
            "active": "market",
            "incoming": incoming,
            "outgoing": outgoing,
            "others": others,
        }
        return self.renderer.render(request, "market_proposals.html", values)

    def _proposal_row(self, p: Proposal, language: str, t: Any) -> dict[str, Any]:
        return {
            "p": p,
            "state_label": t.enum("proposal_state", p.state),
            "supplier": self._name(p.terms.supplier_id, language),
            "buyer": self._name(p.terms.buyer_id, language),
        }

    def new_proposal(
        self,
        request: Request,
        values: dict[str, str] | None = None,
        error: ZeroWasteError | None = None,
    ) -> HTMLResponse:
        """The form prefilled from the two listings named in `?supply=…&demand=…`."""
        principal = self.actions.viewer(request)
        form = values if values is not None else self._prefill(principal, request)
        status = 200 if error is None else error.status
        page = {
            "active": "market",
            "form": form,
            "error": None if error is None else {"field": error.field, "detail": error.detail},
        }
        return self.renderer.render(request, "market_proposal_new.html", page, status=status)

    def _prefill(self, principal: Principal, request: Request) -> dict[str, str]:
        query = request.query_params
        form = dict.fromkeys(_FORM_FIELDS, "")
        form.update({"supply": query.get("supply", ""), "demand": query.get("demand", "")})
        today = self.context.clock().date()
        form.update({"start": today.isoformat(), "end": (today + timedelta(days=90)).isoformat()})
        form.update({"shortfall_penalty": "0", "off_spec_penalty": "0", "revenue_share": "0"})
        listings = self.context.listings
        monthly: list[Decimal] = []
        for key in ("supply", "demand"):
            try:
                listing = listings.get(principal, uuid.UUID(form[key]))
            except (ValueError, ZeroWasteError):
                continue
            s, d = listing.terms.supply, listing.terms.demand
            if s is not None and s.basis is not QuantityBasis.LOT:
                monthly.append(s.quantity_t * BASIS_DAYS[QuantityBasis.MONTH] / BASIS_DAYS[s.basis])
            if d is not None:
                form["price"] = format(d.price_cny_per_t, "f")
                if d.basis is not QuantityBasis.LOT:
                    monthly.append(
                        d.capacity_t * BASIS_DAYS[QuantityBasis.MONTH] / BASIS_DAYS[d.basis]
                    )
        if monthly:
            form["quantity"] = format(min(monthly).quantize(Decimal("0.001")).normalize(), "f")
        return form

    def create_proposal(self, request: Request, data: FormData) -> Response:
        """Propose from the form (custodial signature of the user's organization)."""
        principal = self.actions.poster(request, data)
        values = {name: _text(data, name) for name in _FORM_FIELDS}
        service = self.context.proposals
        try:
            terms = service.terms_from_listings(
                path_id(values["supply"], "supply_listing_id"),
                path_id(values["demand"], "demand_listing_id"),
                parse_decimal(values["quantity"], field="quantity_t"),
                _day(values["start"], "start_on"),
                _day(values["end"], "end_on"),
                price_cny_per_t=(
                    parse_decimal(values["price"], field="price_cny_per_t")
                    if values["price"]
                    else None
                ),
                shortfall_penalty_cny_per_t=parse_decimal(
                    values["shortfall_penalty"] or "0", field="shortfall_penalty_cny_per_t"
                ),
                off_spec_penalty_cny_per_t=parse_decimal(
                    values["off_spec_penalty"] or "0", field="off_spec_penalty_cny_per_t"
                ),
                revenue_share=parse_decimal(values["revenue_share"] or "0", field="revenue_share"),
                beneficiary_id=(
                    path_id(values["beneficiary"], "beneficiary_id")
                    if values["beneficiary"]
                    else None
                ),
                note=values["note"],
            )
            service.propose(principal, uuid.uuid4(), terms)
        except ZeroWasteError as exc:
            return self.new_proposal(request, values, exc)
        return self.actions.redirect(request, "/market/proposals", "flash.proposal_propose")

    def respond(self, request: Request, raw_id: str, step: str, data: FormData) -> Response:
        """Accept, decline or withdraw from the list's buttons."""
        principal = self.actions.poster(request, data)
        try:
            action = ProposalAction(step)
        except ValueError:
            raise NotFound(f"no step {step!r}", field="action") from None
        if action is ProposalAction.PROPOSE:
            raise NotFound("propose with the form", field="action")
        proposal_id = path_id(raw_id, "proposal_id")
        self.context.proposals.respond(principal, proposal_id, action)
        flash = f"flash.proposal_{action.value}"
        if action is ProposalAction.ACCEPT:
            view = self.context.proposals.proposal(principal, proposal_id)
            return self.actions.redirect(
                request, f"/market/contracts/{view.proposal.contract_id}", flash
            )
        return self.actions.redirect(request, "/market/proposals", flash)

    # -- contracts -------------------------------------------------------------------------

    def contracts(self, request: Request) -> HTMLResponse:
        """The contracts the user is party or beneficiary to, or oversees."""
        principal = self.actions.viewer(request)
        t = self.renderer.translator(request)
        items: list[Contract] = collect(lambda page: self.context.contracts.find(principal, page))
        today = self.context.clock().date()
        rows = [
            {
                "c": c,
                "state_label": t.enum("contract_state", c.state_on(today)),
                "supplier": self._name(c.terms.supplier_id, t.language),
                "buyer": self._name(c.terms.buyer_id, t.language),
            }
            for c in items
        ]
        return self.renderer.render(
            request, "market_contracts.html", {"active": "market", "rows": rows}
        )

    def contract(self, request: Request, raw_id: str) -> HTMLResponse:
        """One contract: terms, clauses, signatures, the sign button, performance."""
        principal = self.actions.viewer(request)
        t = self.renderer.translator(request)
        contract_id = path_id(raw_id, "contract_id")
        view = self.context.contracts.contract(principal, contract_id)
        c = view.contract
        today = self.context.clock().date()
        root = str(request.scope.get("root_path", "")).rstrip("/")
        figures = performance_record(self.context.contracts.performance(principal, contract_id))
        role = None
        if principal.organization_id in (c.terms.supplier_id, c.terms.buyer_id):
            role = c.role_of(principal.organization_id)
        may_sign = (
            role is not None
            and c.signed_by(role) is None
            and c.state_on(today)
            in (
                ContractState.DRAFTED,
                ContractState.SIGNED_BY_SUPPLIER,
                ContractState.SIGNED_BY_BUYER,
            )
        )
        may_terminate = role is not None and c.state_on(today) not in (
            ContractState.TERMINATED,
            ContractState.COMPLETED,
        )
        chart = {
            "months": [m["month"] for m in figures["months"]],
            "committed": [float(m["committed_t"]) for m in figures["months"]],
            "delivered": [float(m["delivered_t"]) for m in figures["months"]],
            "labels": {"committed": t("contract.committed"), "delivered": t("contract.delivered"),
                       "unit": "t"},
        }  # fmt: skip
        values = {
            "active": "market",
            "c": c,
            "state_label": t.enum("contract_state", c.state_on(today)),
            "supplier": self._name(c.terms.supplier_id, t.language),
            "buyer": self._name(c.terms.buyer_id, t.language),
            "beneficiary": self._name(c.terms.beneficiary_id, t.language),
            "clauses": [(x.key, x.text(t.language)) for x in c.terms.clauses],
            "signatures": [
                {
                    "action": t.enum("contract_action", s.action),
                    "role": t.enum("contract_role", s.role),
                    "organization": self._name(s.organization_id, t.language),
                    "signed_at": s.signed_at,
                    "reason": s.reason,
                    "leaf": s.leaf_index,
                    "receipt": root + RECEIPT_PATH.format(event_id=s.action_id),
                }
                for s in c.signatures
            ],
            "digest_matches": view.digest_matches,
            "may_sign": may_sign,
            "may_terminate": may_terminate,
            "role_label": "" if role is None else t.enum("contract_role", role),
            "figures": figures,
            "chart": chart,
            "has_chart": bool(figures["months"]),
            "plotly_js": f"{root}{PLOTLY_PREFIX}/plotly.min.js",
        }
        return self.renderer.render(request, "market_contract.html", values)

    def sign(self, request: Request, raw_id: str, data: FormData) -> Response:
        """The user's organization signs custodially."""
        principal = self.actions.poster(request, data)
        contract_id = path_id(raw_id, "contract_id")
        self.context.contracts.sign(principal, contract_id)
        return self.actions.redirect(
            request, f"/market/contracts/{contract_id}", "flash.contract_sign"
        )

    def terminate(self, request: Request, raw_id: str, data: FormData) -> Response:
        """The user's organization ends the contract, saying why."""
        principal = self.actions.poster(request, data)
        contract_id = path_id(raw_id, "contract_id")
        self.context.contracts.terminate(principal, contract_id, _text(data, "reason"))
        return self.actions.redirect(
            request, f"/market/contracts/{contract_id}", "flash.contract_terminate"
        )


def build_router(renderer: PageRenderer) -> APIRouter:
    """Return the router of the proposal and contract pages (`/new` before `/{id}`)."""
    router = page_router(renderer)
    pages = ContractPages(renderer)

    @router.get("/market/proposals", response_class=HTMLResponse)
    def proposal_list(request: Request) -> HTMLResponse:
        """Incoming and outgoing proposals."""
        return pages.proposals(request)

    @router.get("/market/proposals/new", response_class=HTMLResponse)
    def proposal_form(request: Request) -> HTMLResponse:
        """The new-proposal form, prefilled from `?supply=…&demand=…`."""
        return pages.new_proposal(request)

    @router.post("/market/proposals", response_class=HTMLResponse)
    def proposal_create(request: Request, data: FormBody) -> Response:
        """Propose from the form."""
        return pages.create_proposal(request, data)

    @router.post("/market/proposals/{proposal_id}/{step}", response_class=HTMLResponse)
    def proposal_respond(request: Request, proposal_id: str, step: str, data: FormBody) -> Response:
        """Accept, decline or withdraw."""
        return pages.respond(request, proposal_id, step, data)

    @router.get("/market/contracts", response_class=HTMLResponse)
    def contract_list(request: Request) -> HTMLResponse:
        """The user's contracts."""
        return pages.contracts(request)

    @router.get("/market/contracts/{contract_id}", response_class=HTMLResponse)
    def contract_detail(request: Request, contract_id: str) -> HTMLResponse:
        """One contract with its performance."""
        return pages.contract(request, contract_id)

    @router.post("/market/contracts/{contract_id}/sign", response_class=HTMLResponse)
    def contract_sign(request: Request, contract_id: str, data: FormBody) -> Response:
        """Sign for the user's organization."""
        return pages.sign(request, contract_id, data)

    @router.post("/market/contracts/{contract_id}/terminate", response_class=HTMLResponse)
    def contract_terminate(request: Request, contract_id: str, data: FormBody) -> Response:
        """Terminate for the user's organization."""
        return pages.terminate(request, contract_id, data)

    return router
