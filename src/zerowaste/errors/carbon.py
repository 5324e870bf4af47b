"""Errors of carbon accounting: the factor library, avoided emissions, footprints, PACT, CBAM."""

from __future__ import annotations

from zerowaste.errors.base import InvalidInput


class FactorNotFound(InvalidInput):
    """No factor in the library answers a lookup (material, route, region, year)."""

    title = "Factor not found"


class InvalidDistribution(InvalidInput):
    """An uncertainty distribution's parameters do not describe a distribution."""

    title = "Invalid distribution"


class ProcessNotShared(InvalidInput):
    """A firm used another firm's process that its owner has not shared with it."""

    title = "Process not shared"
