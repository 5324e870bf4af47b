"""Errors of the ledger, batches and waste events."""

from __future__ import annotations

from zerowaste.errors.base import Conflict, InvalidInput, NotFound, ZeroWasteError


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
