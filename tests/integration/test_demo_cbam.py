"""The demo city's CBAM reports: one per installation, for the last ended quarter."""

from __future__ import annotations

from decimal import Decimal

from tests.factories import OPERATOR
from zerowaste.bootstrap import Context
from zerowaste.services.demo import build_demo_city
from zerowaste.services.demo_cbam import reporting_quarter


def test_demo_reports_cover_steel_cement_and_aluminium(context: Context) -> None:
    build_demo_city(context, seed=3, scale=0.1, months=0)
    reports = context.cbam.list(OPERATOR)
    period = reporting_quarter(context.clock().date())
    assert {report.period for report in reports} == {period}
    goods = {g["cn_code"]: g for r in reports for g in r.results["goods"]}
    assert {"7201", "720711", "72081000", "25231000", "25232900", "761699"} <= set(goods)
    assert {g["sector"] for g in goods.values()} == {"iron_steel", "cement", "aluminium"}
    # Plausible magnitudes (t CO2e/t): hot metal ~1-2.5, clinker ~0.7-1, cement below clinker.
    assert Decimal("1") < Decimal(goods["7201"]["see_direct"]) < Decimal("2.5")
    assert Decimal("0.7") < Decimal(goods["25231000"]["see_direct"]) < Decimal("1")
    assert Decimal(goods["25232900"]["see_direct"]) < Decimal(goods["25231000"]["see_direct"])
    # The steel works' bought pig iron carries the ironworks' own reported SEE.
    works = next(r for r in reports if any(g["cn_code"] == "720711" for g in r.results["goods"]))
    bof = next(p for p in works.results["processes"] if p["name"] == "BOF shop")
    bought = next(p for p in bof["precursors"] if p["origin"] == "supplier")
    merchant = next(
        r for r in reports if r.results["goods"][-1]["cn_code"] == "7201" and r is not works
    )
    assert bought["see_direct"] == merchant.results["goods"][-1]["see_direct"]
    foundry = next(r for r in reports if "761699" in {g["cn_code"] for g in r.results["goods"]})
    assert foundry.results["carbon_price"] is None
