"""Engine construction: SQLite in WAL mode with foreign keys on, or PostgreSQL via psycopg 3."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.pool import StaticPool


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")  # an acknowledged commit survives power loss
    cursor.execute("PRAGMA busy_timeout=10000")
    # 64 MiB of page cache (default 2 MiB): the ledger's and events' indexes stay in memory
    # past a million rows, so appends do not fall back to reading pages from the file.
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def build_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine for `url`, configured for durability and concurrency on its dialect."""
    if url.startswith("sqlite"):
        memory = url in ("sqlite://", "sqlite:///:memory:")
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"check_same_thread": False},
            poolclass=StaticPool if memory else None,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, echo=echo, pool_pre_ping=True)


def schema_scoped_url(url: str, schema: str) -> str:
    """A PostgreSQL URL whose connections use `schema` as their search path."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


@contextmanager
def temporary_schema(url: str, prefix: str = "zw_tmp") -> Iterator[str]:
    """Create a fresh PostgreSQL schema, yield a URL scoped to it, drop it afterwards.

    Tests and benchmarks use this to work in isolation on a shared server.
    """
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = build_engine(url)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        yield schema_scoped_url(url, schema)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
