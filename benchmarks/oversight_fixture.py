"""A million-event ledger for the oversight sweep, fast: the demo city's projections tiled."""

from __future__ import annotations

import json
import math
import os
import re
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Table, func, select, text

from zerowaste.adapters.db.bulk import bulk_insert
from zerowaste.adapters.db.bulk_load import rebuildable_writes, refresh_statistics
from zerowaste.adapters.db.engine import build_engine, schema_scoped_url
from zerowaste.adapters.db.tables import (
    approvals,
    events,
    manifests,
    metadata,
    workflow_actions,
)
from zerowaste.bootstrap import Context, build_context
from zerowaste.services.demo import build_demo_city
from zerowaste.settings import Settings

#: The demo city's clock.
AS_OF = datetime(2026, 12, 2, tzinfo=UTC)
#: The instant the demo's own sweep judges at (its day's midnight in China), and the bench's.
SWEEP_AS_OF = datetime(2026, 12, 2, tzinfo=timezone(timedelta(hours=8)))
MASTER_KEY = "bench-oversight-master-key-0123"
#: The PostgreSQL schema the tiled ledger is kept in (`--cache`).
SCHEMA = "zw_bench_oversight"
#: Tile `t` holds its rows' leaves at `t * TILE_LEAVES + i`, far past anything the log holds.
TILE_LEAVES = 10**9

#: Tables copied by one `INSERT ... SELECT` per table, with their id columns remapped.
SQL_TILED: dict[str, tuple[str, ...]] = {
    "batches": ("batch_id", "manifest_id"),
    "batch_lineage": ("parent_id", "child_id", "event_id"),
    "event_batches": ("event_id", "batch_id"),
    "manifest_parties": ("manifest_id",),
    "inspections": ("event_id",),
    "inspection_lines": ("event_id", "batch_id"),
    "event_corrections": ("corrected_event_id", "correction_event_id", "batch_id"),
}
#: Tables with documents or JSON bodies, copied in Python: their id columns.
PYTHON_TILED: dict[str, tuple[str, ...]] = {
    "events": ("event_id", "manifest_id"),
    "workflow_actions": ("action_id", "subject_id"),
    "manifests": ("manifest_id", "approval_id"),
    "manifest_versions": ("manifest_id", "action_id"),
    "approvals": ("approval_id",),
}
#: The steps tiled with their subjects; oversight steps (alerts, whitelist, plans) are not.
STEP_SUBJECTS = ("manifest", "approval")
_UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass(frozen=True)
class FixtureInfo:
    """What a built fixture holds (kept beside it as JSON, to reuse it)."""

    backend: str
    target: int
    scale: float
    months: int
    tiles: int
    base_events: int
    events: int
    rows: dict[str, int]
    tile_s: float
    tile_cpu_s: float


def open_context(url: str, at: datetime = AS_OF, **settings: Any) -> Context:
    """A migrated context on `url` whose clock stands at `at` (`settings` override fields)."""
    chosen = Settings(database_url=url, master_key=MASTER_KEY, **settings)
    context = build_context(chosen, clock=lambda: at)
    context.migrate()
    return context


def build_base(url: str, scale: float, months: int, truth: Path | None = None) -> float:
    """Build the demo city (`zerowaste demo --no-serve`'s code path) into `url`; its seconds."""
    start = time.perf_counter()
    context = open_context(url)
    try:
        build_demo_city(context, 7, scale, truth_path=truth, months=months)
    finally:
        context.close()
    return time.perf_counter() - start


def copy_database(source_url: str, target_url: str) -> None:
    """Copy every table of `source_url` into the migrated, empty-but-seeded `target_url`."""
    source = build_engine(source_url)
    context = open_context(target_url)
    try:
        with source.connect() as reading, context.engine.begin() as writing:
            for table in metadata.sorted_tables:
                if writing.execute(select(func.count()).select_from(table)).scalar_one():
                    continue  # seeded by the migrations (regions, industries)
                rows = [dict(r) for r in reading.execute(select(table)).mappings()]
                for start in range(0, len(rows), 20_000):
                    bulk_insert(writing, table, rows[start : start + 20_000])
    finally:
        source.dispose()
        context.close()


def _tag(tile: int) -> str:
    """The 8 hex digits that end every remapped id of `tile`."""
    return f"{0xB0000000 + tile:08x}"


def _remap(value: uuid.UUID | None, tag: str) -> uuid.UUID | None:
    """Tile `tag`'s copy of an id: its last 8 hex digits replaced (None stays None)."""
    return None if value is None else uuid.UUID(hex=value.hex[:24] + tag)


def _sql_remap(dialect: str, column: str) -> str:
    if dialect == "postgresql":
        return f"CAST(substr(CAST(s.{column} AS TEXT), 1, 28) || tiles.column2 AS UUID)"
    return f"substr(s.{column}, 1, 24) || tiles.column2"  # SQLite keeps UUIDs as 32 hex digits


def _tile_sql(connection: Any, table: Table, ids: tuple[str, ...], tiles: range) -> None:
    """Copy `table`'s rows once per tile in one `INSERT ... SELECT` over a VALUES list."""
    dialect = connection.dialect.name
    names = [c.name for c in table.columns]
    chosen = ", ".join(_sql_remap(dialect, n) if n in ids else f's."{n}"' for n in names)
    listed = ", ".join(f'"{n}"' for n in names)
    values = ", ".join(f"({t}, '{_tag(t)}')" for t in tiles)
    connection.execute(
        text(
            f"INSERT INTO {table.name} ({listed}) SELECT {chosen} "
            f"FROM {table.name} AS s CROSS JOIN (VALUES {values}) AS tiles"
        )
    )


def _positions(document: bytes, tiled: set[bytes]) -> list[int]:
    """Where the tiled ids (dashed) start in a document."""
    return [m.start() for m in _UUID.finditer(document) if m.group() in tiled]


def _patched(document: bytes, positions: list[int], tag: bytes) -> bytes:
    buffer = bytearray(document)
    for at in positions:
        buffer[at + 28 : at + 36] = tag
    return bytes(buffer)


def _remap_json(value: Any, tiled: set[str], tag: str, offset: int) -> Any:
    """A JSON body with its tiled ids (plain or in URNs) remapped and leaf indexes offset."""
    if isinstance(value, dict):
        return {
            k: v + offset
            if k == "leaf_index" and isinstance(v, int)
            else _remap_json(v, tiled, tag, offset)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_remap_json(v, tiled, tag, offset) for v in value]
    if isinstance(value, str) and len(value) >= 36 and value[-36:] in tiled:
        return value[:-8] + tag
    return value


def _row_tiler(
    table: Table, ids: tuple[str, ...], tiled: set[str]
) -> Callable[[dict[str, Any], int], dict[str, Any]]:
    """How one source row of `table` becomes its copy in a tile."""
    tiled_bytes = {t.encode() for t in tiled}
    documents: dict[int, list[int]] = {}

    def tile_row(row: dict[str, Any], tile: int) -> dict[str, Any]:
        tag, new = _tag(tile), dict(row)
        for name in ids:
            new[name] = _remap(row[name], tag)
        if "leaf_index" in row:
            new["leaf_index"] = row["leaf_index"] + tile * TILE_LEAVES
        if "document" in row:
            key = id(row)
            if key not in documents:
                documents[key] = _positions(row["document"], tiled_bytes)
            new["document"] = _patched(row["document"], documents[key], tag.encode())
        for name in ("body", "terms"):
            if name in row:
                new[name] = _remap_json(row[name], tiled, tag, tile * TILE_LEAVES)
        if "number" in row:
            new["number"] = f"{row['number']}-{tile}"
        return new

    return tile_row


def _source(name: str) -> Any:
    """The rows of `name` a tile copies: of steps, the manifests' and approvals' only."""
    if name == "workflow_actions":
        return select(workflow_actions).where(workflow_actions.c.subject.in_(STEP_SUBJECTS))
    return select(metadata.tables[name])


def _tiled_ids(connection: Any) -> set[str]:
    """Every id a tile renames (dashed): events, batches, manifests, approvals, steps."""
    columns = [
        events.c.event_id,
        metadata.tables["batches"].c.batch_id,
        manifests.c.manifest_id,
        approvals.c.approval_id,
    ]
    steps = select(workflow_actions.c.action_id).where(
        workflow_actions.c.subject.in_(STEP_SUBJECTS)
    )
    found = {str(v) for c in columns for v in connection.execute(select(c)).scalars()}
    return found | {str(v) for v in connection.execute(steps).scalars()}


def tile(context: Context, copies: int) -> None:
    """Make the context's (demo) projections `copies` times as large, with fresh ids.

    Tile 0 is the demo itself; tile `t` copies the rows of batches, batch_lineage, events,
    event_batches, manifests, manifest_parties, manifest_versions, approvals, workflow_actions
    (the manifest and approval steps), inspections, inspection_lines and event_corrections.
    Each id of those records ends in the tile's own 8 hex digits (so ids stay spread over the
    key space), also inside event and step documents and manifest and approval bodies;
    manifest and approval numbers end in `-t`.

    Organizations, sites, permits, signing keys, users and economic records are shared, and
    so are the oversight tables (the alerts the demo's own sweep raised, for tile 0 only, and
    their steps). Each tile's firms are the demo's firms, so per-firm and per-receiver figures
    (annual receipts, risk) grow with the tiles.

    The ledger's leaves are not tiled: tile `t`'s events and steps claim leaves at
    `t * TILE_LEAVES + i`, past the log's head (the sweep reads the projections only; a
    ledger audit would report those rows), and their rewritten documents no longer match
    their signatures.
    """
    tiles = range(1, copies)
    with rebuildable_writes(context.engine):
        with context.engine.begin() as connection:
            tiled = _tiled_ids(connection)
            sources = {
                name: [dict(r) for r in connection.execute(_source(name)).mappings()]
                for name in PYTHON_TILED
            }
            for name, ids in SQL_TILED.items():
                _tile_sql(connection, metadata.tables[name], ids, tiles)
        for name, ids in PYTHON_TILED.items():
            table = metadata.tables[name]
            tile_row = _row_tiler(table, ids, tiled)
            for group in _chunks(tiles, max(1, 40_000 // max(1, len(sources[name])))):
                with context.engine.begin() as connection:
                    rows = [tile_row(r, t) for t in group for r in sources[name]]
                    bulk_insert(connection, table, rows)
    refresh_statistics(context.engine)


def _chunks(items: range, size: int) -> Iterator[range]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def row_counts(context: Context) -> dict[str, int]:
    """Rows per table of the fixture (the tiled ones and the shared registry)."""
    names = [*SQL_TILED, *PYTHON_TILED, "organizations", "sites", "ledger_entries"]
    with context.engine.connect() as connection:
        return {
            n: connection.execute(select(func.count()).select_from(metadata.tables[n])).scalar_one()
            for n in names
        }


def _build(url: str, backend: str, target: int, scale: float, months: int) -> FixtureInfo:
    """Tile the demo copy at `url` until it holds at least `target` events."""
    context = open_context(url)
    try:
        with context.engine.connect() as connection:
            base_events = connection.execute(select(func.count()).select_from(events)).scalar_one()
        copies = max(1, math.ceil(target / base_events))
        start, cpu = time.perf_counter(), time.process_time()
        tile(context, copies)
        tile_s, tile_cpu = time.perf_counter() - start, time.process_time() - cpu
        rows = row_counts(context)
    finally:
        context.close()
    return FixtureInfo(
        backend,
        target,
        scale,
        months,
        copies,
        base_events,
        rows["events"],
        rows,
        round(tile_s, 1),
        round(tile_cpu, 1),
    )


def _fresh_schema(base: str, schema: str) -> str:
    admin = build_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    return schema_scoped_url(base, schema)


def _drop_schema(base: str, schema: str) -> None:
    admin = build_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def _sqlite_copy(source: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(source) as reading, sqlite3.connect(target) as writing:
        reading.backup(writing)
    reading.close()
    writing.close()


def _base(where: Path, scale: float, months: int) -> Path:
    """The demo city at `scale` in `where/oversight-base.db`, built unless already there."""
    base_db, key = where / "oversight-base.db", where / "oversight-base.json"
    wanted = {"scale": scale, "months": months}
    if key.exists() and json.loads(key.read_text()) == wanted and base_db.exists():
        return base_db
    for suffix in ("", "-wal", "-shm"):
        Path(f"{base_db}{suffix}").unlink(missing_ok=True)
    seconds = build_base(f"sqlite:///{base_db}", scale, months, where / "oversight-base.truth.json")
    key.write_text(json.dumps({**wanted}))
    (where / "oversight-base-seconds.txt").write_text(f"{seconds:.1f}\n")
    for backend in ("sqlite", "postgresql"):
        (where / f"oversight-{backend}.json").unlink(missing_ok=True)
    return base_db


@contextmanager
def fixtures(
    folder: Path | None, backends: list[str], target: int, scale: float, months: int
) -> Iterator[dict[str, tuple[str, FixtureInfo]]]:
    """The fixture's URL and info on each backend, built (or, with `folder`, reused).

    Without `folder`, everything lives in a temporary folder and schema, dropped afterwards.
    With it, the demo base (`oversight-base.db`, its `.truth.json`), the SQLite fixture
    (`oversight.db`), the PostgreSQL one (schema `zw_bench_oversight`) and each one's
    `oversight-<backend>.json` are kept, and reused while the sizes asked for match.
    PostgreSQL is skipped unless ZEROWASTE_TEST_DATABASE_URL is set.
    """
    scratch = None if folder is not None else tempfile.TemporaryDirectory()
    where = folder if folder is not None else Path(scratch.name)  # type: ignore[union-attr]
    where.mkdir(parents=True, exist_ok=True)
    server = os.environ.get("ZEROWASTE_TEST_DATABASE_URL")
    schema = SCHEMA if folder is not None else f"{SCHEMA}_{uuid.uuid4().hex[:8]}"
    built: dict[str, tuple[str, FixtureInfo]] = {}
    try:
        base_db = _base(where, scale, months)
        for backend in backends:
            if backend == "postgresql" and not server:
                continue
            info_path = where / f"oversight-{backend}.json"
            if backend == "postgresql":
                url = schema_scoped_url(server, schema)  # type: ignore[arg-type]
            else:
                url = f"sqlite:///{where / 'oversight.db'}"
            if info_path.exists():
                kept = json.loads(info_path.read_text())
                kept.pop("dangling", None)
                info = FixtureInfo(**kept)
                if info.target == target:
                    built[backend] = (url, info)
                    continue
            if backend == "postgresql":
                _fresh_schema(server, schema)  # type: ignore[arg-type]
                copy_database(f"sqlite:///{base_db}", url)
            else:
                _sqlite_copy(base_db, where / "oversight.db")
            info = _build(url, backend, target, scale, months)
            info_path.write_text(json.dumps(asdict(info)))
            built[backend] = (url, info)
        yield built
    finally:
        if scratch is not None:
            if server:
                _drop_schema(server, schema)
            scratch.cleanup()
