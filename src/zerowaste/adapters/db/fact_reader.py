"""The base of the oversight fact readers: streaming, id-restricted reads, dialect helpers."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterator
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    bindparam,
    func,
)

from zerowaste.adapters.db.id_lists import rows_in
from zerowaste.adapters.db.tables import (
    events,
)
from zerowaste.domain.quantities import to_kilograms

#: Rows fetched from the server at a time when streaming a large result.
STREAM = 5000

_BATCH_PREFIX = "urn:zerowaste:batch:"


def quantity_of(line: dict[str, Any]) -> Decimal:
    """The mass of a stored document line in kilograms (its `quantity` in its `unit`).

    Stored documents passed capture, so the quantity is a decimal and the unit a mass unit.
    """
    return to_kilograms(Decimal(line["quantity"]), line.get("unit", "KGM"))


def batch_of(line: dict[str, Any]) -> uuid.UUID:
    """The batch id a document line names by URN."""
    return uuid.UUID(str(line["batch"]).removeprefix(_BATCH_PREFIX))


class FactReader:
    """Reads fact rows for the detectors inside the caller's connection (a unit of work's).

    Methods taking `event_ids` read only those events (capture); without, the whole store.
    """

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def _stream(self, query: Select[Any]) -> Iterator[Any]:
        result = self._connection.execution_options(yield_per=STREAM).execute(query)
        yield from result

    def _rows(self, query: Select[Any], column: Any, ids: Collection[uuid.UUID] | None) -> Any:
        """The rows of `query`, restricted to `column` in `ids` when given."""
        if ids is None:
            return self._stream(query)
        bound = query.where(column.in_(bindparam("ids", expanding=True)))
        return rows_in(self._connection, bound, ids)

    def _days_late(self) -> ColumnElement[Any]:
        """recorded_at − event_time in days, in this database's dialect."""
        if self._connection.dialect.name == "sqlite":
            return func.julianday(events.c.recorded_at) - func.julianday(events.c.event_time)
        return func.extract("epoch", events.c.recorded_at - events.c.event_time) / 86400
