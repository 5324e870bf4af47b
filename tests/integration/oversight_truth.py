"""Scoring the sweep's findings against the demo's planted ground truth (per rule)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from zerowaste.oversight.findings import Finding
from zerowaste.oversight.rules import RULES

#: The demo's violation kinds and the rules that must find them.
KIND_RULES = {
    "over_storage": "over_storage",
    "unpermitted_receiver": "receiver_not_permitted",
    "weight_gap": "weight_gap",
    "vanished_batch": "vanished_batch",
    "overdue_manifest": "overdue_in_transit",
    "under_reporting": "under_reporting",
    "backdated_record": "backdated_record",
}


@dataclass(frozen=True, slots=True)
class Score:
    """One rule's tally against the truth."""

    rule_id: str
    planted: int
    prevented: int
    found: int
    hits: int
    caught: int

    @property
    def recall(self) -> float:
        """Share of stored planted violations found (1 when none is stored)."""
        stored = self.planted - self.prevented
        return 1.0 if stored == 0 else self.caught / stored

    @property
    def precision(self) -> float:
        """Share of findings that are planted violations (1 when there are none)."""
        return 1.0 if self.found == 0 else self.hits / self.found


def _matches(finding: Finding, violation: Mapping[str, Any]) -> bool:
    if str(finding.organization_id) != violation["organization_id"]:
        return False
    if violation["manifest_id"]:
        return finding.manifest_id == uuid.UUID(violation["manifest_id"])
    batches = {uuid.UUID(b) for b in violation["batch_ids"]}
    events = {uuid.UUID(e) for e in violation["event_ids"]}
    if violation["kind"] == "backdated_record":
        return bool(events & set(finding.event_ids))
    if batches:
        return bool(batches & set(finding.batch_ids))
    return True  # under-reporting: the firm


def _on_batches(finding: Finding, violation: Mapping[str, Any]) -> bool:
    return bool({uuid.UUID(b) for b in violation["batch_ids"]} & set(finding.batch_ids))


def score(findings: Iterable[Finding], truth: Mapping[str, Any]) -> list[Score]:
    """Per rule: planted, prevented at capture, found, findings that hit, violations caught."""
    found = list(findings)
    scores = []
    for spec in RULES:
        mine = [f for f in found if f.rule_id == spec.rule_id]
        planted = [v for v in truth["violations"] if KIND_RULES.get(v["kind"]) == spec.rule_id]
        stored = [v for v in planted if v["status"] != "refused"]
        # A refused attempt's generated batch stays in the ledger with no event after it: a
        # finding on it is about a planted record, not a false positive.
        refused = [v for v in truth["violations"] if v["status"] == "refused"]
        hits = sum(
            any(_matches(f, v) for v in stored) or any(_on_batches(f, v) for v in refused)
            for f in mine
        )
        caught = sum(any(_matches(f, v) for f in mine) for v in stored)
        scores.append(
            Score(spec.rule_id, len(planted), len(planted) - len(stored), len(mine), hits, caught)
        )
    return scores


def table(scores: Iterable[Score]) -> str:
    """The scores as a printable table."""
    lines = [f"{'rule':28} planted prevented found hits recall precision"]
    for s in scores:
        lines.append(
            f"{s.rule_id:28} {s.planted:7} {s.prevented:9} {s.found:5} {s.hits:4}"
            f" {s.recall:6.2f} {s.precision:9.2f}"
        )
    return "\n".join(lines)
