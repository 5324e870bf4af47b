"""Errors of evaluation: panel datasets, model specifications, forecasts and scenarios."""

from __future__ import annotations

from zerowaste.errors.base import Conflict, InvalidInput, NotFound


class DatasetInvalid(InvalidInput):
    """An uploaded panel dataset is malformed; `field` names the row and column."""

    title = "Dataset invalid"


class DatasetNotFound(NotFound):
    """No panel dataset has this id."""

    title = "Dataset not found"


class ModelSpecificationInvalid(InvalidInput):
    """A model names a variable the panel lacks, or cannot be estimated (e.g. too few rows)."""

    title = "Model specification invalid"


class SeriesTooShort(InvalidInput):
    """A series has too few periods to forecast or backtest."""

    title = "Series too short"


class ScenarioInvalid(InvalidInput):
    """A scenario's changes are out of range or name an unknown route or waste."""

    title = "Scenario invalid"


class DatasetExists(Conflict):
    """A panel dataset of this name is already stored (names are unique; import another)."""

    title = "Dataset exists"
