"""The base conditions (invalid input, not found, conflict, access) and registry errors."""

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
