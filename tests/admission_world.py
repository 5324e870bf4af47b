"""A chain for admission tests: a supplier whose ledger gives known intensities, one with none.

On top of the carbon world (1,000 kg of waste oil shipped and 996.5 kg re-refined by the
receiver; 500 kg of another oil waste disposed of by the generator), the generator makes
2,000 kg of fly ash (SW02) that it utilizes itself in 2026, and 1,000 kg more that it keeps
into 2027 and utilizes then. Its 2026 output value is 50 million CNY.

By hand, for 2026 (general 3 t, hazardous 1.5 t, 5,000 × 10^4 CNY):
waste intensity 3 / 5000 = 0.0006; hazardous 1.5 / 5000 = 0.0003;
utilization (996.5 + 2000) / (4500 + 0) = 0.665889; disposal 500 / 3496.5 = 0.143000.
For 2027: utilization 1000 / (0 + 1000) = 1; no economic record, so intensities unknown.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from tests.carbon_world import CarbonWorld, build_carbon_world
from tests.factories import OPERATOR, Factory
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.admission import (
    Clause,
    Comparator,
    Criterion,
    SupplierIndicator,
)
from zerowaste.domain.event_documents import event_document
from zerowaste.domain.events import BatchMass, BatchOutput, EventType, OutputKind, WasteEvent
from zerowaste.domain.organizations import EconomicRecord, OrganizationRole

OUTPUT_VALUE_CNY = Decimal(50_000_000)
EXPECTED_2026 = {
    SupplierIndicator.WASTE_INTENSITY: Decimal("0.000600"),
    SupplierIndicator.HAZARDOUS_INTENSITY: Decimal("0.000300"),
    SupplierIndicator.UTILIZATION_RATE: Decimal("0.665889"),
    SupplierIndicator.DISPOSAL_SHARE: Decimal("0.143000"),
}

CRITERIA = (
    Criterion(SupplierIndicator.WASTE_INTENSITY, Comparator.AT_MOST, Decimal("0.001")),
    Criterion(SupplierIndicator.UTILIZATION_RATE, Comparator.AT_LEAST, Decimal("0.6")),
    Criterion(SupplierIndicator.DISPOSAL_SHARE, Comparator.AT_MOST, Decimal("0.1"), False),
    Criterion(SupplierIndicator.WHITELISTED, Comparator.EQUALS, True, required=False),
)
CLAUSES = (
    Clause(
        "batch_ledger", "每批次{days}日内入账。", "Every batch logged in {days} days.", {"days": 3}
    ),
    Clause("licensed_receivers", "危废只交持证单位。", "Hazardous waste to licensees only."),
)


@dataclass
class AdmissionWorld:
    """The chain master, its two suppliers, an outsider and their users."""

    carbon: CarbonWorld
    master_id: uuid.UUID
    supplier_id: uuid.UUID
    empty_supplier_id: uuid.UUID
    outsider_id: uuid.UUID
    master_user: Principal
    supplier_user: Principal
    outsider_user: Principal


def _utilize(carbon: CarbonWorld, batch: uuid.UUID, kg: str) -> None:
    world = carbon.world
    g = world.generator
    event = WasteEvent(
        event_id=uuid.uuid4(),
        event_type=EventType.TRANSFORMED,
        event_time=world.tick(),
        organization_id=g.id,
        site_id=g.site.id,
        inputs=(BatchMass(batch, Decimal(kg)),),
        outputs=(BatchOutput(uuid.uuid4(), Decimal(kg), OutputKind.SECONDARY_RAW_MATERIAL),),
    )
    world.factory.context.capture.capture_custodial(g.user, [event_document(event)])


def build_admission_world(factory: Factory) -> AdmissionWorld:
    """Build the chain (the clock ends in January 2027)."""
    carbon = build_carbon_world(factory)
    world = carbon.world
    context = factory.context
    used = world.generate("2000", code="SW02")
    _utilize(carbon, used, "2000")
    kept = world.generate("1000", code="SW02")
    context.organizations.record_economics(
        OPERATOR,
        EconomicRecord(
            world.generator.id, 2026, OUTPUT_VALUE_CNY, OUTPUT_VALUE_CNY / 4, Decimal(1000), "件"
        ),
    )
    context.clock.now = datetime(2027, 1, 10, 2, 0, tzinfo=UTC)  # type: ignore[attr-defined]
    _utilize(carbon, kept, "1000")
    master = factory.organization(roles=(OrganizationRole.CHAIN_MASTER,), name="链主车企")
    empty = factory.organization(name="新供应商")
    outsider = factory.organization(name="外部企业")
    context.chains.add(OPERATOR, master.id, world.generator.id)
    context.chains.add(OPERATOR, master.id, empty.id)
    return AdmissionWorld(
        carbon=carbon,
        master_id=master.id,
        supplier_id=world.generator.id,
        empty_supplier_id=empty.id,
        outsider_id=outsider.id,
        master_user=factory.user(UserRole.FIRM, organization=master),
        supplier_user=world.generator.user,
        outsider_user=factory.user(UserRole.FIRM, organization=outsider),
    )
