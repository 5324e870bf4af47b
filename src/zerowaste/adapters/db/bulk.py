"""Bulk inserts of many rows: one executemany on SQLite, one COPY on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, insert
from sqlalchemy.exc import IntegrityError

_Processor = Callable[[Any], Any] | None


def _processors(connection: Connection, table: Table, names: Sequence[str]) -> list[_Processor]:
    """The columns' bind processors on this dialect (what SQLAlchemy itself applies)."""
    dialect = connection.dialect
    return [table.c[name].type._cached_bind_processor(dialect) for name in names]


def _bound(
    rows: Sequence[dict[str, Any]], names: Sequence[str], procs: list[_Processor]
) -> list[tuple[Any, ...]]:
    """Each row as a tuple of driver values, in `names` order."""
    pairs = list(zip(names, procs, strict=True))
    return [
        tuple(p(row[n]) if p is not None and row[n] is not None else row[n] for n, p in pairs)
        for row in rows
    ]


def bulk_insert(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows` (dicts with the same keys) in the caller's transaction.

    The values go through the same column type processors as a Core `insert()`, but once per
    value instead of through SQLAlchemy's per-statement machinery: SQLite gets one driver
    `executemany`, PostgreSQL one `COPY ... FROM STDIN` (psycopg adapts UUIDs, instants,
    bytes and decimals itself). A constraint violation raises SQLAlchemy's `IntegrityError`
    like `insert()` does, and leaves the transaction to be rolled back.
    """
    if not rows:
        return
    names = list(rows[0])
    values = _bound(rows, names, _processors(connection, table, names))
    if connection.dialect.name != "postgresql":
        sql = str(insert(table).compile(dialect=connection.dialect, column_keys=names))
        connection.exec_driver_sql(sql, values)
        return
    raw: Any = connection.connection.dbapi_connection  # a psycopg 3 connection
    columns = ", ".join(f'"{name}"' for name in names)
    dbapi = connection.dialect.loaded_dbapi
    try:
        with (
            raw.cursor() as cursor,
            cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy,
        ):
            for row in values:
                copy.write_row(row)
    except dbapi.IntegrityError as exc:
        raise IntegrityError(f"COPY {table.name}", None, exc) from exc
