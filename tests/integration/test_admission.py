"""Admission rules on both backends: versions, indicators from the ledger, verdicts, clauses."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from tests.admission_world import CLAUSES, CRITERIA, EXPECTED_2026, build_admission_world
from tests.factories import OPERATOR, Factory
from zerowaste.bootstrap import Context
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.admission import Outcome, SupplierIndicator, YearBasis
from zerowaste.domain.organizations import OrganizationRole
from zerowaste.errors import AdmissionRulesNotSet, Forbidden, NotChainMaster, NotFound
from zerowaste.services.admission import demo_admission_rules
from zerowaste.services.supplier_indicators import indicator_values


def test_indicators_match_the_hand_computation(context: Context, factory: Factory) -> None:
    world = build_admission_world(factory)
    now = context.clock()
    with context.unit_of_work() as uow:
        values = indicator_values(uow, [world.supplier_id, world.empty_supplier_id], 2026, now)
        later = indicator_values(uow, [world.supplier_id], 2027, now)
    supplier = values[world.supplier_id]
    for indicator, expected in EXPECTED_2026.items():
        assert supplier.get(indicator) == expected, indicator
    assert supplier.get(SupplierIndicator.WHITELISTED) is False
    assert supplier.get(SupplierIndicator.OPEN_ALERTS) == Decimal(0)
    assert Decimal(0) <= supplier.get(SupplierIndicator.RISK_SCORE) <= Decimal(1)  # type: ignore[operator]
    empty = values[world.empty_supplier_id]
    for indicator in EXPECTED_2026:
        assert empty.get(indicator) is None, indicator
    assert later[world.supplier_id].get(SupplierIndicator.UTILIZATION_RATE) == Decimal(1)
    assert later[world.supplier_id].get(SupplierIndicator.WASTE_INTENSITY) is None


def test_check_admits_the_supplier_that_meets_the_required_criteria(
    context: Context, factory: Factory
) -> None:
    world = build_admission_world(factory)
    service = context.admission
    rules = service.set_rules(world.master_user, world.master_id, CRITERIA, CLAUSES)
    assert rules.version == 1
    verdicts = service.check(world.master_user, world.master_id, 2026)
    by_id = {v.supplier_id: v for v in verdicts}
    assert set(by_id) == {world.supplier_id, world.empty_supplier_id}
    good = by_id[world.supplier_id]
    assert good.admitted
    outcomes = [r.outcome for r in good.results]
    assert outcomes == [Outcome.MET, Outcome.MET, Outcome.FAILED, Outcome.FAILED]
    assert good.results[1].value == EXPECTED_2026[SupplierIndicator.UTILIZATION_RATE]
    empty = by_id[world.empty_supplier_id]
    assert not empty.admitted
    assert [r.outcome for r in empty.failed] == [Outcome.UNKNOWN, Outcome.UNKNOWN]
    # 2027 has no economic record: the intensity is unknown, so the supplier is not admitted.
    (later, _) = service.check(world.master_user, world.master_id, 2027)
    assert not later.admitted
    assert later.results[0].outcome is Outcome.UNKNOWN


def test_the_year_basis_picks_the_default_year(context: Context, factory: Factory) -> None:
    world = build_admission_world(factory)
    service = context.admission
    service.set_rules(OPERATOR, world.master_id, CRITERIA, CLAUSES)  # previous year: 2026
    assert service.check(OPERATOR, world.master_id)[0].year == 2026
    service.set_rules(OPERATOR, world.master_id, CRITERIA, CLAUSES, YearBasis.CURRENT_YEAR)
    assert service.check(OPERATOR, world.master_id)[0].year == 2027


def test_versions_are_kept_and_read_back_exactly(context: Context, factory: Factory) -> None:
    world = build_admission_world(factory)
    service = context.admission
    with pytest.raises(AdmissionRulesNotSet):
        service.rules(world.master_id)
    first = service.set_rules(world.master_user, world.master_id, CRITERIA, CLAUSES)
    criteria, clauses = demo_admission_rules(world.master_id)
    second = service.set_rules(OPERATOR, world.master_id, criteria, clauses)
    assert second.version == 2
    assert service.rules(world.master_id) == second
    assert service.rules(world.master_id, version=1) == first
    assert [r.version for r in service.history(world.master_id)] == [2, 1]
    assert service.rules(world.master_id).criteria == criteria


def test_only_the_chain_masters_users_or_admins_set_rules(
    context: Context, factory: Factory
) -> None:
    world = build_admission_world(factory)
    service = context.admission
    regulator = factory.user(UserRole.REGULATOR, jurisdiction_code="320500")
    for actor in (world.supplier_user, world.outsider_user, regulator):
        with pytest.raises(Forbidden):
            service.set_rules(actor, world.master_id, CRITERIA, CLAUSES)
    with pytest.raises(NotChainMaster):
        service.set_rules(OPERATOR, world.supplier_id, CRITERIA, CLAUSES)
    with pytest.raises(NotFound):
        service.set_rules(OPERATOR, uuid.uuid4(), CRITERIA, CLAUSES)
    assert service.history(world.master_id) == []


def test_a_supplier_sees_its_own_verdict_and_an_outsider_none(
    context: Context, factory: Factory
) -> None:
    world = build_admission_world(factory)
    service = context.admission
    service.set_rules(world.master_user, world.master_id, CRITERIA, CLAUSES)
    (own,) = service.check(world.supplier_user, world.master_id, 2026)
    assert own.supplier_id == world.supplier_id
    with pytest.raises(Forbidden):
        service.check(world.outsider_user, world.master_id, 2026)
    with pytest.raises(Forbidden):
        service.check(world.supplier_user, world.master_id, 2026, [world.outsider_id])
    regulator = factory.user(UserRole.REGULATOR, jurisdiction_code="320500")
    assert len(service.check(regulator, world.master_id, 2026)) == 2


def test_candidates_are_checked_after_the_members(context: Context, factory: Factory) -> None:
    world = build_admission_world(factory)
    service = context.admission
    service.set_rules(world.master_user, world.master_id, CRITERIA, CLAUSES)
    verdicts = service.check(world.master_user, world.master_id, 2026, [world.outsider_id])
    assert [(v.supplier_id, v.member) for v in verdicts][-1] == (world.outsider_id, False)
    with pytest.raises(NotFound) as missing:
        service.check(world.master_user, world.master_id, 2026, [world.outsider_id, uuid.uuid4()])
    assert missing.value.field == "candidates[1]"


def test_standard_clauses_go_to_the_chains_suppliers(context: Context, factory: Factory) -> None:
    world = build_admission_world(factory)
    service = context.admission
    assert service.standard_clauses(world.master_id, world.supplier_id) == ()
    service.set_rules(world.master_user, world.master_id, CRITERIA, CLAUSES)
    assert service.standard_clauses(world.master_id, world.supplier_id) == CLAUSES
    assert service.standard_clauses(world.master_id, world.outsider_id) == ()
    assert service.clauses_for_parties(world.supplier_id, world.master_id) == {
        world.master_id: CLAUSES
    }
    assert service.clauses_for_parties(world.supplier_id, world.empty_supplier_id) == {
        world.master_id: CLAUSES
    }
    assert service.clauses_for_parties(world.supplier_id, world.outsider_id) == {}
    other = factory.organization(roles=(OrganizationRole.CHAIN_MASTER,))
    assert service.standard_clauses(other.id, world.supplier_id) == ()
