"""The stored Merkle log on SQLite and PostgreSQL: appends, proofs, checkpoints, tamper audits."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from tests.conftest import MASTER_KEY, postgres_url
from zerowaste.adapters.db.engine import temporary_schema
from zerowaste.adapters.secrets import PrivateKeyVault
from zerowaste.bootstrap import Context, build_context
from zerowaste.errors import (
    EntryNotCheckpointed,
    InvalidInput,
    LedgerEntryExists,
    MasterKeyMissing,
    NotFound,
)
from zerowaste.ledger.checkpoints import open_checkpoint
from zerowaste.ledger.merkle import leaf_hash, verify_consistency, verify_inclusion
from zerowaste.ledger.notes import NoteVerifier
from zerowaste.ledger.receipts import verify_receipt
from zerowaste.ledger.signatures import generate_private_key, public_key_bytes, sign_document
from zerowaste.services.ledger import LedgerService, NewEntry
from zerowaste.settings import Settings

_KEY = generate_private_key()


def make_entries(count: int, **extra: Any) -> list[NewEntry]:
    """Synthetic signed event documents, ready to log."""
    entries = []
    for n in range(count):
        event_id = uuid.uuid4()
        document = {
            "id": str(event_id),
            "type": "generated",
            "mass_kg": f"{100 + n}.250",
            "waste_code": "900-041-49",
            "note": "一批废矿物油",
            **extra,
        }
        signature = sign_document(_KEY, "key-test", document)
        entries.append(NewEntry(event_id, document, signature, public_key_bytes(_KEY)))
    return entries


def append(context: Context, count: int, **extra: Any) -> list[NewEntry]:
    """Log `count` fresh entries in one committed unit of work."""
    entries = make_entries(count, **extra)
    with context.unit_of_work() as uow:
        context.ledger.append(uow, entries)
        uow.commit()
    return entries


def test_append_returns_consecutive_indexes_and_proofs_verify(context: Context) -> None:
    with context.unit_of_work() as uow:
        assert context.ledger.append(uow, make_entries(5)) == [0, 1, 2, 3, 4]
        assert context.ledger.append(uow, make_entries(2)) == [5, 6]
        uow.commit()
    entries = append(context, 30)
    checkpoint = context.ledger.checkpoint()
    verifier = NoteVerifier.parse(context.ledger.verifier_key())
    head = open_checkpoint(checkpoint.note, verifier)
    assert (head.size, head.root_hash) == (37, checkpoint.root_hash)
    for entry in entries[::7]:
        proof = context.ledger.inclusion_proof(entry.id)
        assert proof.tree_size == 37
        verify_inclusion(proof.leaf_index, 37, proof.leaf_hash, proof.path, head.root_hash)
    by_index = context.ledger.inclusion_proof(12, size=20)
    assert by_index.leaf_index == 12
    verify_inclusion(12, 20, by_index.leaf_hash, by_index.path, by_index.root_hash)


def test_consistency_between_successive_checkpoints(context: Context) -> None:
    sizes = []
    for count in (1, 6, 9, 48):
        append(context, count)
        sizes.append(context.ledger.checkpoint())
    for older, newer in zip(sizes, sizes[1:], strict=False):
        proof = context.ledger.consistency_proof(older.size, newer.size)
        assert (proof.root1, proof.root2) == (older.root_hash, newer.root_hash)
        verify_consistency(older.size, newer.size, proof.path, older.root_hash, newer.root_hash)
    with pytest.raises(InvalidInput):
        context.ledger.consistency_proof(0, 5)
    with pytest.raises(NotFound):
        context.ledger.consistency_proof(5, 65)


def test_receipt_cuts_a_checkpoint_when_none_covers_the_entry(context: Context) -> None:
    first = append(context, 3)
    with pytest.raises(NotFound):
        context.ledger.latest_checkpoint()
    receipt = context.ledger.receipt(first[2].id)
    assert context.ledger.latest_checkpoint().size == 3
    verified = verify_receipt(receipt.to_json(), context.ledger.verifier_key())
    assert verified.leaf_index == 2
    later = append(context, 4)
    with pytest.raises(EntryNotCheckpointed):
        context.ledger.inclusion_proof(later[0].id)
    assert context.ledger.receipt(first[0].id).leaf_index == 0  # the latest covers it: no cut
    assert context.ledger.latest_checkpoint().size == 3
    verify_receipt(context.ledger.receipt(later[3].id), context.ledger.verifier_key())
    assert context.ledger.checkpoint_at(7).size == 7
    with pytest.raises(NotFound):
        context.ledger.receipt(uuid.uuid4())


def test_maybe_checkpoint_by_count_and_by_age(context: Context) -> None:
    ledger = LedgerService(
        context.unit_of_work,
        PrivateKeyVault(MASTER_KEY),
        context.clock,
        log_id=context.settings.ledger_log_id,
        origin=context.settings.ledger_origin,
        checkpoint_every=10,
        checkpoint_seconds=30,
    )
    assert ledger.maybe_checkpoint() is None
    append(context, 2)
    assert ledger.maybe_checkpoint() is not None  # the first one is always due
    append(context, 9)
    assert ledger.maybe_checkpoint() is None
    append(context, 1)
    cut = ledger.maybe_checkpoint()
    assert cut is not None
    assert cut.size == 12
    append(context, 1)
    assert ledger.maybe_checkpoint() is None
    context.clock.now += timedelta(seconds=31)  # type: ignore[attr-defined]
    cut = ledger.maybe_checkpoint()
    assert cut is not None
    assert cut.size == 13


def test_duplicate_entry_and_rolled_back_append(context: Context) -> None:
    entries = append(context, 2)
    with context.unit_of_work() as uow, pytest.raises(LedgerEntryExists):
        context.ledger.append(uow, [*make_entries(1), entries[0]])
    same = make_entries(1)
    with context.unit_of_work() as uow, pytest.raises(LedgerEntryExists):
        context.ledger.append(uow, same + same)
    with context.unit_of_work() as uow:
        context.ledger.append(uow, make_entries(3))  # not committed
    with context.unit_of_work() as uow:
        assert uow.ledger.head_size(context.settings.ledger_log_id) == 2
        assert context.ledger.append(uow, make_entries(1)) == [2]
    assert context.ledger.audit().ok


def test_checkpoints_need_the_master_key(context: Context) -> None:
    keyless = LedgerService(
        context.unit_of_work, PrivateKeyVault(None), context.clock, log_id="main", origin="a/b"
    )
    append(context, 1)
    with pytest.raises(MasterKeyMissing):
        keyless.checkpoint()


def test_concurrent_appends_serialize_and_audit_clean(context: Context) -> None:
    appended: list[list[int]] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(8):
                with context.unit_of_work() as uow:
                    indexes = context.ledger.append(uow, make_entries(5))
                    uow.commit()
                appended.append(indexes)
                context.ledger.maybe_checkpoint()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    flat = sorted(index for batch in appended for index in batch)
    assert flat == list(range(240))
    assert all(batch == list(range(batch[0], batch[0] + 5)) for batch in appended)
    context.ledger.checkpoint()
    report = context.ledger.audit()
    assert report.ok, report.findings
    assert report.size == 240


def _tamper(context: Context, statements: list[str], **params: Any) -> None:
    with context.engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement), params)


TAMPERING = {
    "edit_leaf_data": (
        ["UPDATE ledger_entries SET leaf_data = :data WHERE leaf_index = 5"],
        {5: "leaf"},
    ),
    "delete_row": (["DELETE FROM ledger_entries WHERE leaf_index = 7"], {7: "row"}),
    "swap_rows": (
        [
            "UPDATE ledger_entries SET leaf_index = -1 WHERE leaf_index = 3",
            "UPDATE ledger_entries SET leaf_index = 3 WHERE leaf_index = 9",
            "UPDATE ledger_entries SET leaf_index = 9 WHERE leaf_index = -1",
        ],
        {3: "leaf", 9: "leaf"},
    ),
    "edit_node": (
        ["UPDATE ledger_nodes SET hash = :hash WHERE level = 2 AND node_index = 1"],
        {4: "node"},
    ),
    "edit_checkpoint_root": (
        ["UPDATE ledger_checkpoints SET root_hash = :hash WHERE size = 8"],
        {8: "checkpoint"},
    ),
}


def tampered_log(context: Context, case: str) -> dict[int, str]:
    """Log 20 entries with checkpoints at 8 and 20, tamper as `case` says; the expected finds."""
    append(context, 8)
    context.ledger.checkpoint()
    append(context, 12)
    context.ledger.checkpoint()
    assert context.ledger.audit().ok
    statements, expected = TAMPERING[case]
    data = make_entries(1)[0]
    _tamper(context, statements, data=repr(data).encode(), hash=leaf_hash(b"forged"))
    return expected


@pytest.mark.parametrize("case", sorted(TAMPERING))
def test_audit_names_each_tampered_row(context: Context, case: str) -> None:
    expected = tampered_log(context, case)
    progress: list[tuple[int, int]] = []
    report = context.ledger.audit(lambda done, total: progress.append((done, total)), batch=3)
    assert not report.ok
    found = {(f.index, f.kind) for f in report.findings}
    for index, kind in expected.items():
        assert (index, kind) in found, report.findings
    assert report.first_bad_index == min(expected) or case == "edit_checkpoint_root"
    assert progress
    assert progress[-1][1] == 20


# Imports once, then forks one appending child per "go" line, so each kill costs milliseconds.
ZYGOTE = """
import os, sys, uuid
from datetime import UTC, datetime
from functools import partial
from zerowaste.adapters.db.engine import build_engine
from zerowaste.adapters.db.unit_of_work import UnitOfWork
from zerowaste.adapters.secrets import PrivateKeyVault
from zerowaste.ledger.signatures import generate_private_key, public_key_bytes, sign_document
from zerowaste.services.ledger import LedgerService, NewEntry

url, master_key, log_id, origin = sys.argv[1:5]


def work():
    unit_of_work = partial(UnitOfWork, build_engine(url))
    ledger = LedgerService(
        unit_of_work, PrivateKeyVault(master_key), lambda: datetime.now(UTC),
        log_id=log_id, origin=origin, checkpoint_every=7,
    )
    key = generate_private_key()
    print("ready", flush=True)
    while True:
        entries = []
        for n in range(3):
            event_id = uuid.uuid4()
            document = {"id": str(event_id), "type": "stored", "mass_kg": f"{n}.5"}
            signature = sign_document(key, "key-crash", document)
            entries.append(NewEntry(event_id, document, signature, public_key_bytes(key)))
        with unit_of_work() as uow:
            indexes = ledger.append(uow, entries)
            uow.commit()
        for index, entry in zip(indexes, entries):
            print(index, entry.id, flush=True)
        ledger.maybe_checkpoint()


for _ in sys.stdin:
    pid = os.fork()
    if pid == 0:
        try:
            work()
        finally:
            os._exit(1)
    print("pid", pid, flush=True)
    os.waitpid(pid, 0)
    print("done", flush=True)
"""


def _run_and_kill(zygote: subprocess.Popen[str], delay_s: float) -> list[tuple[int, uuid.UUID]]:
    """Fork an appending child, SIGKILL it `delay_s` after it is ready; its acknowledged lines."""
    assert zygote.stdin is not None
    assert zygote.stdout is not None
    zygote.stdin.write("go\n")
    zygote.stdin.flush()
    pid, ready = 0, False
    while not (pid and ready):
        line = zygote.stdout.readline().split()
        assert line, "the appending child died"
        if line[0] == "pid":
            pid = int(line[1])
        ready = ready or line == ["ready"]
    time.sleep(delay_s)
    os.kill(pid, signal.SIGKILL)
    acknowledged = []
    while not (line := zygote.stdout.readline()).rstrip().endswith("done"):
        parts = line.split()
        if len(parts) == 2:  # a line cut by the kill is not an acknowledgement
            with contextlib.suppress(ValueError):
                acknowledged.append((int(parts[0]), uuid.UUID(parts[1])))
    return acknowledged


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_sigkill_during_appends_loses_no_acknowledged_entry(backend: str, tmp_path: Path) -> None:
    with contextlib.ExitStack() as stack:
        if backend == "sqlite":
            url = f"sqlite:///{tmp_path / 'crash.db'}"
        else:
            base = postgres_url()
            assert base is not None
            url = stack.enter_context(temporary_schema(base, "zw_crash"))
        context = build_context(Settings(database_url=url, master_key=MASTER_KEY))  # type: ignore[arg-type]
        stack.callback(context.close)
        context.migrate()
        settings = context.settings
        zygote = subprocess.Popen(
            [
                sys.executable,
                "-c",
                ZYGOTE,
                url,
                MASTER_KEY,
                settings.ledger_log_id,
                settings.ledger_origin,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        stack.callback(zygote.wait, 30)
        stack.callback(zygote.stdin.close)  # type: ignore[union-attr]
        generator = random.Random(20261124)
        acknowledged: list[tuple[int, uuid.UUID]] = []
        for _ in range(24):
            acknowledged += _run_and_kill(zygote, generator.uniform(0.0, 0.15))
        assert len(acknowledged) > 20
        with context.unit_of_work() as uow:
            for index, entry_id in acknowledged:
                row = uow.ledger.entry(context.settings.ledger_log_id, entry_id)
                assert row is not None
                assert row.leaf_index == index
        report = context.ledger.audit()
        assert report.ok, report.findings
        assert report.checkpoints_checked > 0


def test_bulk_node_reads_match_single_reads(context: Context) -> None:
    # Dense runs are read as ranges, scattered ones in chunks below the driver's bound limit.
    with context.unit_of_work() as uow:
        context.ledger.append(uow, make_entries(1200))
        uow.commit()
    generator = random.Random(5)
    keys = [(0, i) for i in range(100, 400)]
    keys += [(generator.randrange(3), generator.randrange(1200 >> 2) * 2) for _ in range(1500)]
    keys += [(0, 5000), (11, 0)]
    log_id = context.settings.ledger_log_id
    with context.unit_of_work() as uow:
        store = uow.ledger.store(log_id)
        found = store.get_nodes(keys)
        single = []
        for level, index in keys:
            try:
                single.append(store.get_node(level, index))
            except LookupError:
                single.append(None)
    assert found == single
    assert found[-2:] == [None, None]
    assert sum(f is not None for f in found) > 1000
