"""Capture of client-signed events: events/s through CaptureService, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import random
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from _harness import (  # noqa: E402
    cached_urls,
    fresh_cache,
    latencies_ms,
    on_each_backend,
    parse_args,
    report,
)
from zerowaste.bootstrap import Context, build_context  # noqa: E402
from zerowaste.domain.access import Principal  # noqa: E402
from zerowaste.domain.accounts import NewSigningKey, UserRole  # noqa: E402
from zerowaste.domain.credit_codes import make_credit_code  # noqa: E402
from zerowaste.domain.ids import urn  # noqa: E402
from zerowaste.domain.organizations import NewOrganization, OrganizationRole  # noqa: E402
from zerowaste.domain.sites import NewSite, SiteKind  # noqa: E402
from zerowaste.ledger.canonical import canonical_json  # noqa: E402
from zerowaste.ledger.signatures import (  # noqa: E402
    Signature,
    generate_private_key,
    public_key_bytes,
    sign_document,
    verify,
)
from zerowaste.settings import Settings  # noqa: E402

MASTER_KEY = "benchmark-master-key-0123456789"
ADMIN = Principal(user_id=uuid.UUID(int=0), username="bench", role=UserRole.ADMIN)
NOW = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)
T0 = datetime(2026, 6, 1, 0, 0, tzinfo=UTC)
CODE = "900-214-08"
BATCH = 1000


@dataclass(frozen=True)
class Firm:
    """A registered organization with one site and one client-side signing key."""

    organization_id: uuid.UUID
    site_id: uuid.UUID
    private: Ed25519PrivateKey
    key_id: str


def open_context(url: str) -> Context:
    """A migrated context on `url` whose clock stands still at NOW."""
    settings = Settings(database_url=url, master_key=MASTER_KEY)  # type: ignore[arg-type]
    context = build_context(settings, clock=lambda: NOW)
    context.migrate()
    return context


def register_firms(context: Context, count: int) -> list[Firm]:
    """Register `count` generator organizations, each with a plant and a signing key."""
    firms = []
    for n in range(count):
        code = make_credit_code("9", "1", "320505", f"MB{n:06d}")
        new = NewOrganization(
            code, f"基准企业{n}", "320505", "3670", None, frozenset({OrganizationRole.GENERATOR})
        )
        organization = context.organizations.register(ADMIN, new)
        site = NewSite("一号厂区", SiteKind.PLANT, "320505", 31.3, 120.6, "基准路1号")
        added = context.sites.add_site(ADMIN, organization.id, site)
        private = generate_private_key()
        key = context.signing_keys.register(
            ADMIN,
            organization.id,
            NewSigningKey(public_key_bytes(private), T0 - timedelta(days=60)),
        )
        firms.append(Firm(organization.id, added.id, private, str(key.id)))
    return firms


def _line(batch_id: uuid.UUID, quantity: str, unit: str = "KGM", **extra: str) -> dict[str, str]:
    return {"batch": urn("batch", batch_id), "quantity": quantity, "unit": unit, **extra}


def _event(firm: Firm, event_type: str, at: datetime, **fields: Any) -> dict[str, Any]:
    return {
        "format": "zerowaste.event/1",
        "event_id": str(uuid.uuid4()),
        "event_type": event_type,
        "event_time": at.isoformat(),
        "organization_id": str(firm.organization_id),
        "site_id": str(firm.site_id),
        **fields,
    }


def _signed(firm: Firm, event: dict[str, Any]) -> dict[str, Any]:
    return {"event": event, "signature": sign_document(firm.private, firm.key_id, event).to_json()}


@dataclass(frozen=True)
class Chain:
    """The batches of one generated batch's life, and its signed events in order."""

    raw: uuid.UUID
    part_a: uuid.UUID
    residue: uuid.UUID
    deep: bool
    submissions: list[dict[str, Any]]


def chain(firm: Firm, serial: int, deep: bool) -> Chain:
    """Generated, stored, split, transformed, disposed; `deep` splits the residue again."""
    raw, part_a, part_b, product, residue = (uuid.uuid4() for _ in range(5))
    start = T0 + timedelta(seconds=serial)
    step = timedelta(minutes=1)
    events = [
        _event(firm, "generated", start, outputs=[_line(raw, "1.2", "TNE", waste_code=CODE)]),
        _event(firm, "stored", start + step, inputs=[_line(raw, "1200")]),
        _event(
            firm,
            "split",
            start + 2 * step,
            inputs=[_line(raw, "1200")],
            outputs=[_line(part_a, "700"), _line(part_b, "500")],
        ),
        _event(
            firm,
            "transformed",
            start + 3 * step,
            inputs=[_line(part_a, "700")],
            outputs=[
                _line(product, "520", kind="secondary_raw_material", description="再生油"),
                _line(residue, "150", kind="waste", waste_code=CODE),
            ],
            declared_loss={"quantity": "30", "unit": "KGM"},
        ),
        _event(
            firm,
            "disposed",
            start + 4 * step,
            inputs=[_line(part_b, "500")],
            disposal_method="incineration",
        ),
    ]
    if deep:
        left, right, product2 = (uuid.uuid4() for _ in range(3))
        events += [
            _event(
                firm,
                "split",
                start + 5 * step,
                inputs=[_line(residue, "150")],
                outputs=[_line(left, "100"), _line(right, "50")],
            ),
            _event(
                firm,
                "transformed",
                start + 6 * step,
                inputs=[_line(left, "100")],
                outputs=[
                    _line(product2, "90", kind="secondary_raw_material", description="再生料")
                ],
                declared_loss={"quantity": "10", "unit": "KGM"},
            ),
            _event(
                firm,
                "disposed",
                start + 7 * step,
                inputs=[_line(right, "50")],
                disposal_method="landfill",
            ),
        ]
    return Chain(raw, part_a, residue, deep, [_signed(firm, e) for e in events])


def chains(firms: list[Firm], events: int, first: int = 0, deep_every: int = 5) -> Iterator[Chain]:
    """Chains, round-robin over the firms, until at least `events` events are made."""
    made, serial = 0, first
    while made < events:
        item = chain(
            firms[serial % len(firms)], serial, deep_every > 0 and serial % deep_every == 0
        )
        made += len(item.submissions)
        serial += 1
        yield item


def capture_all(context: Context, submissions: list[dict[str, Any]], batch: int = BATCH) -> None:
    """Capture `submissions` in order, `batch` per call."""
    for offset in range(0, len(submissions), batch):
        results = context.capture.capture(ADMIN, submissions[offset : offset + batch])
        assert all(r.status == "stored" for r in results)


def verify_lower_bound(firms: list[Firm], count: int) -> dict[str, Any]:
    """Ed25519 verification of canonical bytes alone, one core (the ceiling of capture)."""
    firm = firms[0]
    public = public_key_bytes(firm.private)
    items = []
    for item in chains([firm], count, deep_every=0):
        for submission in item.submissions:
            canonical = canonical_json(submission["event"])
            items.append((Signature.from_json(submission["signature"]), canonical))
    start = time.perf_counter()
    for signature, canonical in items:
        verify(signature, public, canonical)
    elapsed = time.perf_counter() - start
    return {"events": len(items), "verifications_per_s": round(len(items) / elapsed, 1)}


#: Batches per throughput window: the rate "at" a size is that of the 20k events ending there.
WINDOW = 20
#: Chains remembered (reservoir sample) for the trace benchmark on a kept ledger.
SAMPLE = 2000


class Feed:
    """Signed submissions made chain by chain on demand, with a sample of the chains."""

    def __init__(self, firms: list[Firm], deep_every: int = 4) -> None:
        self._chains = chains(firms, 10**12, deep_every=deep_every)
        self._pending: list[dict[str, Any]] = []
        self._random = random.Random(3)
        self.made = 0
        self.sample: list[Chain] = []

    def take(self, count: int) -> list[dict[str, Any]]:
        """The next `count` signed submissions."""
        while len(self._pending) < count:
            item = next(self._chains)
            self.made += 1
            if len(self.sample) < SAMPLE:
                self.sample.append(item)
            elif (slot := self._random.randrange(self.made)) < SAMPLE:
                self.sample[slot] = item
            self._pending.extend(item.submissions)
        taken, self._pending = self._pending[:count], self._pending[count:]
        return taken

    def sample_json(self) -> list[dict[str, Any]]:
        """The sampled chains' batch ids, for `bench_trace.py --cache`."""
        return [
            {"raw": str(c.raw), "part_a": str(c.part_a), "residue": str(c.residue), "deep": c.deep}
            for c in self.sample
        ]


def measure(
    url: str, sizes: list[int], singles: int, sample_path: Path | None = None
) -> dict[str, Any]:
    """Fill the ledger to each size in batches of 1,000; then single-event capture latency.

    Submissions are made and signed batch by batch, untimed, so memory stays flat at any size;
    only `CaptureService.capture` is timed.
    """
    context = open_context(url)
    try:
        firms = register_firms(context, 8)
        feed = Feed(firms)
        curve: list[dict[str, Any]] = []
        seconds: list[float] = []
        cpu: list[float] = []
        done = 0
        for size in sizes:
            segment = 0.0
            while done < size:
                batch = feed.take(min(BATCH, size - done))
                start, start_cpu = time.perf_counter(), time.process_time()
                results = context.capture.capture(ADMIN, batch)
                elapsed = time.perf_counter() - start
                cpu.append(time.process_time() - start_cpu)
                assert all(r.status == "stored" for r in results)
                seconds.append(elapsed)
                segment += elapsed
                done += len(batch)
            window = seconds[-WINDOW:]
            curve.append(
                {
                    "ledger_size": size,
                    "segment_events": size - (curve[-1]["ledger_size"] if curve else 0),
                    "segment_s": round(segment, 2),
                    "segment_events_per_s": round(
                        (size - (curve[-1]["ledger_size"] if curve else 0)) / segment, 1
                    ),
                    "window_events_per_s": round(len(window) * BATCH / sum(window), 1),
                    "window_events_per_cpu_s": round(len(window) * BATCH / sum(cpu[-WINDOW:]), 1),
                }
            )
            print(f"{url.split('?')[0]}: {curve[-1]}", file=sys.stderr, flush=True)
            if sample_path is not None:  # after every size: a stopped run leaves its figures
                sample = {"events": done, "chains": feed.sample_json(), "curve": curve}
                sample_path.write_text(json.dumps(sample), encoding="utf-8")
        generator = random.Random(11)
        pending = [
            _signed(
                f,
                _event(
                    f,
                    "generated",
                    T0 + timedelta(days=1, seconds=n),
                    outputs=[_line(uuid.uuid4(), str(generator.randint(1, 900)), waste_code=CODE)],
                ),
            )
            for n, f in ((n, firms[n % len(firms)]) for n in range(singles))
        ]
        single = latencies_ms(lambda: context.capture.capture(ADMIN, [pending.pop()]), singles)
        last, first = curve[-1]["window_events_per_s"], curve[0]["window_events_per_s"]
        return {
            "batch": BATCH,
            "curve": curve,
            "events_per_s_overall": round(sizes[-1] / sum(seconds), 1),
            "events_per_cpu_s_overall": round(sizes[-1] / sum(cpu), 1),
            "last_window_over_first": round(last / first, 3),
            "single_event_capture_ms": single,
        }
    finally:
        context.close()


def main() -> None:
    """Run on SQLite, and on PostgreSQL when ZEROWASTE_TEST_DATABASE_URL is set."""
    args = parse_args(__doc__ or "", cache=True)
    if args.smoke:
        sizes, singles, verifies = [1000, 2000], 20, 500
    else:
        raw = os.environ.get("ZEROWASTE_BENCH_CAPTURE_SIZES", "100000,1000000")
        sizes, singles, verifies = [int(s) for s in raw.split(",")], 300, 20_000
    figures: dict[str, Any] = {
        "signature_verify": verify_lower_bound(
            [Firm(uuid.uuid4(), uuid.uuid4(), generate_private_key(), "k")], verifies
        )
    }
    if args.cache is None:
        figures |= on_each_backend(lambda url: measure(url, sizes, singles), "capture")
    else:
        for backend in cached_urls(args.cache, args.backend):
            url = fresh_cache(args.cache, backend)
            sample = args.cache / f"ledger-{backend}.json"
            figures[f"capture_{backend}"] = measure(url, sizes, singles, sample)
    report("capture", figures, args.json)


if __name__ == "__main__":
    main()
