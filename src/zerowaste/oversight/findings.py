"""A finding: one rule's breach by one organization, with the records that show it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from zerowaste.oversight.rules import RuleSpec, rule


@dataclass(frozen=True, slots=True)
class Finding:
    """What a detector reports; the oversight service turns new ones into alerts.

    Attributes:
        rule_id: The rule breached.
        subject: What the breach is about, as `kind:id` (`batch:<uuid>`, `manifest:<uuid>`,
            `event:<uuid>`, `organization:<uuid>:<year>` …). With the rule id it is the
            condition's fingerprint: the same condition is never raised twice.
        organization_id: The organization answerable for it (whose alert it is).
        observed_at: When the condition was seen to hold (the record's time, or the sweep's
            as-of instant for time-based rules).
        figures: The numbers that show it, as strings, named as the rule's templates name them.
        event_ids: The events that are the evidence (each verifiable with its receipt).
        batch_ids: The batches concerned.
        manifest_id: The manifest concerned, if any.
        site_id: The site concerned, if any (it places the alert on the map).
    """

    rule_id: str
    subject: str
    organization_id: uuid.UUID
    observed_at: datetime
    figures: Mapping[str, str] = field(default_factory=dict)
    event_ids: tuple[uuid.UUID, ...] = ()
    batch_ids: tuple[uuid.UUID, ...] = ()
    manifest_id: uuid.UUID | None = None
    site_id: uuid.UUID | None = None

    @property
    def fingerprint(self) -> str:
        """The condition's identity: the rule and the subject."""
        return f"{self.rule_id}|{self.subject}"

    @property
    def spec(self) -> RuleSpec:
        """The rule breached."""
        return rule(self.rule_id)

    def explanation(self) -> tuple[str, str]:
        """The plain explanation in (Chinese, English)."""
        return self.spec.explain(self.figures)
