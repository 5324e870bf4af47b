"""Shared helpers for the benchmarks: timing, percentiles, argument parsing, JSON output."""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import text

from zerowaste.adapters.db.engine import build_engine, schema_scoped_url, temporary_schema

#: The PostgreSQL schema a kept ledger lives in (`--cache`), on the test server.
CACHED_SCHEMA = "zw_bench_ledger"


def parse_args(
    description: str, *, cache: bool = False, stored: bool = False
) -> argparse.Namespace:
    """The flags every benchmark takes: --json OUT.json and --smoke (and --cache DIR).

    Args:
        description: The benchmark's docstring.
        cache: Also take `--cache DIR`, where the captured ledgers are kept between runs
            (`bench_capture.py` builds them; `bench_trace.py` and `bench_proofs.py` reuse them).
        stored: Also take `--stored N`: build an N-leaf stored log in bulk on each backend.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, for the test suite")
    if cache:
        parser.add_argument(
            "--cache",
            type=Path,
            help="keep (bench_capture) or reuse (others) the captured ledgers in this folder",
        )
        parser.add_argument(
            "--backend",
            choices=["sqlite", "postgresql"],
            action="append",
            help="with --cache: only these backends (repeatable; default both)",
        )
    if stored:
        parser.add_argument(
            "--stored",
            type=int,
            metavar="N",
            help="measure a fresh stored log of N signed event leaves, written in bulk",
        )
    return parser.parse_args()


def latencies_ms(action: Callable[[], object], repeat: int) -> dict[str, float]:
    """Run `action` `repeat` times; return p50/p95/p99/mean latency in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()

    def pick(q: float) -> float:
        return round(samples[min(len(samples) - 1, int(q * len(samples)))], 4)

    return {
        "p50_ms": pick(0.50),
        "p95_ms": pick(0.95),
        "p99_ms": pick(0.99),
        "mean_ms": round(statistics.fmean(samples), 4),
        "n": repeat,
    }


def throughput(action: Callable[[], object], count: int) -> float:
    """Operations per second of `count` runs of `action`."""
    start = time.perf_counter()
    for _ in range(count):
        action()
    return round(count / (time.perf_counter() - start), 1)


def report(name: str, figures: dict[str, Any], out: Path | None) -> None:
    """Print the figures and write them (with the machine) to `out` if given."""
    document = {
        "benchmark": name,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "figures": figures,
    }
    text = json.dumps(document, indent=2, ensure_ascii=False, default=str)
    print(text)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n", encoding="utf-8")


def on_each_backend(measure: Callable[[str], Any], name: str) -> dict[str, Any]:
    """Run `measure(url)` on a fresh SQLite file and on a fresh PostgreSQL schema.

    PostgreSQL runs when ZEROWASTE_TEST_DATABASE_URL is set. Figures come back under
    `<name>_sqlite` and `<name>_postgresql`.
    """
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        figures[f"{name}_sqlite"] = measure(f"sqlite:///{Path(folder) / 'bench.db'}")
    base = os.environ.get("ZEROWASTE_TEST_DATABASE_URL")
    if base:
        with temporary_schema(base, f"zw_bench_{name}") as url:
            figures[f"{name}_postgresql"] = measure(url)
    else:
        figures[f"{name}_postgresql"] = "skipped: ZEROWASTE_TEST_DATABASE_URL not set"
    return figures


def cached_urls(folder: Path, backends: list[str] | None = None) -> dict[str, str]:
    """The database URLs of the ledgers kept in `folder`, by backend (PostgreSQL if set)."""
    urls = {"sqlite": f"sqlite:///{folder / 'ledger.db'}"}
    base = os.environ.get("ZEROWASTE_TEST_DATABASE_URL")
    if base:
        urls["postgresql"] = schema_scoped_url(base, CACHED_SCHEMA)
    return {b: u for b, u in urls.items() if backends is None or b in backends}


def fresh_cache(folder: Path, backend: str) -> str:
    """Empty the kept ledger of one backend in `folder` and return its URL."""
    folder.mkdir(parents=True, exist_ok=True)
    if backend == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            (folder / f"ledger.db{suffix}").unlink(missing_ok=True)
    else:
        admin = build_engine(os.environ["ZEROWASTE_TEST_DATABASE_URL"])
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{CACHED_SCHEMA}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{CACHED_SCHEMA}"'))
        admin.dispose()
    return cached_urls(folder)[backend]


def on_each_cached_backend(
    measure: Callable[[str, str], Any],
    name: str,
    folder: Path,
    backends: list[str] | None = None,
) -> dict[str, Any]:
    """Run `measure(url, backend)` on the kept ledger of each backend in `folder`."""
    figures: dict[str, Any] = {}
    for backend, url in cached_urls(folder, backends).items():
        figures[f"{name}_{backend}"] = measure(url, backend)
    return figures
