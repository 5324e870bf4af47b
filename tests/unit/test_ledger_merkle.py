"""Property tests of the Merkle tree: store-based roots and proofs against the RFC recursion."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zerowaste.errors import InvalidInput, NotFound, ProofInvalid
from zerowaste.ledger.merkle import (
    EMPTY_ROOT,
    leaf_hash,
    node_hash,
    root_from_inclusion,
    root_of,
    split_point,
    verify_consistency,
    verify_inclusion,
)
from zerowaste.ledger.tree import (
    Frontier,
    MemoryHashStore,
    NodeKey,
    append_leaf,
    consistency_proof,
    inclusion_proof,
    root,
)


def leaves_of(count: int, salt: int = 0) -> list[bytes]:
    return [leaf_hash(f"{salt}:{n}".encode()) for n in range(count)]


def reference_path(index: int, hashes: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]) of RFC 9162 section 2.1.3.1, literally."""
    if len(hashes) <= 1:
        return []
    k = split_point(len(hashes))
    if index < k:
        return [*reference_path(index, hashes[:k]), root_of(hashes[k:])]
    return [*reference_path(index - k, hashes[k:]), root_of(hashes[:k])]


def reference_subproof(m: int, hashes: Sequence[bytes], whole: bool) -> list[bytes]:
    """SUBPROOF(m, D[n], b) of RFC 9162 section 2.1.4.1, literally."""
    if m == len(hashes):
        return [] if whole else [root_of(hashes)]
    k = split_point(len(hashes))
    if m <= k:
        return [*reference_subproof(m, hashes[:k], whole), root_of(hashes[k:])]
    return [*reference_subproof(m - k, hashes[k:], False), root_of(hashes[:k])]


def flip(data: bytes, bit: int) -> bytes:
    mutated = bytearray(data)
    mutated[bit // 8 % len(data)] ^= 1 << (bit % 8)
    return bytes(mutated)


class CountingStore(MemoryHashStore):
    """Counts node reads, to show proofs cost O(log n) of them in one batch."""

    def __init__(self, leaves: Sequence[bytes]) -> None:
        super().__init__(leaves)
        self.reads = 0
        self.batches = 0

    def get_nodes(self, keys: Sequence[NodeKey]) -> list[bytes | None]:
        self.reads += len(keys)
        self.batches += 1
        return super().get_nodes(keys)


def test_hash_primitives() -> None:
    assert hashlib.sha256(b"").digest() == EMPTY_ROOT
    assert leaf_hash(b"x") == hashlib.sha256(b"\x00x").digest()
    assert node_hash(b"a", b"b") == hashlib.sha256(b"\x01ab").digest()
    assert [split_point(n) for n in (2, 3, 4, 5, 8, 9)] == [1, 2, 2, 4, 4, 8]


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=300), st.integers(min_value=0, max_value=9))
def test_store_root_equals_the_recursive_root_for_every_size(count: int, salt: int) -> None:
    hashes = leaves_of(count, salt)
    store = MemoryHashStore(hashes)
    for size in range(count + 1):
        assert root(store, size) == root_of(hashes[:size])
    assert Frontier.load(store).root() == root_of(hashes)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=70), st.data())
def test_every_inclusion_proof_verifies_and_any_bit_flip_fails(
    count: int, data: st.DataObject
) -> None:
    hashes = leaves_of(count)
    store = MemoryHashStore(hashes)
    size = data.draw(st.integers(min_value=1, max_value=count), label="size")
    head = root_of(hashes[:size])
    for index in range(size):
        proof = inclusion_proof(store, index, size)
        assert proof == reference_path(index, hashes[:size])
        verify_inclusion(index, size, hashes[index], proof, head)
    index = data.draw(st.integers(min_value=0, max_value=size - 1), label="index")
    proof = inclusion_proof(store, index, size)
    bit = data.draw(st.integers(min_value=0, max_value=255), label="bit")
    for position in range(len(proof)):
        mutated = [*proof]
        mutated[position] = flip(proof[position], bit)
        with pytest.raises(ProofInvalid):
            verify_inclusion(index, size, hashes[index], mutated, head)
    for leaf, root_hash in ((flip(hashes[index], bit), head), (hashes[index], flip(head, bit))):
        with pytest.raises(ProofInvalid):
            verify_inclusion(index, size, leaf, proof, root_hash)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=40))
def test_wrong_positions_and_shapes_fail(size: int) -> None:
    hashes = leaves_of(size)
    store = MemoryHashStore(hashes)
    head = root_of(hashes)
    for index in range(size):
        proof = inclusion_proof(store, index, size)
        for other in {index ^ 1, index + 1, index - 1, size} - {index}:
            if 0 <= other < size and hashes[other] == hashes[index]:
                continue
            with pytest.raises(ProofInvalid):
                verify_inclusion(other, size, hashes[index], proof, head)
        with pytest.raises(ProofInvalid):
            verify_inclusion(index, size, hashes[index], [*proof, head], head)
        if proof:
            with pytest.raises(ProofInvalid):
                verify_inclusion(index, size, hashes[index], proof[:-1], head)
            with pytest.raises(ProofInvalid):
                verify_inclusion(index, size, hashes[index], [proof[0][:31], *proof[1:]], head)


@settings(max_examples=80, deadline=None)
@given(st.integers(min_value=1, max_value=200), st.data())
def test_consistency_between_random_sizes(size2: int, data: st.DataObject) -> None:
    hashes = leaves_of(size2)
    store = MemoryHashStore(hashes)
    size1 = data.draw(st.integers(min_value=1, max_value=size2), label="size1")
    root1, root2 = root_of(hashes[:size1]), root_of(hashes)
    proof = consistency_proof(store, size1, size2)
    assert proof == reference_subproof(size1, hashes, True)
    verify_consistency(size1, size2, proof, root1, root2)
    bit = data.draw(st.integers(min_value=0, max_value=255), label="bit")
    for position in range(len(proof)):
        mutated = [*proof]
        mutated[position] = flip(proof[position], bit)
        with pytest.raises(ProofInvalid):
            verify_consistency(size1, size2, mutated, root1, root2)
    with pytest.raises(ProofInvalid):
        verify_consistency(size1, size2, proof, flip(root1, bit), root2)
    with pytest.raises(ProofInvalid):
        verify_consistency(size1, size2, proof, root1, flip(root2, bit))
    if size1 < size2:
        with pytest.raises(ProofInvalid):
            verify_consistency(size1, size2, [*proof, root2], root1, root2)
        with pytest.raises(ProofInvalid):
            verify_consistency(size1, size2, proof[:-1], root1, root2)


def test_consistency_policies() -> None:
    hashes = leaves_of(5)
    with pytest.raises(ProofInvalid):
        verify_consistency(0, 5, [], EMPTY_ROOT, root_of(hashes))
    with pytest.raises(ProofInvalid):
        verify_consistency(5, 4, [], root_of(hashes), root_of(hashes[:4]))
    verify_consistency(5, 5, [], root_of(hashes), root_of(hashes))
    with pytest.raises(InvalidInput, match="no consistency proof"):
        consistency_proof(MemoryHashStore(hashes), 0, 5)


@given(st.integers(min_value=0, max_value=1100))
def test_append_leaf_completes_the_right_nodes(count: int) -> None:
    hashes = leaves_of(count + 1)
    store = MemoryHashStore(hashes[:count])
    nodes = append_leaf(store, hashes[count])
    ones = (count ^ (count + 1)).bit_length() - 1  # trailing one bits of the index
    assert [(level, index) for level, index, _ in nodes] == [
        (level, count >> level) for level in range(ones + 1)
    ]
    for level, index, value in nodes:
        assert value == root_of(hashes[index << level : (index + 1) << level])
    assert store.append_leaf(hashes[count]) == nodes


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=2, max_value=5000), st.data())
def test_proofs_read_logarithmically_many_nodes_in_one_batch(
    size: int, data: st.DataObject
) -> None:
    store = CountingStore(leaves_of(size))
    bound = 2 * size.bit_length() + 1
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    inclusion_proof(store, index, size)
    size1 = data.draw(st.integers(min_value=1, max_value=size))
    consistency_proof(store, size1, size)
    root(store, size)
    assert store.batches == 3
    assert store.reads <= 3 * bound


def test_root_from_inclusion_refuses_bad_shapes() -> None:
    hashes = leaves_of(3)
    with pytest.raises(ProofInvalid, match="outside"):
        root_from_inclusion(3, 3, hashes[0], [])
    with pytest.raises(ProofInvalid, match="32 bytes"):
        root_from_inclusion(0, 1, b"short", [])
    with pytest.raises(NotFound):
        inclusion_proof(MemoryHashStore(hashes), 0, 4)
    with pytest.raises(InvalidInput, match="outside"):
        inclusion_proof(MemoryHashStore(hashes), 3, 3)


def test_frontier_batches_match_single_appends() -> None:
    hashes = leaves_of(77)
    one_by_one = MemoryHashStore()
    for value in hashes:
        append_leaf_nodes = append_leaf(one_by_one, value)
        one_by_one.put_nodes(append_leaf_nodes)
    frontier = Frontier.load(MemoryHashStore(hashes[:40]))
    produced = [node for value in hashes[40:] for node in frontier.append(value)]
    assert frontier.root() == root_of(hashes) == root(one_by_one, 77)
    for level, index, value in produced:
        assert one_by_one.get_node(level, index) == value
    with pytest.raises(ValueError, match="frontier"):
        Frontier(3, [hashes[0]])
