"""Oversight: the full sweep over a 1M-event ledger, and what on-capture rules cost capture."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import parse_args, report  # noqa: E402
from bench_capture import BATCH, T0, Feed, capture_all, register_firms  # noqa: E402
from oversight_fixture import SWEEP_AS_OF, TILE_LEAVES, fixtures, open_context  # noqa: E402
from zerowaste.adapters.db import oversight_tables  # noqa: E402
from zerowaste.adapters.db.engine import temporary_schema  # noqa: E402
from zerowaste.adapters.db.tables import (  # noqa: E402
    events,
    ledger_checkpoints,
    ledger_entries,
    ledger_heads,
    ledger_nodes,
    metadata,
    workflow_actions,
)
from zerowaste.bootstrap import Context  # noqa: E402
from zerowaste.services.demo import build_demo_city  # noqa: E402
from zerowaste.services.oversight import OversightService  # noqa: E402
from zerowaste.services.oversight_detect import sweep_findings  # noqa: E402

#: The tables a sweep may write besides the ledger (undone after measuring).
OVERSIGHT = [t for t in metadata.sorted_tables if t.name in vars(oversight_tables)]


#: References that must resolve in a consistent fixture: (name, SQL counting the dangling ones).
_REFERENCES = {
    "event_batches.event_id": "SELECT count(*) FROM event_batches x WHERE NOT EXISTS "
    "(SELECT 1 FROM events e WHERE e.event_id = x.event_id)",
    "event_batches.batch_id": "SELECT count(*) FROM event_batches x WHERE NOT EXISTS "
    "(SELECT 1 FROM batches b WHERE b.batch_id = x.batch_id)",
    "batch_lineage.child_id": "SELECT count(*) FROM batch_lineage x WHERE NOT EXISTS "
    "(SELECT 1 FROM batches b WHERE b.batch_id = x.child_id)",
    "batches.manifest_id": "SELECT count(*) FROM batches x WHERE x.manifest_id IS NOT NULL "
    "AND NOT EXISTS (SELECT 1 FROM manifests m WHERE m.manifest_id = x.manifest_id)",
    "events.manifest_id": "SELECT count(*) FROM events x WHERE x.manifest_id IS NOT NULL "
    "AND NOT EXISTS (SELECT 1 FROM manifests m WHERE m.manifest_id = x.manifest_id)",
    "workflow_actions.subject_id": "SELECT count(*) FROM workflow_actions x WHERE x.subject IN "
    "('manifest', 'approval') AND NOT EXISTS "
    "(SELECT 1 FROM manifests m WHERE m.manifest_id = x.subject_id) AND NOT EXISTS "
    "(SELECT 1 FROM approvals a WHERE a.approval_id = x.subject_id)",
    "manifest_parties.manifest_id": "SELECT count(*) FROM manifest_parties x WHERE NOT EXISTS "
    "(SELECT 1 FROM manifests m WHERE m.manifest_id = x.manifest_id)",
}


def dangling(context: Context) -> dict[str, int]:
    """References of the tiled tables that do not resolve (all 0 in a consistent fixture)."""
    with context.engine.connect() as connection:
        return {n: connection.execute(text(q)).scalar_one() for n, q in _REFERENCES.items()}


def _timed(action: Callable[[], Any]) -> tuple[Any, float, float]:
    start, cpu = time.perf_counter(), time.process_time()
    result = action()
    return result, round(time.perf_counter() - start, 2), round(time.process_time() - cpu, 2)


def _detect_only(context: Context) -> dict[str, Any]:
    """The detectors alone (`sweep_findings`), in a read-only unit of work."""

    def run() -> list[Any]:
        with context.unit_of_work() as uow:
            return sweep_findings(uow, context.catalog, context.oversight.settings, SWEEP_AS_OF)

    found, wall, cpu = _timed(run)
    by_rule = Counter(f.rule_id for f in found)
    return {"findings": len(found), "wall_s": wall, "cpu_s": cpu, "by_rule": dict(by_rule)}


class _Undo:
    """What a sweep appends (alerts, their steps and leaves), removed again afterwards."""

    def __init__(self, context: Context) -> None:
        self._context, self._log = context, context.ledger.log_id
        with context.engine.connect() as connection:
            self._size = connection.execute(
                select(ledger_heads.c.size).where(ledger_heads.c.log_id == self._log)
            ).scalar_one()
            self._keys = {
                t.name: set(connection.execute(select(*t.primary_key))) for t in OVERSIGHT
            }

    def __call__(self) -> None:
        size, log = self._size, self._log
        leaves = (ledger_entries, events, workflow_actions)
        with self._context.engine.begin() as connection:
            for table in reversed(OVERSIGHT):
                key = list(table.primary_key)
                added = set(connection.execute(select(*key))) - self._keys[table.name]
                if added:  # one statement, executed once per added row
                    where = (c == bindparam(f"k{n}") for n, c in enumerate(key))
                    connection.execute(
                        table.delete().where(*where),
                        [{f"k{n}": v for n, v in enumerate(row)} for row in added],
                    )
            for table in leaves:
                connection.execute(
                    table.delete().where(
                        table.c.log_id == log,
                        table.c.leaf_index >= size,
                        table.c.leaf_index < TILE_LEAVES,
                    )
                )
            levels = connection.execute(select(func.max(ledger_nodes.c.level))).scalar() or 0
            for level in range(levels + 1):
                connection.execute(
                    ledger_nodes.delete().where(
                        ledger_nodes.c.log_id == log,
                        ledger_nodes.c.level == level,
                        ledger_nodes.c.node_index >= size >> level,
                    )
                )
            checkpoints = ledger_checkpoints.c
            connection.execute(
                ledger_checkpoints.delete().where(
                    checkpoints.log_id == log, checkpoints.size > size
                )
            )
            connection.execute(
                ledger_heads.update().where(ledger_heads.c.log_id == log).values(size=size)
            )


def _sweep_report(result: Any, wall: float, cpu: float) -> dict[str, Any]:
    return {
        "findings": result.findings,
        "raised": result.raised,
        "by_rule": dict(result.by_rule),
        "service_s": round(result.seconds, 2),
        "wall_s": wall,
        "cpu_s": cpu,
    }


def sweep_figures(url: str, info: Any) -> dict[str, Any]:
    """The sweep over the fixture: detection alone, then the service twice (raise, repeat)."""
    context = open_context(url)
    try:
        figures: dict[str, Any] = {
            "events": info.events,
            "tiles": info.tiles,
            "fixture_tile_s": info.tile_s,
            "fixture_tile_cpu_s": info.tile_cpu_s,
            "dangling_references": sum(dangling(context).values()),
            "detect_only": _detect_only(context),
        }
        service = context.oversight
        undo = _Undo(context)
        try:
            first = _timed(lambda: service.sweep(as_of=SWEEP_AS_OF))
            again = _timed(lambda: service.sweep(as_of=SWEEP_AS_OF))
        finally:
            undo()
        figures["sweep_first"] = _sweep_report(*first)
        figures["sweep_repeat"] = _sweep_report(*again)
        return figures
    finally:
        context.close()


def sizes(url: str, backend: str, info: Any) -> dict[str, Any]:
    """Rows per table and bytes on disk of a fixture."""
    found: dict[str, Any] = {"rows": info.rows}
    if backend == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        found["file_mb"] = round(path.stat().st_size / 2**20, 1)
    else:
        context = open_context(url)
        try:
            with context.engine.connect() as connection:
                found["schema_mb"] = round(
                    int(
                        connection.execute(
                            text(
                                "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
                                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                                "WHERE n.nspname = current_schema() AND c.relkind = 'r'"
                            )
                        ).scalar_one()
                    )
                    / 2**20,
                    1,
                )
        finally:
            context.close()
    return found


class ListenerMeter:
    """CPU and wall time spent in the on-capture rules (`OversightService.on_captured`).

    Installed on the class before a context is built, so the listener capture registers is
    the metered one; failures (which capture logs and swallows) are counted too.
    """

    def __init__(self) -> None:
        self._original = OversightService.on_captured
        self.reset()

    def reset(self) -> None:
        """Forget what was counted so far."""
        self.cpu = self.wall = 0.0
        self.calls = self.failures = self.raised = 0

    def __enter__(self) -> ListenerMeter:
        original, meter = self._original, self

        def metered(service: OversightService, event_ids: Any) -> Any:
            start, cpu = time.perf_counter(), time.process_time()
            meter.calls += 1
            try:
                raised = original(service, event_ids)
            except Exception:
                meter.failures += 1
                raise
            finally:
                meter.wall += time.perf_counter() - start
                meter.cpu += time.process_time() - cpu
            meter.raised += len(raised)
            return raised

        OversightService.on_captured = metered  # type: ignore[method-assign,assignment]
        return self

    def __exit__(self, *_: object) -> None:
        OversightService.on_captured = self._original  # type: ignore[method-assign]

    def figures(self, capture_cpu: float) -> dict[str, Any]:
        """The listener's share: its CPU over the rest of capture's, as a slowdown."""
        return {
            "listener_calls": self.calls,
            "listener_failures": self.failures,
            "listener_alerts": self.raised,
            "listener_cpu_s": round(self.cpu, 2),
            "listener_wall_s": round(self.wall, 2),
            "slowdown_from_listener_cpu_pct": round(self.cpu / (capture_cpu - self.cpu) * 100, 1),
        }


def _replay(url: str, scale: float, months: int, on: bool) -> dict[str, Any]:
    """Build the demo at `scale` with on-capture rules `on`: its events stage's rates."""
    marks: dict[str, tuple[float, float]] = {}

    def progress(stage: str, done: int, total: int) -> None:
        marks[stage] = (time.perf_counter(), time.process_time())

    with ListenerMeter() as meter:  # the build wires contexts of its own (`with_clock`)
        context = open_context(url, oversight_on_capture=on)
        try:
            summary = build_demo_city(context, 7, scale, progress, months=months)
        finally:
            context.close()
    before = marks.get("keys", marks["users"])
    wall, cpu = marks["events"][0] - before[0], marks["events"][1] - before[1]
    count = summary.events["events"]
    return {
        "events": count,
        "events_s": round(wall, 2),
        "events_cpu_s": round(cpu, 2),
        "events_per_s": round(count / wall, 1),
        "events_per_cpu_s": round(count / cpu, 1),
        **(meter.figures(cpu) if on else {}),
    }


def capture_cost(url: str, scale: float, months: int, rounds: int) -> dict[str, Any]:
    """The demo's year of events captured with on-capture rules off and on, alternately.

    Each configuration keeps its best (least CPU) round; the slowdown is the extra CPU per
    event with the rules on. The demo replays every event, manifest step and approval step
    through the services, as `zerowaste demo` does.
    """
    runs: dict[str, list[dict[str, Any]]] = {"off": [], "on": []}
    for _ in range(rounds):
        for name in ("off", "on"):
            runs[name].append(_replay(url, scale, months, name == "on"))
    best = {n: min(r, key=lambda x: x["events_cpu_s"]) for n, r in runs.items()}
    off, on = best["off"]["events_per_cpu_s"], best["on"]["events_per_cpu_s"]
    return {
        "scale": scale,
        "months": months,
        "rounds": runs,
        "off": best["off"],
        "on": best["on"],
        "slowdown_cpu_pct": round((off / on - 1) * 100, 1),
        "slowdown_wall_pct": round(
            (best["off"]["events_per_s"] / best["on"]["events_per_s"] - 1) * 100, 1
        ),
    }


def chain_cost(url: str, warm: int, measured: int) -> dict[str, Any]:
    """Client-signed chains (`bench_capture.py`'s stream) captured by two contexts in turn.

    One context has the on-capture rules off, the other on; they take alternate batches of
    1,000 on the same ledger, so both see the same sizes and the same load on the machine.
    """
    at = T0 + timedelta(days=1)  # the chains' events are from the day before: none backdated
    with ListenerMeter() as meter:
        contexts = {n: open_context(url, at, oversight_on_capture=n == "on") for n in ("off", "on")}
    try:
        feed = Feed(register_firms(contexts["off"], 8))
        for context in contexts.values():  # each loads its caches (catalogs, keys) first
            capture_all(context, feed.take(warm // 2))
        meter.reset()  # count the measured batches only
        spent = {n: [0.0, 0.0, 0] for n in contexts}
        for n in range(0, measured, BATCH):
            name = ("off", "on")[(n // BATCH) % 2]
            batch = feed.take(min(BATCH, measured - n))
            _, wall, cpu = _timed(lambda: capture_all(contexts[name], batch))  # noqa: B023
            spent[name] = [spent[name][0] + wall, spent[name][1] + cpu, spent[name][2] + len(batch)]
        rates = {
            n: {"events": e, "events_per_s": round(e / w, 1), "events_per_cpu_s": round(e / c, 1)}
            for n, (w, c, e) in spent.items()
        }
        off, on = rates["off"]["events_per_cpu_s"], rates["on"]["events_per_cpu_s"]
        return {
            "after": warm,
            **rates,
            "slowdown_cpu_pct": round((off / on - 1) * 100, 1),
            **meter.figures(spent["on"][1]),
        }
    finally:
        for context in contexts.values():
            context.close()


def capture_on_each(
    backends: list[str], scale: float, months: int, rounds: int, chain_sizes: tuple[int, int]
) -> dict[str, Any]:
    """`capture_cost` on a fresh SQLite file and a fresh PostgreSQL schema."""
    figures: dict[str, Any] = {}
    if "sqlite" in backends:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'capture.db'}"
            figures["capture_sqlite"] = capture_cost(url, scale, months, rounds)
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'chains.db'}"
            figures["chains_sqlite"] = chain_cost(url, *chain_sizes)
    server = os.environ.get("ZEROWASTE_TEST_DATABASE_URL")
    if "postgresql" in backends and server:
        with temporary_schema(server, "zw_bench_oversight_capture") as url:
            figures["capture_postgresql"] = capture_cost(url, scale, months, rounds)
        with temporary_schema(server, "zw_bench_oversight_chains") as url:
            figures["chains_postgresql"] = chain_cost(url, *chain_sizes)
    return figures


def main() -> None:
    """Build (or reuse) the fixture on each backend, sweep it, then time capture off and on.

    Run: uv run python benchmarks/bench_oversight.py --json OUT.json [--smoke] [--cache DIR]
    [--backend sqlite|postgresql]. The ledger is the demo city at scale 1 with its projections
    tiled to a million events (`oversight_fixture.py`); `--cache DIR` keeps it between runs
    (SQLite files in DIR, PostgreSQL schema `zw_bench_oversight`). PostgreSQL runs when
    ZEROWASTE_TEST_DATABASE_URL is set. Sizes: ZEROWASTE_BENCH_OVERSIGHT_EVENTS (1,000,000) and
    ZEROWASTE_BENCH_OVERSIGHT_CAPTURE_SCALE (the demo scale replayed for the capture figures, 0.5;
    0 skips them), ZEROWASTE_BENCH_OVERSIGHT_ROUNDS (replays with the rules off and on, 3).
    """
    args = parse_args(main.__doc__ or "", cache=True)
    backends = args.backend or ["sqlite", "postgresql"]
    if args.smoke:
        target, scale, months = 1000, 0.05, 1
        capture_scale, capture_months, rounds = 0.05, 1, 1
    else:
        target = int(os.environ.get("ZEROWASTE_BENCH_OVERSIGHT_EVENTS", "1000000"))
        scale, months = 1.0, 12
        capture_scale = float(os.environ.get("ZEROWASTE_BENCH_OVERSIGHT_CAPTURE_SCALE", "0.5"))
        capture_months = 12
        rounds = int(os.environ.get("ZEROWASTE_BENCH_OVERSIGHT_ROUNDS", "3"))
    figures: dict[str, Any] = {}
    with fixtures(args.cache, backends, target, scale, months) as built:
        for backend, (url, info) in built.items():
            figures[f"sweep_{backend}"] = sweep_figures(url, info)
            figures[f"sizes_{backend}"] = sizes(url, backend, info)
            print(f"{backend}: {figures[f'sweep_{backend}']}", file=sys.stderr, flush=True)
    if "postgresql" in backends and not os.environ.get("ZEROWASTE_TEST_DATABASE_URL"):
        figures["sweep_postgresql"] = "skipped: ZEROWASTE_TEST_DATABASE_URL not set"
    chain_sizes = (1000, 2000) if args.smoke else (2000, 40_000)
    if capture_scale > 0:
        figures |= capture_on_each(backends, capture_scale, capture_months, rounds, chain_sizes)
    report("oversight", figures, args.json)


if __name__ == "__main__":
    main()
