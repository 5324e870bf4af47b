"""C2SP signed notes and tlog-checkpoints: known answers, round trips and tamper detection."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zerowaste.errors import InvalidInput, SignatureInvalid
from zerowaste.ledger.checkpoints import (
    Checkpoint,
    checkpoint_of,
    open_checkpoint,
    sign_checkpoint,
)
from zerowaste.ledger.merkle import leaf_hash, root_of
from zerowaste.ledger.notes import NoteSigner, NoteVerifier, key_id, open_note, sign_note
from zerowaste.ledger.signatures import generate_private_key
from zerowaste.ledger.tree import MemoryHashStore

# The example keys and note of the Go module checksum database's note package
# (golang.org/x/mod/sumdb/note), an independent implementation of the signed-note format.
GO_SIGNER = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VERIFIER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
GO_NOTE = (
    GO_TEXT + "\n\u2014 PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)

ORIGIN = "zerowaste.example/log/320000"


@pytest.fixture(scope="module")
def signer() -> NoteSigner:
    return NoteSigner.create(ORIGIN, generate_private_key())


def test_go_known_answer() -> None:
    signer = NoteSigner.parse(GO_SIGNER)
    assert signer.verifier().encode() == GO_VERIFIER
    assert signer.encode() == GO_SIGNER
    assert sign_note(GO_TEXT, [signer]) == GO_NOTE  # Ed25519 is deterministic
    assert open_note(GO_NOTE, [NoteVerifier.parse(GO_VERIFIER)]) == (GO_TEXT, ["PeterNeumann"])
    assert open_note(GO_NOTE.encode(), [NoteVerifier.parse(GO_VERIFIER)])[0] == GO_TEXT


def test_keys_whose_base64_holds_a_plus_parse() -> None:
    for _ in range(200):
        signer = NoteSigner.create("k.example", generate_private_key())
        if "+" in signer.verifier().encode().split("+", 2)[2]:
            break
    assert NoteVerifier.parse(signer.verifier().encode()) == signer.verifier()
    assert NoteSigner.parse(signer.encode()).verifier() == signer.verifier()


def test_key_id_is_the_c2sp_hash() -> None:
    verifier = NoteVerifier.parse(GO_VERIFIER)
    assert verifier.key_id == 0xC74F20A3 == key_id("PeterNeumann", verifier.public_key)


def test_checkpoint_round_trip(signer: NoteSigner) -> None:
    hashes = [leaf_hash(bytes([n])) for n in range(11)]
    checkpoint = checkpoint_of(MemoryHashStore(hashes), ORIGIN)
    assert checkpoint.size == 11
    assert checkpoint.root_hash == root_of(hashes)
    note = sign_checkpoint(checkpoint, signer)
    origin, size, root_line, blank, signature_line, end = note.split("\n")
    assert (origin, size, blank, end) == (ORIGIN, "11", "", "")
    assert base64.b64decode(root_line) == root_of(hashes)
    assert signature_line.startswith(f"\u2014 {ORIGIN} ")
    blob = base64.b64decode(signature_line.split(" ")[2])
    assert len(blob) == 68
    assert blob[:4] == signer.verifier().key_id.to_bytes(4, "big")
    assert open_checkpoint(note, signer.verifier()) == checkpoint
    assert open_checkpoint(note, NoteVerifier.parse(signer.verifier().encode())) == checkpoint


@given(st.integers(min_value=0, max_value=2**63 - 1), st.binary(min_size=32, max_size=32))
def test_checkpoint_bodies_parse_back(size: int, root: bytes) -> None:
    checkpoint = Checkpoint(ORIGIN, size, root, ("ext line",))
    assert Checkpoint.parse_body(checkpoint.body()) == checkpoint


def test_tampering_is_detected(signer: NoteSigner) -> None:
    note = sign_checkpoint(Checkpoint(ORIGIN, 7, bytes(32)), signer)
    verifier = signer.verifier()
    other = NoteSigner.create(ORIGIN, generate_private_key())
    renamed = NoteSigner.create("zerowaste.example/log/other", signer.private_key)
    tampered = [
        note.replace("\n7\n", "\n8\n"),
        note.replace(ORIGIN + "\n", ORIGIN + "x\n", 1),
        note.replace("AAAAAAAA", "AAAAAAAB", 1),
        sign_checkpoint(Checkpoint(ORIGIN, 7, bytes(32)), other),
        sign_note(Checkpoint("zerowaste.example/log/other", 7, bytes(32)).body(), [renamed]),
    ]
    for bad in tampered:
        with pytest.raises(SignatureInvalid):
            open_checkpoint(bad, verifier)
    head, line = note.rsplit("\u2014", 1)
    blob = base64.b64decode(line.split(" ")[2])
    flipped = blob[:10] + bytes([blob[10] ^ 1]) + blob[11:]
    with pytest.raises(SignatureInvalid, match="does not verify"):
        open_checkpoint(f"{head}\u2014 {ORIGIN} {base64.b64encode(flipped).decode()}\n", verifier)


def test_unknown_signatures_are_ignored_but_one_known_is_needed(signer: NoteSigner) -> None:
    body = Checkpoint(ORIGIN, 3, bytes(32)).body()
    witness = NoteSigner.create("witness.example", generate_private_key())
    note = sign_note(body, [witness, signer])
    assert open_checkpoint(note, signer.verifier()).size == 3
    with pytest.raises(SignatureInvalid, match="no signature by a known key"):
        open_checkpoint(sign_note(body, [witness]), signer.verifier())


@pytest.mark.parametrize(
    "mangle",
    [
        lambda n: n.replace("\u2014", "-"),
        lambda n: n.replace("\n\n", "\n"),
        lambda n: n[:-1],
        lambda n: n.replace("\n\u2014", "\n\u2014 "),
        lambda n: n.replace(ORIGIN + " ", ORIGIN + "  "),
        lambda n: n.replace("=\n", "\n"),
        lambda n: n.replace("\n3\n", "\n03\n"),
        lambda n: n.replace("\n3\n", "\n\t3\n"),
        lambda n: n.split("\n\n")[0] + "\n\n",
        lambda n: "\xff".join(n.split("\n", 1)),
    ],
)
def test_malformed_notes_are_refused(signer: NoteSigner, mangle: object) -> None:
    note = sign_checkpoint(Checkpoint(ORIGIN, 3, bytes(32)), signer)
    assert callable(mangle)
    with pytest.raises((InvalidInput, SignatureInvalid)):
        open_checkpoint(mangle(note), signer.verifier())


def test_malformed_checkpoint_texts() -> None:
    for text in ["o\n1\n", "o\n1\nAAAA\n", "o\n-1\n" + "A" * 43 + "=\n", "o\n1\n" + "A" * 44]:
        with pytest.raises(InvalidInput):
            Checkpoint.parse_body(text)
    with pytest.raises(InvalidInput):
        Checkpoint("has space", 1, bytes(32))
    with pytest.raises(InvalidInput):
        Checkpoint(ORIGIN, 1, bytes(32), ("",))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "PeterNeumann+c74f20a3",
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumanN+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3+AhpcZQcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10",
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    ],
)
def test_malformed_verifier_keys_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        NoteVerifier.parse(text)


def test_signing_refuses_a_foreign_origin_and_bad_texts(signer: NoteSigner) -> None:
    with pytest.raises(InvalidInput, match="origin"):
        sign_checkpoint(Checkpoint("elsewhere.example", 1, bytes(32)), signer)
    for text in ["no final newline", "tab\there\n"]:
        with pytest.raises(InvalidInput):
            sign_note(text, [signer])
    with pytest.raises(InvalidInput):
        NoteSigner.parse(GO_SIGNER.replace("c74f20a3", "c74f20a4"))
