"""The whitelist (白名单): live candidates by stated criteria, signed changes, public list."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime

from zerowaste.adapters.db.risk_inputs import FirmFacts
from zerowaste.adapters.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from zerowaste.domain.access import Principal
from zerowaste.domain.organizations import Organization
from zerowaste.domain.permits import PermitKind
from zerowaste.domain.regions import is_region_code
from zerowaste.errors import InvalidInput, MasterKeyMissing, NotFound
from zerowaste.oversight.risk import RiskScore
from zerowaste.oversight.whitelist import (
    CandidateInputs,
    Evaluation,
    WhitelistAction,
    WhitelistEntry,
    check_change,
    evaluate,
    since_of,
)
from zerowaste.services.authorization import require_oversight
from zerowaste.services.ledger import LedgerService
from zerowaste.services.oversight_steps import WHITELIST, OversightStep, log_steps
from zerowaste.services.risk import firms_of, jurisdiction_of, scores_of


@dataclass(frozen=True, slots=True)
class Candidate:
    """A firm against the criteria, with its score and its whitelist entry (if any)."""

    organization: Organization
    evaluation: Evaluation
    risk: RiskScore
    entry: WhitelistEntry | None

    @property
    def listed(self) -> bool:
        """Whether the firm is on the whitelist now."""
        return self.entry is not None and self.entry.listed


@dataclass(frozen=True, slots=True)
class PublicEntry:
    """A whitelisted firm as the public page shows it."""

    organization_id: uuid.UUID
    name: str
    name_en: str | None
    credit_code: str
    region_code: str
    since: date


def candidate_inputs(facts: FirmFacts, risk: RiskScore, as_of: datetime) -> CandidateInputs:
    """The criteria's inputs from the adapter's facts and the firm's score."""
    today = as_of.date()
    kinds = frozenset(p.kind.value for p in facts.permits)
    in_force = frozenset(p.kind.value for p in facts.permits if p.in_force(today))
    return CandidateInputs(
        organization_id=facts.organization_id,
        as_of=as_of,
        alerts=tuple(facts.alerts),
        events_last_year=facts.events_last_year,
        licence_kinds=kinds & frozenset(k.value for k in PermitKind),
        licence_kinds_in_force=in_force,
        manifests_in_transit_since=tuple(facts.in_transit_since),
        risk_band=risk.band,
    )


def evaluations_of(
    uow: UnitOfWork, organization_ids: list[uuid.UUID], as_of: datetime
) -> tuple[dict[uuid.UUID, Evaluation], dict[uuid.UUID, RiskScore]]:
    """Each firm's evaluation against the criteria, and its score."""
    facts, scores = scores_of(uow, organization_ids, as_of)
    evaluations = {
        i: evaluate(candidate_inputs(facts[i], scores[i], as_of)) for i in organization_ids
    }
    return evaluations, scores


class WhitelistService:
    """Computes candidates, signs admissions and removals, lists the whitelisted firms."""

    def __init__(
        self, unit_of_work: UnitOfWorkFactory, ledger: LedgerService, clock: Callable[[], datetime]
    ) -> None:
        self._uow = unit_of_work
        self._ledger = ledger
        self._clock = clock

    def candidates(
        self, actor: Principal, jurisdiction_code: str | None = None, *, eligible_only: bool = False
    ) -> list[Candidate]:
        """Every firm of the jurisdiction against the criteria: eligible first, then by name.

        Raises:
            InvalidInput, UnknownRegion, Forbidden: See `services.risk.jurisdiction_of`.
        """
        now = self._clock()
        with self._uow() as uow:
            jurisdiction = jurisdiction_of(uow, actor, jurisdiction_code)
            ids = firms_of(uow, jurisdiction)
            evaluations, scores = evaluations_of(uow, ids, now)
            entries = uow.whitelist.of_organizations(ids)
            organizations = uow.organizations.many(ids)
        found = [
            Candidate(organizations[i], evaluations[i], scores[i], entries.get(i))
            for i in ids
            if evaluations[i].eligible or not eligible_only
        ]
        return sorted(found, key=lambda c: (not c.evaluation.eligible, c.organization.name))

    def change(
        self, actor: Principal, organization_id: uuid.UUID, action: WhitelistAction, reason: str
    ) -> WhitelistEntry:
        """Admit a candidate or remove a listed firm: a signed step, logged and projected.

        Raises:
            NotFound: No such organization (field `organization_id`).
            Forbidden: The actor is not an admin or a regulator over the firm's region.
            InvalidInput: No reason (field `reason`).
            WhitelistStateConflict: Admitting a listed firm, removing one not listed.
            NotWhitelistCandidate: Admitting a firm that fails a criterion.
        """
        now = self._clock()
        with self._uow() as uow:
            uow.events.lock_log(self._ledger.log_id)
            organization = uow.organizations.get(organization_id)
            if organization is None:
                raise NotFound(f"no organization {organization_id}", field="organization_id")
            require_oversight(actor, organization.region_code, field="organization_id")
            current = uow.whitelist.get(organization_id)
            evaluation = None
            if action is WhitelistAction.ADMIT:
                evaluations, _ = evaluations_of(uow, [organization_id], now)
                evaluation = evaluations[organization_id]
            state, text = check_change(action, current, evaluation, reason)
            members: dict[str, object] = {"state": state.value}
            if evaluation is not None:
                members["criteria"] = {r.criterion.value: r.met for r in evaluation.results}
            step = OversightStep(
                WHITELIST, organization_id, action.value, now, members, organization_id, text
            )
            (row,) = log_steps(uow, self._ledger, actor, [step], now)
            entry = WhitelistEntry(
                organization_id=organization_id,
                region_code=organization.region_code,
                state=state,
                changed_at=now,
                changed_by=actor.user_id,
                reason=text,
                action_id=row.action_id,
            )
            uow.whitelist.put(entry)
            uow.commit()
        with suppress(MasterKeyMissing):
            self._ledger.maybe_checkpoint()
        return entry

    def admit(self, actor: Principal, organization_id: uuid.UUID, reason: str) -> WhitelistEntry:
        """Admit a candidate (see `change`)."""
        return self.change(actor, organization_id, WhitelistAction.ADMIT, reason)

    def remove(self, actor: Principal, organization_id: uuid.UUID, reason: str) -> WhitelistEntry:
        """Remove a listed firm (see `change`)."""
        return self.change(actor, organization_id, WhitelistAction.REMOVE, reason)

    def listed(self, jurisdiction_code: str | None = None) -> list[PublicEntry]:
        """The whitelisted firms (public: anyone may read them), earliest admitted first."""
        if jurisdiction_code is not None and not is_region_code(jurisdiction_code):
            raise InvalidInput(
                f"{jurisdiction_code!r} is not a six-digit region code", field="jurisdiction_code"
            )
        with self._uow() as uow:
            entries = uow.whitelist.listed(jurisdiction_code)
            organizations = uow.organizations.many(e.organization_id for e in entries)
        return [
            PublicEntry(
                e.organization_id,
                organizations[e.organization_id].name,
                organizations[e.organization_id].name_en,
                organizations[e.organization_id].credit_code,
                e.region_code,
                since_of(e),
            )
            for e in entries
            if e.organization_id in organizations
        ]
