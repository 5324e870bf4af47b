"""The demo publishes a steel coil's and the chain master's body-in-white footprints."""

from __future__ import annotations

from zerowaste.bootstrap import Context
from zerowaste.domain.footprints import Allocation
from zerowaste.services.demo import build_demo_city

SEED, SCALE, MONTHS = 3, 0.05, 1


def test_the_demo_chain_has_two_published_footprints(context: Context) -> None:
    build_demo_city(context, seed=SEED, scale=SCALE, months=MONTHS)
    found = {f.product_name: f for f in context.footprints.footprints()}
    coil, body = found["热轧卷 hot-rolled coil"], found["白车身 body-in-white"]
    assert coil.allocation is Allocation.ECONOMIC
    assert 1500 < coil.pcf_excluding_biogenic_uptake_kg < 3000  # kg CO2e per t of BOF coil
    assert coil.recycled_content_share > 0
    low, high = body.interval_95_kg
    assert low < body.pcf_excluding_biogenic_uptake_kg < high
    suppliers = {c.organization_id for c in body.contributions}
    assert len(suppliers) >= 3
    assert body.organization_id in suppliers
    assert body.factor_sources
    tree = context.footprints.tree(body.product_system_id)  # type: ignore[arg-type]
    assert len(tree.processes) >= 4
    top = next(p for p in tree.processes if p.id == tree.system.top_process_id)
    assert any(x.from_ledger for x in top.exchanges)
