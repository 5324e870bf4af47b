"""CBAM reports stored and read on SQLite and PostgreSQL: versions, scopes, exports, refusals."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.factories import Factory
from zerowaste.adapters.db.cbam_tables import cbam_reports
from zerowaste.bootstrap import Context
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.organizations import Organization
from zerowaste.domain.sites import Site
from zerowaste.errors import Forbidden, InvalidInput, UnknownCbamReport, UnknownSite


def activity(site_id: uuid.UUID | str, period: str = "2026-Q1") -> dict[str, Any]:
    """A BF-BOF works: pig iron from a blast furnace, then crude steel with bought pig iron."""
    return {
        "site_id": str(site_id),
        "period": period,
        "processes": [
            {
                "name": "BF",
                "route": "blast_furnace",
                "goods": [{"cn_code": "7201", "quantity_t": 1000}],
                "fuels": [{"fuel": "coke", "energy_gj": 10000}],
                "electricity": [{"energy_mwh": 100}],
            },
            {
                "name": "BOF",
                "route": "bf_bof",
                "goods": [{"cn_code": "7207 11", "quantity_t": 1000}],
                "process_emissions": [{"label": "flux", "co2e_t": 50, "source": "operator"}],
                "precursors": [
                    {"cn_code": "7201", "quantity_t": 800, "origin": "own_installation",
                     "process": "BF"},
                    {"cn_code": "7201", "quantity_t": 200, "origin": "supplier",
                     "see_direct_t": "1.5", "see_indirect_t": "0.1", "source": "Ironworks A"},
                ],
            },
        ],
        "carbon_price": {"instrument": "China national ETS", "price_per_t_co2e": 90,
                         "rebate_per_t_co2e": 87, "currency": "CNY", "source": "test"},
    }  # fmt: skip


@dataclass
class Works:
    organization: Organization
    site: Site
    user: Principal
    other_user: Principal
    regulator_in: Principal
    regulator_out: Principal


@pytest.fixture
def works(factory: Factory) -> Works:
    organization = factory.organization(region_code="320582", name="示例钢铁")
    other = factory.organization(region_code="330402")
    return Works(
        organization=organization,
        site=factory.site(organization),
        user=factory.user(UserRole.FIRM, organization=organization),
        other_user=factory.user(UserRole.FIRM, organization=other),
        regulator_in=factory.user(UserRole.REGULATOR, jurisdiction_code="320500"),
        regulator_out=factory.user(UserRole.REGULATOR, jurisdiction_code="330400"),
    )


def stored(context: Context) -> int:
    with context.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(cbam_reports)).scalar_one())


def test_submit_computes_and_keeps_versions(context: Context, works: Works) -> None:
    first = context.cbam.submit(works.user, activity(works.site.id))
    again = context.cbam.submit(works.user, activity(works.site.id))
    assert (first.version, again.version) == (1, 2)
    read = context.cbam.get(works.user, first.id)
    assert read.results == first.results
    assert read.inputs["period"] == "2026-Q1"
    doc = read.results
    assert doc["installation"]["site_id"] == str(works.site.id)
    assert doc["installation"]["address"] == works.site.address
    bf, bof = doc["processes"]
    electricity = bf["electricity"][0]
    # The factor comes from the library, with its reference and source, for the site's region.
    assert electricity["factor_ref"].startswith("inventory/electricity/grid/")
    assert electricity["factor_source"]
    factor = Decimal(electricity["factor_kg_per_kwh"])
    coke = Decimal(bf["fuels"][0]["factor_kg_per_gj"])
    see_bf_direct = Decimal(10000) * coke / 1000 / 1000
    assert Decimal(bf["see_direct"]) == see_bf_direct.quantize(Decimal("0.00001"))
    assert Decimal(bf["see_indirect"]) == (100 * factor / 1000).quantize(Decimal("0.00001"))
    expected = (50 + 800 * see_bf_direct + 200 * Decimal("1.5")) / 1000
    steel = next(g for g in doc["goods"] if g["cn_code"] == "720711")
    assert Decimal(steel["see_direct"]) == expected.quantize(Decimal("0.00001"))
    assert steel["production_route"] == "bf_bof"
    assert [p["origin"] for p in bof["precursors"]] == ["own_installation", "supplier"]


def test_bad_input_and_strangers_store_nothing(context: Context, works: Works) -> None:
    bad = activity(works.site.id)
    bad["processes"][0]["goods"][0]["quantity_t"] = "-3"
    with pytest.raises(InvalidInput) as caught:
        context.cbam.submit(works.user, bad)
    assert caught.value.field == "processes[0].goods[0].quantity_t"
    with pytest.raises(UnknownSite):
        context.cbam.submit(works.user, activity(uuid.uuid4()))
    with pytest.raises(InvalidInput) as caught:
        context.cbam.submit(works.user, activity("not-a-uuid"))
    assert caught.value.field == "site_id"
    with pytest.raises(Forbidden):
        context.cbam.submit(works.other_user, activity(works.site.id))
    with pytest.raises(Forbidden):
        context.cbam.submit(works.regulator_in, activity(works.site.id))
    assert stored(context) == 0


def test_who_sees_which_report(context: Context, works: Works) -> None:
    report = context.cbam.submit(works.user, activity(works.site.id))
    context.cbam.submit(works.user, activity(works.site.id, "2026-Q2"))
    assert len(context.cbam.list(works.user)) == 2
    assert [r.period for r in context.cbam.list(works.user, period="2026-Q2")] == ["2026-Q2"]
    assert len(context.cbam.list(works.regulator_in)) == 2
    assert context.cbam.list(works.regulator_out) == []
    assert context.cbam.list(works.other_user) == []
    with pytest.raises(Forbidden):
        context.cbam.list(works.other_user, organization_id=works.organization.id)
    assert context.cbam.get(works.regulator_in, report.id).id == report.id
    for stranger in (works.other_user, works.regulator_out):
        with pytest.raises(UnknownCbamReport):
            context.cbam.get(stranger, report.id)


def test_csv_and_json_exports(context: Context, works: Works) -> None:
    report = context.cbam.submit(works.user, activity(works.site.id))
    rows = list(csv.DictReader(io.StringIO(context.cbam.export_csv(works.user, report.id))))
    assert [row["cn_code"] for row in rows] == ["7201", "720711"]
    steel = rows[1]
    assert steel["installation"] == works.site.name
    assert steel["reporting_period"] == "2026-Q1"
    assert "7201 800 t" in steel["precursors"]
    assert "Ironworks A" in steel["precursors"]
    assert steel["carbon_price_instrument"] == "China national ETS"
    assert steel["carbon_price_net_per_t"] == "3"
    assert Decimal(steel["see_total"]) == Decimal(steel["see_direct"]) + Decimal(
        steel["see_indirect"]
    )
    assert "kg CO2e/kWh" in rows[0]["electricity_factors"]
    document = context.cbam.export_json(works.user, report.id)
    assert document["report_id"] == str(report.id)
    assert document["goods"][1]["embedded_total_t"]
    assert document["methodology_notes"]
