"""Signing and logging oversight steps (alerts, whitelist, inspection plans) with the log's key.

Regulators hold no organization key and the sweep acts for no one, so every oversight step is
a `zerowaste.oversight/1` document signed by the platform with the log's own key, logged as a
leaf and recorded in `workflow_actions` in the caller's transaction. The document names the
subject, the acting regulator's user and jurisdiction (absent for the sweep) and the reason,
so a history rebuilt from the log alone is complete and attributable.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from zerowaste.adapters.db.manifests_repository import ActionRow
from zerowaste.adapters.db.unit_of_work import UnitOfWork
from zerowaste.domain.access import Principal
from zerowaste.domain.alerts import ALERT, OVERSIGHT_FORMAT
from zerowaste.ledger.canonical import canonical_json
from zerowaste.services.ledger import LedgerService, NewEntry
from zerowaste.services.signed_steps import append_held

#: The `subject` of whitelist steps and of inspection plan steps in `workflow_actions`.
WHITELIST = "whitelist"
INSPECTION_PLAN = "inspection"
#: The document member holding each subject's id (the action audit checks it).
SUBJECT_MEMBER = {ALERT: "alert_id", WHITELIST: "organization_id", INSPECTION_PLAN: "plan_id"}


@dataclass(frozen=True, slots=True)
class OversightStep:
    """One step to sign and log.

    Attributes:
        subject: `alert`, `whitelist` or `inspection`.
        subject_id: The alert, organization or plan id.
        action: What is done (`raise`, `acknowledge`, `admit`, `draw` …).
        at: When it is done.
        members: The step's own document members (evidence, figures, draws …).
        organization_id: The organization the step concerns, if any.
        reason: The stated reason ("" if none).
    """

    subject: str
    subject_id: uuid.UUID
    action: str
    at: datetime
    members: Mapping[str, Any] = field(default_factory=dict)
    organization_id: uuid.UUID | None = None
    reason: str = ""


def step_document(
    step: OversightStep, action_id: uuid.UUID, actor: Principal | None
) -> dict[str, Any]:
    """The signed document of a step: common members, the subject's id, the actor, the members."""
    document: dict[str, Any] = {
        "format": OVERSIGHT_FORMAT,
        "action_id": str(action_id),
        "action": step.action,
        "action_time": step.at.isoformat(),
        "subject": step.subject,
        SUBJECT_MEMBER[step.subject]: str(step.subject_id),
    }
    if actor is not None:
        document["regulator_user_id"] = str(actor.user_id)
        if actor.jurisdiction_code is not None:
            document["jurisdiction_code"] = actor.jurisdiction_code
    if step.reason:
        document["reason"] = step.reason
    document.update(step.members)
    return document


def log_steps(
    uow: UnitOfWork,
    ledger: LedgerService,
    actor: Principal | None,
    steps: Sequence[OversightStep],
    now: datetime,
) -> list[ActionRow]:
    """Sign, log and record `steps` in the caller's transaction (which must hold the log lock).

    Returns:
        The recorded action rows, in log order (each names its leaf).
    """
    if not steps:
        return []
    start = uow.ledger.head_size(ledger.log_id)
    held = []
    rows = []
    documents = []
    for step in steps:
        action_id = uuid.uuid4()
        document = step_document(step, action_id, actor)
        documents.append((action_id, document, canonical_json(document)))
    signatures = ledger.sign_many_as_platform([canonical for _, _, canonical in documents])
    for offset, (step, (action_id, document, canonical), (signature, public_key)) in enumerate(
        zip(steps, documents, signatures, strict=True)
    ):
        held.append(
            NewEntry(
                id=action_id,
                event=document,
                signature=signature,
                public_key=public_key,
                organization_id=step.organization_id,
                user_id=actor.user_id if actor else None,
                canonical=canonical,
            )
        )
        rows.append(
            ActionRow(
                action_id=action_id,
                subject=step.subject,
                subject_id=step.subject_id,
                action=step.action,
                action_time=step.at,
                organization_id=step.organization_id,
                log_id=ledger.log_id,
                leaf_index=start + offset,
                document=canonical,
                signature_key_id=signature.key_id,
                signature_value=signature.value,
                user_id=actor.user_id if actor else None,
                recorded_at=now,
            )
        )
    uow.manifests.add_actions(rows)
    append_held(uow, ledger, held, start)
    return rows
