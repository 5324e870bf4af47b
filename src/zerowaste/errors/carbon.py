"""Errors of carbon accounting: the factor library, avoided emissions, footprints, PACT, CBAM."""

from __future__ import annotations

from zerowaste.errors.base import Conflict, InvalidInput, NotFound, ZeroWasteError


class FactorNotFound(InvalidInput):
    """No factor in the library answers a lookup (material, route, region, year)."""

    title = "Factor not found"


class InvalidDistribution(InvalidInput):
    """An uncertainty distribution's parameters do not describe a distribution."""

    title = "Invalid distribution"


class FactorFileInvalid(InvalidInput):
    """A factor CSV breaks a rule; `field` names the row and column (`rows[12].value`)."""

    title = "Invalid factor file"


class UnknownFactorDataset(NotFound):
    """No factor dataset has this id."""

    title = "Unknown factor dataset"


class UnknownFactorRef(NotFound):
    """No factor of the dataset has this reference."""

    title = "Unknown factor"


class FactorDatasetExists(Conflict):
    """A factor dataset of this name and version is already stored."""

    title = "Factor dataset exists"


class UnknownCnCode(InvalidInput):
    """A CN code is not among the CBAM goods of Annex I of Regulation (EU) 2023/956 we cover."""

    title = "Unknown CN code"


class CbamRouteMismatch(InvalidInput):
    """A production route does not make goods of the sector or category declared with it."""

    title = "Production route does not fit the goods"


class CbamPrecursorCycle(InvalidInput):
    """Production processes of one installation consume each other's goods in a cycle."""

    title = "Precursor cycle"


class UnknownCbamReport(NotFound):
    """No CBAM report has the given id (or the caller may not see it)."""

    title = "Unknown CBAM report"


class ProcessNotShared(InvalidInput):
    """A firm used another firm's process that its owner has not shared with it."""

    title = "Process not shared"


class AlreadyChainMember(Conflict):
    """The supplier is already registered in the chain master's chain."""

    title = "Already a chain member"


class NotChainMember(NotFound):
    """The firm is not a registered supplier of the chain master."""

    title = "Not a chain member"


class NotChainMaster(InvalidInput):
    """The organization named as a chain master does not have the chain-master role."""

    title = "Not a chain master"


class InvalidReportScope(InvalidInput):
    """A carbon report's scope, id, period or granularity does not name a report."""

    title = "Invalid report scope"


class PactUnitUnsupported(InvalidInput):
    """A footprint's declared unit has no counterpart among PACT v3's units."""

    title = "Unit not in PACT v3"


class PactDocumentInvalid(InvalidInput):
    """A PACT v3 document (ProductFootprint, CloudEvent) breaks the specification."""

    title = "Invalid PACT document"


class PactClientNotFound(NotFound):
    """No PACT client with this id belongs to the caller's firm."""

    title = "PACT client not found"


class PactError(ZeroWasteError):
    """An error a PACT v3 data recipient gets in the specification's `{code, message}` shape."""

    title = "PACT error"
    status = 400
    pact_code = "BadRequest"


class PactBadRequest(PactError):
    """The request breaks the PACT v3 API (a filter, a parameter, an event)."""

    title = "Bad PACT request"


class PactAccessDenied(PactError):
    """The client may not read this: the footprint is another data owner's."""

    title = "Access denied"
    status = 403
    pact_code = "AccessDenied"


class NoSuchFootprint(PactError):
    """No footprint has this id (PACT's 404 `NotFound`)."""

    title = "No such footprint"
    status = 404
    pact_code = "NotFound"


class PactTokenInvalid(PactError):
    """The bearer token is missing, malformed, forged or its client revoked."""

    title = "Invalid access token"
    status = 401
    pact_code = "AccessDenied"


class PactTokenExpired(PactError):
    """The bearer token was valid but its lifetime is over."""

    title = "Access token expired"
    status = 401
    pact_code = "TokenExpired"


class PactOAuthError(ZeroWasteError):
    """A token request refused with an RFC 6749 section 5.2 error code."""

    title = "Token request refused"
    status = 400
    oauth_error = "invalid_request"


class PactInvalidClient(PactOAuthError):
    """Unknown client, wrong secret or revoked client (RFC 6749 `invalid_client`)."""

    title = "Invalid client"
    status = 401
    oauth_error = "invalid_client"


class PactUnsupportedGrant(PactOAuthError):
    """A grant type other than `client_credentials` (RFC 6749 `unsupported_grant_type`)."""

    title = "Unsupported grant type"
    oauth_error = "unsupported_grant_type"
