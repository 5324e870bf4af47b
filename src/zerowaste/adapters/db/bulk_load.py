"""Bulk loads that are rebuilt, not recovered: SQLite commits without waiting for the disk."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event


def _relaxed(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


@contextmanager
def rebuildable_writes(engine: Engine) -> Iterator[None]:
    """Within the block, SQLite commits skip the fsync (WAL with `synchronous=NORMAL`).

    For a load that is simply run again when interrupted (the demo build). The database stays
    consistent, and a killed process loses nothing committed; only a power cut may lose the
    last commits. Other databases are left as they are. Pooled connections are replaced on
    entry and on exit, so the engine is back at full durability afterwards.
    """
    if engine.dialect.name != "sqlite":
        yield
        return
    engine.dispose()
    event.listen(engine, "connect", _relaxed)
    try:
        yield
    finally:
        event.remove(engine, "connect", _relaxed)
        engine.dispose()


def refresh_statistics(engine: Engine) -> None:
    """`ANALYZE` the database, so the planner knows the sizes a bulk load just wrote.

    PostgreSQL's autovacuum would get there eventually, and may be switched off (as on the
    project's CI machines); until then its planner guesses, and at a million events picks
    parallel scans for lookups of a few rows. SQLite keeps the figures in `sqlite_stat1`.
    """
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")
