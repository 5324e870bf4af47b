"""The one error hierarchy, named after conditions, mapped to HTTP and CLI codes at the edges."""

from __future__ import annotations


class ZeroWasteError(Exception):
    """Base of every error the product raises on purpose."""

    title = "Error"
    status = 500
    exit_code = 1

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field

    @property
    def type_slug(self) -> str:
        """Kebab-case name of the condition, used in the Problem Details `type` URI."""
        name = type(self).__name__
        return "".join("-" + c.lower() if c.isupper() else c for c in name).lstrip("-")


class InvalidInput(ZeroWasteError):
    """A value the caller sent breaks a rule; `field` names it."""

    title = "Invalid input"
    status = 422
    exit_code = 65


class InvalidCreditCode(InvalidInput):
    """A unified social credit code fails its format or check characters."""

    title = "Invalid unified social credit code"


class UnknownRegion(InvalidInput):
    """A region code is not in the GB/T 2260 table."""

    title = "Unknown region"


class UnknownIndustry(InvalidInput):
    """An industry code is not in the GB/T 4754-2017 table."""

    title = "Unknown industry"


class UnknownWasteCode(InvalidInput):
    """A waste code or category is not in the catalog edition in force."""

    title = "Unknown waste code"


class InvalidPeriod(InvalidInput):
    """A validity period ends before it starts."""

    title = "Invalid period"


class InvalidQuantity(InvalidInput):
    """A quantity is negative, absurd or in an unknown unit."""

    title = "Invalid quantity"


class InvalidCoordinates(InvalidInput):
    """A latitude or longitude is outside WGS84 bounds."""

    title = "Invalid coordinates"


class InvalidPublicKey(InvalidInput):
    """A signing public key is not a 32-byte Ed25519 key."""

    title = "Invalid public key"


class ProofInvalid(InvalidInput):
    """A Merkle inclusion or consistency proof does not verify."""

    title = "Proof invalid"


class NotFound(ZeroWasteError):
    """The named thing does not exist (or the caller may not know it does)."""

    title = "Not found"
    status = 404
    exit_code = 66


class Conflict(ZeroWasteError):
    """The request clashes with stored state."""

    title = "Conflict"
    status = 409
    exit_code = 73


class DuplicateCreditCode(Conflict):
    """An organization with this credit code is already registered."""

    title = "Duplicate credit code"


class DuplicateUsername(Conflict):
    """A user with this name already exists."""

    title = "Duplicate username"


class IdempotencyKeyReused(InvalidInput):
    """An Idempotency-Key was sent again with a different request (422, as the IETF draft says)."""

    title = "Idempotency key reused with another request"


class IdempotentRequestInProgress(Conflict):
    """The first request with this Idempotency-Key has not finished yet."""

    title = "Request with this idempotency key in progress"


class NotAuthenticated(ZeroWasteError):
    """No valid credentials were presented."""

    title = "Not authenticated"
    status = 401
    exit_code = 77


class Forbidden(ZeroWasteError):
    """The caller's role or scope does not allow this."""

    title = "Forbidden"
    status = 403
    exit_code = 77


class PayloadTooLarge(ZeroWasteError):
    """The request body is larger than the server accepts."""

    title = "Payload too large"
    status = 413
    exit_code = 65


class MasterKeyMissing(ZeroWasteError):
    """Custodial signing needs `ZEROWASTE_MASTER_KEY`, which is not set."""

    title = "Master key missing"
    status = 503
    exit_code = 78


class SignatureInvalid(ZeroWasteError):
    """A signature or sealed key does not verify."""

    title = "Signature invalid"
    status = 422
    exit_code = 65


class LedgerEntryExists(Conflict):
    """An entry with this id is already in the log."""

    title = "Ledger entry exists"


class EntryNotCheckpointed(Conflict):
    """No signed checkpoint covers the entry yet (a receipt request cuts one)."""

    title = "Entry not yet checkpointed"


class LedgerTampered(ZeroWasteError):
    """The stored log disagrees with itself or its signed checkpoints."""

    title = "Ledger tampered"
    status = 500
    exit_code = 1


class UnknownBatch(InvalidInput):
    """An event names a batch the ledger has never seen."""

    title = "Unknown batch"


class MassImbalance(InvalidInput):
    """The masses an event makes (plus its declared loss) differ from the masses it consumes."""

    title = "Mass imbalance"


class BatchAlreadyExists(Conflict):
    """An event would create a batch whose id is taken."""

    title = "Batch already exists"


class BatchNotHeld(Conflict):
    """The batch is not held (in stock, by the acting organization) as the event requires."""

    title = "Batch not held"


class BatchNotInTransit(Conflict):
    """A receipt names a batch that is not in transit on that manifest."""

    title = "Batch not in transit"


class InsufficientMass(Conflict):
    """An event draws more from a batch than it holds (or part of one where a whole is needed)."""

    title = "Insufficient mass"


class EventInFuture(InvalidInput):
    """An event's time lies in the future (beyond the allowed clock skew)."""

    title = "Event in the future"


class EventIdReused(Conflict):
    """An event id was captured before with other bytes or another signature."""

    title = "Event id reused"


class UnknownOrganization(InvalidInput):
    """An event names an organization that is not registered."""

    title = "Unknown organization"


class UnknownSite(InvalidInput):
    """An event names a site that is not registered."""

    title = "Unknown site"


class SiteNotOfOrganization(InvalidInput):
    """An event's site belongs to another organization."""

    title = "Site not of organization"


class SigningKeyNotValid(InvalidInput):
    """The signing key is unknown, of another organization, retired or expired."""

    title = "Signing key not valid"


class TooManyEvents(InvalidInput):
    """A capture request carries more events than one request may."""

    title = "Too many events"


class TooManySteps(InvalidInput):
    """A batch carries more manifest steps than one batch may."""

    title = "Too many steps"


class EpcisDocumentInvalid(InvalidInput):
    """An EPCIS document or event breaks the EPCIS 2.0 JSON rules; `field` is its JSON path."""

    title = "Invalid EPCIS document"


class EpcisCaptureJobNotFound(NotFound):
    """No EPCIS capture job with this id is visible to the caller."""

    title = "Capture job not found"


# Transfer manifests (转移联单) and cross-province approvals.


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


class AlertStateConflict(Conflict):
    """The alert's state does not allow the step (acknowledge a resolved alert, close twice)."""

    title = "Alert state conflict"


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


class WhitelistStateConflict(Conflict):
    """Admitting a firm already on the whitelist, or removing one that is not on it."""

    title = "Whitelist state conflict"


class NotWhitelistCandidate(Conflict):
    """Admitting a firm that fails a whitelist criterion (they are named)."""

    title = "Not a whitelist candidate"


class NoInspectors(Conflict):
    """An inspection plan's jurisdiction has no active regulator user to draw as inspector."""

    title = "No inspectors"


class PlanAlreadyPublished(Conflict):
    """Publishing an inspection plan that is public already."""

    title = "Plan already published"
