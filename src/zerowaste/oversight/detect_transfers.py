"""Transfer rules: receivers' licences and capacity, weight gaps, overdue and unapproved moves."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from zerowaste.domain.catalog import covers
from zerowaste.domain.permits import Permit, PermitActivity, PermitKind
from zerowaste.oversight.detect_common import (
    Exempt,
    day_text,
    days_between,
    is_hazardous,
    kg_text,
    local_day,
    pct_text,
)
from zerowaste.oversight.facts import ApprovalFact, Receipt, Transfer
from zerowaste.oversight.findings import Finding
from zerowaste.oversight.rules import RuleSettings, Stage

#: The manifest states of a load that has left its generator and not yet arrived.
IN_TRANSIT_STATES = frozenset({"picked_up", "in_transit"})

PermitsByHolder = Mapping[uuid.UUID, Sequence[Permit]]


def _licence_gap(
    permits: Sequence[Permit], receipt: Receipt, code: str, on: date
) -> tuple[str, str] | None:
    """Why no business licence covers the receipt, in (English, Chinese), or None if one does."""
    business = [p for p in permits if p.kind is PermitKind.HAZARDOUS_WASTE_BUSINESS]
    in_force = [p for p in business if p.in_force(on) and p.site_id in (None, receipt.site_id)]
    if not in_force:
        return "no hazardous waste business licence in force", "无有效的危险废物经营许可证"
    try:
        activity: PermitActivity | None = PermitActivity(receipt.activity or "")
    except ValueError:
        activity = None
    doing = [p for p in in_force if activity is None or activity in p.activities]
    if not doing:
        return (
            f"no licence in force allows {receipt.activity}",
            f"有效许可证不含经营方式 {receipt.activity}",
        )
    if not any(covers(p.waste_codes, code) for p in doing):
        return f"no licence in force covers {code}", f"有效许可证不覆盖 {code}"
    return None


def receiver_not_permitted(
    receipts: Iterable[Receipt], permits: PermitsByHolder, exempt: Exempt
) -> list[Finding]:
    """Receipts of hazardous waste by a receiver no business licence covered that day."""
    found = []
    for receipt in receipts:
        code = receipt.waste_code
        if not is_hazardous(code):
            continue
        assert code is not None
        on = local_day(receipt.event_time)
        if exempt(code, Stage.UTILIZATION, on):
            continue
        gap = _licence_gap(permits.get(receipt.receiver_id, ()), receipt, code, on)
        if gap is None:
            continue
        found.append(
            Finding(
                rule_id="receiver_not_permitted",
                subject=f"event:{receipt.event_id}",
                organization_id=receipt.receiver_id,
                observed_at=receipt.event_time,
                figures={
                    "waste_code": code,
                    "received_on": day_text(receipt.event_time),
                    "activity": receipt.activity or "",
                    "reason": gap[0],
                    "reason_zh": gap[1],
                },
                event_ids=(receipt.event_id,),
                batch_ids=(receipt.batch_id,),
                manifest_id=receipt.manifest_id,
                site_id=receipt.site_id,
            )
        )
    return found


def _capacity_t(permits: Sequence[Permit], year: int) -> Decimal:
    """Licensed tonnes for the year: each business licence's capacity by the share it is valid."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    days_in_year = Decimal((last - first).days + 1)
    total = Decimal(0)
    for permit in permits:
        if permit.kind is not PermitKind.HAZARDOUS_WASTE_BUSINESS:
            continue
        start, end = max(first, permit.valid_from), min(last, permit.valid_to)
        if end >= start:
            total += permit.annual_capacity_t * Decimal((end - start).days + 1) / days_in_year
    return total


def receiver_over_capacity(receipts: Iterable[Receipt], permits: PermitsByHolder) -> list[Finding]:
    """Receivers whose hazardous receipts in a calendar year exceed their licensed capacity."""
    years: dict[tuple[uuid.UUID, int], list[Receipt]] = defaultdict(list)
    for receipt in receipts:
        if is_hazardous(receipt.waste_code):
            years[(receipt.receiver_id, local_day(receipt.event_time).year)].append(receipt)
    found = []
    for (receiver, year), taken in sorted(years.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
        received_t = sum((r.received_kg for r in taken), Decimal(0)) / 1000
        capacity_t = _capacity_t(permits.get(receiver, ()), year)
        if received_t <= capacity_t:
            continue
        taken.sort(key=lambda r: r.event_time)
        found.append(
            Finding(
                rule_id="receiver_over_capacity",
                subject=f"receiver:{receiver}:{year}",
                organization_id=receiver,
                observed_at=taken[-1].event_time,
                figures={
                    "year": str(year),
                    "received_t": kg_text(received_t.quantize(Decimal("0.1"))),
                    "capacity_t": kg_text(capacity_t.quantize(Decimal("0.1"))),
                },
                event_ids=tuple(r.event_id for r in taken),
                batch_ids=tuple(dict.fromkeys(r.batch_id for r in taken)),
                site_id=taken[-1].site_id,
            )
        )
    return found


def weight_gap(receipts: Iterable[Receipt], settings: RuleSettings) -> list[Finding]:
    """Manifests whose receipts differ from the shipped mass by more than the tolerance."""
    tolerance = settings.value("weight_gap", "tolerance")
    by_event: dict[uuid.UUID, list[Receipt]] = defaultdict(list)
    for receipt in receipts:
        by_event[receipt.event_id].append(receipt)
    by_manifest: dict[uuid.UUID, list[tuple[Decimal, Decimal, list[Receipt]]]] = defaultdict(list)
    for lines in by_event.values():
        received = sum((r.received_kg for r in lines), Decimal(0))
        shipped = received - (lines[0].discrepancy_kg or Decimal(0))  # the event's total gap
        if shipped > 0 and abs(received - shipped) / shipped > tolerance:
            by_manifest[lines[0].manifest_id].append((shipped, received, lines))
    found = []
    for manifest_id, events_found in by_manifest.items():
        shipped = sum((s for s, _, _ in events_found), Decimal(0))
        received = sum((r for _, r, _ in events_found), Decimal(0))
        gaps = [line for _, _, lines in events_found for line in lines]
        found.append(
            Finding(
                rule_id="weight_gap",
                subject=f"manifest:{manifest_id}",
                organization_id=gaps[0].generator_id,
                observed_at=max(r.event_time for r in gaps),
                figures={
                    "shipped_kg": kg_text(shipped),
                    "received_kg": kg_text(received),
                    "gap_pct": pct_text(abs(received - shipped) / shipped),
                    "tolerance_pct": pct_text(tolerance),
                },
                event_ids=tuple(dict.fromkeys(r.event_id for r in gaps)),
                batch_ids=tuple(r.batch_id for r in gaps),
                manifest_id=manifest_id,
                site_id=gaps[0].site_id,
            )
        )
    return found


def _all_exempt(transfer: Transfer, stage: Stage, exempt: Exempt) -> bool:
    on = local_day(transfer.shipped_at)
    codes = transfer.waste_codes
    return bool(codes) and all(exempt(code, stage, on) for code in codes)


def _transfer_finding(
    rule_id: str, transfer: Transfer, figures: dict[str, str], organization: uuid.UUID
) -> Finding:
    return Finding(
        rule_id=rule_id,
        subject=f"manifest:{transfer.manifest_id}",
        organization_id=organization,
        observed_at=transfer.shipped_at,
        figures={"manifest": transfer.number, **figures},
        event_ids=transfer.event_ids,
        batch_ids=transfer.batch_ids,
        manifest_id=transfer.manifest_id,
        site_id=transfer.site_id,
    )


def overdue_in_transit(
    transfers: Iterable[Transfer], settings: RuleSettings, as_of: datetime
) -> list[Finding]:
    """Manifests still picked up or in transit more than `max_days` after they were shipped.

    The exemption list is not consulted: a transport exemption waives the carrier's licence,
    not the manifest, and a manifest once issued must be closed by its receipt.
    """
    limit = int(settings.value("overdue_in_transit", "max_days"))
    found = []
    for transfer in transfers:
        days = days_between(transfer.shipped_at, as_of)
        if transfer.state not in IN_TRANSIT_STATES or days <= limit:
            continue
        figures = {"shipped_on": day_text(transfer.shipped_at), "transit_days": str(days)}
        finding = _transfer_finding("overdue_in_transit", transfer, figures, transfer.generator_id)
        found.append(replace(finding, observed_at=as_of))
    return found


def _approval_gap(transfer: Transfer, approval: ApprovalFact | None) -> tuple[str, str] | None:
    """Why the transfer's approval does not cover it, in (English, Chinese), or None."""
    if approval is None:
        return "no cross-province approval", "无跨省转移批复"
    if approval.state != "approved":
        return (
            f"approval {approval.number} is {approval.state}, not approved",
            f"批复 {approval.number} 状态为 {approval.state}，未批准",
        )
    shipped = local_day(transfer.shipped_at)
    if not approval.valid_from <= shipped <= approval.valid_to:
        return (
            f"shipped {shipped} outside approval {approval.number}'s period "
            f"{approval.valid_from} to {approval.valid_to}",
            f"{shipped} 发运，超出批复 {approval.number} 有效期"
            f" {approval.valid_from} 至 {approval.valid_to}",
        )
    if approval.used_kg > approval.cap_kg:
        used, cap = kg_text(approval.used_kg), kg_text(approval.cap_kg)
        return (
            f"approval {approval.number} drawn to {used} kg, beyond its cap of {cap} kg",
            f"批复 {approval.number} 已使用 {used} 千克，超过核准 {cap} 千克",
        )
    return None


def cross_province_unapproved(
    transfers: Iterable[Transfer], approvals: Mapping[uuid.UUID, ApprovalFact], exempt: Exempt
) -> list[Finding]:
    """Cross-province transfers of hazardous waste without an approval that covers them.

    A transfer crosses provinces when the first two digits of its origin and destination
    region codes differ. General solid waste (`SWnn`) is left out: its cross-province moves
    are filed, not approved, under 固废法 art. 22.
    """
    found = []
    for transfer in transfers:
        origin, destination = transfer.origin_region_code, transfer.destination_region_code
        if origin[:2] == destination[:2] or not any(map(is_hazardous, transfer.waste_codes)):
            continue
        if _all_exempt(transfer, Stage.TRANSPORT, exempt):
            continue
        approval = approvals.get(transfer.approval_id) if transfer.approval_id else None
        gap = _approval_gap(transfer, approval)
        if gap is None:
            continue
        figures = {
            "origin": origin,
            "destination": destination,
            "reason": gap[0],
            "reason_zh": gap[1],
        }
        found.append(
            _transfer_finding("cross_province_unapproved", transfer, figures, transfer.generator_id)
        )
    return found


def _licensed_carrier(permits: Sequence[Permit], on: date) -> bool:
    return any(
        p.kind is PermitKind.DANGEROUS_GOODS_TRANSPORT
        and p.in_force(on)
        and PermitActivity.TRANSPORT in p.activities
        for p in permits
    )


def transporter_unlicensed(
    transfers: Iterable[Transfer], permits: PermitsByHolder, exempt: Exempt
) -> list[Finding]:
    """Hazardous transfers carried by a transporter with no transport licence on the day."""
    found = []
    for transfer in transfers:
        on = local_day(transfer.shipped_at)
        codes = [
            c
            for c in transfer.waste_codes
            if is_hazardous(c) and not exempt(c, Stage.TRANSPORT, on)
        ]
        if not codes:
            continue
        for carrier in transfer.transporter_ids:
            if _licensed_carrier(permits.get(carrier, ()), on):
                continue
            figures = {"waste_code": ", ".join(codes), "carried_on": day_text(transfer.shipped_at)}
            found.append(_transfer_finding("transporter_unlicensed", transfer, figures, carrier))
            break
    return found
