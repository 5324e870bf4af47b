"""Errors of carbon accounting: the factor library, avoided emissions, footprints, PACT, CBAM."""

from __future__ import annotations

from zerowaste.errors.base import Conflict, InvalidInput, NotFound


class FactorNotFound(InvalidInput):
    """No factor in the library answers a lookup (material, route, region, year)."""

    title = "Factor not found"


class InvalidDistribution(InvalidInput):
    """An uncertainty distribution's parameters do not describe a distribution."""

    title = "Invalid distribution"


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
