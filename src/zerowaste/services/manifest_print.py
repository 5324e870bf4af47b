"""The printable copy of record of a manifest (HTML and PDF), with a QR code of its receipt.

The QR code does not hold the receipt bundle itself: a receipt (the signed step document, its
signature and key, an inclusion proof of about log2(n) hashes and the signed checkpoint) runs to
2-4 kB, past what a printed QR code can carry and still be scanned (version 40 at level L holds
2,953 bytes, at 177 x 177 modules). It holds a compact reference instead:

    <base URL>/api/v1/ledger/entries/<entry id>/receipt#leaf=<index>&size=<checkpoint size>
        &sha256=<leaf hash, base64url without padding>

The URL fetches the full bundle (public, verifiable offline with `zerowaste ledger verify`);
the fragment, which is never sent to the server, pins the leaf index and leaf hash, so a
scanner can tell that the bundle it got is the one this paper was printed from. The entry is the
manifest's latest signed step: its receipt proves the state the copy shows.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from zerowaste.adapters.exporters.sheet import Sheet, SheetTable, render_pdf
from zerowaste.domain.access import Principal
from zerowaste.errors import NotFound
from zerowaste.ledger.checkpoints import open_checkpoint
from zerowaste.ledger.merkle import leaf_hash
from zerowaste.ledger.signatures import b64encode
from zerowaste.services.ledger import LedgerService
from zerowaste.services.manifest_print_labels import PRINT_LABELS
from zerowaste.services.manifest_records import manifest_view_record
from zerowaste.services.manifests import ManifestService
from zerowaste.services.trace import RECEIPT_PATH

#: `zh`, `en`, or `both` (Chinese and English side by side, as the PDF prints).
Language = str


@dataclass(frozen=True)
class ReceiptReference:
    """Which logged entry the copy's QR code points at, and the tree head that covers it."""

    entry_id: uuid.UUID
    leaf_index: int
    leaf_hash: bytes
    tree_size: int
    root_hash: bytes
    origin: str
    url: str

    @property
    def payload(self) -> str:
        """The text of the QR code: the receipt URL, its leaf, tree size and leaf hash."""
        digest = base64.urlsafe_b64encode(self.leaf_hash).rstrip(b"=").decode()
        return f"{self.url}#leaf={self.leaf_index}&size={self.tree_size}&sha256={digest}"


def receipt_url(base_url: str, entry_id: uuid.UUID) -> str:
    """The public receipt address of a logged entry under `base_url` (no trailing slash)."""
    return base_url.rstrip("/") + RECEIPT_PATH.format(event_id=entry_id)


@dataclass(frozen=True)
class CopyOfRecord:
    """A manifest's read model (`manifest_view_record`), its receipt reference, when printed."""

    record: dict[str, Any]
    receipt: ReceiptReference
    printed_at: datetime


class ManifestPrintService:
    """Build the copy of record of a manifest for whoever may see the manifest."""

    def __init__(
        self, manifests: ManifestService, ledger: LedgerService, clock: Callable[[], datetime]
    ) -> None:
        self._manifests = manifests
        self._ledger = ledger
        self._clock = clock

    def copy_of_record(
        self, actor: Principal, manifest_id: uuid.UUID, base_url: str
    ) -> CopyOfRecord:
        """The manifest's copy of record; the receipt is of its latest logged step.

        A checkpoint is cut first if none covers that step yet.

        Raises:
            NotFound: No such manifest (or it has no logged step).
            Forbidden: The actor is not a party and does not oversee its regions.
        """
        view = self._manifests.manifest(actor, manifest_id)
        if not view.actions:
            raise NotFound(f"manifest {manifest_id} has no logged step", field="manifest_id")
        latest = max(view.actions, key=lambda action: action.leaf_index)
        receipt = self._ledger.receipt(latest.action_id)
        head = open_checkpoint(receipt.checkpoint, self._ledger.verifier())
        reference = ReceiptReference(
            entry_id=latest.action_id,
            leaf_index=receipt.leaf_index,
            leaf_hash=leaf_hash(receipt.leaf_data()),
            tree_size=head.size,
            root_hash=head.root_hash,
            origin=head.origin,
            url=receipt_url(base_url, latest.action_id),
        )
        return CopyOfRecord(manifest_view_record(view), reference, self._clock())

    def pdf(self, actor: Principal, manifest_id: uuid.UUID, base_url: str) -> bytes:
        """The copy of record as a bilingual A4 PDF."""
        return copy_pdf(self.copy_of_record(actor, manifest_id, base_url))


def copy_pdf(copy: CopyOfRecord) -> bytes:
    """A copy of record as a bilingual A4 PDF."""
    return render_pdf(sheet(copy, "both"))


def label(key: str, language: Language) -> str:
    """A print label in `zh`, `en`, or `both` ("中文 English")."""
    zh, en = PRINT_LABELS[key]
    return {"zh": zh, "en": en}.get(language, f"{zh} {en}")


def sheet(copy: CopyOfRecord, language: Language) -> Sheet:
    """Lay out a copy of record: facts, parties, wastes, legs, rejection, signatures, events."""
    r = copy.record

    def t(key: str) -> str:
        return label(key, language)

    def opt(value: object) -> str:
        return t("none") if value in (None, "") else str(value)

    parties = {p["organization_id"]: p for p in r["parties"]}
    sites = {s["site_id"]: s for s in r["sites"]}

    def name(organization_id: str | None) -> str:
        party = parties.get(organization_id or "")
        return party["name"] if party else opt(organization_id)

    def site(site_id: str | None) -> str:
        found = sites.get(site_id or "")
        return f"{found['name']}, {found['address']}" if found else opt(site_id)

    def party_row(role: str, organization_id: str, site_id: str | None) -> tuple[str, ...]:
        party = parties.get(organization_id, {})
        return (
            t(f"role.{role}"),
            party.get("name", organization_id),
            party.get("credit_code", t("none")),
            party.get("region_code", t("none")),
            site(site_id),
        )

    party_rows = [party_row("generator", r["generator_id"], r["generator_site_id"])]
    party_rows += [party_row("transporter", tid, None) for tid in r["transporter_ids"]]
    party_rows.append(party_row("receiver", r["receiver_id"], r["receiver_site_id"]))
    rejection = r["rejection"]
    if rejection is not None:
        party_rows.append(
            party_row("return_receiver", rejection["organization_id"], rejection["site_id"])
        )
    approval = r["approval"]
    receipt = copy.receipt
    return Sheet(
        title=t("title"),
        facts=(
            (t("number"), r["number"]),
            (t("manifest_id"), r["manifest_id"]),
            (t("version"), str(r["version"])),
            (t("state"), r["state"]),
            (t("activity"), r["activity"]),
            (t("route"), f"{r['origin_region_code']} → {r['destination_region_code']}"),
            (t("cross_province"), t("yes") if r["cross_province"] else t("no")),
            (t("approval"), approval["number"] if approval else t("none")),
            (t("issued_at"), opt(r["issued_at"])),
            (t("received_at"), opt(r["received_at"])),
            (t("closed_at"), opt(r["closed_at"])),
            (t("total"), opt(r["mass_kg"])),
            (t("note"), opt(r["note"])),
        ),
        tables=(
            SheetTable(
                t("parties"),
                (t("role"), t("organization"), t("credit_code"), t("region"), t("site")),
                tuple(party_rows),
            ),
            SheetTable(
                t("lines"),
                tuple(
                    t(k)
                    for k in (
                        "batch",
                        "code",
                        "declared_kg",
                        "shipped_kg",
                        "weighed_kg",
                        "rejected_kg",
                        "accepted_kg",
                        "discrepancy_kg",
                    )
                ),
                tuple(
                    (
                        line["batch_id"],
                        line["waste_code"],
                        opt(line["mass_kg"]),
                        opt(line["shipped_kg"]),
                        opt(line["weighed_kg"]),
                        opt(line["rejected_kg"]),
                        opt(line["accepted_kg"]),
                        opt(line["discrepancy_kg"]),
                    )
                    for line in r["lines"]
                ),
            ),
            SheetTable(
                t("legs"),
                (t("leg"), t("transporter"), t("picked_up_at"), t("delivered_at")),
                tuple(
                    (
                        str(leg["leg"] + 1),
                        name(leg["transporter_id"]),
                        opt(leg["picked_up_at"]),
                        opt(leg["delivered_at"]),
                    )
                    for leg in r["legs"]
                ),
            ),
            SheetTable(
                t("rejection"),
                (t("disposition"), t("organization"), t("reason"), t("rejected_kg")),
                ()
                if rejection is None
                else (
                    (
                        rejection["disposition"],
                        name(rejection["organization_id"]),
                        rejection["reason"],
                        opt(rejection["mass_kg"]),
                    ),
                ),
            ),
            SheetTable(
                t("signatures"),
                (
                    t("action"),
                    t("role"),
                    t("organization"),
                    t("signed_at"),
                    t("key_id"),
                    t("version"),
                    t("leaf"),
                ),
                tuple(
                    (
                        t(f"action.{s['action']}")
                        + ("" if s["leg"] is None else f" #{s['leg'] + 1}"),
                        t(f"role.{s['role']}"),
                        name(s["organization_id"]),
                        s["signed_at"],
                        s["key_id"],
                        str(s["version"]),
                        opt(s["leaf_index"]),
                    )
                    for s in r["signatures"]
                ),
            ),
            SheetTable(
                t("events"),
                (t("event"), t("organization"), t("time"), t("leaf")),
                tuple(
                    (
                        e["event_type"],
                        name(e["organization_id"]),
                        e["event_time"],
                        str(e["leaf_index"]),
                    )
                    for e in r["events"]
                ),
            ),
        ),
        qr_payload=receipt.payload,
        qr_heading=t("receipt"),
        qr_facts=(
            (t("receipt_entry"), str(receipt.entry_id)),
            (t("leaf"), str(receipt.leaf_index)),
            (t("leaf_hash"), b64encode(receipt.leaf_hash)),
            (t("log"), receipt.origin),
            (t("tree_size"), str(receipt.tree_size)),
            (t("root_hash"), b64encode(receipt.root_hash)),
            (t("receipt_url"), receipt.url),
            (t("printed_at"), copy.printed_at.isoformat(timespec="seconds")),
        ),
        footer=t("footer"),
    )
