"""The city system built from ledger totals, and the concentration table's lookup."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from zerowaste.adapters.flow_files import load_compositions
from zerowaste.domain.indicators import Period
from zerowaste.flows.city import LedgerTotals, Uncertainties, build_city_system
from zerowaste.flows.compositions import parse_compositions_csv
from zerowaste.flows.reconcile import reconcile
from zerowaste.flows.substances import SUBSTANCES
from zerowaste.services.flows import period_or_this_year


def test_city_system_topology_and_uncertainties() -> None:
    totals = LedgerTotals(
        generation={"C30": {"SW03": 4000.0}, "unknown": {"SW59": 1000.0}},
        shipped={"SW03": 3000.0},
        received={"SW03": 2900.0},
        in_transit_change=100.0,
        in_transit_volume=100.0,
        utilization_input={"SW03": 2900.0},
        products=2800.0,
        losses=100.0,
        disposal={"landfill": {"SW59": 1000.0}},
    )
    city = build_city_system(totals)
    system = city.system
    assert [p.process_id for p in system.processes] == [
        "sector:C30",
        "sector:unknown",
        "storage",
        "transport",
        "utilization",
        "landfill",
    ]
    shipped = system.flow("shipped").measurement
    assert shipped is not None
    assert (shipped.value, shipped.sd) == pytest.approx((3.0, 0.06))
    transport = system.process("transport").stock_change
    assert transport is not None
    assert (transport.value, transport.sd) == pytest.approx((0.1, 0.005))
    assert system.flow("handover:C30").measurement is None
    assert city.codes["handover:C30"] == {"SW03": 4000.0}
    assert "residues" not in {f.flow_id for f in system.flows}  # nothing recorded, left out
    result = reconcile(system)
    # Shipped 3.0 = received 2.9 + 0.1 in transit: consistent, nothing moves.
    assert result.chi_square.statistic == pytest.approx(0.0, abs=1e-12)
    assert result.value("stock:storage") == pytest.approx(5.0 - 3.0 + 2.9 - 2.9 - 1.0)
    assert result.value("stock:landfill") == pytest.approx(1.0)


def test_an_empty_ledger_still_makes_a_system() -> None:
    result = reconcile(build_city_system(LedgerTotals()).system)
    assert result.chi_square.degrees_of_freedom == 0


def test_uncertainties_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        Uncertainties(shipped=0)
    assert Uncertainties().replace({"losses": 0.5}).losses == 0.5


def test_packaged_table_looks_up_code_then_category_then_class() -> None:
    table = load_compositions()
    assert table.row("772-002-18", "Pb") is not None
    hw17 = table.row("336-064-17", "Cr")  # by its HW category
    assert hw17 is not None
    assert hw17.waste_key == "HW17"
    assert table.row("SW01", "Zn") is not None
    assert table.row("331-001-S01", "Zn") is table.row("SW01", "Zn")  # 2024 code form
    assert table.row("900-214-08", "Pb") is None
    assert all(row.source.strip() for row in table.rows)
    assert {row.substance for row in table.rows} == set(SUBSTANCES)
    assert all(row.verification in {"cited_proxy", "illustrative"} for row in table.rows), (
        "every row says how far it can be trusted"
    )


def test_mixture_weights_by_mass_and_reports_coverage() -> None:
    table = load_compositions()
    concentration, covered = table.mixture({"SW02": 1000.0, "900-214-08": 1000.0}, "Pb")
    assert covered == pytest.approx(0.5)
    assert concentration.mg_per_kg == pytest.approx(25.0)  # half the mass at 50 mg/kg
    assert concentration.sd == pytest.approx(12.5)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a,b\n1,2\n", "columns"),
        (
            "waste_key,material_en,material_zh,substance,mg_per_kg,sd_mg_per_kg,verification,source\n"
            "SW01,x,x,Hg,1,1,illustrative,s\n",
            "unknown substance",
        ),
        (
            "waste_key,material_en,material_zh,substance,mg_per_kg,sd_mg_per_kg,verification,source\n"
            "SW01,x,x,Pb,-1,1,illustrative,s\n",
            "negative",
        ),
        (
            "waste_key,material_en,material_zh,substance,mg_per_kg,sd_mg_per_kg,verification,source\n"
            "SW01,x,x,Pb,1,1,illustrative,\n",
            "source",
        ),
    ],
)
def test_bad_tables_are_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_compositions_csv(text)


def test_default_period_is_the_china_calendar_year() -> None:
    # 17:00 UTC on 31 December is already 1 January in China.
    new_year_eve = datetime(2025, 12, 31, 17, 0, tzinfo=UTC)
    assert period_or_this_year(None, new_year_eve) == Period.year(2026)
    assert period_or_this_year("2025-Q2", new_year_eve) == Period.parse("2025-Q2")
