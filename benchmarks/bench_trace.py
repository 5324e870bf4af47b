"""Batch genealogy: TraceService.trace latency over a captured ledger, SQLite and PostgreSQL."""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import latencies_ms, on_each_backend, parse_args, report  # noqa: E402
from bench_capture import (  # noqa: E402
    ADMIN,
    capture_all,
    chains,
    open_context,
    register_firms,
)
from zerowaste.domain.genealogy import Direction  # noqa: E402


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
        generator = random.Random(5)
        deep = [c for c in built if c.deep]

        def timed(pick: Any, direction: Direction) -> dict[str, float]:
            return latencies_ms(
                lambda: context.trace.trace(ADMIN, pick(), direction=direction), samples
            )

        def raw() -> Any:
            return generator.choice(built).raw

        def middle() -> Any:
            return generator.choice(built).part_a

        def residue() -> Any:
            return generator.choice(deep).residue

        sample = context.trace.trace(ADMIN, deep[0].raw)
        return {
            "ledger_events": len(submissions),
            "chains": len(built),
            "deep_chains": len(deep),
            "build_s": round(build_s, 1),
            "batches_in_a_deep_trace": len(sample.nodes),
            "generated_batch_both_ms": timed(raw, Direction.BOTH),
            "generated_batch_down_ms": timed(raw, Direction.DOWN),
            "mid_batch_both_ms": timed(middle, Direction.BOTH),
            "deep_residue_both_ms": timed(residue, Direction.BOTH),
            "deep_residue_up_ms": timed(residue, Direction.UP),
        }
    finally:
        context.close()


def main() -> None:
    """Run on SQLite, and on PostgreSQL when ZEROWASTE_TEST_DATABASE_URL is set."""
    args = parse_args(__doc__ or "")
    if args.smoke:
        events, samples = 300, 20
    else:
        events = int(os.environ.get("ZEROWASTE_BENCH_TRACE_EVENTS", "50000"))
        samples = 500
    figures = on_each_backend(lambda url: measure(url, events, samples), "trace")
    report("trace", figures, args.json)


if __name__ == "__main__":
    main()
