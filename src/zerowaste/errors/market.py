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


class AdmissionRulesNotSet(NotFound):
    """The chain master has not set supplier admission rules yet."""

    title = "No admission rules"


class ProposalNotFound(NotFound):
    """No proposal has this id."""

    title = "Proposal not found"


class ProposalStateConflict(Conflict):
    """The proposal is not in a state that allows the step (accepted, declined, withdrawn)."""

    title = "Proposal state conflict"


class ContractNotFound(NotFound):
    """No contract has this id."""

    title = "Contract not found"


class ContractStateConflict(Conflict):
    """The contract is not in a state that allows the step (signed already, terminated …)."""

    title = "Contract state conflict"


class ContractNotActive(InvalidInput):
    """A manifest names a contract that is not active on its issue date."""

    title = "Contract not active"


class ContractMismatch(InvalidInput):
    """A manifest's parties or wastes are not the contract's."""

    title = "Contract mismatch"


class TermsDigestMismatch(InvalidInput):
    """A signed contract step names another terms digest than the contract's."""

    title = "Terms digest mismatch"


class UnknownContract(InvalidInput):
    """A manifest (or other document) names a contract that does not exist."""

    title = "Unknown contract"


class AllocationNotFound(NotFound):
    """No stored allocation run has this id."""

    title = "Allocation not found"
