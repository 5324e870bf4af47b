"""Shared fixtures: a migrated database per backend (SQLite, real PostgreSQL), a context, a client.

PostgreSQL tests read ZEROWASTE_TEST_DATABASE_URL. Without it they skip, except when CI is set:
then a missing database is a failure, never a skip.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.factories import OPERATOR, Factory
from zerowaste.adapters.db.engine import temporary_schema
from zerowaste.adapters.db.tables import metadata
from zerowaste.app import create_app
from zerowaste.bootstrap import Context, build_context
from zerowaste.settings import Settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED = PROJECT_ROOT.parent / "shared"
REFERENCE_TABLES = {"regions", "industries"}
MASTER_KEY = "test-master-key-0123456789"


def postgres_url() -> str | None:
    """The PostgreSQL URL for tests; fails (under CI) or skips when it is not set."""
    url = os.environ.get("ZEROWASTE_TEST_DATABASE_URL")
    if url:
        return url
    if os.environ.get("CI"):
        pytest.fail("CI is set but ZEROWASTE_TEST_DATABASE_URL is not: PostgreSQL tests must run")
    pytest.skip("ZEROWASTE_TEST_DATABASE_URL not set")
    return None


@pytest.fixture(scope="session")
def postgres_schema_url() -> Iterator[str]:
    """A fresh PostgreSQL schema for this test session, dropped at the end."""
    base = postgres_url()
    assert base is not None
    with temporary_schema(base, "zw_test") as url:
        yield url


def _clear(context: Context) -> None:
    with context.engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            if table.name not in REFERENCE_TABLES:
                connection.execute(table.delete())


class FixedClock:
    """A clock tests can set and advance."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="session")
def _contexts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Context]]:
    built: dict[str, Context] = {}
    yield built
    for context in built.values():
        context.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def context(
    request: pytest.FixtureRequest,
    _contexts: dict[str, Context],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Context]:
    """A migrated context on each backend, emptied of everything but reference tables."""
    backend: str = request.param
    if backend not in _contexts:
        if backend == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'zerowaste.db'}"
        else:
            url = request.getfixturevalue("postgres_schema_url")
        clock = FixedClock(datetime(2026, 6, 1, 8, 0, tzinfo=UTC))
        settings = Settings(database_url=url, master_key=MASTER_KEY)  # type: ignore[arg-type]
        built = build_context(settings, clock=clock)
        built.migrate()
        _contexts[backend] = built
    ctx = _contexts[backend]
    _clear(ctx)
    ctx.clock.now = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)  # type: ignore[attr-defined]
    return ctx


@pytest.fixture
def factory(context: Context) -> Factory:
    """Builders of registry records with valid defaults."""
    return Factory(context)


@pytest.fixture
def client(context: Context) -> Iterator[TestClient]:
    """An HTTP client on the app built around `context`."""
    with TestClient(create_app(context=context)) as test_client:
        yield test_client


__all__ = ["OPERATOR", "PROJECT_ROOT", "SHARED"]
