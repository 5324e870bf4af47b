"""Receipts: built from a log, verified offline, and every tampered field refused."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest

from zerowaste.errors import InvalidInput, ProofInvalid, SignatureInvalid, ZeroWasteError
from zerowaste.ledger.canonical import canonical_json
from zerowaste.ledger.checkpoints import checkpoint_of, sign_checkpoint
from zerowaste.ledger.merkle import leaf_hash
from zerowaste.ledger.notes import NoteSigner
from zerowaste.ledger.receipts import (
    Receipt,
    build_receipt,
    leaf_data,
    leaf_data_of_canonical,
    verify_receipt,
)
from zerowaste.ledger.signatures import (
    Signature,
    generate_private_key,
    public_key_bytes,
    sign_document,
)
from zerowaste.ledger.tree import MemoryHashStore

ORIGIN = "zerowaste.example/log/320000"


def event(number: int) -> dict[str, Any]:
    return {
        "id": f"urn:zerowaste:event:{number:08d}",
        "type": "shipped",
        "batch": "urn:zerowaste:batch:42",
        "mass": {"value": f"{1000 + number}.250", "unit": "KGM"},
        "note": "废矿物油 HW08",
    }


class Log:
    """A small log of 13 signed events with one signed checkpoint over all of them."""

    def __init__(self) -> None:
        self.firm_key = generate_private_key()
        self.public_key = public_key_bytes(self.firm_key)
        self.platform = NoteSigner.create(ORIGIN, generate_private_key())
        self.store = MemoryHashStore()
        self.events = [event(n) for n in range(13)]
        self.signatures = [sign_document(self.firm_key, "key-7", e) for e in self.events]
        for e, s in zip(self.events, self.signatures, strict=True):
            self.store.append_leaf(leaf_hash(leaf_data(e, s, self.public_key)))
        self.note = sign_checkpoint(checkpoint_of(self.store, ORIGIN), self.platform)
        self.vkey = self.platform.verifier().encode()

    def receipt(self, index: int) -> Receipt:
        return build_receipt(
            self.store,
            self.events[index],
            self.signatures[index],
            self.public_key,
            index,
            self.note,
            self.platform.verifier(),
        )


@pytest.fixture(scope="module")
def log() -> Log:
    return Log()


def test_leaf_data_is_canonical_json_of_the_signed_event(log: Log) -> None:
    data = leaf_data(log.events[0], log.signatures[0], log.public_key)
    document = json.loads(data)
    assert set(document) == {"event", "format", "public_key", "signature"}
    assert document["format"] == "zerowaste.leaf/1"
    assert document["signature"] == log.signatures[0].to_json()
    assert canonical_json(document) == data


@pytest.mark.parametrize("document", [{}, {"a": [1, "\U0001f600"], "\uffff": None}, event(3)])
def test_leaf_data_from_canonical_bytes_is_the_same(log: Log, document: dict[str, Any]) -> None:
    signature = sign_document(log.firm_key, "key-7", document)
    expected = leaf_data(document, signature, log.public_key)
    assert leaf_data_of_canonical(canonical_json(document), signature, log.public_key) == expected


def test_every_receipt_verifies_offline_from_its_json(log: Log) -> None:
    for index in range(13):
        receipt = log.receipt(index)
        text = json.dumps(receipt.to_json(), ensure_ascii=False)
        verified = verify_receipt(json.loads(text), log.vkey)
        assert verified.leaf_index == index
        assert verified.checkpoint.size == 13
        assert verified.key_id == "key-7"
        assert Receipt.from_json(receipt.to_json()) == receipt


def b64_flip(text: str) -> str:
    raw = bytearray(base64.b64decode(text))
    raw[0] ^= 1
    return base64.b64encode(bytes(raw)).decode()


TAMPERINGS: dict[str, Callable[[dict[str, Any], Log], None]] = {
    "event mass": lambda r, _: r["event"]["mass"].update(value="9999.250"),
    "event extra member": lambda r, _: r["event"].update(extra=True),
    "signature value": lambda r, _: r["signature"].update(value=b64_flip(r["signature"]["value"])),
    "signature key id": lambda r, _: r["signature"].update(key_id="key-8"),
    "public key": lambda r, _: r.update(
        public_key=base64.b64encode(public_key_bytes(generate_private_key())).decode()
    ),
    "leaf index": lambda r, _: r.update(leaf_index=r["leaf_index"] + 1),
    "proof element": lambda r, _: r["inclusion_proof"].__setitem__(
        0, b64_flip(r["inclusion_proof"][0])
    ),
    "proof dropped": lambda r, _: r["inclusion_proof"].pop(),
    "checkpoint size": lambda r, _: r.update(
        checkpoint=r["checkpoint"].replace("\n13\n", "\n12\n")
    ),
    "checkpoint root": lambda r, _: r.update(
        checkpoint=r["checkpoint"].replace(r["checkpoint"].split("\n")[2], "A" * 43 + "=")
    ),
    "checkpoint signature": lambda r, _: r.update(checkpoint=r["checkpoint"][:-6] + "AAAAA\n"),
    "format": lambda r, _: r.update(format="zerowaste.receipt/2"),
    "unknown member": lambda r, _: r.update(comment="hi"),
    "missing member": lambda r, _: r.pop("public_key"),
}


@pytest.mark.parametrize("name", sorted(TAMPERINGS))
def test_every_tampered_field_fails(log: Log, name: str) -> None:
    bundle = json.loads(json.dumps(log.receipt(5).to_json()))
    TAMPERINGS[name](bundle, log)
    with pytest.raises((InvalidInput, SignatureInvalid, ProofInvalid)):
        verify_receipt(bundle, log.vkey)


def test_a_consistent_forgery_by_another_key_fails(log: Log) -> None:
    """A whole log re-signed by an impostor platform key does not verify."""
    forger = Log()
    with pytest.raises(SignatureInvalid):
        verify_receipt(forger.receipt(3), log.vkey)


def test_another_event_signed_by_the_firm_is_not_in_the_log(log: Log) -> None:
    stranger = event(99)
    signature = sign_document(log.firm_key, "key-7", stranger)
    receipt = log.receipt(4)
    forged = Receipt(stranger, signature, log.public_key, 4, receipt.inclusion_proof, log.note)
    with pytest.raises(ProofInvalid):
        verify_receipt(forged, log.platform.verifier())


def test_build_receipt_refuses_mismatches(log: Log) -> None:
    with pytest.raises(InvalidInput, match="another event"):
        build_receipt(
            log.store,
            log.events[1],
            log.signatures[1],
            log.public_key,
            2,
            log.note,
            log.platform.verifier(),
        )
    with pytest.raises(InvalidInput, match="does not cover"):
        build_receipt(
            log.store,
            log.events[1],
            log.signatures[1],
            log.public_key,
            13,
            log.note,
            log.platform.verifier(),
        )


@pytest.mark.parametrize(
    "bundle", [None, [], {"format": "zerowaste.receipt/1"}, {"leaf_index": True}]
)
def test_non_receipts_are_refused(log: Log, bundle: Any) -> None:
    with pytest.raises(ZeroWasteError):
        verify_receipt(bundle, log.vkey)


def test_a_malformed_platform_key_is_refused(log: Log) -> None:
    with pytest.raises(InvalidInput):
        verify_receipt(log.receipt(0), "not a key")
    assert isinstance(log.signatures[0], Signature)
