"""Chain-master supplier admission: versioned rules, verdicts per supplier, standard clauses."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime

from zerowaste.adapters.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.admission import (
    AdmissionRules,
    Clause,
    Criterion,
    Verdict,
    YearBasis,
    evaluate,
)
from zerowaste.domain.indicators import CHINA_TIME
from zerowaste.domain.organizations import Organization, OrganizationRole
from zerowaste.errors import AdmissionRulesNotSet, Forbidden, InvalidInput, NotChainMaster, NotFound
from zerowaste.services.admission_defaults import demo_admission_rules
from zerowaste.services.supplier_indicators import indicator_values

#: The most candidate suppliers (not yet in the chain) one check may name.
MAX_CANDIDATES = 200
FIRST_YEAR, LAST_YEAR = 1990, 2100

__all__ = ["MAX_CANDIDATES", "AdmissionService", "demo_admission_rules"]


def _master(uow: UnitOfWork, chain_master_id: uuid.UUID) -> Organization:
    master = uow.organizations.get(chain_master_id)
    if master is None:
        raise NotFound(f"no organization {chain_master_id}", field="chain_master_id")
    if OrganizationRole.CHAIN_MASTER not in master.roles:
        raise NotChainMaster(
            f"{master.name} is not registered as a chain master", field="chain_master_id"
        )
    return master


def _latest(uow: UnitOfWork, chain_master_id: uuid.UUID) -> AdmissionRules:
    rules = uow.admission.latest(chain_master_id)
    if rules is None:
        raise AdmissionRulesNotSet(
            "this chain master has set no admission rules", field="chain_master_id"
        )
    return rules


class AdmissionService:
    """Set and read a chain master's admission rules; check suppliers; give standard clauses."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Callable[[], datetime]) -> None:
        self._uow = uow
        self._clock = clock

    def set_rules(
        self,
        actor: Principal,
        chain_master_id: uuid.UUID,
        criteria: Sequence[Criterion],
        clauses: Sequence[Clause],
        year_basis: YearBasis = YearBasis.PREVIOUS_YEAR,
    ) -> AdmissionRules:
        """Store a new version of the rules (the chain master's own users or admins).

        Raises:
            NotFound: No such organization (field `chain_master_id`).
            NotChainMaster: It lacks the chain-master role.
            Forbidden: The actor is neither an admin nor one of the chain master's users.
            InvalidInput: Too many criteria or clauses, or one given twice (field named).
        """
        now = self._clock()
        with self._uow() as uow:
            master = _master(uow, chain_master_id)
            if actor.role is not UserRole.ADMIN and actor.organization_id != master.id:
                raise Forbidden("only the chain master's users or administrators set its rules")
            rules = AdmissionRules(
                chain_master_id=master.id,
                criteria=tuple(criteria),
                clauses=tuple(clauses),
                year_basis=year_basis,
                version=uow.admission.next_version(master.id),
                updated_at=now,
                updated_by=actor.user_id,
            )
            uow.admission.add(rules)
            uow.commit()
        return rules

    def rules(self, chain_master_id: uuid.UUID, version: int | None = None) -> AdmissionRules:
        """The newest rules (or one version): the standards a chain's suppliers must meet.

        Raises:
            NotFound, NotChainMaster: See `set_rules`.
            AdmissionRulesNotSet: None set yet (or no such version).
        """
        with self._uow() as uow:
            _master(uow, chain_master_id)
            if version is None:
                return _latest(uow, chain_master_id)
            rules = uow.admission.version(chain_master_id, version)
        if rules is None:
            raise AdmissionRulesNotSet(f"no version {version} of the rules", field="version")
        return rules

    def history(self, chain_master_id: uuid.UUID) -> list[AdmissionRules]:
        """Every version of the rules, newest first (empty if none were set)."""
        with self._uow() as uow:
            _master(uow, chain_master_id)
            return uow.admission.versions(chain_master_id)

    def default_year(self, rules: AdmissionRules) -> int:
        """The year a check reads when none is named, by the rules' year basis."""
        return rules.year_basis.year(self._clock().astimezone(CHINA_TIME).year)

    def check(
        self,
        actor: Principal,
        chain_master_id: uuid.UUID,
        year: int | None = None,
        candidates: Sequence[uuid.UUID] = (),
    ) -> list[Verdict]:
        """Every chain member (then each candidate) against the newest rules, for a year.

        The chain master's users, regulators over its region and admins see every member
        and may name candidates; a member's own users see that member's verdict only.

        Raises:
            NotFound: No such chain master, or no such candidate (field `candidates[i]`).
            NotChainMaster, AdmissionRulesNotSet: See `rules`.
            InvalidInput: A year outside 1990-2100 (field `year`), too many candidates.
            Forbidden: The actor neither acts for the chain master nor supplies it.
        """
        if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
            raise InvalidInput(f"{year} is outside {FIRST_YEAR}-{LAST_YEAR}", field="year")
        if len(candidates) > MAX_CANDIDATES:
            raise InvalidInput(f"at most {MAX_CANDIDATES} candidates", field="candidates")
        now = self._clock()
        with self._uow() as uow:
            master = _master(uow, chain_master_id)
            members = [m.supplier_id for m in uow.chains.chain(chain_master_id).members]
            if not actor.acts_for(master.id, master.region_code):
                if actor.organization_id not in members or candidates:
                    raise Forbidden("this chain's admission check is not yours to see")
                members = [actor.organization_id]
            rules = _latest(uow, chain_master_id)
            others = [c for c in dict.fromkeys(candidates) if c not in members]
            found = uow.organizations.many(others)
            for index, candidate in enumerate(candidates):
                if candidate not in members and candidate not in found:
                    raise NotFound(f"no organization {candidate}", field=f"candidates[{index}]")
            chosen = year if year is not None else self.default_year(rules)
            values = indicator_values(uow, [*members, *others], chosen, now)
        return [evaluate(rules, values[i]) for i in members] + [
            evaluate(rules, values[i], member=False) for i in others
        ]

    def standard_clauses(
        self, chain_master_id: uuid.UUID, supplier_id: uuid.UUID
    ) -> tuple[Clause, ...]:
        """The clauses a contract of this chain's supplier should carry (none if not a member).

        Raises:
            NotFound, NotChainMaster: See `rules`.
        """
        with self._uow() as uow:
            _master(uow, chain_master_id)
            if uow.chains.get(chain_master_id, supplier_id) is None:
                return ()
            rules = uow.admission.latest(chain_master_id)
        return rules.clauses if rules else ()

    def clauses_for_parties(
        self, supplier_id: uuid.UUID, counterparty_id: uuid.UUID
    ) -> dict[uuid.UUID, tuple[Clause, ...]]:
        """By chain master: the clauses of every chain the supplier is in with the counterparty.

        A contract between the supplier and its chain master, or another firm of the same
        chain, carries that chain's standard clauses.
        """
        with self._uow() as uow:
            return chain_clauses(uow, supplier_id, counterparty_id)


def chain_clauses(
    uow: UnitOfWork, supplier_id: uuid.UUID, counterparty_id: uuid.UUID
) -> dict[uuid.UUID, tuple[Clause, ...]]:
    """By chain master, in the caller's unit of work: see `AdmissionService.clauses_for_parties`."""
    found: dict[uuid.UUID, tuple[Clause, ...]] = {}
    for master_id in uow.chains.masters_of(supplier_id):
        if counterparty_id not in uow.chains.chain(master_id).organization_ids:
            continue
        rules = uow.admission.latest(master_id)
        if rules and rules.clauses:
            found[master_id] = rules.clauses
    return found
