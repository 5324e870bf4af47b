"""Read an uploaded statistics CSV (`region_code,year,statistic,value,source`) into statistics."""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation

from zerowaste.domain.statistics import RegionStatistic, StatisticKind
from zerowaste.errors import InvalidInput
from zerowaste.errors.indicators import StatisticsFileInvalid

STATISTICS_COLUMNS = ("region_code", "year", "statistic", "value", "source")
#: The most rows one upload may hold.
MAX_ROWS = 100_000


def parse_statistics_csv(text: str) -> list[RegionStatistic]:
    """Every statistic of the file, in file order; the whole file is refused on any error.

    Raises:
        StatisticsFileInvalid: A bad header, too many rows, a bad cell or a (region, year,
            statistic) given twice; `field` is `row N: column` (row 1 is the header).
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != STATISTICS_COLUMNS:
        raise StatisticsFileInvalid(
            f"the header must be {','.join(STATISTICS_COLUMNS)}", field="row 1: header"
        )
    found: list[RegionStatistic] = []
    seen: dict[tuple[str, int, StatisticKind], int] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(found) >= MAX_ROWS:
            raise StatisticsFileInvalid(f"more than {MAX_ROWS} rows", field=f"row {number}")
        if len(cells) != len(STATISTICS_COLUMNS):
            raise StatisticsFileInvalid(
                f"has {len(cells)} cells, not {len(STATISTICS_COLUMNS)}", field=f"row {number}"
            )
        region, year, kind, value, source = (c.strip() for c in cells)
        if not (year.isdigit() and len(year) == 4):
            raise StatisticsFileInvalid(f"{year!r} is not a year", field=f"row {number}: year")
        try:
            statistic = StatisticKind(kind)
        except ValueError:
            raise StatisticsFileInvalid(
                f"{kind!r} is not one of {', '.join(k.value for k in StatisticKind)}",
                field=f"row {number}: statistic",
            ) from None
        try:
            amount = Decimal(value)
        except InvalidOperation:
            raise StatisticsFileInvalid(
                f"{value!r} is not a number", field=f"row {number}: value"
            ) from None
        try:
            row = RegionStatistic(region, int(year), statistic, amount, source)
        except InvalidInput as exc:
            raise StatisticsFileInvalid(exc.detail, field=f"row {number}: {exc.field}") from None
        key = (row.region_code, row.year, row.kind)
        if key in seen:
            raise StatisticsFileInvalid(
                f"repeats row {seen[key]} ({row.region_code} {row.year} {kind})",
                field=f"row {number}: statistic",
            )
        seen[key] = number
        found.append(row)
    if not found:
        raise StatisticsFileInvalid("the file holds no statistic", field="row 2")
    return found
