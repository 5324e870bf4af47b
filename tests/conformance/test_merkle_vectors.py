"""The RFC 6962/9162 Merkle vectors of ../shared/conformance/merkle/ (transparency-dev/merkle)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from zerowaste.errors import ProofInvalid
from zerowaste.ledger.merkle import (
    leaf_hash,
    root_of,
    verify_consistency,
    verify_inclusion,
)
from zerowaste.ledger.tree import MemoryHashStore, consistency_proof, inclusion_proof, root

MERKLE = Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "merkle"

pytestmark = pytest.mark.skipif(
    not MERKLE.is_dir(), reason=f"conformance corpus {MERKLE} is absent (CI always has it)"
)


def cases(kind: str) -> list[Path]:
    return sorted((MERKLE / kind).rglob("*.json")) if MERKLE.is_dir() else []


def case_id(path: Path) -> str:
    return str(path.relative_to(MERKLE))


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def b64(text: str) -> bytes:
    return base64.b64decode(text)


def proof_of(case: dict[str, Any]) -> list[bytes]:
    return [b64(item) for item in case["proof"] or []]


def tree() -> tuple[list[bytes], list[bytes]]:
    """The leaf hashes of tree-roots.json and the root of every size 0..8."""
    data = load(MERKLE / "tree-roots.json")
    leaves = [leaf_hash(bytes.fromhex(item)) for item in data["leaf_inputs"]]
    return leaves, [bytes.fromhex(item) for item in data["root_hashes"]]


def test_the_corpus_has_every_case() -> None:
    assert len(cases("inclusion")) == 98
    assert len(cases("consistency")) == 98


def test_tree_roots_of_every_size() -> None:
    leaves, roots = tree()
    store = MemoryHashStore(leaves)
    for size, expected in enumerate(roots):
        assert root_of(leaves[:size]) == expected
        assert root(store, size) == expected
        assert MemoryHashStore(leaves[:size]).leaf_count() == size


@pytest.mark.parametrize("path", cases("inclusion"), ids=case_id)
def test_inclusion_case(path: Path) -> None:
    case = load(path)
    arguments = (
        case["leafIdx"],
        case["treeSize"],
        b64(case["leafHash"]),
        proof_of(case),
        b64(case["root"]),
    )
    if case["wantErr"]:
        with pytest.raises(ProofInvalid):
            verify_inclusion(*arguments)
    else:
        verify_inclusion(*arguments)


@pytest.mark.parametrize("path", cases("consistency"), ids=case_id)
def test_consistency_case(path: Path) -> None:
    case = load(path)
    arguments = (
        case["size1"],
        case["size2"],
        proof_of(case),
        b64(case["root1"]),
        b64(case["root2"]),
    )
    if case["wantErr"]:
        with pytest.raises(ProofInvalid):
            verify_consistency(*arguments)
    else:
        verify_consistency(*arguments)


def happy(kind: str) -> list[Path]:
    return [path for path in cases(kind) if path.name == "happy-path.json"]


@pytest.mark.parametrize("path", happy("inclusion"), ids=case_id)
def test_generated_inclusion_proof_equals_the_vector(path: Path) -> None:
    case = load(path)
    leaves, roots = tree()
    store = MemoryHashStore(leaves)
    index, size = case["leafIdx"], case["treeSize"]
    assert leaves[index] == b64(case["leafHash"])
    assert roots[size] == b64(case["root"])
    assert inclusion_proof(store, index, size) == proof_of(case)


@pytest.mark.parametrize("path", happy("consistency"), ids=case_id)
def test_generated_consistency_proof_equals_the_vector(path: Path) -> None:
    case = load(path)
    leaves, roots = tree()
    store = MemoryHashStore(leaves)
    size1, size2 = case["size1"], case["size2"]
    assert (roots[size1], roots[size2]) == (b64(case["root1"]), b64(case["root2"]))
    assert consistency_proof(store, size1, size2) == proof_of(case)
