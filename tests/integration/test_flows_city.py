"""A city's material-flow system read from a real ledger, on SQLite and PostgreSQL."""

from __future__ import annotations

import math
import uuid
from decimal import Decimal

import pytest

from tests.carbon_world import OTHER_KG, RECEIVED_KG, RESIDUE_KG, build_carbon_world
from tests.factories import Factory
from tests.flow_world import build_export_world
from zerowaste.domain.event_documents import event_document
from zerowaste.domain.events import BatchMass, DisposalMethod, EventType, WasteEvent
from zerowaste.domain.indicators import Period
from zerowaste.errors import InvalidInput, UnknownRegion
from zerowaste.flows.city import Uncertainties

YEAR = Period.year(2026)


def test_carbon_world_gives_the_expected_flows(factory: Factory) -> None:
    """The carbon world's flows, and the transport gap shared by the variances.

    Generated 1,500 kg in division 36 (1,000 kg shipped, received as 996.5 kg and re-refined
    into 717.48 kg of product, 79.72 kg of residue burnt and 199.3 kg lost; 500 kg disposed of by
    `other`). Only the transport balance is off: 1.000 − 0.9965 = 0.0035 t, shared in proportion
    to the variances of the shipped (2 % of 1 t) and received (2 % of 0.9965 t) masses.
    """
    build_carbon_world(factory)
    flows = factory.context.flows.city("320500", YEAR)
    system = flows.city.system
    measured = {f.flow_id: f.measurement.value for f in system.flows if f.measurement}
    assert measured == pytest.approx(
        {
            "generation:36": 1.5,
            "shipped": 1.0,
            "received": float(RECEIVED_KG) / 1000,
            "to_utilization": float(RECEIVED_KG) / 1000,
            "products": 0.71748,
            "residues": float(RESIDUE_KG) / 1000,
            "losses": 0.1993,
            "to_incineration": float(RESIDUE_KG) / 1000,
            "to_other_disposal": float(OTHER_KG) / 1000,
        }
    )
    unknown = {f.flow_id for f in system.flows if f.measurement is None}
    assert unknown == {"handover:36", "incineration_out", "other_disposal_out"}
    assert flows.city.codes["generation:36"] == pytest.approx(
        {"900-214-08": 1000, "900-218-08": 500}
    )
    result = flows.reconciliation
    var_s, var_r = (0.02 * 1.0) ** 2, (0.02 * 0.9965) ** 2
    gap = 1.0 - 0.9965
    assert result.value("shipped") == pytest.approx(1.0 - var_s * gap / (var_s + var_r), abs=1e-12)
    assert result.value("received") == pytest.approx(
        0.9965 + var_r * gap / (var_s + var_r), abs=1e-12
    )
    assert result.chi_square.statistic == pytest.approx(gap**2 / (var_s + var_r), rel=1e-9)
    assert result.chi_square.degrees_of_freedom == 2
    assert result.value("handover:36") == pytest.approx(1.5)
    # What the receiver's weighbridge did not find stays in storage.
    assert result.value("stock:storage") == pytest.approx(gap, abs=1e-12)
    assert result.value("stock:transport") == 0.0
    assert result.value("incineration_out") == pytest.approx(0.07972)
    assert result.undetermined == ()
    links = {link.variable_id for link in flows.sankey.links}
    assert {"generation:36", "shipped", "products", "stock:storage"} <= links


def test_uncertainties_are_configurable(factory: Factory) -> None:
    build_carbon_world(factory)
    loose = Uncertainties().replace({"shipped": 0.5})
    flows = factory.context.flows.city("320500", YEAR, uncertainties=loose)
    # With the shipment loosely known, nearly the whole gap moves the shipped mass.
    assert flows.reconciliation.value("shipped") == pytest.approx(0.9965, abs=1e-5)
    with pytest.raises(ValueError, match="unknown record kind"):
        Uncertainties().replace({"nope": 0.1})


def test_carriage_out_of_the_city_is_an_export_and_an_import(factory: Factory) -> None:
    build_export_world(factory, receiver_region="320612")
    suzhou = factory.context.flows.city("320500", YEAR).city.system
    assert suzhou.flow("exported").measurement.value == pytest.approx(1.0)  # type: ignore[union-attr]
    assert suzhou.flow("shipped").measurement.value == pytest.approx(1.0)  # type: ignore[union-attr]
    assert "received" not in {f.flow_id for f in suzhou.flows}
    nantong = factory.context.flows.city("320600", YEAR)
    system = nantong.city.system
    assert system.flow("imported").measurement.value == pytest.approx(0.9965)  # type: ignore[union-attr]
    assert "generation:36" not in {f.flow_id for f in system.flows}
    # Received into storage and not yet treated: the stock grows by what arrived.
    assert nantong.reconciliation.value("stock:storage") == pytest.approx(0.9965)
    jiangsu = factory.context.flows.city("320000", YEAR).city.system
    assert "exported" not in {f.flow_id for f in jiangsu.flows}


def test_substance_layer_of_the_city(factory: Factory) -> None:
    build_carbon_world(factory)
    layer = factory.context.flows.substances("320500", YEAR, "Pb")
    # Waste oils have no row in the compositions table: nothing to trace, nothing guessed.
    assert layer.concentrations == {}
    assert all(c == 0 for c in layer.coverage.values())
    assert layer.layer.substance == "Pb"


def test_fly_ash_landfilled_carries_its_lead(factory: Factory) -> None:
    """Lead of landfilled fly ash ends in the landfill's stock.

    2 t of MSWI fly ash (772-002-18, 1,500 ± 750 mg/kg Pb in the table) generated and
    landfilled: 2 × 1,500 × 10⁻⁶ = 0.003 t of Pb, all kept in the landfill's stock.
    """
    carbon = build_carbon_world(factory)
    world = carbon.world
    ash = world.generate("2000", code="772-002-18")
    event = WasteEvent(
        event_id=uuid.uuid4(),
        event_type=EventType.DISPOSED,
        event_time=world.tick(),
        organization_id=world.generator.id,
        site_id=world.generator.site.id,
        inputs=(BatchMass(ash, Decimal(2000)),),
        disposal_method=DisposalMethod.LANDFILL,
    )
    factory.context.capture.capture_custodial(world.generator.user, [event_document(event)])
    layer = factory.context.flows.substances("320500", YEAR, "Pb")
    assert layer.coverage["to_landfill"] == 1.0
    assert layer.concentrations["to_landfill"].mg_per_kg == 1500
    result = layer.layer.reconciliation
    assert result.value("to_landfill") == pytest.approx(0.003)
    assert result.value("stock:landfill") == pytest.approx(0.003)
    landfill = next(b for b in layer.layer.balances if b.process_id == "landfill")
    assert landfill.transfer["stock:landfill"] == pytest.approx(1.0)
    # The generation mixes 2 t of ash with 1.5 t of oils: 2/3.5 of its mass is covered.
    assert layer.coverage["generation:36"] == pytest.approx(2 / 3.5)
    assert {row.waste_key for row in layer.rows} == {"772-002-18"}


def test_an_empty_period_is_an_empty_system(factory: Factory) -> None:
    build_carbon_world(factory)
    flows = factory.context.flows.city("320500", Period.year(2020))
    assert flows.reconciliation.chi_square.degrees_of_freedom == 0
    assert math.isclose(sum(v.value or 0 for v in flows.reconciliation.variables), 0.0)


def test_bad_inputs_name_the_field(factory: Factory) -> None:
    service = factory.context.flows
    with pytest.raises(UnknownRegion) as raised:
        service.city("999999", YEAR)
    assert raised.value.field == "region"
    with pytest.raises(InvalidInput) as bad:
        service.substances("320500", YEAR, "Hg")
    assert bad.value.field == "substance"
    with pytest.raises(InvalidInput) as alpha:
        service.city("320500", YEAR, alpha=0.9)
    assert alpha.value.field == "alpha"
