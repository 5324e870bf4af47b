"""The copy of record of a manifest on both backends: its content, PDF text and QR reference."""

from __future__ import annotations

import base64
import io
import re
import uuid
from decimal import Decimal

import pypdf
import pytest

from tests.factories import OPERATOR, Factory
from tests.manifest_world import World, build_world
from zerowaste.adapters.exporters.qr import QUIET_ZONE, Matrix, qr_matrix
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.manifests import ReceiptLine
from zerowaste.errors import Forbidden
from zerowaste.ledger.merkle import leaf_hash
from zerowaste.ledger.receipts import Receipt, verify_receipt
from zerowaste.services.manifest_print import CopyOfRecord, sheet

BASE = "https://zerowaste.example"


def closed_manifest(world: World) -> uuid.UUID:
    """A manifest issued, carried, received with a weighing gap and closed."""
    service = world.factory.context.manifests
    batch = world.generate("1000")
    manifest_id = uuid.uuid4()
    g, c, r = world.generator, world.carrier, world.receiver
    service.issue(g.user, manifest_id, world.terms([batch]), world.tick(), g.signer)
    service.pickup(c.user, manifest_id, c.id, 0, world.tick())
    world.ship(manifest_id, batch)
    service.deliver(c.user, manifest_id, c.id, 0, world.tick(), c.signer)
    receipt = (ReceiptLine(batch, Decimal("996.5")),)
    service.receive(r.user, manifest_id, r.id, r.site.id, receipt, world.tick())
    world.take_in(manifest_id, batch, "996.5")
    service.close(r.user, manifest_id, r.id, world.tick(), r.signer)
    return manifest_id


def pdf_text(pdf: bytes) -> str:
    """All the text of a PDF, whitespace removed (table cells wrap long values)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def pdf_qr_matrix(pdf: bytes) -> Matrix:
    """Read the QR code back from the PDF's drawing operators: the black squares' grid.

    reportlab writes each square as `x y w h re` after setting the fill colour to black; the
    squares of one code share a size, so their positions give the module grid.
    """
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    content = b"".join(page.get_contents().get_data() for page in reader.pages)  # type: ignore[union-attr]
    squares: list[tuple[float, float, float]] = []
    black = False
    for token in re.finditer(rb"([\d.\s-]+) (rg|re)\b", content):
        numbers = [float(n) for n in token.group(1).split()]
        if token.group(2) == b"rg":
            black = numbers[-3:] == [0.0, 0.0, 0.0]
        elif black and len(numbers) >= 4 and abs(numbers[-2] - numbers[-1]) < 1e-6:
            squares.append((numbers[-4], numbers[-3], numbers[-2]))
    unit = min(s[2] for s in squares)
    cells = {
        (round(x / unit), round(y / unit)) for x, y, size in squares if abs(size - unit) < 1e-6
    }
    left = min(x for x, _ in cells) - QUIET_ZONE
    top = max(y for _, y in cells)
    modules = max(x for x, _ in cells) - left + 1 - QUIET_ZONE
    return tuple(
        tuple((left + QUIET_ZONE + col, top - row) in cells for col in range(modules))
        for row in range(modules)
    )


@pytest.fixture
def world(factory: Factory) -> World:
    return build_world(factory)


def test_the_copy_names_every_party_code_mass_and_signature(world: World) -> None:
    context = world.factory.context
    manifest_id = closed_manifest(world)
    copy = context.manifest_print.copy_of_record(world.generator.user, manifest_id, BASE + "/")
    r = copy.record
    assert r["state"] == "closed"
    assert [s["action"] for s in r["signatures"]] == [
        "issue",
        "pickup",
        "deliver",
        "receive",
        "close",
    ]
    latest = max(r["signatures"], key=lambda s: s["leaf_index"])
    receipt = copy.receipt
    assert (receipt.entry_id, receipt.leaf_index) == (
        uuid.UUID(latest["action_id"]),
        latest["leaf_index"],
    )
    bundle = context.ledger.receipt(receipt.entry_id)
    assert leaf_hash(bundle.leaf_data()) == receipt.leaf_hash
    verify_receipt(bundle, context.ledger.verifier_key())
    assert receipt.url == f"{BASE}/api/v1/ledger/entries/{receipt.entry_id}/receipt"
    digest = base64.urlsafe_b64encode(receipt.leaf_hash).rstrip(b"=").decode()
    assert receipt.payload == (
        f"{receipt.url}#leaf={receipt.leaf_index}&size={receipt.tree_size}&sha256={digest}"
    )

    text = pdf_text(context.manifest_print.pdf(world.receiver.user, manifest_id, BASE))
    expected = [
        r["number"],
        "900-214-08",
        "996.5",
        "-3.5",
        world.generator.organization.credit_code,
        world.receiver.organization.credit_code,
        world.carrier.organization.credit_code,
        *(s["key_id"] for s in r["signatures"]),
        str(receipt.entry_id),
        "copyofrecord",
        "危险废物转移联单",
        "Signatures",
    ]
    for value in expected:
        assert value.replace(" ", "") in text, value
    for party in (world.generator, world.carrier, world.receiver):
        assert party.organization.name in text or "测试企业" in text


def test_the_qr_codes_in_the_pdf_encode_the_receipt_reference(world: World) -> None:
    context = world.factory.context
    manifest_id = closed_manifest(world)
    copy = context.manifest_print.copy_of_record(OPERATOR, manifest_id, BASE)
    pdf = context.manifest_print.pdf(OPERATOR, manifest_id, BASE)
    assert pdf_qr_matrix(pdf) == qr_matrix(copy.receipt.payload)
    other = CopyOfRecord(copy.record, copy.receipt, copy.printed_at)
    assert sheet(other, "en").qr_payload == copy.receipt.payload
    assert qr_matrix(copy.receipt.payload) != qr_matrix(copy.receipt.payload + "x")


def test_only_parties_and_oversight_may_print(world: World, factory: Factory) -> None:
    context = world.factory.context
    manifest_id = closed_manifest(world)
    outsider = factory.user(UserRole.FIRM, organization=factory.organization())
    with pytest.raises(Forbidden):
        context.manifest_print.copy_of_record(outsider, manifest_id, BASE)
    regulator = factory.user(UserRole.REGULATOR, jurisdiction_code="320500")
    assert context.manifest_print.copy_of_record(regulator, manifest_id, BASE).record


def test_a_receipt_reference_of_a_later_checkpoint_still_proves_the_step(world: World) -> None:
    context = world.factory.context
    manifest_id = closed_manifest(world)
    first = context.manifest_print.copy_of_record(OPERATOR, manifest_id, BASE).receipt
    world.generate("5")
    context.ledger.checkpoint()
    later = context.manifest_print.copy_of_record(OPERATOR, manifest_id, BASE).receipt
    assert (later.entry_id, later.leaf_hash) == (first.entry_id, first.leaf_hash)
    assert later.tree_size > first.tree_size
    bundle: Receipt = context.ledger.receipt(later.entry_id)
    assert verify_receipt(bundle, context.ledger.verifier_key()).checkpoint.size == later.tree_size
