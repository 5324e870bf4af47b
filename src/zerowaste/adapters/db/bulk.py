"""Bulk writes of many rows: one executemany on SQLite, one COPY on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC
from typing import Any

from sqlalchemy import Connection, LargeBinary, Table, Uuid, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import IntegrityError

from zerowaste.adapters.db.types import ExactDecimal, UtcDateTime

#: Turns a column of Python values into the driver's values, None staying None.
ColumnBinder = Callable[[list[Any]], list[Any]]


def _uuid_hex(values: list[Any]) -> list[Any]:
    return [None if v is None else v.hex for v in values]


def _decimal_text(values: list[Any]) -> list[Any]:
    return [None if v is None else str(v) for v in values]


def _naive_utc_text(values: list[Any]) -> list[Any]:
    """SQLite DATETIME text (`YYYY-MM-DD HH:MM:SS.ffffff`) of aware instants, in UTC."""
    if any(v is not None and v.tzinfo is None for v in values):
        raise ValueError("naive datetimes are not stored; attach a time zone")
    return [
        None if v is None else v.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
        for v in values
    ]


def _column_binder(column_type: Any, dialect: Dialect) -> ColumnBinder | None:
    """What SQLAlchemy's bind processor of this type does, over a whole column at once.

    The common types of the event tables on SQLite get a list comprehension that writes
    exactly what their processor writes (hex UUIDs, decimal text, naive UTC DATETIME text);
    bytes go to either driver as they are; every other type applies its own processor value
    by value.
    """
    if dialect.name == "sqlite":
        if isinstance(column_type, Uuid) and column_type.as_uuid:
            return _uuid_hex
        if isinstance(column_type, ExactDecimal):
            return _decimal_text
        if isinstance(column_type, UtcDateTime):
            return _naive_utc_text
    if isinstance(column_type, LargeBinary):
        return None  # sqlite3 and psycopg bind bytes as BLOB / bytea themselves
    process = column_type._cached_bind_processor(dialect)
    if process is None:
        return None
    return lambda values: [None if v is None else process(v) for v in values]


def bound_rows(
    dialect: Dialect, table: Table, rows: Sequence[dict[str, Any]], names: Sequence[str]
) -> list[tuple[Any, ...]]:
    """Each row as a tuple of driver values in `names` order, converted column by column."""
    columns = []
    for name in names:
        values = [row[name] for row in rows]
        binder = _column_binder(table.c[name].type, dialect)
        columns.append(values if binder is None else binder(values))
    return list(zip(*columns, strict=True))


def bulk_insert(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows` (dicts with the same keys) in the caller's transaction.

    The values are converted as a Core `insert()` would convert them, but a column at a time
    instead of through SQLAlchemy's per-statement machinery: SQLite gets one driver
    `executemany`, PostgreSQL one `COPY ... FROM STDIN` (psycopg adapts UUIDs, instants,
    bytes and decimals itself). A constraint violation raises SQLAlchemy's `IntegrityError`
    like `insert()` does, and leaves the transaction to be rolled back.
    """
    if not rows:
        return
    names = list(rows[0])
    values = bound_rows(connection.dialect, table, rows, names)
    if connection.dialect.name != "postgresql":
        _execute_many(connection, insert(table), names, values)
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


def _execute_many(
    connection: Connection, statement: Any, names: Sequence[str], values: list[tuple[Any, ...]]
) -> None:
    """Run a compiled statement once per row of driver values, in the driver's paramstyle."""
    compiled = statement.compile(dialect=connection.dialect, column_keys=list(names))
    order = compiled.positiontup
    if order is None:  # a named paramstyle (psycopg's pyformat)
        connection.exec_driver_sql(
            compiled.string, [dict(zip(names, v, strict=True)) for v in values]
        )
        return
    if list(order) != list(names):
        position = {name: i for i, name in enumerate(names)}
        values = [tuple(v[position[name]] for name in order) for v in values]
    connection.exec_driver_sql(compiled.string, values)


def bulk_upsert(
    connection: Connection, table: Table, rows: Sequence[dict[str, Any]], key: str
) -> None:
    """Insert `rows` (dicts with the same keys), or overwrite the rows already holding `key`."""
    if not rows:
        return
    names = list(rows[0])
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table)
    upsert = statement.on_conflict_do_update(
        index_elements=[key], set_={n: statement.excluded[n] for n in names if n != key}
    )
    _execute_many(connection, upsert, names, bound_rows(connection.dialect, table, rows, names))
