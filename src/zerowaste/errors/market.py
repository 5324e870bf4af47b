"""Errors of the resource market: listings, matching, proposals, contracts, admission rules."""

from __future__ import annotations

from zerowaste.errors.base import Conflict, InvalidInput, NotFound


class ListingNotFound(NotFound):
    """No listing has this id."""

    title = "Listing not found"


class ListingNotOpen(Conflict):
    """The listing is withdrawn or expired, so it cannot be edited, matched or proposed on."""

    title = "Listing not open"


class ListingVersionConflict(Conflict):
    """An edit named a version of the listing that is no longer the newest."""

    title = "Listing version conflict"


class InvalidAllocationPeriod(InvalidInput):
    """An allocation period is malformed, reversed or too long."""

    title = "Invalid allocation period"


class AllocationNotFound(NotFound):
    """No stored allocation run has this id."""

    title = "Allocation not found"
