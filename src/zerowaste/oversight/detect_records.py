"""Record rules: mass balance, signing keys, backdated records and inspection stock gaps."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal

from zerowaste.oversight.detect_common import day_text, instant_text, kg_text, pct_text
from zerowaste.oversight.facts import InspectionLine, SignedEvent, TimedEvent, Transformation
from zerowaste.oversight.findings import Finding
from zerowaste.oversight.rules import RuleSettings


def mass_balance_breach(
    transformations: Iterable[Transformation], settings: RuleSettings
) -> list[Finding]:
    """Transformations whose outputs plus declared loss differ from the inputs beyond tolerance."""
    tolerance = settings.value("mass_balance_breach", "tolerance")
    found = []
    for t in transformations:
        made = t.outputs_kg + t.loss_kg
        if t.inputs_kg <= 0 or abs(made - t.inputs_kg) / t.inputs_kg <= tolerance:
            continue
        found.append(
            Finding(
                rule_id="mass_balance_breach",
                subject=f"event:{t.event_id}",
                organization_id=t.organization_id,
                observed_at=t.event_time,
                figures={
                    "inputs_kg": kg_text(t.inputs_kg),
                    "outputs_kg": kg_text(made),
                    "gap_pct": pct_text(abs(made - t.inputs_kg) / t.inputs_kg),
                    "tolerance_pct": pct_text(tolerance),
                },
                event_ids=(t.event_id,),
                batch_ids=t.batch_ids,
                site_id=t.site_id,
            )
        )
    return found


def signature_key_invalid(events: Iterable[SignedEvent]) -> list[Finding]:
    """Events recorded when the registered key that signed them was not valid."""
    found = []
    for e in events:
        early = e.recorded_at < e.valid_from
        late = e.valid_to is not None and e.recorded_at >= e.valid_to
        if not (early or late):
            continue
        found.append(
            Finding(
                rule_id="signature_key_invalid",
                subject=f"event:{e.event_id}",
                organization_id=e.organization_id,
                observed_at=e.recorded_at,
                figures={
                    "event": str(e.event_id),
                    "recorded_at": instant_text(e.recorded_at),
                    "key": e.key_id,
                    "valid_from": instant_text(e.valid_from),
                    "valid_to": "—" if e.valid_to is None else instant_text(e.valid_to),
                },
                event_ids=(e.event_id,),
                site_id=e.site_id,
            )
        )
    return found


def backdated_record(events: Iterable[TimedEvent], settings: RuleSettings) -> list[Finding]:
    """Events recorded more than `max_days` after the time they say they happened."""
    limit = int(settings.value("backdated_record", "max_days"))
    found = []
    for e in events:
        lag = e.recorded_at - e.event_time
        if lag <= timedelta(days=limit):
            continue
        found.append(
            Finding(
                rule_id="backdated_record",
                subject=f"event:{e.event_id}",
                organization_id=e.organization_id,
                observed_at=e.recorded_at,
                figures={
                    "event_type": e.event_type,
                    "event_time": day_text(e.event_time),
                    "recorded_at": day_text(e.recorded_at),
                    "lag_days": str(lag.days),
                },
                event_ids=(e.event_id,),
                batch_ids=e.batch_ids,
                site_id=e.site_id,
            )
        )
    return found


def inspection_stock_gap(lines: Iterable[InspectionLine], settings: RuleSettings) -> list[Finding]:
    """Inspection lines whose counted stock differs from the ledger's beyond the tolerance.

    With nothing in the ledger any stock counted is a gap.
    """
    tolerance = settings.value("inspection_stock_gap", "tolerance")
    found = []
    for line in lines:
        gap = abs(line.gap_kg)
        if gap <= tolerance * line.ledger_kg or gap == Decimal(0):
            continue
        found.append(
            Finding(
                rule_id="inspection_stock_gap",
                subject=f"inspection:{line.event_id}:{line.line_no}",
                organization_id=line.organization_id,
                observed_at=line.inspected_at,
                figures={
                    "inspected_on": day_text(line.inspected_at),
                    "counted_kg": kg_text(line.counted_kg),
                    "ledger_kg": kg_text(line.ledger_kg),
                    "gap_kg": kg_text(line.gap_kg),
                    "waste_code": line.waste_code or "",
                },
                event_ids=(line.event_id,),
                batch_ids=() if line.batch_id is None else (line.batch_id,),
                site_id=line.site_id,
            )
        )
    return found
