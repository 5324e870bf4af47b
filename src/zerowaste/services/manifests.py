"""Transfer manifests: signed steps checked at their date, logged and projected atomically."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from zerowaste.adapters.db.manifests_repository import MANIFEST, ActionRow, ManifestEventRow
from zerowaste.domain.access import Principal
from zerowaste.domain.approvals import Approval
from zerowaste.domain.manifest_documents import (
    ManifestCommand,
    RejectionSpec,
    manifest_document,
    parse_manifest_document,
    receipt_fields,
    terms_fields,
)
from zerowaste.domain.manifests import (
    Manifest,
    ManifestAction,
    ManifestState,
    ManifestTerms,
    ReceiptLine,
)
from zerowaste.domain.organizations import Organization
from zerowaste.domain.pages import Page, PageRequest
from zerowaste.domain.sites import Site
from zerowaste.errors import (
    Forbidden,
    MasterKeyMissing,
    NotFound,
    TooManySteps,
)
from zerowaste.services.authorization import listing_scope
from zerowaste.services.capture_checks import acting_organization
from zerowaste.services.ledger import NewEntry
from zerowaste.services.manifest_rules import ManifestRules
from zerowaste.services.manifest_steps import prefetch_steps, step_fields, transition
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
    record_step,
    signature_key_ids,
    step_entry,
)
from zerowaste.services.step_batch import StepBatch

MAX_STEPS_PER_BATCH = 1000


@dataclass(frozen=True)
class ManifestView:
    """A manifest's read model, complete enough to print.

    The current version, earlier versions, every signed step and captured event with its
    leaf, and the parties and sites it names.
    """

    manifest: Manifest
    versions: list[tuple[int, uuid.UUID, ManifestTerms]]
    actions: list[ActionRow]
    events: list[ManifestEventRow]
    organizations: dict[uuid.UUID, Organization] = field(default_factory=dict)
    sites: dict[uuid.UUID, Site] = field(default_factory=dict)
    approval: Approval | None = None

    def documents(self) -> list[dict[str, Any]]:
        """The signed step documents, in log order."""
        return [json.loads(a.document) for a in self.actions]


class ManifestService(SignedLogService):
    """Issue, carry, receive, reject, close and correct manifests, each step signed and logged."""

    # -- signed documents ------------------------------------------------------------------

    def submit(self, actor: Principal, document: Any, signature: Any) -> StepResult:
        """Log a client-signed `zerowaste.manifest/1` step.

        Raises:
            ZeroWasteError: The document, signature, rules or state refuse it (nothing stored).
        """
        command = parse_manifest_document(document)
        now = self._clock()
        with self._uow() as uow:
            acting_organization(uow, actor, command.organization_id)
            step = client_signed(
                StepBatch(uow), document, signature, command.organization_id,
                command.action_time, now,
            )  # fmt: skip
        return self._apply(actor, command, step)

    def act(self, actor: Principal, document: Any) -> StepResult:
        """Sign a step with the organization's custodial key, then log it."""
        command = parse_manifest_document(document)
        with self._uow() as uow:
            acting_organization(uow, actor, command.organization_id)
        step = custodial_signed(self._signing_keys, document, command.organization_id)
        return self._apply(actor, command, step)

    def _run(
        self, actor: Principal, document: dict[str, Any], signer: ClientSigner | None
    ) -> StepResult:
        if signer is None:
            return self.act(actor, document)
        return self.submit(actor, document, signer.sign(document))

    # -- conveniences (a demo or a client calls these in sequence) -------------------------

    def issue(
        self,
        actor: Principal,
        manifest_id: uuid.UUID,
        terms: ManifestTerms,
        at: datetime,
        signer: ClientSigner | None = None,
    ) -> StepResult:
        """The generator issues a manifest (custodial unless `signer` is given)."""
        document = manifest_document(
            ManifestAction.ISSUE, manifest_id, terms.generator_id, at, **terms_fields(terms)
        )
        return self._run(actor, document, signer)

    def correct(
        self,
        actor: Principal,
        manifest_id: uuid.UUID,
        terms: ManifestTerms,
        reason: str,
        at: datetime,
        signer: ClientSigner | None = None,
    ) -> StepResult:
        """The generator issues a corrected version (before pickup)."""
        fields = terms_fields(terms) | {"reason": reason}
        document = manifest_document(
            ManifestAction.CORRECT, manifest_id, terms.generator_id, at, **fields
        )
        return self._run(actor, document, signer)

    def pickup(
        self,
        actor: Principal,
        manifest_id: uuid.UUID,
        transporter_id: uuid.UUID,
        leg: int,
        at: datetime,
        signer: ClientSigner | None = None,
    ) -> StepResult:
        """A transporter signs pickup of its leg."""
        document = manifest_document(
            ManifestAction.PICKUP, manifest_id, transporter_id, at, leg=leg
        )
        return self._run(actor, document, signer)

    def deliver(
        self,
        actor: Principal,
        manifest_id: uuid.UUID,
        transporter_id: uuid.UUID,
        leg: int,
        at: datetime,
        signer: ClientSigner | None = None,
    ) -> StepResult:
        """A transporter signs delivery (or hand-off to the next carrier) of its leg."""
        document = manifest_document(
            ManifestAction.DELIVER, manifest_id, transporter_id, at, leg=leg
        )
        return self._run(actor, document, signer)

    def receive(
        self,
        actor: Principal,
        manifest_id: uuid.UUID,
        receiver_id: uuid.UUID,
        site_id: uuid.UUID,
        lines: tuple[ReceiptLine, ...],
        at: datetime,
        rejection: RejectionSpec | None = None,
        signer: ClientSigner | None = None,
        *,
        action: ManifestAction = ManifestAction.RECEIVE,
    ) -> StepResult:
        """The receiver signs its receipt with the weighed masses (and any partial rejection)."""
        fields = receipt_fields(site_id, lines, rejection)
        document = manifest_document(action, manifest_id, receiver_id, at, **fields)
        return self._run(actor, document, signer)

    def reject(
        self,
        actor: Principal,
        manifest_id: uuid.UUID,
        receiver_id: uuid.UUID,
        site_id: uuid.UUID,
        lines: tuple[ReceiptLine, ...],
        at: datetime,
        rejection: RejectionSpec,
        signer: ClientSigner | None = None,
    ) -> StepResult:
        """The receiver refuses the whole load (every line's weighed mass rejected)."""
        return self.receive(
            actor,
            manifest_id,
            receiver_id,
            site_id,
            lines,
            at,
            rejection,
            signer,
            action=ManifestAction.REJECT,
        )

    def close(
        self,
        actor: Principal,
        manifest_id: uuid.UUID,
        organization_id: uuid.UUID,
        at: datetime,
        signer: ClientSigner | None = None,
    ) -> StepResult:
        """The party holding the waste at the end closes the manifest."""
        document = manifest_document(ManifestAction.CLOSE, manifest_id, organization_id, at)
        return self._run(actor, document, signer)

    # -- applying a step -------------------------------------------------------------------

    def _apply(self, actor: Principal, command: ManifestCommand, step: SignedStep) -> StepResult:
        now = self._clock()
        check_time(command.action_time, now, self._skew)
        with self._uow() as uow:
            uow.events.lock_log(self._ledger.log_id)
            batch, rules = StepBatch(uow), ManifestRules(uow, self._catalog)
            start = uow.ledger.head_size(self._ledger.log_id)
            held: list[NewEntry] = []
            result = self._apply_in(batch, rules, actor, command, step, now, held, start)
            self._commit(batch, held, start, now)
        with suppress(MasterKeyMissing):
            self._ledger.maybe_checkpoint()
        return result

    def _commit(self, batch: StepBatch, held: list[NewEntry], start: int, now: datetime) -> None:
        """Write the batch's projections and action rows, log its entries, and commit."""
        batch.flush(now)
        append_held(batch.uow, self._ledger, held, start)
        batch.uow.commit()

    def _apply_in(
        self,
        batch: StepBatch,
        rules: ManifestRules,
        actor: Principal,
        command: ManifestCommand,
        step: SignedStep,
        now: datetime,
        held: list[NewEntry],
        index: int,
    ) -> StepResult:
        """Check and project one step in the batch; hold its log entry for leaf `index`."""
        earlier = already_logged(batch, command.action_id, step)
        if earlier is not None:
            return earlier
        manifest, approvals = transition(batch, rules, actor, command, step)
        held.append(step_entry(actor, step, command.action_id, command.organization_id))
        record_step(
            batch, self._ledger, actor, step, subject=MANIFEST, subject_id=command.manifest_id,
            action_id=command.action_id, action=command.action.value, at=command.action_time,
            organization_id=command.organization_id, now=now, index=index,
        )  # fmt: skip
        manifest = manifest.with_leaf(command.action_id, index)
        batch.put(manifest)
        if command.action in (ManifestAction.ISSUE, ManifestAction.CORRECT):
            batch.add_version(manifest, command.action_id)
        for approval in approvals:
            batch.put_approval(approval)
        return StepResult(command.action_id, index, "stored")

    def submit_many(
        self, actor: Principal, submissions: Sequence[tuple[Any, Any]]
    ) -> list[StepResult]:
        """Log many client-signed steps in one transaction, all or none, in the order given.

        Each step is checked against the state the earlier steps of the batch left, so a
        batch may issue a manifest and pick it up. One refused step stores nothing.

        Args:
            actor: Who submits; must act for every step's organization.
            submissions: `(document, signature)` pairs of `zerowaste.manifest/1` steps.

        Raises:
            ZeroWasteError: The first refused step's condition, its field prefixed with
                `steps[i]`; nothing is stored then.
        """
        if len(submissions) > MAX_STEPS_PER_BATCH:
            raise TooManySteps(f"at most {MAX_STEPS_PER_BATCH} steps", field="steps")
        commands: list[ManifestCommand] = []
        for index, (document, _) in enumerate(submissions):
            with step_fields(index):
                commands.append(parse_manifest_document(document))
        now = self._clock()
        results: list[StepResult] = []
        with self._uow() as uow:
            uow.events.lock_log(self._ledger.log_id)
            batch, rules = StepBatch(uow), ManifestRules(uow, self._catalog)
            prefetch_steps(batch, rules, commands, signature_key_ids(s for _, s in submissions))
            start = uow.ledger.head_size(self._ledger.log_id)
            held: list[NewEntry] = []
            for index, ((document, signature), command) in enumerate(
                zip(submissions, commands, strict=True)
            ):
                with step_fields(index):
                    rules.acting(actor, command.organization_id)
                    step = client_signed(
                        batch, document, signature, command.organization_id,
                        command.action_time, now,
                    )  # fmt: skip
                    check_time(command.action_time, now, self._skew)
                    leaf = start + len(held)
                    results.append(
                        self._apply_in(batch, rules, actor, command, step, now, held, leaf)
                    )
            self._commit(batch, held, start, now)
        if any(r.status == "stored" for r in results):
            with suppress(MasterKeyMissing):
                self._ledger.maybe_checkpoint()
        return results

    # -- reading ---------------------------------------------------------------------------

    @staticmethod
    def _may_see(actor: Principal, manifest: Manifest) -> bool:
        if actor.organization_id in manifest.party_ids:
            return True
        return actor.oversees(manifest.origin_region_code) or actor.oversees(
            manifest.destination_region_code
        )

    def manifest(self, actor: Principal, manifest_id: uuid.UUID) -> ManifestView:
        """A manifest with its versions, steps, events, parties and sites (parties, oversight)."""
        with self._uow() as uow:
            manifest = uow.manifests.get(manifest_id)
            if manifest is None:
                raise NotFound(f"no manifest {manifest_id}", field="manifest_id")
            if not self._may_see(actor, manifest):
                raise Forbidden("this manifest is not yours to see", field="manifest_id")
            organizations = {
                o.id: o
                for o in (uow.organizations.get(i) for i in manifest.party_ids)
                if o is not None
            }
            t = manifest.terms
            site_ids = {t.generator_site_id, t.receiver_site_id}
            if manifest.rejection is not None:
                site_ids.add(manifest.rejection.site_id)
            sites = {s.id: s for s in (uow.sites.get(i) for i in site_ids) if s is not None}
            approval = uow.manifests.approval(t.approval_id) if t.approval_id is not None else None
            return ManifestView(
                manifest=manifest,
                versions=uow.manifests.versions(manifest_id),
                actions=uow.manifests.actions_of(manifest_id),
                events=uow.manifests.events_of(manifest_id),
                organizations=organizations,
                sites=sites,
                approval=approval,
            )

    def find(
        self,
        actor: Principal,
        page: PageRequest,
        *,
        organization_id: uuid.UUID | None = None,
        state: ManifestState | None = None,
    ) -> Page[Manifest]:
        """A page of manifests: a firm sees its own, a regulator its region's, an admin all."""
        organization_id, region = listing_scope(actor, organization_id)
        if organization_id is not None:
            with self._uow() as uow:
                acting_organization(uow, actor, organization_id)
        with self._uow() as uow:
            return uow.manifests.find(
                page, organization_id=organization_id, region_code=region, state=state
            )
