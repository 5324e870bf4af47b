"""The planted violations' ground truth as JSON, kept apart from the tables the app reads."""

from __future__ import annotations

from datetime import date
from typing import Any

from zerowaste.demo.city import DEFAULT_AS_OF, generate_city
from zerowaste.demo.events import plan_events
from zerowaste.demo.plan import (
    BACKDATED_AFTER_DAYS,
    MAX_STORAGE_DAYS,
    OVERDUE_TRANSIT_DAYS,
    VANISHED_AFTER_DAYS,
    WEIGHT_GAP_TOLERANCE,
    EventPlan,
)

TRUTH_FORMAT = "zerowaste.demo-truth/1"


def ground_truth(plan: EventPlan, scale: float) -> dict[str, Any]:
    """The plan's planted violations with the thresholds they break, as JSON-ready values.

    Organizations are named by firm key, credit code and demo reference id; batches, events
    and manifests by their final ids. Whoever stores the city may add the stored
    organization ids (`organization_id`) and what capture made of each (`status`).
    """
    return {
        "format": TRUTH_FORMAT,
        "seed": plan.seed,
        "scale": scale,
        "as_of": plan.as_of.isoformat(),
        "window_start": plan.window_start.isoformat(),
        "thresholds": {
            "weight_gap_tolerance": WEIGHT_GAP_TOLERANCE,
            "overdue_transit_days": OVERDUE_TRANSIT_DAYS,
            "max_storage_days": MAX_STORAGE_DAYS,
            "vanished_after_days": VANISHED_AFTER_DAYS,
            "backdated_after_days": BACKDATED_AFTER_DAYS,
        },
        "violations": [violation.as_json() for violation in plan.violations],
    }


def demo_ground_truth(
    seed: int = 7, scale: float = 1.0, *, as_of: date = DEFAULT_AS_OF
) -> dict[str, Any]:
    """The ground truth of the demo city built from these arguments (regenerated, no I/O)."""
    return ground_truth(plan_events(generate_city(seed, scale, as_of=as_of)), scale)
