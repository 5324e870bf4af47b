"""A small ledger with known monthly generation for forecast and scenario tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from tests.factories import OPERATOR, Factory
from tests.integration.test_capture import Firm, document, line, signed
from zerowaste.domain.accounts import NewSigningKey
from zerowaste.domain.ids import urn
from zerowaste.ledger.signatures import generate_private_key, public_key_bytes

HW = "900-214-08"
SW = "SW01"
#: Months of the world: July 2024 to December 2025.
MONTHS = [(2024, m) for m in range(7, 13)] + [(2025, m) for m in range(1, 13)]


def firm_in(factory: Factory, region: str, industry: str) -> Firm:
    organization = factory.organization(region_code=region, industry_code=industry)
    site = factory.site(organization)
    private = generate_private_key()
    new = NewSigningKey(public_key_bytes(private), datetime(2024, 1, 1, tzinfo=UTC))
    key = factory.context.signing_keys.register(OPERATOR, organization.id, new)
    return Firm(organization, site, private, key.id)


def a_kg(i: int) -> int:
    """Firm A's generation in month `i` of `MONTHS`."""
    return 1000 + 100 * i


@dataclass
class World:
    """Three firms in Suzhou (A and B in division 36, C in 26) and one in Huzhou (D)."""

    a: Firm
    b: Firm
    c: Firm
    d: Firm
    batches: dict[tuple[str, int], uuid.UUID] = field(default_factory=dict)

    @property
    def corrected_month(self) -> int:
        """Index of the month whose A event is corrected to 5 t."""
        return 8  # 2025-03


def build_world(factory: Factory) -> World:
    world = World(
        firm_in(factory, "320505", "3670"),
        firm_in(factory, "320506", "3611"),
        firm_in(factory, "320505", "2614"),
        firm_in(factory, "330402", "3670"),
    )
    submissions: list[dict[str, Any]] = []
    events: dict[tuple[str, int], dict[str, Any]] = {}
    for i, (year, month) in enumerate(MONTHS):
        at = datetime(year, month, 10, 8, tzinfo=UTC)
        for name, firm, code, kg in (
            ("a", world.a, HW, a_kg(i)),
            ("b", world.b, SW, 500),
            ("c", world.c, HW, 200),
            ("d", world.d, HW, 9999),
        ):
            batch = uuid.uuid4()
            world.batches[(name, i)] = batch
            event = document(firm, "generated", at, outputs=[line(batch, str(kg), waste_code=code)])
            events[(name, i)] = event
            submissions.append(signed(firm, event))
    # 2024-12-31 20:00 UTC is 2025-01-01 04:00 in China: a January generation.
    late = uuid.uuid4()
    world.batches[("c", -1)] = late
    submissions.append(
        signed(
            world.c,
            document(
                world.c,
                "generated",
                datetime(2024, 12, 31, 20, tzinfo=UTC),
                outputs=[line(late, "300", waste_code=HW)],
            ),
        )
    )
    factory.context.capture.capture(OPERATOR, submissions)
    target = events[("a", world.corrected_month)]
    batch = world.batches[("a", world.corrected_month)]
    fates = [
        document(
            world.a,
            "corrected",
            datetime(2025, 3, 20, 8, tzinfo=UTC),
            corrects_event_id=target["event_id"],
            note="磅单录入错误",
            corrected_mass={"batch": urn("batch", batch), "quantity": "5", "unit": "TNE"},
        ),
        # A's February batch (1,700 kg) is landfilled, its April batch (1,900 kg) incinerated.
        document(
            world.a,
            "disposed",
            datetime(2025, 2, 20, 8, tzinfo=UTC),
            inputs=[line(world.batches[("a", 7)], "1700")],
            disposal_method="landfill",
        ),
        document(
            world.a,
            "disposed",
            datetime(2025, 4, 20, 8, tzinfo=UTC),
            inputs=[line(world.batches[("a", 9)], "1900")],
            disposal_method="incineration",
        ),
    ]
    factory.context.capture.capture(OPERATOR, [signed(world.a, e) for e in fates])
    return world


def expected_a_tonnes() -> list[float]:
    values = [a_kg(i) / 1000 for i in range(len(MONTHS))]
    values[8] = 5.0
    return values


KG = Decimal(1000)
