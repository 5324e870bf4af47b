"""Storage rules: hazardous waste held too long, nearing its limit, or vanished from the record."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from zerowaste.oversight.detect_common import (
    Exempt,
    day_text,
    days_between,
    is_hazardous,
    kg_text,
    local_day,
)
from zerowaste.oversight.facts import HeldBatch
from zerowaste.oversight.findings import Finding
from zerowaste.oversight.rules import RuleSettings, Stage


def _storage_finding(rule_id: str, batch: HeldBatch, as_of: datetime, stored_days: int) -> Finding:
    return Finding(
        rule_id=rule_id,
        subject=f"batch:{batch.batch_id}",
        organization_id=batch.holder_id,
        observed_at=as_of,
        figures={
            "waste_code": batch.waste_code or "",
            "batch": str(batch.batch_id),
            "stored_days": str(stored_days),
            "since": day_text(batch.stored_since),
            "mass_kg": kg_text(batch.mass_kg),
        },
        event_ids=batch.event_ids,
        batch_ids=(batch.batch_id,),
        site_id=batch.site_id,
    )


def over_storage(
    batches: Iterable[HeldBatch], settings: RuleSettings, as_of: datetime, exempt: Exempt
) -> list[Finding]:
    """Held hazardous batches stored at their site longer than `max_days` (固废法 art. 81).

    A batch counts from `stored_since` (its arrival at the site it is held at), whether or not
    a `stored` event put it into a store: holding it anywhere is storing it. Batches whose code
    the exemption list exempts at the storage stage raise nothing.
    """
    limit = int(settings.value("over_storage", "max_days"))
    found = []
    for batch in batches:
        days = days_between(batch.stored_since, as_of)
        if not is_hazardous(batch.waste_code) or days <= limit:
            continue
        assert batch.waste_code is not None
        if exempt(batch.waste_code, Stage.STORAGE, local_day(as_of)):
            continue
        found.append(_storage_finding("over_storage", batch, as_of, days))
    return found


def storage_nearing_limit(
    batches: Iterable[HeldBatch], settings: RuleSettings, as_of: datetime, exempt: Exempt
) -> list[Finding]:
    """Held hazardous batches stored past `warn_days` but not yet past `max_days`."""
    warn = int(settings.value("storage_nearing_limit", "warn_days"))
    limit = int(settings.value("storage_nearing_limit", "max_days"))
    found = []
    for batch in batches:
        days = days_between(batch.stored_since, as_of)
        if not is_hazardous(batch.waste_code) or not warn < days <= limit:
            continue
        assert batch.waste_code is not None
        if exempt(batch.waste_code, Stage.STORAGE, local_day(as_of)):
            continue
        found.append(_storage_finding("storage_nearing_limit", batch, as_of, days))
    return found


def vanished_batch(
    batches: Iterable[HeldBatch], settings: RuleSettings, as_of: datetime
) -> list[Finding]:
    """Held batches whose only event is their making, older than `max_days` (固废法 art. 78).

    Never stored, shipped, split, used or disposed: the waste has left the record. Batches
    in transit are not held (overdue manifests cover them).
    """
    limit = int(settings.value("vanished_batch", "max_days"))
    found = []
    for batch in batches:
        silent = days_between(batch.last_event_at, as_of)
        if batch.moves or batch.waste_code is None or silent <= limit:
            continue
        found.append(
            Finding(
                rule_id="vanished_batch",
                subject=f"batch:{batch.batch_id}",
                organization_id=batch.holder_id,
                observed_at=as_of,
                figures={
                    "waste_code": batch.waste_code,
                    "batch": str(batch.batch_id),
                    "mass_kg": kg_text(batch.mass_kg),
                    "silent_days": str(silent),
                    "since": day_text(batch.last_event_at),
                },
                event_ids=batch.event_ids,
                batch_ids=(batch.batch_id,),
                site_id=batch.site_id,
            )
        )
    return found
