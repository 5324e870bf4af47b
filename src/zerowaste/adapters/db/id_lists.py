"""Reads of rows by long lists of keys: one prepared `IN` query, bound a chunk at a time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Column, Connection, Row, Select, Table, bindparam, select

#: The most keys bound in one `IN (...)` (SQLite's historical limit is 999 values).
CHUNK = 500


def in_list(column: Column[Any], *columns: Column[Any] | Table) -> Select[Any]:
    """A query of `columns` (or whole tables) whose `column` is in the list bound as `ids`."""
    return select(*(columns or (column,))).where(column.in_(bindparam("ids", expanding=True)))


def chunks(values: Iterable[Any]) -> list[list[Any]]:
    """Distinct values in lists short enough for one `IN (...)` each."""
    unique = list(dict.fromkeys(values))
    return [unique[i : i + CHUNK] for i in range(0, len(unique), CHUNK)]


def rows_in(
    connection: Connection, query: Select[Any], values: Iterable[Any]
) -> Iterator[Row[Any]]:
    """The rows of `query` (from `in_list`) for distinct `values`, a chunk at a time."""
    for ids in chunks(values):
        yield from connection.execute(query, {"ids": ids})
