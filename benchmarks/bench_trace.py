"""Batch genealogy: TraceService.trace latency over a captured ledger, SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import random
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import (  # noqa: E402
    latencies_ms,
    on_each_backend,
    on_each_cached_backend,
    parse_args,
    report,
)
from bench_capture import (  # noqa: E402
    ADMIN,
    Chain,
    capture_all,
    chains,
    open_context,
    register_firms,
)
from zerowaste.bootstrap import Context  # noqa: E402
from zerowaste.domain.genealogy import Direction  # noqa: E402

#: The tables a trace reads.
TRACED_TABLES = (
    "batch_lineage",
    "batches",
    "event_batches",
    "events",
    "event_corrections",
    "organizations",
)


def analyze(context: Context) -> None:
    """Gather PostgreSQL's planner statistics on the traced tables, as autovacuum would.

    The benchmark writes its ledger in one go, and PostgreSQL plans from statistics that
    autovacuum gathers only some time after a bulk load (never, where it is off, as on the test
    server); without them it guesses 0.5 % of a table per looked-up id. SQLite plans these
    keyed reads the same with or without statistics, so it is left as it is.
    """
    if context.engine.dialect.name != "postgresql":
        return
    with context.engine.begin() as connection:
        for table in TRACED_TABLES:
            connection.execute(text(f"ANALYZE {table}"))


def trace_figures(context: Context, built: list[Chain], samples: int) -> dict[str, Any]:
    """Latencies of tracing random batches of the sampled chains, in each direction.

    Each figure also gives the benchmark process's CPU time per trace (`cpu_ms`), which the
    load of other processes on the machine disturbs less than the wall-clock latencies.
    """
    generator = random.Random(5)
    deep = [c for c in built if c.deep]

    def timed(pick: Any, direction: Direction) -> dict[str, float]:
        start = time.process_time()
        figures = latencies_ms(
            lambda: context.trace.trace(ADMIN, pick(), direction=direction), samples
        )
        cpu_ms = (time.process_time() - start) * 1000 / samples
        return {**figures, "cpu_ms": round(cpu_ms, 3)}

    def raw() -> Any:
        return generator.choice(built).raw

    def middle() -> Any:
        return generator.choice(built).part_a

    def residue() -> Any:
        return generator.choice(deep).residue

    sample = context.trace.trace(ADMIN, deep[0].raw)
    return {
        "batches_in_a_deep_trace": len(sample.nodes),
        "generated_batch_both_ms": timed(raw, Direction.BOTH),
        "generated_batch_down_ms": timed(raw, Direction.DOWN),
        "mid_batch_both_ms": timed(middle, Direction.BOTH),
        "deep_residue_both_ms": timed(residue, Direction.BOTH),
        "deep_residue_up_ms": timed(residue, Direction.UP),
    }


def measure(url: str, events: int, samples: int) -> dict[str, Any]:
    """Capture a ledger of about `events` events, then trace random batches."""
    context = open_context(url)
    try:
        firms = register_firms(context, 8)
        built = list(chains(firms, events, deep_every=4))
        submissions = [s for c in built for s in c.submissions]
        start = time.perf_counter()
        capture_all(context, submissions)
        build_s = time.perf_counter() - start
        analyze(context)
        return {
            "ledger_events": len(submissions),
            "chains": len(built),
            "build_s": round(build_s, 1),
            **trace_figures(context, built, samples),
        }
    finally:
        context.close()


def measure_cached(folder: Path, url: str, backend: str, samples: int) -> dict[str, Any]:
    """Trace batches of the chains `bench_capture.py --cache` sampled from its kept ledger."""
    kept = json.loads((folder / f"ledger-{backend}.json").read_text(encoding="utf-8"))
    built = [
        Chain(uuid.UUID(c["raw"]), uuid.UUID(c["part_a"]), uuid.UUID(c["residue"]), c["deep"], [])
        for c in kept["chains"]
    ]
    context = open_context(url)
    try:
        analyze(context)
        return {"ledger_events": kept["events"], **trace_figures(context, built, samples)}
    finally:
        context.close()


def main() -> None:
    """Run on SQLite, and on PostgreSQL when ZEROWASTE_TEST_DATABASE_URL is set."""
    args = parse_args(__doc__ or "", cache=True)
    if args.smoke:
        events, samples = 300, 20
    else:
        events = int(os.environ.get("ZEROWASTE_BENCH_TRACE_EVENTS", "50000"))
        samples = int(os.environ.get("ZEROWASTE_BENCH_TRACE_SAMPLES", "500"))
    if args.cache is None:
        figures = on_each_backend(lambda url: measure(url, events, samples), "trace")
    else:
        figures = on_each_cached_backend(
            lambda url, backend: measure_cached(args.cache, url, backend, samples),
            "trace",
            args.cache,
            args.backend,
        )
    report("trace", figures, args.json)


if __name__ == "__main__":
    main()
