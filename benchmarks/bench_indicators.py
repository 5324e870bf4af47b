"""Indicators: the whole city indicator set over a 1M-event ledger (target < 10 s).

The ledger is the oversight benchmark's: the demo city at scale 1 with its projections tiled
to a million events (`oversight_fixture.py`). Measured on each backend:

- `refresh_cold`: projecting the whole ledger into the indicator facts from nothing (what
  the first read after a migration pays once);
- `city_set`: the whole city indicator set (every city-level indicator of the registry) for
  the demo city's year, facts already projected — the figure the target is about;
- `refresh_idle`: a refresh with nothing new logged (what every read pays);
- `firm_set`: the firm indicator set of the busiest generator.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import latencies_ms, parse_args, report  # noqa: E402
from oversight_fixture import fixtures, open_context  # noqa: E402
from zerowaste.adapters.db.indicator_tables import (  # noqa: E402
    indicator_fact_marks,
    indicator_facts,
)
from zerowaste.adapters.db.tables import events  # noqa: E402
from zerowaste.bootstrap import Context  # noqa: E402
from zerowaste.cli.common import OPERATOR  # noqa: E402
from zerowaste.demo.geography import HOME_PREFECTURE  # noqa: E402
from zerowaste.domain.indicators import IndicatorLevel, Period  # noqa: E402

#: The year the demo city's ledger covers (its clock stands in December 2026).
YEAR = 2026
#: Target for the whole city set over the 1M-event ledger, seconds.
TARGET_S = 10.0


def _timed(action: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    result = action()
    return result, round(time.perf_counter() - start, 3)


def _forget_facts(context: Context) -> None:
    with context.engine.begin() as connection:
        connection.execute(delete(indicator_facts))
        connection.execute(delete(indicator_fact_marks))


def measure(context: Context, repeat: int) -> dict[str, Any]:
    """The figures of one backend (the facts are rebuilt from nothing first)."""
    service = context.indicators
    period = Period.year(YEAR)
    with context.engine.connect() as connection:
        event_count = connection.execute(select(func.count()).select_from(events)).scalar_one()
    _forget_facts(context)
    read, cold = _timed(service.refresh)
    with context.engine.connect() as connection:
        facts = connection.execute(select(func.count()).select_from(indicator_facts)).scalar_one()
        busiest = connection.execute(
            select(indicator_facts.c.generator_id)
            .group_by(indicator_facts.c.generator_id)
            .order_by(func.count().desc())
            .limit(1)
        ).scalar_one()
    values, first = _timed(
        lambda: service.values(None, IndicatorLevel.CITY, HOME_PREFECTURE, period)
    )
    city = latencies_ms(
        lambda: service.values(None, IndicatorLevel.CITY, HOME_PREFECTURE, period), repeat
    )
    idle = latencies_ms(service.refresh, repeat)
    firm = latencies_ms(
        lambda: service.values(OPERATOR, IndicatorLevel.FIRM, str(busiest), period), repeat
    )
    computed = [v for v in values if v.value is not None]
    return {
        "events": event_count,
        "events_read": read,
        "fact_lines": facts,
        "refresh_cold_s": cold,
        "refresh_cold_events_per_s": round(read / cold, 1) if cold else None,
        "city_set_first_s": first,
        "city_set_ms": city,
        "city_indicators": len(values),
        "city_indicators_computed": len(computed),
        "city_values": {v.indicator_id: str(v.value) for v in computed},
        "refresh_idle_ms": idle,
        "firm_set_ms": firm,
        "target_s": TARGET_S,
        "meets_target": city["p50_ms"] / 1000 < TARGET_S,
    }


def main() -> None:
    """The whole city indicator set over a 1M-event ledger, on each backend.

    Run: uv run python benchmarks/bench_indicators.py --json OUT.json [--smoke] [--cache DIR]
    [--backend sqlite|postgresql]. With --cache DIR the tiled ledger of bench_oversight.py is
    reused (built there if missing). ZEROWASTE_BENCH_INDICATOR_EVENTS sets the size
    (1,000,000). PostgreSQL is measured when ZEROWASTE_TEST_DATABASE_URL is set.
    """
    args = parse_args(main.__doc__ or "", cache=True)
    backends = args.backend or ["sqlite", "postgresql"]
    if args.smoke:
        target, scale, months, repeat = 1000, 0.05, 1, 2
    else:
        target = int(os.environ.get("ZEROWASTE_BENCH_INDICATOR_EVENTS", "1000000"))
        scale, months, repeat = 1.0, 12, 5
    figures: dict[str, Any] = {}
    with fixtures(args.cache, backends, target, scale, months) as built:
        for backend, (url, info) in built.items():
            context = open_context(url)
            try:
                figures[f"city_set_{backend}"] = measure(context, repeat) | {"tiles": info.tiles}
            finally:
                context.close()
    report("indicators", figures, args.json)


if __name__ == "__main__":
    main()
