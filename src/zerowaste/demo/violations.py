"""Planted violations: dedicated batches (and under-reporting firms) whose truth is kept apart.

Each kind is planted on its own batches so ordinary flows stay clean: over-storage (a
hazardous batch stored for more than a year), an unpermitted receiver (a shipment to a
facility whose licence lapsed or does not cover the code; the capture layer may refuse it,
so those events are marked as attempts), weight gaps beyond the tolerance, vanished batches,
manifests overdue in transit, under-reporting firms, and backdated records.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from zerowaste.demo.model import DemoFirm
from zerowaste.demo.plan import PlannedShipment, Violation, ViolationKind
from zerowaste.demo.planner import Receipt, kilograms
from zerowaste.demo.routes import ROUTES, Route, covers, is_hazardous
from zerowaste.demo.streams import RATES_T
from zerowaste.domain.events import EventType
from zerowaste.domain.permits import PermitActivity, PermitKind

if TYPE_CHECKING:
    from zerowaste.demo.events import YearPlanner

#: How many batches of each kind are planted (fewer when the city has too few candidates).
PLANTED = {
    ViolationKind.OVER_STORAGE: 3,
    ViolationKind.UNPERMITTED_RECEIVER: 2,
    ViolationKind.WEIGHT_GAP: 3,
    ViolationKind.VANISHED_BATCH: 3,
    ViolationKind.OVERDUE_MANIFEST: 3,
    ViolationKind.BACKDATED_RECORD: 3,
}


class Planting:
    """Chooses the under-reporting firms up front and collects every planted violation."""

    def __init__(self, planner: YearPlanner) -> None:
        self.planner = planner
        self.violations: list[Violation] = []
        self._factors: dict[object, float] = {}
        pools = [firms for key, firms in planner.by_archetype.items() if key in RATES_T]
        pool = max(pools, key=len, default=[])
        if len(pool) >= 3:
            for firm in planner.rng.sample(pool, 2 if len(pool) >= 8 else 1):
                self._factors[firm.ref] = round(planner.rng.uniform(0.12, 0.25), 3)

    def reporting_factor(self, firm: DemoFirm) -> float:
        """The share of its true generation a firm reports (1 unless it under-reports)."""
        return self._factors.get(firm.ref, 1.0)

    def add(self, kind: ViolationKind, firm: DemoFirm, **fields: object) -> None:
        """Record one planted violation."""
        self.violations.append(
            Violation(kind, firm.key, firm.ref, firm.organization.credit_code, **fields)  # type: ignore[arg-type]
        )


def _days(delta: timedelta) -> str:
    return str(delta.days)


def _streams(
    planner: YearPlanner, planting: Planting, test: Callable[[str], bool]
) -> list[tuple[DemoFirm, str]]:
    """(firm, code) streams with external routes, of honest firms, passing `test`."""
    found = []
    for firm in planner.city.firms:
        if planting.reporting_factor(firm) != 1.0:
            continue
        for code in RATES_T.get(firm.archetype, {}):
            if (
                test(code)
                and any(r.receiver for r in ROUTES[code])
                and (firm.ref, code) in planner.typical
            ):
                found.append((firm, code))
    return found


def plant_violations(planner: YearPlanner, planting: Planting) -> None:
    """Plant every kind of violation on dedicated batches; record the ground truth."""
    hazardous = _streams(planner, planting, is_hazardous)
    anything = _streams(planner, planting, lambda code: True)
    rng = planner.rng
    picks = rng.sample(hazardous, min(len(hazardous), 14))
    _over_storage(planner, planting, picks[0:3])
    _vanished(planner, planting, picks[3:6])
    _weight_gaps(planner, planting, picks[6:9])
    _overdue(planner, planting, picks[9:12])
    _unpermitted(planner, planting, picks[12:14])
    _backdated(planner, planting, rng.sample(anything, min(len(anything), 3)))
    _under_reporting(planner, planting)


def _moment(planner: YearPlanner, low_days: float, high_days: float) -> datetime:
    return planner.at_working_hour(
        (planner.end - timedelta(days=planner.rng.uniform(low_days, high_days))).date()
    )


def _over_storage(
    planner: YearPlanner, planting: Planting, picks: list[tuple[DemoFirm, str]]
) -> None:
    for firm, code in picks:
        at = _moment(planner, 380, 460)
        batch = planner.generate(firm, code, planner.typical[(firm.ref, code)], at)
        store = planner.storage_site(firm) or planner.main_site(firm)
        event = planner.store(batch, store, planner.later(at, 1, 4))
        planting.add(
            ViolationKind.OVER_STORAGE,
            firm,
            batch_ids=(batch.batch_id,),
            event_ids=(event.event_id,),
            detail=f"{code} stored since {event.event_time.date()}, never shipped",
            figures={
                "mass_kg": str(batch.mass_kg),
                "stored_days": _days(planner.end - event.event_time),
            },
        )


def _vanished(planner: YearPlanner, planting: Planting, picks: list[tuple[DemoFirm, str]]) -> None:
    for firm, code in picks:
        at = _moment(planner, 140, 250)
        batch = planner.generate(firm, code, planner.typical[(firm.ref, code)], at)
        planting.add(
            ViolationKind.VANISHED_BATCH,
            firm,
            batch_ids=(batch.batch_id,),
            event_ids=(planner.events[-1].event.event_id,),
            detail=f"{batch.mass_kg} kg of {code} generated {at.date()}, no event since",
            figures={"mass_kg": str(batch.mass_kg), "silent_days": _days(planner.end - at)},
        )


def _ship_to_partner(
    planner: YearPlanner,
    firm: DemoFirm,
    code: str,
    at: datetime,
    received: Callable[[Decimal], Decimal | None],
) -> tuple[Route, DemoFirm, PlannedShipment] | None:
    route, receiver = planner.partner(firm, code, at.date())
    if receiver is None:
        return None
    batch = planner.generate(firm, code, planner.typical[(firm.ref, code)], at)
    when = planner.later(at, 24, 24 * 5)
    transporter = planner.transporter(code, when.date(), firm.organization.region_code)
    shipment = planner.ship(
        batch,
        receiver,
        transporter,
        when,
        received_kg=received(batch.mass_kg),
        transit=timedelta(hours=3),
        activity=route.activity,
    )
    if shipment.received_kg is not None:
        planner.pending.append(
            Receipt(batch.batch_id, receiver, batch.site, route, batch.last_event)
        )
    return route, receiver, shipment


def _weight_gaps(
    planner: YearPlanner, planting: Planting, picks: list[tuple[DemoFirm, str]]
) -> None:
    for firm, code in picks:
        gap = round(planner.rng.uniform(0.05, 0.15), 3)
        done = _ship_to_partner(
            planner,
            firm,
            code,
            _moment(planner, 60, 200),
            lambda m, gap=gap: kilograms(float(m) * (1 - gap)),  # type: ignore[misc]
        )
        if done is None:
            continue
        _, receiver, shipment = done
        planting.add(
            ViolationKind.WEIGHT_GAP,
            firm,
            batch_ids=(shipment.batch_id,),
            manifest_id=shipment.manifest_id,
            detail=f"received {shipment.received_kg} kg of {shipment.shipped_kg} kg shipped",
            figures={
                "shipped_kg": str(shipment.shipped_kg),
                "received_kg": str(shipment.received_kg),
                "gap_share": str(gap),
                "receiver_key": receiver.key,
            },
        )


def _overdue(planner: YearPlanner, planting: Planting, picks: list[tuple[DemoFirm, str]]) -> None:
    for firm, code in picks:
        done = _ship_to_partner(planner, firm, code, _moment(planner, 16, 45), lambda m: None)
        if done is None:
            continue
        _, receiver, shipment = done
        planting.add(
            ViolationKind.OVERDUE_MANIFEST,
            firm,
            batch_ids=(shipment.batch_id,),
            manifest_id=shipment.manifest_id,
            detail=f"shipped {shipment.shipped_at.date()} to {receiver.key}, never received",
            figures={
                "in_transit_days": _days(planner.end - shipment.shipped_at),
                "receiver_key": receiver.key,
            },
        )


def _unlicensed_receiver(
    planner: YearPlanner, code: str, latest: datetime
) -> tuple[DemoFirm, datetime, str] | None:
    """A facility not licensed for `code` before `latest`, preferring one whose licence lapsed."""
    facilities = [
        f
        for f in planner.city.firms
        if any(p.kind is PermitKind.HAZARDOUS_WASTE_BUSINESS for p in f.permits)
    ]
    for firm in facilities:
        for permit in firm.permits[-1:]:  # the latest licence; an earlier one was renewed
            lapsed = datetime.combine(permit.valid_to, datetime.min.time(), latest.tzinfo)
            if planner.start < lapsed < latest - timedelta(days=5) and any(
                covers(p, code, a, permit.valid_to) for p in [permit] for a in permit.activities
            ):
                when = lapsed + (latest - lapsed) * planner.rng.uniform(0.3, 0.9)
                return firm, when, f"licence {permit.number} lapsed {permit.valid_to}"
    for firm in facilities:
        day = latest.date()
        if not any(covers(p, code, a, day) for p in firm.permits for a in PermitActivity):
            return (
                firm,
                latest - timedelta(days=planner.rng.uniform(2, 10)),
                f"licence does not cover {code}",
            )
    return None


def _activity_of(firm: DemoFirm) -> PermitActivity:
    """What a facility does with what it receives: utilize if licensed to, else dispose."""
    utilizes = any(PermitActivity.UTILIZE in p.activities for p in firm.permits)
    return PermitActivity.UTILIZE if utilizes else PermitActivity.DISPOSE


def _unpermitted(
    planner: YearPlanner, planting: Planting, picks: list[tuple[DemoFirm, str]]
) -> None:
    for firm, code in picks:
        found = _unlicensed_receiver(planner, code, planner.end - timedelta(days=3))
        if found is None:
            continue
        receiver, when, why = found
        batch = planner.generate(
            firm, code, planner.typical[(firm.ref, code)], planner.later(when, -24 * 6, -24 * 2)
        )
        transporter = planner.transporter(code, when.date(), firm.organization.region_code)
        shipment = planner.ship(
            batch,
            receiver,
            transporter,
            when,
            received_kg=planner.noisy(batch.mass_kg),
            transit=timedelta(hours=4),
            activity=_activity_of(receiver),
            attempt=True,
        )
        planting.add(
            ViolationKind.UNPERMITTED_RECEIVER,
            firm,
            batch_ids=(batch.batch_id,),
            manifest_id=shipment.manifest_id,
            event_ids=tuple(
                p.event.event_id
                for p in planner.events
                if p.attempt and p.event.manifest_id == shipment.manifest_id
            ),
            detail=f"{code} sent to {receiver.key}: {why}",
            figures={"receiver_key": receiver.key, "reason": why},
        )


def _backdated(planner: YearPlanner, planting: Planting, picks: list[tuple[DemoFirm, str]]) -> None:
    for firm, code in picks:
        at = _moment(planner, 150, 300)
        lag = timedelta(days=planner.rng.uniform(45, 100))
        batch = planner.generate(
            firm, code, planner.typical[(firm.ref, code)], at, recorded_at=at + lag
        )
        event = planner.events[-1].event
        planner.dispatch(batch, planner.later(at + lag, 24, 24 * 10))
        planting.add(
            ViolationKind.BACKDATED_RECORD,
            firm,
            batch_ids=(batch.batch_id,),
            event_ids=(event.event_id,),
            detail=f"generation of {at.date()} recorded {(at + lag).date()}",
            figures={
                "event_time": at.isoformat(),
                "recorded_at": (at + lag).isoformat(),
                "lag_days": _days(lag),
            },
        )


def _under_reporting(planner: YearPlanner, planting: Planting) -> None:
    for firm in planner.city.firms:
        factor = planting.reporting_factor(firm)
        if factor == 1.0:
            continue
        reported = sum(
            (
                o.mass_kg
                for p in planner.events
                if p.event.event_type is EventType.GENERATED and p.event.organization_id == firm.ref
                for o in p.event.outputs
            ),
            Decimal(0),
        )
        planting.add(
            ViolationKind.UNDER_REPORTING,
            firm,
            detail=f"reports about {factor:.0%} of what its output implies",
            figures={
                "reporting_factor": str(factor),
                "reported_kg": str(reported),
                "expected_kg": str(kilograms(float(reported) / factor)),
            },
        )
