"""Cross-province approvals: the generator's signed request, the regulators' signed decisions.

A regulator holds no organization key, so the platform signs a regulator's consent, approval or
refusal with the log's own key (key id `log:<id>`); the document names the regulator's user and
jurisdiction and the log entry records the user, so the decision is attributable and provable.
"""

from __future__ import annotations

import json
import uuid
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from zerowaste.adapters.db.manifests_repository import APPROVAL, ActionRow
from zerowaste.adapters.db.unit_of_work import UnitOfWork
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.approval_documents import (
    ApprovalCommand,
    approval_document,
    parse_approval_document,
    request_fields,
)
from zerowaste.domain.approvals import (
    Approval,
    ApprovalAction,
    ApprovalState,
    ApprovalStep,
    ApprovalTerms,
)
from zerowaste.domain.manifests import RECEIVING_ACTIVITIES
from zerowaste.domain.pages import Page, PageRequest
from zerowaste.errors import (
    ApprovalStateConflict,
    Forbidden,
    InvalidInput,
    MasterKeyMissing,
    NotFound,
    PermitDoesNotCover,
)
from zerowaste.services.authorization import listing_scope
from zerowaste.services.capture_checks import acting_organization
from zerowaste.services.ledger import NewEntry
from zerowaste.services.manifest_rules import ManifestRules
from zerowaste.services.signed_log import SignedLogService
from zerowaste.services.signed_steps import (
    ClientSigner,
    SignedStep,
    StepResult,
    already_logged,
    append_held,
    check_time,
    client_signed,
    custodial_signed,
    platform_signed,
    record_step,
    step_entry,
)
from zerowaste.services.step_batch import StepBatch


@dataclass(frozen=True)
class ApprovalView:
    """An approval with its signed steps in log order."""

    approval: Approval
    actions: list[ActionRow]

    def documents(self) -> list[dict[str, Any]]:
        """The signed step documents, in log order."""
        return [json.loads(a.document) for a in self.actions]


class ApprovalService(SignedLogService):
    """Request, consent to, approve or refuse cross-province transfers."""

    def submit(self, actor: Principal, document: Any, signature: Any) -> StepResult:
        """Log a generator's client-signed request (regulators' steps are platform-signed)."""
        command = parse_approval_document(document)
        if command.action is not ApprovalAction.REQUEST or command.organization_id is None:
            raise InvalidInput("only a request is signed by a firm's key", field="action")
        with self._uow() as uow:
            acting_organization(uow, actor, command.organization_id)
            step = client_signed(
                StepBatch(uow),
                document,
                signature,
                command.organization_id,
                command.action_time,
                self._clock(),
            )
        return self._apply(actor, command, step)

    def act(self, actor: Principal, document: Any) -> StepResult:
        """Sign a step custodially: a request by the generator's key, a decision by the platform."""
        command = parse_approval_document(document)
        if command.action is ApprovalAction.REQUEST:
            assert command.organization_id is not None
            with self._uow() as uow:
                acting_organization(uow, actor, command.organization_id)
            step = custodial_signed(self._signing_keys, document, command.organization_id)
        else:
            if actor.role not in (UserRole.REGULATOR, UserRole.ADMIN):
                raise Forbidden("only a regulator decides on an approval")
            if command.regulator_user_id != actor.user_id or (
                command.jurisdiction_code != actor.jurisdiction_code
            ):
                raise InvalidInput("must name you and your jurisdiction", field="regulator_user_id")
            step = platform_signed(self._ledger, document)
        return self._apply(actor, command, step)

    def request(
        self,
        actor: Principal,
        approval_id: uuid.UUID,
        terms: ApprovalTerms,
        at: datetime,
        signer: ClientSigner | None = None,
    ) -> StepResult:
        """The generator requests an approval (custodial unless `signer` is given)."""
        document = approval_document(
            ApprovalAction.REQUEST, approval_id, at, **request_fields(terms)
        )
        if signer is None:
            return self.act(actor, document)
        return self.submit(actor, document, signer.sign(document))

    def decide(
        self,
        actor: Principal,
        approval_id: uuid.UUID,
        action: ApprovalAction,
        at: datetime | None = None,
        note: str = "",
    ) -> StepResult:
        """A regulator consents (destination), approves (origin) or refuses; the platform signs."""
        fields: dict[str, Any] = {"regulator_user_id": str(actor.user_id)}
        if actor.jurisdiction_code is not None:
            fields["jurisdiction_code"] = actor.jurisdiction_code
        if note:
            fields["note"] = note
        document = approval_document(action, approval_id, at or self._clock(), **fields)
        return self.act(actor, document)

    def _apply(self, actor: Principal, command: ApprovalCommand, step: SignedStep) -> StepResult:
        now = self._clock()
        check_time(command.action_time, now, self._skew)
        with self._uow() as uow:
            uow.events.lock_log(self._ledger.log_id)
            batch = StepBatch(uow)
            held: list[NewEntry] = []
            start = uow.ledger.head_size(self._ledger.log_id)
            result = self._apply_in(batch, actor, command, step, now, held, start)
            batch.flush(now)
            append_held(uow, self._ledger, held, start)
            uow.commit()
        if result.status == "stored":
            with suppress(MasterKeyMissing):
                self._ledger.maybe_checkpoint()
        return result

    def _apply_in(
        self,
        batch: StepBatch,
        actor: Principal,
        command: ApprovalCommand,
        step: SignedStep,
        now: datetime,
        held: list[NewEntry],
        index: int,
    ) -> StepResult:
        """Check and project one step in the batch; hold its log entry for leaf `index`."""
        earlier = already_logged(batch, command.action_id, step)
        if earlier is not None:
            return earlier
        current = batch.approval(command.approval_id)
        record = ApprovalStep(
            action_id=command.action_id,
            action=command.action,
            signed_at=command.action_time,
            key_id=step.signature.key_id,
            organization_id=command.organization_id,
            user_id=actor.user_id,
            jurisdiction_code=command.jurisdiction_code,
            note=command.note,
        )
        if command.action is ApprovalAction.REQUEST:
            if current is not None:
                raise ApprovalStateConflict(
                    f"approval {command.approval_id} exists", field="approval_id"
                )
            assert command.terms is not None
            approval = self._requested(batch.uow, command, record)
        else:
            if current is None:
                raise NotFound(f"no approval {command.approval_id}", field="approval_id")
            approval = {
                ApprovalAction.CONSENT: current.consent,
                ApprovalAction.APPROVE: current.approve,
                ApprovalAction.REFUSE: current.refuse,
            }[command.action](record)
        held.append(step_entry(actor, step, command.action_id, command.organization_id))
        record_step(
            batch, self._ledger, actor, step, subject=APPROVAL, subject_id=command.approval_id,
            action_id=command.action_id, action=command.action.value, at=command.action_time,
            organization_id=command.organization_id, now=now, index=index,
        )  # fmt: skip
        batch.put_approval(approval.with_leaf(command.action_id, index))
        return StepResult(command.action_id, index, "stored")

    def _requested(
        self, uow: UnitOfWork, command: ApprovalCommand, record: ApprovalStep
    ) -> Approval:
        terms = command.terms
        assert terms is not None
        on = command.action_time.date()
        rules = ManifestRules(uow, self._catalog)
        origin = rules.site_of(terms.generator_site_id, terms.generator_id, "generator_site_id")
        rules.organization(terms.receiver_id, "receiver_id")
        destination = rules.site_of(terms.receiver_site_id, terms.receiver_id, "receiver_site_id")
        code = self._catalog.validate_code_or_category(terms.waste_code, on, "waste_code")
        self._receiver_covers(rules, terms, code, on)
        return Approval.request(
            command.approval_id,
            replace(terms, waste_code=code),
            origin.region_code,
            destination.region_code,
            record,
        )

    @staticmethod
    def _receiver_covers(rules: ManifestRules, terms: ApprovalTerms, code: str, on: Any) -> None:
        """The receiver must be licensed for the code for some receiving activity."""
        errors: list[PermitDoesNotCover] = []
        for activity in sorted(RECEIVING_ACTIVITIES):
            try:
                rules.receiver_permit(
                    terms.receiver_id, terms.receiver_site_id, [code], activity, on
                )
            except PermitDoesNotCover as exc:
                errors.append(exc)
            else:
                return
        raise PermitDoesNotCover(
            f"no hazardous waste business licence of the receiver covers {code} on {on}",
            field="receiver_id",
        ) from errors[0]

    def approval(self, actor: Principal, approval_id: uuid.UUID) -> ApprovalView:
        """An approval, for its generator and receiver, either province's regulators, admins."""
        with self._uow() as uow:
            approval = uow.manifests.approval(approval_id)
            if approval is None:
                raise NotFound(f"no approval {approval_id}", field="approval_id")
            t = approval.terms
            if actor.organization_id not in (t.generator_id, t.receiver_id) and not (
                actor.oversees(approval.origin_region_code)
                or actor.oversees(approval.destination_region_code)
            ):
                raise Forbidden("this approval is not yours to see", field="approval_id")
            return ApprovalView(approval, uow.manifests.actions_of(approval_id))

    def find(
        self,
        actor: Principal,
        page: PageRequest,
        *,
        organization_id: uuid.UUID | None = None,
        state: ApprovalState | None = None,
    ) -> Page[Approval]:
        """A page of approvals: a firm's own, a regulator's region's (either end), or all."""
        organization_id, region = listing_scope(actor, organization_id)
        with self._uow() as uow:
            if organization_id is not None:
                acting_organization(uow, actor, organization_id)
            return uow.manifests.find_approvals(
                page, organization_id=organization_id, region_code=region, state=state
            )
