"""The years the under-reporting rule judges: complete enough ones, else the latest."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from zerowaste.oversight.facts import Generation
from zerowaste.services.oversight_detect import _years_to_judge


def _firms(year: int, count: int) -> list[Generation]:
    return [
        Generation(uuid.uuid4(), year, Decimal(1), Decimal(1), "t", "3670") for _ in range(count)
    ]


def _span(year: int, first: int, last: int) -> tuple[datetime, datetime]:
    return datetime(year, first, 1, tzinfo=UTC), datetime(year, last, 28, tzinfo=UTC)


def test_a_long_year_with_most_firms_is_judged() -> None:
    spans = {2025: _span(2025, 6, 12), 2026: _span(2026, 1, 7)}
    assert _years_to_judge(spans, _firms(2025, 40) + _firms(2026, 42)) == [2025, 2026]


def test_a_few_late_records_do_not_make_a_year_to_judge() -> None:
    # Three months of data in 2026, and a handful of firms' records spread over 2025.
    spans = {2025: _span(2025, 3, 12), 2026: _span(2026, 4, 6)}
    assert _years_to_judge(spans, _firms(2025, 5) + _firms(2026, 40)) == [2026]
    assert _years_to_judge({}, []) == []
