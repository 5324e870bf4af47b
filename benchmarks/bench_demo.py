"""Demo city benchmark: generating the city and its events, and building both, by scale.

Run: uv run python benchmarks/bench_demo.py --json OUT.json [--smoke]
PostgreSQL is included when ZEROWASTE_TEST_DATABASE_URL is set. No peer library builds a
comparable city, so there is no side-by-side figure.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import on_each_backend, parse_args, report  # noqa: E402
from zerowaste.bootstrap import Context, build_context  # noqa: E402
from zerowaste.demo import generate_city  # noqa: E402
from zerowaste.demo.events import plan_events  # noqa: E402
from zerowaste.services.demo import build_demo_city  # noqa: E402
from zerowaste.settings import Settings  # noqa: E402

MASTER_KEY = "bench-demo-master-key-0123"


def bench_generate(scales: list[float]) -> list[dict[str, Any]]:
    """Time the pure generators (city, then its year of events; no database) at each scale."""
    rows = []
    for scale in scales:
        start = time.perf_counter()
        city = generate_city(7, scale)
        seconds = time.perf_counter() - start
        started = time.perf_counter()
        plan = plan_events(city)
        plan_seconds = time.perf_counter() - started
        firms = len(city.firms)
        rows.append(
            {
                "scale": scale,
                "firms": firms,
                "seconds": round(seconds, 3),
                "firms_per_s": round(firms / seconds, 1),
                "events": len(plan.events),
                "plan_seconds": round(plan_seconds, 3),
                "events_planned_per_s": round(len(plan.events) / plan_seconds, 1),
            }
        )
    return rows


def timed_build(context: Context, scale: float, months: int) -> dict[str, Any]:
    """Build the city and `months` of events once at `scale`; return sizes and stage times."""
    marks: dict[str, float] = {}

    def progress(stage: str, done: int, total: int) -> None:
        marks[stage] = time.perf_counter()

    start = time.perf_counter()
    summary = build_demo_city(context, seed=7, scale=scale, progress=progress, months=months)
    seconds = time.perf_counter() - start
    firms = summary.counts["organizations"]
    return {
        "scale": scale,
        "firms": firms,
        "sites": summary.counts["sites"],
        "permits": summary.counts["permits"],
        "economic_records": summary.counts["economic_records"],
        "seconds": round(seconds, 3),
        "firms_per_s": round(firms / seconds, 1),
        "reset_and_migrate_s": round(marks["reset"] - start, 3),
        "firms_s": round(marks["firms"] - marks["reset"], 3),
        "users_s": round(marks["users"] - marks["firms"], 3),
        "months": months,
        "events": summary.events.get("events", 0),
        "keys_s": round(marks.get("keys", marks["users"]) - marks["users"], 3),
        "events_s": round(
            marks.get("events", marks["users"]) - marks.get("keys", marks["users"]), 3
        ),
    }


def bench_build(url: str, scales: list[float], months: int) -> list[dict[str, Any]]:
    """Time `build_demo_city` (reset, migrate, every write through the services) per scale."""
    context = build_context(Settings(database_url=url, master_key=MASTER_KEY))  # type: ignore[arg-type]
    try:
        rows = [timed_build(context, scale, months) for scale in scales]
        for row in rows:
            row["events_per_s"] = round(row["events"] / row["events_s"], 1) if row["events"] else 0
        return rows
    finally:
        context.close()


def main() -> None:
    """Run the benchmark and print (and write) its figures."""
    args = parse_args(__doc__ or "")
    generate_scales = [0.1] if args.smoke else [0.1, 1.0, 10.0]
    build_scales = [0.05] if args.smoke else [0.25, 1.0, 2.0]
    months = 1 if args.smoke else 12
    figures: dict[str, Any] = {"generate": bench_generate(generate_scales)}
    figures |= on_each_backend(lambda url: bench_build(url, build_scales, months), "build")
    report("demo", figures, args.json)


if __name__ == "__main__":
    main()
