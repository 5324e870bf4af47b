"""Errors of transfer manifests (转移联单), approvals, corrections and inspections."""

from __future__ import annotations

from zerowaste.errors.base import Conflict, InvalidInput


class UnknownManifest(InvalidInput):
    """An event or action names a manifest that was never issued."""

    title = "Unknown manifest"


class BatchNotOnManifest(InvalidInput):
    """A shipment or receipt names a batch its manifest does not list."""

    title = "Batch not on manifest"


class NotManifestParty(InvalidInput):
    """The acting organization is not the party this manifest step belongs to."""

    title = "Not a party to the manifest"


class PermitDoesNotCover(InvalidInput):
    """The receiver holds no business licence covering the waste and activity on that date."""

    title = "Permit does not cover"


class TransporterNotLicensed(InvalidInput):
    """A transporter of hazardous waste holds no dangerous-goods transport permit in force."""

    title = "Transporter not licensed"


class ApprovalMissing(InvalidInput):
    """A cross-province manifest names no approved approval (or one that is not approved)."""

    title = "Approval missing"


class ApprovalMismatch(InvalidInput):
    """The approval is for other parties, sites or wastes than the manifest."""

    title = "Approval mismatch"


class ManifestStateConflict(Conflict):
    """The manifest's state does not allow the step."""

    title = "Manifest state conflict"


class ManifestAlreadyIssued(ManifestStateConflict):
    """A manifest with this id exists already."""

    title = "Manifest already issued"


class ManifestNotIssued(ManifestStateConflict):
    """The step needs an issued manifest not yet on the road (or the batch shipped already)."""

    title = "Manifest not issued"


class ManifestNotInTransit(ManifestStateConflict):
    """The step needs the manifest in transit (all batches shipped, carrier on the road)."""

    title = "Manifest not in transit"


class ManifestNotDelivered(ManifestStateConflict):
    """A receipt needs the last carrier's delivery signature first."""

    title = "Manifest not delivered"


class ManifestNotReceived(ManifestStateConflict):
    """Closure needs the receipt (or rejection) signed first."""

    title = "Manifest not received"


class ManifestOutOfOrder(ManifestStateConflict):
    """A signature comes before the one that must precede it, or twice."""

    title = "Manifest signature out of order"


class ManifestNotCorrectable(ManifestStateConflict):
    """A manifest can be corrected only while issued and not yet picked up."""

    title = "Manifest not correctable"


class ActionIdReused(Conflict):
    """A manifest or approval action id was logged before with other bytes or signature."""

    title = "Action id reused"


class ApprovalStateConflict(Conflict):
    """The approval's state does not allow the step (consent before request, approve twice)."""

    title = "Approval state conflict"


class ApprovalExceeded(Conflict):
    """The manifest's mass would take the approval past its quantity cap."""

    title = "Approval exceeded"


class ApprovalExpired(Conflict):
    """The manifest's date lies outside the approval's period."""

    title = "Approval expired"


class BatchNotCorrectable(Conflict):
    """A correction names a batch whose mass it may not change (see docs/capture.md)."""

    title = "Batch not correctable"


class EventNotCorrectable(Conflict):
    """A correction points at an event that is unknown, corrected already, or not the signer's."""

    title = "Event not correctable"


class InspectionNotAllowed(Conflict):
    """An inspection is signed by neither the site's firm nor a regulator over its region."""

    title = "Inspection not allowed"
