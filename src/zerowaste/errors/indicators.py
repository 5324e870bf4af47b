"""Errors of indicators, uploaded statistics and supplier scoring."""

from __future__ import annotations

from zerowaste.errors.base import InvalidInput


class UnknownIndicator(InvalidInput):
    """An indicator id is not in the registry, or not defined at the level asked for."""

    title = "Unknown indicator"


class StatisticsFileInvalid(InvalidInput):
    """An uploaded statistics file is malformed; `field` names the row and column."""

    title = "Statistics file invalid"


class ScoringNotPossible(InvalidInput):
    """Suppliers cannot be scored as asked (too few suppliers, a criterion with no values…)."""

    title = "Scoring not possible"


class IndicatorRegistryInvalid(InvalidInput):
    """The packaged registry or targets file is malformed; `field` names the row and column."""

    title = "Indicator registry invalid"
