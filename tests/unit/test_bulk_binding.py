"""Bulk writes bind every value exactly as SQLAlchemy's own column processors would."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect

from zerowaste.adapters.db.bulk import bound_rows
from zerowaste.adapters.db.tables import batch_lineage, events

DIALECTS = [sqlite.dialect(), postgresql.psycopg.dialect()]  # type: ignore[attr-defined]

instants = st.datetimes(
    min_value=datetime(1, 1, 2),
    max_value=datetime(9999, 12, 30),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=8)), timezone(-timedelta(hours=5))]),
)
decimals = st.decimals(allow_nan=False, allow_infinity=False, places=6, max_value=10**9)


def _reference(dialect: Dialect, table: Any, row: dict[str, Any]) -> tuple[Any, ...]:
    """The row as SQLAlchemy's per-value bind processors convert it."""
    values = []
    for name, value in row.items():
        process = table.c[name].type._cached_bind_processor(dialect)
        values.append(value if process is None or value is None else process(value))
    return tuple(values)


def _normalized(value: Any) -> Any:
    """Driver values compared by what they hold (a memoryview and bytes alike)."""
    return bytes(value) if isinstance(value, memoryview) else value


@pytest.mark.parametrize("dialect", DIALECTS, ids=lambda d: d.name)
@given(
    event_time=instants,
    recorded_at=instants,
    site=st.none() | st.uuids(),
    discrepancy=st.none() | decimals,
    document=st.binary(max_size=64),
)
def test_event_rows_bind_like_sqlalchemy(
    dialect: Dialect,
    event_time: datetime,
    recorded_at: datetime,
    site: uuid.UUID | None,
    discrepancy: Decimal | None,
    document: bytes,
) -> None:
    row = {
        "event_id": uuid.uuid4(),
        "log_id": "main",
        "leaf_index": 7,
        "event_type": "generated",
        "event_time": event_time,
        "organization_id": uuid.uuid4(),
        "site_id": site,
        "manifest_id": None,
        "document": document,
        "signature_key_id": "k",
        "signature_value": "v",
        "user_id": None,
        "recorded_at": recorded_at,
        "discrepancy_kg": discrepancy,
    }
    [bound] = bound_rows(dialect, events, [row], list(row))
    expected = _reference(dialect, events, row)
    assert [_normalized(v) for v in bound] == [_normalized(v) for v in expected]


@pytest.mark.parametrize("dialect", DIALECTS, ids=lambda d: d.name)
def test_rows_keep_the_order_of_the_names_given(dialect: Dialect) -> None:
    parent, child, event = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    rows = [{"mass_kg": Decimal("1.5"), "child_id": child, "parent_id": parent, "event_id": event}]
    [bound] = bound_rows(dialect, batch_lineage, rows, list(rows[0]))
    assert bound == _reference(dialect, batch_lineage, rows[0])


def test_naive_instants_are_refused() -> None:
    row = {"event_time": datetime(2026, 1, 1)}
    with pytest.raises(ValueError, match="naive"):
        bound_rows(sqlite.dialect(), events, [row], ["event_time"])
