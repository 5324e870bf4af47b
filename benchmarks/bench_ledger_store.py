"""Stored Merkle log: append throughput, proofs and audit speed on SQLite and PostgreSQL."""

from __future__ import annotations

import random
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import latencies_ms, on_each_backend, parse_args, report  # noqa: E402
from zerowaste.bootstrap import Context, build_context  # noqa: E402
from zerowaste.ledger.signatures import (  # noqa: E402
    generate_private_key,
    public_key_bytes,
    sign_document,
)
from zerowaste.services.ledger import NewEntry  # noqa: E402
from zerowaste.settings import Settings  # noqa: E402

MASTER_KEY = "benchmark-master-key-0123456789"


def signed_entries(count: int) -> list[NewEntry]:
    """Signed synthetic event documents of about 300 bytes (signing is not timed)."""
    key = generate_private_key()
    public = public_key_bytes(key)
    entries = []
    for n in range(count):
        event_id = uuid.uuid4()
        document = {
            "id": str(event_id),
            "type": "shipped",
            "batch": str(uuid.uuid5(uuid.NAMESPACE_URL, str(n % 997))),
            "mass_kg": f"{1000 + n % 5000}.125",
            "waste_code": "900-041-49",
            "site": "320505-site-0042",
            "time": "2026-06-01T08:00:00Z",
        }
        entries.append(NewEntry(event_id, document, sign_document(key, "bench", document), public))
    return entries


def measure(context: Context, sizes: list[int], batch: int, proofs: int) -> dict[str, Any]:
    """Append up to each size in batches; then proof latencies and audit speed at the end."""
    entries = signed_entries(sizes[-1])
    curve = []
    done = 0
    for size in sizes:
        start = time.perf_counter()
        while done < size:
            chunk = entries[done : min(size, done + batch)]
            with context.unit_of_work() as uow:
                context.ledger.append(uow, chunk)
                uow.commit()
            done += len(chunk)
        elapsed = time.perf_counter() - start
        appended = size - (curve[-1]["size"] if curve else 0)
        curve.append({"size": size, "entries_per_s": round(appended / elapsed, 1)})
    context.ledger.checkpoint()
    generator = random.Random(7)
    latest = sizes[-1]
    proof = latencies_ms(
        lambda: context.ledger.inclusion_proof(generator.randrange(latest), latest), proofs
    )
    receipt = latencies_ms(
        lambda: context.ledger.receipt(entries[generator.randrange(latest)].id), proofs // 4 or 1
    )
    start = time.perf_counter()
    audited = context.ledger.audit()
    audit_s = time.perf_counter() - start
    assert audited.ok, audited.findings
    return {
        "batch": batch,
        "append_curve": curve,
        "inclusion_proof_ms": proof,
        "receipt_ms": receipt,
        "audit_leaves_per_s": round(latest / audit_s, 1),
        "audit_s": round(audit_s, 3),
    }


def run_backend(url: str, sizes: list[int], batch: int, proofs: int) -> dict[str, Any]:
    """Migrate a fresh database at `url` and measure it."""
    context = build_context(Settings(database_url=url, master_key=MASTER_KEY))  # type: ignore[arg-type]
    try:
        context.migrate()
        return measure(context, sizes, batch, proofs)
    finally:
        context.close()


def main() -> None:
    """Run on SQLite, and on PostgreSQL when ZEROWASTE_TEST_DATABASE_URL is set."""
    args = parse_args(__doc__ or "")
    sizes = [300, 600] if args.smoke else [10_000, 25_000, 50_000, 100_000]
    batch = 100 if args.smoke else 1000
    proofs = 40 if args.smoke else 2000
    figures = on_each_backend(lambda url: run_backend(url, sizes, batch, proofs), "store")
    report("ledger_store", figures, args.json)


if __name__ == "__main__":
    main()
