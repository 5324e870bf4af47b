"""Avoided and inventory emissions read from a real ledger, on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.carbon_world import (
    BOOK,
    OTHER_KG,
    RECEIVED_KG,
    ROAD_KM,
    build_carbon_world,
    expected_avoided_kg,
    expected_inventory_kg,
    make_chain_master,
)
from tests.factories import OPERATOR, Factory
from zerowaste.adapters.carbon_files import load_waste_materials
from zerowaste.bootstrap import Context
from zerowaste.carbon.flows import Unaccounted
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.events import EventType
from zerowaste.domain.factors import WasteRoute
from zerowaste.errors import AlreadyChainMember, Forbidden, InvalidInput, InvalidReportScope
from zerowaste.services.carbon import CarbonService
from zerowaste.services.carbon_report import Scope


def service(context: Context) -> CarbonService:
    return CarbonService(
        context.unit_of_work, context.chains, lambda: BOOK, load_waste_materials, context.clock
    )


def test_flows_are_read_with_their_route_material_and_carriage(factory: Factory) -> None:
    carbon = build_carbon_world(factory)
    with factory.context.unit_of_work() as uow:
        flows = uow.carbon_flows.flows()
    assert [(f.event_type, f.waste_code) for f in flows] == [
        (EventType.TRANSFORMED, "900-214-08"),
        (EventType.DISPOSED, "900-213-08"),
        (EventType.DISPOSED, "900-218-08"),
    ]
    utilized, burnt, other = flows
    assert utilized.mass_kg == RECEIVED_KG
    assert utilized.route is WasteRoute.RECYCLING
    assert utilized.distance_km == ROAD_KM
    assert utilized.manifest_id == carbon.manifest_id
    assert utilized.generator_id == carbon.world.generator.id
    assert utilized.organization_id == carbon.world.receiver.id
    assert burnt.route is WasteRoute.INCINERATION
    assert burnt.distance_km == 0  # the residue was made on site, never carried
    assert burnt.generator_id == carbon.world.receiver.id
    assert other.route is None


def test_city_report_matches_the_hand_computation(factory: Factory) -> None:
    build_carbon_world(factory)
    report = service(factory.context).avoided(None, Scope.CITY, "320500", iterations=500)
    total = report.total
    assert total.flows == 3
    assert total.avoided.co2e_kg == expected_avoided_kg()
    assert total.inventory.co2e_kg == expected_inventory_kg()
    assert total.avoided.unaccounted == {Unaccounted.DISPOSAL_OTHER: 1}
    assert total.avoided.unaccounted_kg == OTHER_KG
    assert all(r.startswith("avoided/") for r in total.avoided.refs)
    assert all(r.startswith("inventory/") for r in total.inventory.refs)
    interval = total.avoided.interval
    assert interval is not None
    assert interval.low_kg < float(expected_avoided_kg()) < interval.high_kg
    routes = {row.key: row for row in report.by_route}
    assert set(routes) == {"recycling", "incineration", "unaccounted"}
    assert {row.key for row in report.by_material} == {"waste_oil", "organic_hazardous"}
    assert [row.key for row in report.by_period] == ["2026-06"]
    assert {f.ref for f in report.factors} >= set(total.avoided.refs)
    again = service(factory.context).avoided(None, Scope.CITY, "320500", iterations=500)
    assert again.total.avoided.interval == interval
    elsewhere = service(factory.context).avoided(None, Scope.CITY, "330100", iterations=0)
    assert elsewhere.total.flows == 0


def test_firm_chain_batch_and_event_scopes_and_their_access(factory: Factory) -> None:
    carbon = build_carbon_world(factory)
    carbon_service = service(factory.context)
    g, r = carbon.world.generator, carbon.world.receiver
    firm = carbon_service.avoided(r.user, Scope.FIRM, str(r.id), iterations=0)
    assert firm.total.flows == 2
    generator = carbon_service.avoided(g.user, Scope.FIRM, str(g.id), iterations=0)
    assert generator.total.flows == 2  # its carried oil (credited to it too) and its own disposal
    with pytest.raises(Forbidden):
        carbon_service.avoided(g.user, Scope.FIRM, str(r.id))
    master = make_chain_master(factory, carbon)
    with pytest.raises(AlreadyChainMember):
        factory.context.chains.add(OPERATOR, master, g.id)
    chain = carbon_service.avoided(OPERATOR, Scope.CHAIN, str(master), iterations=0)
    assert chain.total.flows == 2
    regulator = factory.user(UserRole.REGULATOR, jurisdiction_code="320500")
    event = carbon_service.avoided(regulator, Scope.EVENT, str(carbon.transform_event))
    assert event.total.flows == 1
    assert event.total.avoided.co2e_kg == expected_avoided_kg()
    batch = carbon_service.avoided(r.user, Scope.BATCH, str(carbon.residue), iterations=0)
    assert batch.total.flows == 1
    outsider = factory.user(UserRole.REGULATOR, jurisdiction_code="330000")
    with pytest.raises(Forbidden):
        carbon_service.avoided(outsider, Scope.EVENT, str(carbon.transform_event))
    with pytest.raises(InvalidReportScope) as bad:
        carbon_service.avoided(OPERATOR, Scope.FIRM, "not-a-uuid")
    assert bad.value.field == "id"


def test_regional_baselines_change_the_credit(factory: Factory) -> None:
    build_carbon_world(factory)
    carbon_service = service(factory.context)
    regulator = factory.user(UserRole.REGULATOR, jurisdiction_code="320500")
    rule = carbon_service.set_baseline(regulator, "320500", "900-213-08", WasteRoute.INCINERATION)
    assert rule is not None
    assert rule.region_prefix == "3205"
    carbon_service.set_baseline(regulator, "320500", "waste_oil", WasteRoute.RECYCLING)
    report = carbon_service.avoided(None, Scope.CITY, None, iterations=0)
    t = RECEIVED_KG / 1000
    assert report.total.avoided.co2e_kg == -t * ROAD_KM * Decimal("0.1")
    assert len(carbon_service.baselines().regional) == 2
    carbon_service.set_baseline(regulator, "320500", "waste_oil", None)
    assert len(carbon_service.baselines().regional) == 1
    outsider = factory.user(UserRole.REGULATOR, jurisdiction_code="330000")
    with pytest.raises(Forbidden):
        carbon_service.set_baseline(outsider, "320500", "waste_oil", WasteRoute.LANDFILL)
    with pytest.raises(InvalidInput) as bad:
        carbon_service.set_baseline(regulator, "320500", "kryptonite", WasteRoute.LANDFILL)
    assert bad.value.field == "subject"
