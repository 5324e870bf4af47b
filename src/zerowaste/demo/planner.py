"""The event planner's primitives: batches it tracks, and generate, store, ship, receive, treat."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import ROUND_DOWN, Decimal

from zerowaste.demo.model import DemoCity, DemoFirm, DemoSite
from zerowaste.demo.plan import (
    WEIGHING_NOISE_MAX,
    WEIGHING_NOISE_SD,
    PlannedEvent,
    PlannedShipment,
)
from zerowaste.demo.routes import Recipe, Route, covers, is_hazardous
from zerowaste.domain.events import (
    BatchMass,
    BatchOutput,
    DisposalMethod,
    EventType,
    OutputKind,
    WasteEvent,
)
from zerowaste.domain.permits import PermitActivity
from zerowaste.domain.sites import SiteKind

#: China Standard Time; demo events carry this offset.
CST = timezone(timedelta(hours=8), "CST")
_TENTH = Decimal("0.1")


def kilograms(value: float) -> Decimal:
    """A mass in kilograms to one decimal (the demo's weighing precision)."""
    return Decimal(value).quantize(_TENTH, rounding=ROUND_DOWN)


@dataclass(slots=True)
class Held:
    """The planner's view of one batch: what, how much, who holds it where, and its status."""

    batch_id: uuid.UUID
    kind: OutputKind
    waste_code: str | None
    mass_kg: Decimal
    holder: DemoFirm
    site: DemoSite
    status: str
    last_event: datetime


@dataclass(frozen=True, slots=True)
class Receipt:
    """A batch received by a facility, waiting for the treatment its route prescribes."""

    batch_id: uuid.UUID
    receiver: DemoFirm
    site: DemoSite
    route: Route
    at: datetime


class Planner:
    """Holds the random source, the batches and the planned events while a year is generated."""

    def __init__(self, city: DemoCity) -> None:
        self.city = city
        self.rng = random.Random(f"zerowaste-demo-events/{city.seed}/{city.scale}")
        self.end = datetime.combine(city.as_of, time(0), CST)
        self.start = self.end - timedelta(days=365)
        self.events: list[PlannedEvent] = []
        self.shipments: list[PlannedShipment] = []
        self.batches: dict[uuid.UUID, Held] = {}
        self.pending: list[Receipt] = []
        self._ids = random.Random(f"zerowaste-demo-ids/{city.seed}/{city.scale}")
        self.by_archetype: dict[str, list[DemoFirm]] = {}
        for firm in city.firms:
            self.by_archetype.setdefault(firm.archetype, []).append(firm)

    # identifiers and sites -------------------------------------------------------------
    def new_id(self, kind: str) -> uuid.UUID:
        """A deterministic id (a version-4 UUID drawn from the plan's own id source)."""
        del kind
        return uuid.UUID(int=self._ids.getrandbits(128), version=4)

    @staticmethod
    def main_site(firm: DemoFirm) -> DemoSite:
        """The site where a firm generates or treats waste (its licensed site if any)."""
        licensed = {p.site_id for p in firm.permits}
        return next((s for s in firm.sites if s.ref in licensed), firm.sites[0])

    @staticmethod
    def storage_site(firm: DemoFirm) -> DemoSite | None:
        """A firm's hazardous waste store, if it has one."""
        return next((s for s in firm.sites if s.site.kind is SiteKind.STORAGE), None)

    def _emit(self, event: WasteEvent, recorded_at: datetime | None, attempt: bool) -> WasteEvent:
        self.events.append(PlannedEvent(event, recorded_at or event.event_time, attempt))
        return event

    # the primitives --------------------------------------------------------------------
    def generate(
        self,
        firm: DemoFirm,
        code: str,
        mass_kg: Decimal,
        at: datetime,
        *,
        recorded_at: datetime | None = None,
        site: DemoSite | None = None,
    ) -> Held:
        """A generated batch at the firm's main site (or `site`)."""
        where = site or self.main_site(firm)
        batch = Held(self.new_id("batch"), OutputKind.WASTE, code, mass_kg, firm, where, "held", at)
        output = BatchOutput(batch.batch_id, mass_kg, OutputKind.WASTE, code)
        event = WasteEvent(
            self.new_id("event"), EventType.GENERATED, at, firm.ref, where.ref, outputs=(output,)
        )
        self._emit(event, recorded_at, False)
        self.batches[batch.batch_id] = batch
        return batch

    def store(self, batch: Held, site: DemoSite, at: datetime) -> WasteEvent:
        """Move a held batch into a store of its holder."""
        line = BatchMass(batch.batch_id, batch.mass_kg)
        event = WasteEvent(
            self.new_id("event"), EventType.STORED, at, batch.holder.ref, site.ref, inputs=(line,)
        )
        batch.site, batch.last_event = site, at
        return self._emit(event, None, False)

    def noisy(self, mass_kg: Decimal) -> Decimal:
        """The receiver's weighing of a shipped mass: honest noise within the tolerance."""
        relative = max(
            -WEIGHING_NOISE_MAX, min(WEIGHING_NOISE_MAX, self.rng.gauss(0, WEIGHING_NOISE_SD))
        )
        return kilograms(float(mass_kg) * (1 + relative))

    def ship(
        self,
        batch: Held,
        receiver: DemoFirm,
        transporter: DemoFirm | None,
        at: datetime,
        *,
        received_kg: Decimal | None,
        transit: timedelta,
        activity: PermitActivity = PermitActivity.UTILIZE,
        attempt: bool = False,
    ) -> PlannedShipment:
        """Ship a whole batch on a new manifest; it arrives `transit` later (unless never)."""
        site = self.main_site(receiver)
        manifest = self.new_id("manifest")
        line = (BatchMass(batch.batch_id, batch.mass_kg),)
        shipped = WasteEvent(
            self.new_id("event"),
            EventType.SHIPPED,
            at,
            batch.holder.ref,
            batch.site.ref,
            inputs=line,
            manifest_id=manifest,
            destination_site_id=site.ref,
        )
        self._emit(shipped, None, attempt)
        received_at = at + transit if received_kg is not None else None
        record = PlannedShipment(
            manifest_id=manifest,
            batch_id=batch.batch_id,
            waste_code=batch.waste_code or "",
            hazardous=is_hazardous(batch.waste_code or ""),
            generator=batch.holder.ref,
            generator_site=batch.site.ref,
            transporter=transporter.ref if transporter else None,
            receiver=receiver.ref,
            receiver_site=site.ref,
            shipped_kg=batch.mass_kg,
            shipped_at=at,
            received_kg=received_kg,
            received_at=received_at,
            cross_province=batch.site.site.region_code[:2] != site.site.region_code[:2],
            activity=activity,
            attempt=attempt,
        )
        self.shipments.append(record)
        batch.status, batch.last_event = "in_transit", at
        if received_kg is not None and received_at is not None:
            received = WasteEvent(
                self.new_id("event"),
                EventType.RECEIVED,
                received_at,
                receiver.ref,
                site.ref,
                inputs=(BatchMass(batch.batch_id, received_kg),),
                manifest_id=manifest,
            )
            self._emit(received, None, attempt)
            batch.holder, batch.site, batch.mass_kg = receiver, site, received_kg
            batch.status, batch.last_event = "held", received_at
        return record

    def dispose(self, batch: Held, method: DisposalMethod, at: datetime, note: str = "") -> None:
        """Dispose of a whole held batch where it is."""
        event = WasteEvent(
            self.new_id("event"),
            EventType.DISPOSED,
            at,
            batch.holder.ref,
            batch.site.ref,
            inputs=(BatchMass(batch.batch_id, batch.mass_kg),),
            disposal_method=method,
            note=note,
        )
        self._emit(event, None, False)
        batch.status, batch.last_event, batch.mass_kg = "disposed", at, Decimal(0)

    def transform(self, inputs: list[Held], recipe: Recipe, at: datetime) -> list[Held]:
        """Utilize whole held batches of one holder and site by `recipe`; return the outputs."""
        holder, site = inputs[0].holder, inputs[0].site
        total = sum((b.mass_kg for b in inputs), Decimal(0))
        outputs = []
        for share in recipe.outputs:
            mass = kilograms(float(total) * share.share)
            if mass > 0:
                kind = share.kind
                made = Held(
                    self.new_id("batch"), kind, share.waste_code, mass, holder, site, "held", at
                )
                outputs.append(
                    (
                        made,
                        BatchOutput(made.batch_id, mass, kind, share.waste_code, share.description),
                    )
                )
        loss = total - sum((o.mass_kg for o, _ in outputs), Decimal(0))
        event = WasteEvent(
            self.new_id("event"),
            EventType.TRANSFORMED,
            at,
            holder.ref,
            site.ref,
            inputs=tuple(BatchMass(b.batch_id, b.mass_kg) for b in inputs),
            outputs=tuple(line for _, line in outputs),
            declared_loss_kg=loss,
            note=f"{recipe.key}: {recipe.loss}",
        )
        self._emit(event, None, False)
        for batch in inputs:
            batch.status, batch.last_event, batch.mass_kg = "consumed", at, Decimal(0)
        for made, _ in outputs:
            self.batches[made.batch_id] = made
        return [made for made, _ in outputs]

    # choosing partners -----------------------------------------------------------------
    def receivers(self, route: Route, code: str, day: date) -> list[DemoFirm]:
        """Firms of the route's archetype licensed for the code and activity on `day`."""
        firms = self.by_archetype.get(route.receiver or "", [])
        if not is_hazardous(code):
            return list(firms)
        return [f for f in firms if any(covers(p, code, route.activity, day) for p in f.permits)]

    def transporter(self, code: str, day: date, home: str) -> DemoFirm | None:
        """A transporter for `code` on `day`, licensed where the waste is hazardous."""
        if not is_hazardous(code):
            freight = self.by_archetype.get("logistics.freight", [])
            return self.rng.choice(freight) if freight else None
        licensed = [
            f
            for f in self.by_archetype.get("logistics.hazardous", [])
            if any(covers(p, code, PermitActivity.TRANSPORT, day) for p in f.permits)
        ]
        near = [f for f in licensed if f.organization.region_code[:2] == home[:2]]
        pool = near or licensed
        return self.rng.choice(pool) if pool else None

    def at_working_hour(self, day: date) -> datetime:
        """A time on `day` in working hours, CST."""
        return datetime.combine(day, time(8), CST) + timedelta(minutes=self.rng.randint(0, 9 * 60))

    def later(self, at: datetime, low_hours: float, high_hours: float) -> datetime:
        """A moment between `low_hours` and `high_hours` after `at`, to the minute."""
        return (at + timedelta(hours=self.rng.uniform(low_hours, high_hours))).replace(
            second=0, microsecond=0
        )
