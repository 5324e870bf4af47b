"""What one manifest step does to its manifest and approvals, checked against the registry."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date

from zerowaste.domain.access import Principal
from zerowaste.domain.approvals import Approval
from zerowaste.domain.manifest_documents import ManifestCommand
from zerowaste.domain.manifests import (
    Disposition,
    Manifest,
    ManifestAction,
    ManifestSignature,
    ManifestTerms,
    PartyRole,
    Rejection,
    crosses_provinces,
    manifest_number,
)
from zerowaste.domain.sites import Site
from zerowaste.errors import (
    ApprovalMissing,
    InvalidInput,
    ManifestAlreadyIssued,
    UnknownManifest,
    ZeroWasteError,
)
from zerowaste.services.contract_rules import check_contract
from zerowaste.services.manifest_rules import ManifestRules
from zerowaste.services.signed_steps import SignedStep
from zerowaste.services.step_batch import StepBatch


@contextmanager
def step_fields(index: int) -> Iterator[None]:
    """Prefix the field of any product error with the step's place, e.g. `steps[2].leg`."""
    try:
        yield
    except ZeroWasteError as exc:
        inner = None if exc.field in (None, "$") else exc.field
        field = f"steps[{index}]" + ("" if inner is None else f".{inner}")
        raise type(exc)(exc.detail, field=field) from exc


def prefetch_steps(
    batch: StepBatch,
    rules: ManifestRules,
    commands: Sequence[ManifestCommand],
    key_ids: Iterable[uuid.UUID],
) -> None:
    """Load at once what a batch of steps will look up: manifests, actions, keys, registry."""
    batch.prefetch(
        manifests=(c.manifest_id for c in commands),
        actions=(c.action_id for c in commands),
        keys=key_ids,
    )
    organizations: list[uuid.UUID] = []
    sites: list[uuid.UUID] = []
    approvals: list[uuid.UUID | None] = []
    batches: list[uuid.UUID] = []
    for c in commands:
        organizations.append(c.organization_id)
        if c.terms is not None:  # an issue or correction: parties, sites, batches, approval
            t = c.terms
            organizations += [t.generator_id, t.receiver_id, *t.transporter_ids]
            sites += [t.generator_site_id, t.receiver_site_id]
            approvals.append(t.approval_id)
            batches += [x.batch_id for x in t.lines]
        if (stored := batch.manifest(c.manifest_id)) is not None:
            organizations.append(stored.terms.receiver_id)  # a receipt checks its permits
            if c.action is ManifestAction.CORRECT:
                approvals.append(stored.terms.approval_id)  # a correction releases its draw
        if c.site_id is not None:
            sites.append(c.site_id)
        if c.rejection is not None and c.rejection.receiver_id is not None:
            organizations.append(c.rejection.receiver_id)
        if c.rejection is not None and c.rejection.site_id is not None:
            sites.append(c.rejection.site_id)
    rules.prefetch(organizations=organizations, sites=sites, batches=batches)
    numbers = [
        manifest_number(origin.region_code, c.action_time.date(), c.manifest_id)
        for c in commands
        if c.action is ManifestAction.ISSUE
        and c.terms is not None
        and (origin := rules.site(c.terms.generator_site_id)) is not None
    ]
    batch.prefetch(approvals=(a for a in approvals if a is not None), numbers=numbers)


def transition(
    batch: StepBatch,
    rules: ManifestRules,
    actor: Principal,
    command: ManifestCommand,
    step: SignedStep,
) -> tuple[Manifest, list[Approval]]:
    """The manifest after a step, and the approvals it draws (nothing written yet).

    `batch` holds the state the transaction's earlier steps left; `rules` checks the registry.

    Raises:
        ZeroWasteError: The registry rules or the state machine refuse the step.
    """
    on = command.action_time.date()
    current = batch.manifest(command.manifest_id)
    if command.action is ManifestAction.ISSUE:
        if current is not None:
            raise ManifestAlreadyIssued(
                f"manifest {command.manifest_id} exists", field="manifest_id"
            )
    elif current is None:
        raise UnknownManifest(f"no manifest {command.manifest_id}", field="manifest_id")
    base = current
    signature = ManifestSignature(
        action_id=command.action_id,
        action=command.action,
        role=base.role_of(command.action) if base else PartyRole.GENERATOR,
        organization_id=command.organization_id,
        signed_at=command.action_time,
        key_id=step.signature.key_id,
        version=(base.version if base else 0) + (command.action is ManifestAction.CORRECT),
        leg=command.leg,
        user_id=actor.user_id,
    )
    if command.action in (ManifestAction.ISSUE, ManifestAction.CORRECT):
        assert command.terms is not None
        terms, origin, destination = rules.terms(command.terms, on)
        check_contract(batch.uow, terms, on)
        approvals = _draw(batch, terms, origin, destination, on, base)
        if base is None:
            draft = Manifest.draft(
                command.manifest_id, terms, origin.region_code, destination.region_code
            )
            number = manifest_number(origin.region_code, on, command.manifest_id)
            if batch.number_taken(number):
                raise ManifestAlreadyIssued(f"number {number} is taken", field="manifest_id")
            return draft.issue(replace(signature, version=1), number), approvals
        return base.correct(terms, signature, destination.region_code), approvals
    assert base is not None
    if command.action is ManifestAction.PICKUP:
        manifest = base.pickup(signature)
        if rules.carries_hazardous(base.terms):
            rules.transporter_licensed(command.organization_id, on, "organization_id")
        return manifest, []
    if command.action is ManifestAction.DELIVER:
        return base.deliver(signature), []
    if command.action in (ManifestAction.RECEIVE, ManifestAction.REJECT):
        assert command.site_id is not None
        rejection = _rejection(rules, base, command, on)
        manifest = base.receive(signature, command.site_id, command.receipt, rejection)
        accepted = [x.waste_code for x in manifest.terms.lines if x.accepted_kg]
        rules.receiver_permit(
            base.terms.receiver_id,
            base.terms.receiver_site_id,
            accepted,
            base.terms.activity,
            on,
        )
        return manifest, []
    return base.close(signature), []


def _rejection(
    rules: ManifestRules, manifest: Manifest, command: ManifestCommand, on: date
) -> Rejection | None:
    spec = command.rejection
    if spec is None:
        return None
    if spec.disposition is Disposition.RETURN:
        t = manifest.terms
        return Rejection(spec.disposition, t.generator_id, t.generator_site_id, spec.reason)
    assert spec.receiver_id is not None
    assert spec.site_id is not None
    rules.organization(spec.receiver_id, "rejection.receiver_id")
    alternate = rules.site_of(spec.site_id, spec.receiver_id, "rejection.site_id")
    t = manifest.terms
    origin = rules.site_of(t.generator_site_id, t.generator_id, "generator_site_id")
    if crosses_provinces(origin.region_code, alternate.region_code):
        raise ApprovalMissing(
            f"a redirect from {origin.region_code} to {alternate.region_code} crosses provinces"
            " and no approval covers that receiver: return the load, or redirect it within"
            " the generator's province",
            field="rejection.site_id",
        )
    rejected = {x.batch_id for x in command.receipt if x.rejected_kg}
    codes = [x.waste_code for x in manifest.terms.lines if x.batch_id in rejected]
    rules.receiver_permit(
        spec.receiver_id,
        spec.site_id,
        codes,
        manifest.terms.activity,
        on,
        field="rejection.receiver_id",
    )
    return Rejection(spec.disposition, spec.receiver_id, spec.site_id, spec.reason)


def _draw(
    batch: StepBatch,
    terms: ManifestTerms,
    origin: Site,
    destination: Site,
    on: date,
    previous: Manifest | None,
) -> list[Approval]:
    """Approvals changed by a (re)issue: the earlier version's draw released, the new drawn."""
    changed: dict[uuid.UUID, Approval] = {}
    if previous is not None and previous.terms.approval_id is not None:
        old = batch.approval(previous.terms.approval_id)
        if old is not None:
            changed[old.approval_id] = old.release(previous.terms.mass_kg)
    if not crosses_provinces(origin.region_code, destination.region_code):
        if terms.approval_id is not None:
            raise InvalidInput(
                "a transfer within one province needs no approval", field="approval_id"
            )
        return list(changed.values())
    if terms.approval_id is None:
        raise ApprovalMissing(
            f"a transfer from {origin.region_code} to {destination.region_code} crosses "
            "provinces and needs an approved approval",
            field="approval_id",
        )
    approval = changed.get(terms.approval_id) or batch.approval(terms.approval_id)
    if approval is None:
        raise ApprovalMissing(f"no approval {terms.approval_id}", field="approval_id")
    approval.check_covers(
        generator_id=terms.generator_id,
        generator_site_id=terms.generator_site_id,
        receiver_id=terms.receiver_id,
        receiver_site_id=terms.receiver_site_id,
        waste_codes=tuple(x.waste_code for x in terms.lines),
        on=on,
    )
    changed[approval.approval_id] = approval.draw(terms.mass_kg)
    return list(changed.values())
