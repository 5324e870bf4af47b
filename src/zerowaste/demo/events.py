"""Generate twelve months of the demo city's waste events from the seed (pure, deterministic).

Every generator books its wastes per its archetype (tonnages by size, seasonality, monthly to
quarterly batches); hazardous batches move into the firm's store when it has one; batches
ship whole on a manifest to a receiver licensed for the code on that day (the same receiver
all year unless its licence lapses; cross-province to and from 嘉兴 where the receiver is
there); receivers weigh them with honest noise; utilizers transform a month's receipts into
secondary materials, products and residues with a declared loss; residues go on to disposal;
the hazardous waste incinerator books its ash. Planted violations come from `violations.py`.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import ROUND_CEILING, Decimal

from zerowaste.demo.archetypes import archetype
from zerowaste.demo.model import DemoCity, DemoFirm
from zerowaste.demo.plan import EventPlan, PlannedApproval, PlannedShipment
from zerowaste.demo.planner import Held, Planner, Receipt, kilograms
from zerowaste.demo.routes import (
    IN_HOUSE_NOTE,
    INCINERATION_RESIDUE_CODE,
    INCINERATION_RESIDUE_SHARE,
    ROUTES,
    Route,
    is_hazardous,
)
from zerowaste.demo.streams import RATES_T, cadence_months, season, size_factor
from zerowaste.demo.violations import Planting, plant_violations
from zerowaste.domain.events import DisposalMethod
from zerowaste.errors import InvalidInput

#: Months of ordinary events in the demo.
MONTHS = 12
#: Share of streams that ship to a receiver in the other province when one is licensed.
CROSS_PROVINCE_SHARE = 0.15


def output_value(firm: DemoFirm, year: int) -> float:
    """The firm's output value in `year` (or its latest earlier year), in yuan."""
    records = sorted((r for r in firm.economics if r.year <= year), key=lambda r: r.year)
    return float(records[-1].output_value_cny) if records else 0.0


class YearPlanner(Planner):
    """The ordinary flows of the year: generation, routing, shipping and treatment."""

    def __init__(self, city: DemoCity, months: int = 12) -> None:
        super().__init__(city)
        self.month_count = months
        self.start = self.end - timedelta(days=round(365 * months / 12))
        self._partners: dict[tuple[object, str], tuple[Route, DemoFirm | None]] = {}
        self.burnt: dict[tuple[object, int, int], Decimal] = {}
        #: A typical batch mass of each (firm ref, code) stream, for planted batches.
        self.typical: dict[tuple[object, str], Decimal] = {}

    def months(self) -> list[tuple[int, int]]:
        """The calendar months of the window, the last one holding the day before the as-of day."""
        last = (self.end - timedelta(days=1)).date()
        months = []
        year, month = last.year, last.month
        for _ in range(self.month_count):
            months.append((year, month))
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        return months[::-1]

    # streams ---------------------------------------------------------------------------
    def generate_streams(self, planting: Planting) -> None:
        """Every generator firm's streams over the twelve months."""
        year = (self.end - timedelta(days=182)).year
        for firm in self.city.firms:
            rates = RATES_T.get(firm.archetype)
            if not rates:
                continue
            kind = archetype(firm.archetype)
            size = size_factor(kind, output_value(firm, year))
            propensity = self.rng.uniform(0.7, 1.4)
            factor = planting.reporting_factor(firm)
            for code, (low, high) in rates.items():
                tonnes = math.sqrt(low * high) * size * propensity * self.rng.uniform(0.85, 1.15)
                self._stream(firm, code, tonnes, factor)

    def _stream(self, firm: DemoFirm, code: str, tonnes: float, factor: float) -> None:
        profile = season(firm.chain)
        months = self.months()
        step = cadence_months(tonnes)
        for first in range(len(months) % step or step, len(months) + 1, step):
            period = months[max(0, first - step) : first]
            share = sum(profile[m - 1] for _, m in period) / 12
            mass = tonnes * 1000 * share * math.exp(self.rng.gauss(0, 0.12)) * factor
            year, month = period[-1]
            last_day = _last_day(year, month)
            day = last_day - timedelta(days=self.rng.randint(0, 5))
            at = self.at_working_hour(day)
            if at >= self.end:
                at = self.later(self.end - timedelta(days=2), 0, 30)
            batch = self.generate(firm, code, kilograms(mass), at)
            self.typical[(firm.ref, code)] = kilograms(mass / factor)
            self.settle(batch, at)

    def settle(self, batch: Held, at: datetime) -> None:
        """Store a fresh hazardous batch if the firm has a store, then send it on its way."""
        store = self.storage_site(batch.holder)
        if is_hazardous(batch.waste_code or "") and store is not None:
            at = self.later(at, 1, 4)
            self.store(batch, store, at)
        hold_days = (3, 25) if is_hazardous(batch.waste_code or "") else (1, 6)
        self.dispatch(batch, self.later(at, 24 * hold_days[0], 24 * hold_days[1]))

    # routing ---------------------------------------------------------------------------
    def partner(self, firm: DemoFirm, code: str, day: date) -> tuple[Route, DemoFirm | None]:
        """The stream's route and receiver, kept all year while the receiver stays licensed."""
        chosen = self._partners.get((firm.ref, code))
        if chosen is not None:
            route, receiver = chosen
            if receiver is None or receiver in self.receivers(route, code, day):
                return chosen
        routes = list(ROUTES[code])
        self.rng.shuffle(routes)
        routes.sort(key=lambda r: -r.weight * self.rng.random())
        for route in routes:
            if route.receiver is None:
                chosen = (route, None)
                break
            pool = self.receivers(route, code, day)
            if not pool:
                continue
            home = firm.organization.region_code[:2]
            near = [f for f in pool if f.organization.region_code[:2] == home]
            # General solid waste stays in its province (no cross-province approval for it).
            far = [f for f in pool if f not in near] if is_hazardous(code) else []
            if not near and not far:
                continue
            if far and (not near or self.rng.random() < CROSS_PROVINCE_SHARE):
                chosen = (route, self.rng.choice(far))
            else:
                chosen = (route, self.rng.choice(near))
            break
        else:
            return routes[0], None
        self._partners[(firm.ref, code)] = chosen
        return chosen

    def dispatch(self, batch: Held, at: datetime) -> None:
        """Ship a batch to its stream's receiver (or treat it in-house) if there is time left."""
        code = batch.waste_code or ""
        route, receiver = self.partner(batch.holder, code, at.date())
        if route.receiver is None:
            if at < self.end:
                self.dispose(batch, route.disposal or DisposalMethod.OTHER, at, IN_HOUSE_NOTE)
            return
        if receiver is None:
            return
        cross = receiver.organization.region_code[:2] != batch.holder.organization.region_code[:2]
        transit = timedelta(hours=self.rng.uniform(4, 10) if cross else self.rng.uniform(1.5, 5))
        if at + transit >= self.end:
            return
        transporter = self.transporter(code, at.date(), batch.holder.organization.region_code)
        self.ship(
            batch,
            receiver,
            transporter,
            at,
            received_kg=self.noisy(batch.mass_kg),
            transit=timedelta(minutes=round(transit.total_seconds() / 60)),
            activity=route.activity,
        )
        self.pending.append(Receipt(batch.batch_id, receiver, batch.site, route, batch.last_event))

    # treatment -------------------------------------------------------------------------
    def treat_pending(self) -> None:
        """Dispose of or utilize every pending receipt; residues go on until none is left."""
        while self.pending:
            pending, self.pending = self.pending, []
            groups: dict[tuple[object, str, int, int], list[Receipt]] = {}
            for receipt in pending:
                batch = self.batches[receipt.batch_id]
                if receipt.route.disposal is not None:
                    at = self.later(receipt.at, 6, 24 * 15)
                    if at < self.end:
                        self._burn_or_bury(batch, receipt.route.disposal, at)
                    continue
                assert receipt.route.recipe is not None
                key = (
                    receipt.receiver.ref,
                    receipt.route.recipe.key,
                    receipt.at.year,
                    receipt.at.month,
                )
                groups.setdefault(key, []).append(receipt)
            for receipts in groups.values():
                self._utilize(receipts)

    def _burn_or_bury(self, batch: Held, method: DisposalMethod, at: datetime) -> None:
        mass = batch.mass_kg
        self.dispose(batch, method, at)
        if batch.holder.archetype == "waste.incinerator":
            key = (batch.holder.ref, at.year, at.month)
            self.burnt[key] = self.burnt.get(key, Decimal(0)) + mass

    def _utilize(self, receipts: list[Receipt]) -> None:
        recipe = receipts[0].route.recipe
        assert recipe is not None
        at = self.later(max(r.at for r in receipts), 24, 24 * 8)
        if at >= self.end:
            return
        inputs = [self.batches[r.batch_id] for r in receipts]
        for made in self.transform(inputs, recipe, at):
            if made.waste_code is not None:
                self.dispatch(made, self.later(at, 24 * 2, 24 * 20))

    def book_incineration_residue(self) -> None:
        """The incinerator's monthly bottom and fly ash, sent to the landfill."""
        for (ref, year, month), burnt in sorted(
            self.burnt.items(), key=lambda i: (i[0][1], i[0][2])
        ):
            firm = next(f for f in self.by_archetype["waste.incinerator"] if f.ref == ref)
            at = self.at_working_hour(_last_day(year, month))
            if at >= self.end or burnt <= 0:
                continue
            mass = kilograms(float(burnt) * INCINERATION_RESIDUE_SHARE)
            batch = self.generate(firm, INCINERATION_RESIDUE_CODE, mass, at)
            self.dispatch(batch, self.later(at, 24 * 2, 24 * 10))
        self.burnt.clear()


def _last_day(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def plan_events(city: DemoCity, months: int = MONTHS) -> EventPlan:
    """Plan the city's year of events and its planted violations; same city, same plan.

    Args:
        city: The generated city (its seed, scale and as-of day decide the plan).
        months: How many months of ordinary events (12; fewer make quick tests). The planted
            violations are the same whatever the number.

    Raises:
        InvalidInput: If `months` is not 1 to 12 (field `months`).

    Returns:
        The plan, events in capture order (by recording time, then as generated).
    """
    if not 1 <= months <= MONTHS:
        raise InvalidInput(f"must be 1 to {MONTHS}", field="months")
    planner = YearPlanner(city, months)
    planting = Planting(planner)
    planner.generate_streams(planting)
    plant_violations(planner, planting)
    planner.treat_pending()
    planner.book_incineration_residue()
    planner.treat_pending()
    order = sorted(range(len(planner.events)), key=lambda i: (planner.events[i].recorded_at, i))
    shipments, approvals = plan_approvals(planner)
    return EventPlan(
        seed=city.seed,
        as_of=city.as_of,
        window_start=planner.start,
        events=tuple(planner.events[i] for i in order),
        shipments=shipments,
        violations=tuple(planting.violations),
        approvals=approvals,
    )


def plan_approvals(
    planner: Planner,
) -> tuple[tuple[PlannedShipment, ...], tuple[PlannedApproval, ...]]:
    """One approval per cross-province stream (generator site, receiver site, code).

    Its cap is the stream's planned mass with a fifth to spare, rounded up to 100 kg; it runs
    from three days before the first shipment to twenty days after the last.
    """
    streams: dict[tuple[uuid.UUID, uuid.UUID, str], list[PlannedShipment]] = {}
    for shipment in planner.shipments:
        if shipment.cross_province and not shipment.attempt:
            key = (shipment.generator_site, shipment.receiver_site, shipment.waste_code)
            streams.setdefault(key, []).append(shipment)
    approvals: dict[tuple[uuid.UUID, uuid.UUID, str], PlannedApproval] = {}
    for key, group in streams.items():
        first = min(s.shipped_at for s in group).date() - timedelta(days=3)
        cap = sum((s.shipped_kg for s in group), Decimal(0)) * Decimal("1.2")
        sample = group[0]
        approvals[key] = PlannedApproval(
            approval_id=planner.new_id("approval"),
            generator=sample.generator,
            generator_site=sample.generator_site,
            receiver=sample.receiver,
            receiver_site=sample.receiver_site,
            waste_code=sample.waste_code,
            cap_kg=(cap / 100).to_integral_value(rounding=ROUND_CEILING) * 100,
            valid_from=first,
            valid_to=max(s.shipped_at for s in group).date() + timedelta(days=20),
            requested_at=planner.at_working_hour(first - timedelta(days=2)),
            origin_province=_province(planner, sample.generator),
            destination_province=_province(planner, sample.receiver),
        )
    shipments = tuple(
        replace(
            s, approval_id=approvals[(s.generator_site, s.receiver_site, s.waste_code)].approval_id
        )
        if s.cross_province and not s.attempt
        else s
        for s in planner.shipments
    )
    return shipments, tuple(approvals.values())


def _province(planner: Planner, firm_ref: object) -> str:
    firm = next(f for f in planner.city.firms if f.ref == firm_ref)
    return firm.organization.region_code[:2] + "0000"
