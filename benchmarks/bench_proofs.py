"""Ledger proofs benchmark: inclusion and consistency proofs at 1M leaves, audit speed.

Run: uv run python benchmarks/bench_proofs.py --json OUT.json [--smoke]
     uv run python benchmarks/bench_proofs.py --stored 1000000  (a stored log, written in bulk)
The peer library pymerkle (PyPI, RFC 9162 trees; a dev dependency) is compared in the same run
whenever it is importable.
"""

from __future__ import annotations

import importlib
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import (  # noqa: E402
    latencies_ms,
    on_each_backend,
    on_each_cached_backend,
    parse_args,
    report,
)
from bench_ledger_store import MASTER_KEY, signed_entries  # noqa: E402
from ledger_fixture import build  # noqa: E402
from zerowaste.bootstrap import build_context  # noqa: E402
from zerowaste.ledger.audit import audit  # noqa: E402
from zerowaste.ledger.checkpoints import checkpoint_of, sign_checkpoint  # noqa: E402
from zerowaste.ledger.merkle import leaf_hash, verify_consistency, verify_inclusion  # noqa: E402
from zerowaste.ledger.notes import NoteSigner  # noqa: E402
from zerowaste.ledger.receipts import build_receipt, leaf_data, verify_receipt  # noqa: E402
from zerowaste.ledger.signatures import (  # noqa: E402
    generate_private_key,
    public_key_bytes,
    sign_document,
)
from zerowaste.ledger.tree import (  # noqa: E402
    MemoryHashStore,
    NodeKey,
    consistency_proof,
    inclusion_proof,
    root,
)
from zerowaste.settings import Settings  # noqa: E402

ORIGIN = "zerowaste.example/log/bench"


def leaf_rows(count: int) -> list[bytes]:
    """Leaf data shaped like real ones: canonical JSON of a signed event, about 420 bytes."""
    template = (
        '{{"event":{{"batch":"urn:zerowaste:batch:{n:012d}","id":"urn:zerowaste:event:{n:012d}",'
        '"mass":{{"unit":"KGM","value":"{kg}.250"}},"site":"urn:zerowaste:site:0000000042",'
        '"time":"2026-03-01T08:00:00Z","type":"shipped","waste_code":"900-041-49"}},'
        '"format":"zerowaste.leaf/1","public_key":"11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",'
        '"signature":{{"algorithm":"Ed25519","key_id":"7f8e-key","value":"{sig}"}}}}'
    )
    signature = "A" * 86 + "=="
    return [template.format(n=n, kg=1000 + n % 997, sig=signature).encode() for n in range(count)]


class CountingStore:
    """Wraps a store to count the nodes a proof reads."""

    def __init__(self, inner: MemoryHashStore) -> None:
        self.inner = inner
        self.reads = 0

    def leaf_count(self) -> int:
        """The wrapped store's leaf count."""
        return self.inner.leaf_count()

    def get_node(self, level: int, index: int) -> bytes:
        """Read one node, counted."""
        self.reads += 1
        return self.inner.get_node(level, index)

    def get_nodes(self, keys: Sequence[NodeKey]) -> list[bytes | None]:
        """Read a batch of nodes, each counted."""
        self.reads += len(keys)
        return self.inner.get_nodes(keys)


def bench_ours(rows: list[bytes], repeat: int, rng: random.Random) -> dict[str, Any]:
    size = len(rows)
    start = time.perf_counter()
    store = MemoryHashStore(leaf_hash(row) for row in rows)
    build_s = time.perf_counter() - start
    head = root(store, size)
    indices = [rng.randrange(size) for _ in range(repeat)]
    cursor = iter(indices * 2)
    proofs = [(i, inclusion_proof(store, i, size)) for i in indices]
    checks = iter(proofs * 2)
    leaves = {i: store.get_node(0, i) for i in indices}

    def check_one() -> None:
        index, proof = next(checks)
        verify_inclusion(index, size, leaves[index], proof, head)

    olds = [rng.randrange(1, size) for _ in range(repeat)]
    pairs = iter(olds * 2)
    consistency = [(old, consistency_proof(store, old, size), root(store, old)) for old in olds]
    consistency_checks = iter(consistency * 2)

    def check_consistency() -> None:
        old, proof, old_root = next(consistency_checks)
        verify_consistency(old, size, proof, old_root, head)

    counting = CountingStore(store)
    for index in indices[:200]:
        inclusion_proof(counting, index, size)
    return {
        "leaves": size,
        "build_s": round(build_s, 2),
        "append_leaves_per_s": round(size / build_s),
        "inclusion_prove": latencies_ms(lambda: inclusion_proof(store, next(cursor), size), repeat),
        "inclusion_verify": latencies_ms(check_one, repeat),
        "nodes_read_per_inclusion_proof": round(counting.reads / min(200, repeat), 1),
        "consistency_prove": latencies_ms(
            lambda: consistency_proof(store, next(pairs), size), repeat
        ),
        "consistency_verify": latencies_ms(check_consistency, repeat),
        "root_at_random_size": latencies_ms(lambda: root(store, rng.randrange(1, size)), repeat),
        "audit": bench_audit(rows, store, head),
    }


def bench_audit(rows: list[bytes], store: MemoryHashStore, head: bytes) -> dict[str, Any]:
    size = len(rows)
    start = time.perf_counter()
    full = audit(rows, store, [(size, head)])
    full_s = time.perf_counter() - start
    hashes = [store.get_node(0, n) for n in range(size)]
    start = time.perf_counter()
    hashed = audit(hashes, store, [(size, head)], hashed=True)
    hashed_s = time.perf_counter() - start
    assert full.ok
    assert hashed.ok
    return {
        "leaf_data_bytes_mean": round(sum(map(len, rows)) / size),
        "from_leaf_data_leaves_per_s": round(size / full_s),
        "from_leaf_hashes_leaves_per_s": round(size / hashed_s),
    }


def bench_receipts(repeat: int) -> dict[str, Any]:
    """Sign, log, checkpoint and verify receipts offline over a 10,000-leaf log."""
    firm = generate_private_key()
    public = public_key_bytes(firm)
    platform = NoteSigner.create(ORIGIN, generate_private_key())
    store = MemoryHashStore()
    events = [{"id": f"urn:zerowaste:event:{n}", "mass": {"value": "12.5"}} for n in range(10_000)]
    signatures = [sign_document(firm, "k", event) for event in events]
    for event, signature in zip(events, signatures, strict=True):
        store.append_leaf(leaf_hash(leaf_data(event, signature, public)))
    note = sign_checkpoint(checkpoint_of(store, ORIGIN), platform)
    verifier = platform.verifier()
    receipts = [
        build_receipt(store, events[n], signatures[n], public, n, note, verifier).to_json()
        for n in range(0, 10_000, 10_000 // repeat)
    ]
    bundles = iter(receipts * 2)
    vkey = verifier.encode()
    return {
        "sign_checkpoint": latencies_ms(
            lambda: sign_checkpoint(checkpoint_of(store, ORIGIN), platform), repeat
        ),
        "verify_receipt_offline": latencies_ms(
            lambda: verify_receipt(next(bundles), vkey), len(receipts)
        ),
    }


def bench_pymerkle(rows: list[bytes], repeat: int, rng: random.Random) -> dict[str, Any]:
    try:
        pymerkle = importlib.import_module("pymerkle")
    except ImportError:
        return {"skipped": "pymerkle is not installed: run with `uv run --with pymerkle ...`"}
    size = len(rows)
    tree = pymerkle.InmemoryTree(algorithm="sha256")
    start = time.perf_counter()
    for row in rows:
        tree.append_entry(row)
    build_s = time.perf_counter() - start
    head = tree.get_root(size)
    indices = iter([rng.randrange(1, size + 1) for _ in range(repeat)] * 2)  # 1-based
    proofs = [(i, tree.prove_inclusion(i, size)) for i in range(1, size + 1, size // repeat)]
    checks = iter(proofs * 2)

    def check_one() -> None:
        index, proof = next(checks)
        pymerkle.verify_inclusion(tree.get_leaf(index), head, proof)

    olds = iter([rng.randrange(1, size) for _ in range(repeat)] * 2)
    return {
        "library": f"pymerkle {getattr(pymerkle, '__version__', '?')} InmemoryTree",
        "root_matches_ours": None,  # filled in by main
        "build_s": round(build_s, 2),
        "append_leaves_per_s": round(size / build_s),
        "inclusion_prove": latencies_ms(lambda: tree.prove_inclusion(next(indices), size), repeat),
        "inclusion_verify": latencies_ms(check_one, len(proofs)),
        "consistency_prove": latencies_ms(lambda: tree.prove_consistency(next(olds), size), repeat),
        "_root": head,
    }


def bench_database(url: str, repeat: int) -> dict[str, Any]:
    """Proofs read through the SQL hash store and the audit from the stored rows at `url`."""
    context = build_context(Settings(database_url=url, master_key=MASTER_KEY))  # type: ignore[arg-type]
    try:
        context.migrate()
        checkpoint = context.ledger.checkpoint()
        size = checkpoint.size
        generator = random.Random(9)
        proofs: list[Any] = []

        def prove() -> None:
            proofs.append(context.ledger.inclusion_proof(generator.randrange(size), size))

        generate = latencies_ms(prove, repeat)
        pending = iter(proofs)

        def check() -> None:
            p = next(pending)
            verify_inclusion(p.leaf_index, p.tree_size, p.leaf_hash, p.path, p.root_hash)

        verify = latencies_ms(check, repeat)
        start, start_cpu = time.perf_counter(), time.process_time()
        audited = context.ledger.audit()
        audit_s, audit_cpu = time.perf_counter() - start, time.process_time() - start_cpu
        assert audited.ok, audited.findings
        return {
            "leaves": audited.size,
            "checkpoints_checked": audited.checkpoints_checked,
            "inclusion_proof_generate_ms": generate,
            "inclusion_proof_verify_ms": verify,
            "audit_s": round(audit_s, 2),
            "audit_cpu_s": round(audit_cpu, 2),
            "audit_leaves_per_s": round(audited.size / audit_s, 1),
            "audit_leaves_per_cpu_s": round(audited.size / audit_cpu, 1),
        }
    finally:
        context.close()


def fill(url: str, count: int) -> str:
    """Append `count` signed entries to a fresh ledger at `url` (the smoke run's database)."""
    context = build_context(Settings(database_url=url, master_key=MASTER_KEY))  # type: ignore[arg-type]
    try:
        context.migrate()
        entries = signed_entries(count)
        for start in range(0, count, 500):
            with context.unit_of_work() as uow:
                context.ledger.append(uow, entries[start : start + 500])
                uow.commit()
    finally:
        context.close()
    return url


def stored(url: str, count: int) -> str:
    """Write a fresh stored log of `count` signed event leaves and event rows at `url`."""
    context = build_context(Settings(database_url=url, master_key=MASTER_KEY))  # type: ignore[arg-type]
    try:
        context.migrate()
        start = time.perf_counter()
        build(context, count)
        print(f"built {count} leaves in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    finally:
        context.close()
    return url


def database_figures(args: Any) -> dict[str, Any]:
    """The stored-log figures: kept ledgers (`--cache`), bulk-written (`--stored`) or smoke."""
    if args.stored:
        return on_each_backend(
            lambda url: bench_database(stored(url, args.stored), 2_000), "database"
        )
    if args.cache is not None:
        return on_each_cached_backend(
            lambda url, _: bench_database(url, 2_000), "database", args.cache, args.backend
        )
    if args.smoke:
        return on_each_backend(lambda url: bench_database(fill(url, 2_000), 100), "database")
    return {"database": "run with --cache DIR after bench_capture.py --cache DIR"}


def main() -> None:
    """Run the benchmark and print (and write) its figures."""
    args = parse_args(__doc__ or "", cache=True, stored=True)
    if (args.cache is not None or args.stored) and not args.smoke:  # the stored ledgers only
        report("proofs", database_figures(args), args.json)
        return
    size = 10_000 if args.smoke else 1_000_000
    repeat = 200 if args.smoke else 2_000
    rng = random.Random(7)
    start = time.perf_counter()
    rows = leaf_rows(size)
    figures: dict[str, Any] = {"generate_rows_s": round(time.perf_counter() - start, 2)}
    figures["zerowaste"] = bench_ours(rows, repeat, rng)
    figures["receipts"] = bench_receipts(100 if args.smoke else 1_000)
    peer = bench_pymerkle(rows, repeat, rng)
    if "_root" in peer:
        ours = root(MemoryHashStore(leaf_hash(row) for row in rows), size)
        peer["root_matches_ours"] = peer.pop("_root") == ours
    figures["peer_pymerkle"] = peer
    figures |= database_figures(args)
    report("proofs", figures, args.json)


if __name__ == "__main__":
    main()
