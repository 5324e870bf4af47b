"""The demo city's chain membership and carbon report: suppliers seeded, flows accounted."""

from __future__ import annotations

import time

from tests.factories import OPERATOR
from zerowaste.bootstrap import Context
from zerowaste.demo.city import generate_city
from zerowaste.domain.pages import PageRequest
from zerowaste.services.carbon_report import Scope
from zerowaste.services.demo import build_demo_city

SCALE = 0.2


def test_demo_seeds_the_chain_and_its_month_is_accounted(context: Context) -> None:
    build_demo_city(context, seed=3, scale=SCALE, months=1)
    city = generate_city(3, SCALE, as_of=context.clock().date())
    suppliers = [f for f in city.firms if f.supplies is not None]
    assert suppliers
    found = context.organizations.find(PageRequest(None, 500)).items
    master = next(o for o in found if o.credit_code == city.chain_master.organization.credit_code)
    chain = context.chains.chain(OPERATOR, master.id)
    assert len(chain.members) == len(suppliers)
    started = time.perf_counter()
    report = context.carbon.avoided(None, Scope.CITY, None, iterations=1000)
    seconds = time.perf_counter() - started
    assert report.total.flows > 0
    assert report.total.avoided.accounted_kg + report.total.avoided.unaccounted_kg == (
        report.total.mass_kg
    )
    assert report.total.inventory.accounted_kg > 0
    assert {row.key for row in report.by_route} >= {"recycling"}
    chain_report = context.carbon.avoided(OPERATOR, Scope.CHAIN, str(master.id), iterations=0)
    assert 0 < chain_report.total.flows <= report.total.flows
    print(
        f"city report: {report.total.flows} flows, {len(report.factors)} factors, {seconds:.2f} s"
    )
