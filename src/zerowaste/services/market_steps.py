"""Logging a proposal or contract step: sign (custodially or check a client's signature), log.

Like the approval workflow, each step is a signed document appended to the log in the same
transaction that moves its projection and records its `workflow_actions` row.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from zerowaste.adapters.db.unit_of_work import UnitOfWork
from zerowaste.domain.access import Principal
from zerowaste.errors import MasterKeyMissing
from zerowaste.services.capture_checks import acting_organization
from zerowaste.services.signed_log import SignedLogService
from zerowaste.services.signed_steps import (
    SignedStep,
    StepResult,
    already_logged,
    append_held,
    check_time,
    client_signed,
    custodial_signed,
    record_step,
    step_entry,
)
from zerowaste.services.step_batch import StepBatch

#: Projects a step inside the transaction: (unit of work, its leaf index, now) -> None.
Project = Callable[[UnitOfWork, int, datetime], None]


@dataclass(frozen=True, slots=True)
class StepKey:
    """What the log row of a step says: subject, action, its id and time, the signer."""

    subject: str
    subject_id: uuid.UUID
    action: str
    action_id: uuid.UUID
    at: datetime
    organization_id: uuid.UUID


class MarketStepService(SignedLogService):
    """Signs and logs market steps; subclasses parse documents and project them."""

    def _signed(
        self,
        actor: Principal,
        document: dict[str, Any],
        organization_id: uuid.UUID,
        at: datetime,
        signature: Any | None,
    ) -> SignedStep:
        """The step signed by the organization: checked if client-signed, else custodially."""
        with self._uow() as uow:
            acting_organization(uow, actor, organization_id)
            if signature is not None:
                return client_signed(
                    StepBatch(uow), document, signature, organization_id, at, self._clock()
                )
        return custodial_signed(self._signing_keys, document, organization_id)

    def _log(
        self, actor: Principal, key: StepKey, step: SignedStep, project: Project
    ) -> StepResult:
        """Project and log one step atomically; the same step again is answered, not redone."""
        now = self._clock()
        check_time(key.at, now, self._skew)
        with self._uow() as uow:
            uow.events.lock_log(self._ledger.log_id)
            batch = StepBatch(uow)
            earlier = already_logged(batch, key.action_id, step)
            if earlier is not None:
                return earlier
            index = uow.ledger.head_size(self._ledger.log_id)
            project(uow, index, now)
            record_step(
                batch, self._ledger, actor, step, subject=key.subject, subject_id=key.subject_id,
                action_id=key.action_id, action=key.action, at=key.at,
                organization_id=key.organization_id, now=now, index=index,
            )  # fmt: skip
            batch.flush(now)
            held = [step_entry(actor, step, key.action_id, key.organization_id)]
            append_held(uow, self._ledger, held, index)
            uow.commit()
        with suppress(MasterKeyMissing):
            self._ledger.maybe_checkpoint()
        return StepResult(key.action_id, index, "stored")
