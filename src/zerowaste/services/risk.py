"""Risk scores of firms: the firm's own score for its users and regulators, and a region's list."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from zerowaste.adapters.db.risk_inputs import FirmFacts
from zerowaste.adapters.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.organizations import Organization
from zerowaste.domain.regions import is_region_code
from zerowaste.errors import Forbidden, InvalidInput, NotFound, UnknownRegion
from zerowaste.oversight.risk import AlertFact, PermitFact, RiskInputs, RiskScore, score
from zerowaste.services.authorization import require_acts_for, require_oversight


@dataclass(frozen=True, slots=True)
class FirmRisk:
    """A firm and its score."""

    organization: Organization
    risk: RiskScore


def risk_inputs(facts: FirmFacts, as_of: datetime) -> RiskInputs:
    """The score's inputs from the facts the adapter read."""
    return RiskInputs(
        organization_id=facts.organization_id,
        as_of=as_of,
        alerts=tuple(AlertFact(a.severity, a.state, a.raised_at) for a in facts.alerts),
        events=facts.events,
        first_event_at=facts.first_event_at,
        permits=tuple(PermitFact(p.kind.value, p.valid_from, p.valid_to) for p in facts.permits),
        handles_hazardous=facts.handles_hazardous,
        has_store=facts.has_store,
        hazardous_shipped_kg=facts.hazardous_shipped_kg,
        hazardous_to_licensed_kg=facts.hazardous_to_licensed_kg,
        manifests_due=facts.manifests_due,
        manifests_closed=facts.manifests_closed,
    )


def scores_of(
    uow: UnitOfWork, organization_ids: Iterable[uuid.UUID], as_of: datetime
) -> tuple[dict[uuid.UUID, FirmFacts], dict[uuid.UUID, RiskScore]]:
    """The facts and the score of each firm, read in the caller's unit of work."""
    facts = uow.risk_inputs.facts(organization_ids, as_of)
    return facts, {i: score(risk_inputs(f, as_of)) for i, f in facts.items()}


def jurisdiction_of(uow: UnitOfWork, actor: Principal, code: str | None) -> str | None:
    """The jurisdiction a regulator's list covers: the one named, else the actor's own.

    Returns None for an admin naming none (everything).

    Raises:
        InvalidInput: The code is not six digits (field `jurisdiction_code`).
        UnknownRegion: No such region.
        Forbidden: The actor does not oversee it, or is not a regulator or admin.
    """
    if code is None:
        if actor.role is UserRole.ADMIN:
            return None
        if actor.role is not UserRole.REGULATOR or actor.jurisdiction_code is None:
            raise Forbidden("regulators and administrators only", field="jurisdiction_code")
        return actor.jurisdiction_code
    if not is_region_code(code):
        raise InvalidInput(f"{code!r} is not a six-digit region code", field="jurisdiction_code")
    if uow.regions.get(code) is None:
        raise UnknownRegion(f"no region {code}", field="jurisdiction_code")
    require_oversight(actor, code, field="jurisdiction_code")
    return code


def firms_of(uow: UnitOfWork, jurisdiction: str | None) -> list[uuid.UUID]:
    """The non-regulator firms of a jurisdiction (every province's for None)."""
    return uow.risk_inputs.firms_in(jurisdiction or "")


class RiskService:
    """Scores firms by the transparent formula of `zerowaste.oversight.risk`."""

    def __init__(self, unit_of_work: UnitOfWorkFactory, clock: Callable[[], datetime]) -> None:
        self._uow = unit_of_work
        self._clock = clock

    def firm(self, actor: Principal, organization_id: uuid.UUID) -> FirmRisk:
        """One firm's score with every factor, for its users, its regulators and admins.

        Raises:
            NotFound: No such organization (field `organization_id`).
            Forbidden: The actor may not see the firm's data.
        """
        with self._uow() as uow:
            organization = uow.organizations.get(organization_id)
            if organization is None:
                raise NotFound(f"no organization {organization_id}", field="organization_id")
            require_acts_for(actor, organization)
            _, scores = scores_of(uow, [organization_id], self._clock())
            return FirmRisk(organization, scores[organization_id])

    def region(self, actor: Principal, jurisdiction_code: str | None = None) -> list[FirmRisk]:
        """The firms of a jurisdiction, highest score first (regulators and admins).

        Raises:
            InvalidInput, UnknownRegion, Forbidden: See `jurisdiction_of`.
        """
        with self._uow() as uow:
            jurisdiction = jurisdiction_of(uow, actor, jurisdiction_code)
            ids = firms_of(uow, jurisdiction)
            _, scores = scores_of(uow, ids, self._clock())
            organizations = uow.organizations.many(ids)
        found = [FirmRisk(organizations[i], scores[i]) for i in ids]
        return sorted(found, key=lambda f: (-f.risk.score, f.organization.name))
