"""Errors of carbon accounting: the factor library, avoided emissions, footprints, PACT, CBAM."""

from __future__ import annotations

from zerowaste.errors.base import Conflict, InvalidInput, NotFound


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
