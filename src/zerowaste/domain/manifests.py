"""Transfer manifests (转移联单): parties, lines, signatures and the explicit state machine.

A manifest moves draft → issued → picked up → in transit → received | rejected | partially
received → closed (DESIGN.md §5). The generator issues it; each transporter signs pickup and
delivery (a hand-off to the next carrier) in order; the receiver signs its receipt with the
weighed mass of every line, accepting or rejecting (part of) it, a rejected load going back to
the generator or on to an alternate receiver; whoever takes the load last closes it. While
issued and not yet picked up the generator may correct it: a new version supersedes, the old
one stays. Every method returns a new manifest or raises the condition that forbids the step.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from zerowaste.domain.manifest_terms import (
    RECEIVING_ACTIVITIES,
    Disposition,
    Leg,
    ManifestAction,
    ManifestLine,
    ManifestSignature,
    ManifestState,
    ManifestTerms,
    PartyRole,
    ReceiptLine,
    Rejection,
    crosses_provinces,
    manifest_number,
    province_of,
)
from zerowaste.errors import (
    BatchNotOnManifest,
    InvalidInput,
    ManifestNotCorrectable,
    ManifestNotDelivered,
    ManifestNotInTransit,
    ManifestNotIssued,
    ManifestNotReceived,
    ManifestOutOfOrder,
    NotManifestParty,
)

__all__ = [
    "RECEIVING_ACTIVITIES",
    "Disposition",
    "Leg",
    "Manifest",
    "ManifestAction",
    "ManifestLine",
    "ManifestSignature",
    "ManifestState",
    "ManifestTerms",
    "PartyRole",
    "ReceiptLine",
    "Rejection",
    "crosses_provinces",
    "manifest_number",
    "province_of",
]


@dataclass(frozen=True, slots=True)
class Manifest:
    """A transfer manifest at one version, with every signature so far."""

    manifest_id: uuid.UUID
    number: str
    version: int
    state: ManifestState
    terms: ManifestTerms
    origin_region_code: str
    destination_region_code: str
    issued_at: datetime | None = None
    legs: tuple[Leg, ...] = ()
    signatures: tuple[ManifestSignature, ...] = ()
    rejection: Rejection | None = None
    received_at: datetime | None = None
    closed_at: datetime | None = None

    @classmethod
    def draft(
        cls,
        manifest_id: uuid.UUID,
        terms: ManifestTerms,
        origin_region_code: str,
        destination_region_code: str,
    ) -> Manifest:
        """A draft: the terms the generator composes, not yet signed."""
        return cls(
            manifest_id=manifest_id,
            number="",
            version=0,
            state=ManifestState.DRAFT,
            terms=terms,
            origin_region_code=origin_region_code,
            destination_region_code=destination_region_code,
            legs=tuple(Leg(t) for t in terms.transporter_ids),
        )

    # -- reading ---------------------------------------------------------------------------

    @property
    def cross_province(self) -> bool:
        """Whether the transfer leaves the origin province."""
        return crosses_provinces(self.origin_region_code, self.destination_region_code)

    @property
    def delivered(self) -> bool:
        """Whether the last carrier signed delivery at the receiver."""
        return bool(self.legs) and self.legs[-1].delivered_at is not None

    @property
    def all_shipped(self) -> bool:
        """Whether every line's batch left with a `shipped` event."""
        return all(line.shipped_kg is not None for line in self.terms.lines)

    def line(self, batch_id: uuid.UUID, field: str = "batch") -> ManifestLine:
        """The line of a batch, or `BatchNotOnManifest` naming `field`."""
        for line in self.terms.lines:
            if line.batch_id == batch_id:
                return line
        raise BatchNotOnManifest(f"manifest {self.number} does not list {batch_id}", field=field)

    def _with_line(self, changed: ManifestLine) -> tuple[ManifestLine, ...]:
        return tuple(changed if x.batch_id == changed.batch_id else x for x in self.terms.lines)

    def _signed(self, signature: ManifestSignature, **changes: object) -> Manifest:
        return replace(self, signatures=(*self.signatures, signature), **changes)  # type: ignore[arg-type]

    def _require_party(self, organization_id: uuid.UUID, expected: uuid.UUID, role: str) -> None:
        if organization_id != expected:
            raise NotManifestParty(f"only the {role} signs this step", field="organization_id")

    # -- transitions -----------------------------------------------------------------------

    def issue(self, signature: ManifestSignature, number: str) -> Manifest:
        """Draft → issued, signed by the generator."""
        if self.state is not ManifestState.DRAFT:
            raise ManifestOutOfOrder(f"manifest {self.number} is {self.state}", field="action")
        self._require_party(signature.organization_id, self.terms.generator_id, "generator")
        return self._signed(
            signature,
            state=ManifestState.ISSUED,
            number=number,
            version=1,
            issued_at=signature.signed_at,
        )

    def correct(
        self, terms: ManifestTerms, signature: ManifestSignature, destination: str
    ) -> Manifest:
        """A new version of the terms while issued and not picked up; the old version stays."""
        if self.state is not ManifestState.ISSUED:
            raise ManifestNotCorrectable(
                f"manifest {self.number} is {self.state}; only an issued one is corrected",
                field="action",
            )
        self._require_party(signature.organization_id, self.terms.generator_id, "generator")
        if terms.generator_id != self.terms.generator_id:
            raise InvalidInput("a correction keeps the generator", field="organization_id")
        if terms.generator_site_id != self.terms.generator_site_id:
            raise InvalidInput("a correction keeps the origin site", field="generator_site_id")
        shipped = [line.batch_id for line in self.terms.lines if line.shipped_kg is not None]
        if shipped:
            raise ManifestNotCorrectable("batches have shipped on this version", field="lines")
        return self._signed(
            signature,
            version=self.version + 1,
            terms=terms,
            destination_region_code=destination,
            legs=tuple(Leg(t) for t in terms.transporter_ids),
        )

    def ship(
        self,
        batch_id: uuid.UUID,
        organization_id: uuid.UUID,
        site_id: uuid.UUID | None,
        mass_kg: Decimal,
    ) -> Manifest:
        """Record the generator's `shipped` event of a listed batch (issued or picked up only)."""
        if self.state not in (ManifestState.ISSUED, ManifestState.PICKED_UP):
            raise ManifestNotIssued(
                f"manifest {self.number} is {self.state}, not issued", field="manifest_id"
            )
        self._require_party(organization_id, self.terms.generator_id, "generator")
        if site_id != self.terms.generator_site_id:
            raise NotManifestParty("ship from the manifest's origin site", field="site_id")
        line = self.line(batch_id, "inputs[0].batch_id")
        if line.shipped_kg is not None:
            raise ManifestNotIssued(f"batch {batch_id} shipped already", field="inputs[0].batch_id")
        shipped = replace(
            self,
            terms=replace(self.terms, lines=self._with_line(replace(line, shipped_kg=mass_kg))),
        )
        return shipped._settled()

    def _settled(self) -> Manifest:
        """Picked up with every batch shipped: the load is on the road."""
        if self.state is ManifestState.PICKED_UP and self.all_shipped:
            return replace(self, state=ManifestState.IN_TRANSIT)
        return self

    def pickup(self, signature: ManifestSignature) -> Manifest:
        """A transporter takes the load: leg 0 at the origin, a later leg at a hand-off."""
        leg = self._leg_of(signature)
        if leg == 0:
            if self.state is not ManifestState.ISSUED:
                raise self._order_error(ManifestNotIssued, "issued")
        else:
            if self.state is not ManifestState.IN_TRANSIT:
                raise self._order_error(ManifestNotInTransit, "in transit")
            if self.legs[leg - 1].delivered_at is None:
                raise ManifestOutOfOrder(
                    f"carrier {leg - 1} has not handed the load on yet", field="leg"
                )
        if self.legs[leg].picked_up_at is not None:
            raise ManifestOutOfOrder(f"leg {leg} was picked up already", field="leg")
        legs = list(self.legs)
        legs[leg] = replace(legs[leg], picked_up_at=signature.signed_at)
        state = ManifestState.PICKED_UP if leg == 0 else self.state
        return self._signed(signature, legs=tuple(legs), state=state)._settled()

    def deliver(self, signature: ManifestSignature) -> Manifest:
        """A transporter hands the load to the next carrier, or (the last) to the receiver."""
        leg = self._leg_of(signature)
        if self.state is not ManifestState.IN_TRANSIT:
            raise self._order_error(ManifestNotInTransit, "in transit")
        if self.legs[leg].picked_up_at is None:
            raise ManifestOutOfOrder(f"leg {leg} was not picked up", field="leg")
        if self.legs[leg].delivered_at is not None:
            raise ManifestOutOfOrder(f"leg {leg} was delivered already", field="leg")
        legs = list(self.legs)
        legs[leg] = replace(legs[leg], delivered_at=signature.signed_at)
        return self._signed(signature, legs=tuple(legs))

    def _leg_of(self, signature: ManifestSignature) -> int:
        leg = signature.leg
        if leg is None or not 0 <= leg < len(self.legs):
            raise InvalidInput(f"must be a leg 0..{len(self.legs) - 1}", field="leg")
        self._require_party(
            signature.organization_id, self.legs[leg].transporter_id, f"transporter of leg {leg}"
        )
        return leg

    def _order_error(
        self,
        kind: type[ManifestOutOfOrder] | type[ManifestNotIssued] | type[ManifestNotInTransit],
        wanted: str,
    ) -> Exception:
        if self.state in (
            ManifestState.DRAFT,
            ManifestState.ISSUED,
            ManifestState.PICKED_UP,
            ManifestState.IN_TRANSIT,
        ):
            return kind(f"manifest {self.number} is {self.state}, not {wanted}", field="action")
        return ManifestOutOfOrder(f"manifest {self.number} is {self.state} already", field="action")

    def receive(
        self,
        signature: ManifestSignature,
        site_id: uuid.UUID,
        lines: tuple[ReceiptLine, ...],
        rejection: Rejection | None,
    ) -> Manifest:
        """The receiver weighs every line and accepts it, or rejects all or part of it."""
        self._require_party(signature.organization_id, self.terms.receiver_id, "receiver")
        if self.state is not ManifestState.IN_TRANSIT:
            raise self._order_error(ManifestNotInTransit, "in transit")
        if not self.delivered:
            raise ManifestNotDelivered("the last carrier has not signed delivery", field="action")
        if site_id != self.terms.receiver_site_id:
            raise NotManifestParty("receive at the manifest's destination site", field="site_id")
        listed = {line.batch_id for line in self.terms.lines}
        weighed = {line.batch_id: line for line in lines}
        for index, line in enumerate(lines):
            self.line(line.batch_id, f"lines[{index}].batch")
        if len(weighed) != len(lines) or set(weighed) != listed:
            raise InvalidInput("weigh every listed batch once", field="lines")
        rejected = sum((line.rejected_kg for line in lines), Decimal(0))
        accepted = sum((line.weighed_kg - line.rejected_kg for line in lines), Decimal(0))
        if rejected and rejection is None:
            raise InvalidInput("say where the rejected waste goes", field="rejection")
        if not rejected and rejection is not None:
            raise InvalidInput("nothing is rejected", field="rejection")
        if signature.action is ManifestAction.REJECT and accepted:
            raise InvalidInput("a rejection refuses every kilogram weighed", field="lines")
        if rejected:
            state = ManifestState.REJECTED if not accepted else ManifestState.PARTIALLY_RECEIVED
        else:
            state = ManifestState.RECEIVED
        new_lines = tuple(
            replace(
                line,
                weighed_kg=weighed[line.batch_id].weighed_kg,
                rejected_kg=weighed[line.batch_id].rejected_kg,
            )
            for line in self.terms.lines
        )
        return self._signed(
            signature,
            state=state,
            terms=replace(self.terms, lines=new_lines),
            rejection=None if rejection is None else replace(rejection, mass_kg=rejected),
            received_at=signature.signed_at,
        )

    def take_in(
        self,
        batch_id: uuid.UUID,
        organization_id: uuid.UUID,
        site_id: uuid.UUID | None,
        mass_kg: Decimal,
    ) -> Manifest:
        """Record a `received` event: at the receiver once delivered, or where a rejection went."""
        line = self.line(batch_id, "inputs[0].batch_id")
        delivered = self.state is ManifestState.IN_TRANSIT and self.delivered
        receipted = self.state in (
            ManifestState.RECEIVED,
            ManifestState.PARTIALLY_RECEIVED,
            ManifestState.REJECTED,
        )
        if not (delivered or receipted):
            raise ManifestNotInTransit(
                f"manifest {self.number} is {self.state}, not delivered", field="manifest_id"
            )
        fully_rejected = line.weighed_kg is not None and line.accepted_kg == 0
        if self.rejection is not None and fully_rejected:
            party, site = self.rejection.organization_id, self.rejection.site_id
        else:
            party, site = self.terms.receiver_id, self.terms.receiver_site_id
        self._require_party(organization_id, party, "receiving party")
        if site_id != site:
            raise NotManifestParty("receive at the manifest's destination site", field="site_id")
        if line.received_event_kg is not None:
            raise ManifestOutOfOrder(
                f"batch {batch_id} was received already", field="inputs[0].batch_id"
            )
        return replace(
            self,
            terms=replace(
                self.terms, lines=self._with_line(replace(line, received_event_kg=mass_kg))
            ),
        )

    def close(self, signature: ManifestSignature) -> Manifest:
        """Closure: by the receiver after a full receipt, else by whoever took the rejected load."""
        if self.state not in (
            ManifestState.RECEIVED,
            ManifestState.PARTIALLY_RECEIVED,
            ManifestState.REJECTED,
        ):
            if self.state is ManifestState.CLOSED:
                raise ManifestOutOfOrder(
                    f"manifest {self.number} is closed already", field="action"
                )
            raise ManifestNotReceived(
                f"manifest {self.number} is {self.state}, not received", field="action"
            )
        closer = (
            self.terms.receiver_id if self.rejection is None else self.rejection.organization_id
        )
        self._require_party(signature.organization_id, closer, "party holding the waste")
        return self._signed(signature, state=ManifestState.CLOSED, closed_at=signature.signed_at)

    def with_leaf(self, action_id: uuid.UUID, leaf_index: int) -> Manifest:
        """The manifest with the log position of a signature filled in."""
        return replace(
            self,
            signatures=tuple(
                replace(s, leaf_index=leaf_index) if s.action_id == action_id else s
                for s in self.signatures
            ),
        )

    def role_of(self, action: ManifestAction) -> PartyRole:
        """The role that signs an action on this manifest."""
        if action in (ManifestAction.ISSUE, ManifestAction.CORRECT):
            return PartyRole.GENERATOR
        if action in (ManifestAction.PICKUP, ManifestAction.DELIVER):
            return PartyRole.TRANSPORTER
        if action is ManifestAction.CLOSE and self.rejection is not None:
            return PartyRole.RETURN_RECEIVER
        return PartyRole.RECEIVER

    @property
    def party_ids(self) -> frozenset[uuid.UUID]:
        """Every organization on the manifest (for access and listing)."""
        ids = {self.terms.generator_id, self.terms.receiver_id, *self.terms.transporter_ids}
        if self.rejection is not None:
            ids.add(self.rejection.organization_id)
        return frozenset(ids)
