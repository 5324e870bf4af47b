"""A chain of four suppliers whose 2026 ledger gives known indicator values, for scoring tests.

Each supplier generates general solid waste (SW02) in 2026, utilizes part of it itself and
landfills part; three have an output value of 100 million CNY (10,000 × 10^4 CNY):

| supplier | generated | utilized | landfilled | intensity | utilization | disposal share |
|----------|-----------|----------|------------|-----------|-------------|----------------|
| 甲 (a)   | 10 t      | 8 t      | 2 t        | 0.001     | 0.8         | 0.2            |
| 乙 (b)   | 20 t      | 10 t     | 10 t       | 0.002     | 0.5         | 0.5            |
| 丙 (c)   | 5 t       | 5 t      | 0          | 0.0005    | 1           | 0              |
| 丁 (d)   | 4 t       | 2 t      | 0          | unknown   | 0.5         | 0              |

By hand, over waste intensity (cost), utilization (benefit) and disposal share (cost),
丁 is left out (no output value). Min-max shares: intensity (0.4, 0, 0.6), utilization and
disposal (0.375, 0, 0.625); entropies 0.612602, 0.602182, 0.602182; weights 0.327462,
0.336269, 0.336269. 丙 is best on every criterion (C = 1), 乙 worst (C = 0); for 甲,
D+ = 0.151975, D- = 0.246786, C = 0.618883.
Chain: 39 t generated, 25 t utilized, 12 t landfilled: utilization 25/39 = 0.641026,
disposal share 12/37 = 0.324324, intensity of the three with output value 35/30000 = 0.001167.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from tests.factories import OPERATOR, Factory
from tests.manifest_world import Party, party
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.event_documents import event_document
from zerowaste.domain.events import (
    BatchMass,
    BatchOutput,
    DisposalMethod,
    EventType,
    OutputKind,
    WasteEvent,
)
from zerowaste.domain.organizations import EconomicRecord, OrganizationRole
from zerowaste.domain.sites import SiteKind

OUTPUT_VALUE_CNY = Decimal(100_000_000)
#: name -> (generated, utilized, landfilled) in tonnes, and whether it has an output value.
PLAN = {
    "甲": ("10", "8", "2", True),
    "乙": ("20", "10", "10", True),
    "丙": ("5", "5", "0", True),
    "丁": ("4", "2", "0", False),
}
CRITERIA = ("waste_intensity_t_per_10k_cny", "utilization_rate", "disposal_share")
ENTROPY_WEIGHTS = (0.327462, 0.336269, 0.336269)
CLOSENESS_A = 0.618883


@dataclass
class ScoringWorld:
    """The chain master, its four suppliers by name, a master user and a supplier user."""

    master_id: uuid.UUID
    suppliers: dict[str, uuid.UUID]
    master_user: Principal
    supplier_user: Principal
    outsider_user: Principal


def _tick(factory: Factory) -> datetime:
    factory.context.clock.now += timedelta(minutes=10)  # type: ignore[attr-defined]
    return factory.context.clock()


def _tonnes(text: str) -> Decimal:
    return Decimal(text) * 1000


def build_scoring_world(factory: Factory) -> ScoringWorld:
    """Build the chain; the clock ends on 10 January 2027 (so 2026 is the default year)."""
    context = factory.context
    capture = context.capture
    suppliers: dict[str, uuid.UUID] = {}
    first: Party | None = None
    for name, (made, used, landfilled, valued) in PLAN.items():
        p = party(factory, OrganizationRole.GENERATOR, "320505", SiteKind.PLANT)
        first = first or p
        suppliers[name] = p.id
        batch = uuid.uuid4()
        steps: list[WasteEvent] = [
            WasteEvent(
                event_id=uuid.uuid4(),
                event_type=EventType.GENERATED,
                event_time=_tick(factory),
                organization_id=p.id,
                site_id=p.site.id,
                outputs=(BatchOutput(batch, _tonnes(made), waste_code="SW02"),),
            ),
            WasteEvent(
                event_id=uuid.uuid4(),
                event_type=EventType.TRANSFORMED,
                event_time=_tick(factory),
                organization_id=p.id,
                site_id=p.site.id,
                inputs=(BatchMass(batch, _tonnes(used)),),
                outputs=(
                    BatchOutput(uuid.uuid4(), _tonnes(used), OutputKind.SECONDARY_RAW_MATERIAL),
                ),
            ),
        ]
        if Decimal(landfilled):
            steps.append(
                WasteEvent(
                    event_id=uuid.uuid4(),
                    event_type=EventType.DISPOSED,
                    event_time=_tick(factory),
                    organization_id=p.id,
                    site_id=p.site.id,
                    inputs=(BatchMass(batch, _tonnes(landfilled)),),
                    disposal_method=DisposalMethod.LANDFILL,
                )
            )
        for step in steps:
            capture.capture_custodial(p.user, [event_document(step)])
        if valued:
            context.organizations.record_economics(
                OPERATOR,
                EconomicRecord(
                    p.id, 2026, OUTPUT_VALUE_CNY, OUTPUT_VALUE_CNY / 4, Decimal(1000), "件"
                ),
            )
    assert first is not None
    context.clock.now = datetime(2027, 1, 10, 2, 0, tzinfo=UTC)  # type: ignore[attr-defined]
    master = factory.organization(roles=(OrganizationRole.CHAIN_MASTER,), name="链主整车厂")
    outsider = factory.organization(name="外部企业")
    for supplier in suppliers.values():
        context.chains.add(OPERATOR, master.id, supplier)
    return ScoringWorld(
        master_id=master.id,
        suppliers=suppliers,
        master_user=factory.user(UserRole.FIRM, organization=master),
        supplier_user=first.user,
        outsider_user=factory.user(UserRole.FIRM, organization=outsider),
    )
