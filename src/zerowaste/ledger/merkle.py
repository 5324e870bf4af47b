"""RFC 9162 Merkle tree hashes and the verification of inclusion and consistency proofs."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

from zerowaste.errors import ProofInvalid

HASH_SIZE = 32
_sha256 = hashlib.sha256

#: The root of the empty tree: SHA-256 of the empty string (RFC 9162 section 2.1.1).
EMPTY_ROOT = _sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    """Return the leaf hash `SHA-256(0x00 || data)`."""
    return _sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return the interior node hash `SHA-256(0x01 || left || right)`."""
    return _sha256(b"\x01" + left + right).digest()


def split_point(size: int) -> int:
    """Return the largest power of two strictly below `size` (`size` >= 2)."""
    return 1 << ((size - 1).bit_length() - 1)


def root_of(leaf_hashes: Sequence[bytes]) -> bytes:
    """Return the tree head of the given leaf hashes by the recursive definition.

    This is the reference algorithm (O(n) work, O(log n) stack): use it for tests and small
    trees; stored trees use `zerowaste.ledger.tree.root`.
    """
    if not leaf_hashes:
        return EMPTY_ROOT
    if len(leaf_hashes) == 1:
        return leaf_hashes[0]
    k = split_point(len(leaf_hashes))
    return node_hash(root_of(leaf_hashes[:k]), root_of(leaf_hashes[k:]))


def _check_hashes(proof: Sequence[bytes], what: str) -> None:
    for position, item in enumerate(proof):
        if len(item) != HASH_SIZE:
            raise ProofInvalid(
                f"{what}[{position}] is {len(item)} bytes; hashes are {HASH_SIZE} bytes",
                field=f"{what}[{position}]",
            )


def root_from_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """Recompute the root from a leaf hash and its audit path (RFC 9162 section 2.1.3.2).

    Raises:
        ProofInvalid: The index is outside the tree, a hash is not 32 bytes, or the proof
            has the wrong number of elements for (index, size).
    """
    if not 0 <= index < size:
        raise ProofInvalid(f"leaf index {index} is outside a tree of size {size}", field="index")
    if len(leaf) != HASH_SIZE:
        raise ProofInvalid(
            f"the leaf hash is {len(leaf)} bytes; hashes are 32 bytes", field="leaf_hash"
        )
    _check_hashes(proof, "proof")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise ProofInvalid("the proof is longer than the path to the root", field="proof")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofInvalid("the proof is shorter than the path to the root", field="proof")
    return r


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that `leaf` is leaf number `index` of the tree of `size` leaves with `root`.

    Raises:
        ProofInvalid: The proof is malformed or leads to another root.
    """
    computed = root_from_inclusion(index, size, leaf, proof)
    if not hmac.compare_digest(computed, root):
        raise ProofInvalid("the inclusion proof leads to another root", field="root")


def verify_consistency(
    size1: int, size2: int, proof: Sequence[bytes], root1: bytes, root2: bytes
) -> None:
    """Check that the tree (size2, root2) extends the tree (size1, root1) (RFC 9162 2.1.4.2).

    Policies: a proof from size 0 is an error (every tree extends the empty one, so such a
    proof proves nothing and is refused as a likely mistake); equal sizes need an empty proof
    and equal roots; every proof hash must be 32 bytes.

    Raises:
        ProofInvalid: The sizes are out of order or zero, or the proof does not verify.
    """
    if size1 < 0 or size2 < 0:
        raise ProofInvalid("tree sizes are never negative", field="size1")
    if size1 > size2:
        raise ProofInvalid(f"size1 {size1} is larger than size2 {size2}", field="size1")
    if size1 == 0:
        raise ProofInvalid("a consistency proof from the empty tree is refused", field="size1")
    if size1 == size2:
        if proof:
            raise ProofInvalid("equal sizes need an empty proof", field="proof")
        if not hmac.compare_digest(root1, root2):
            raise ProofInvalid("equal sizes but different roots", field="root2")
        return
    if not proof:
        raise ProofInvalid("empty proof between different sizes", field="proof")
    _check_hashes(proof, "proof")
    path = list(proof)
    if size1 & (size1 - 1) == 0:  # size1 is a power of two: its root is a node of tree 2
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofInvalid("the proof is longer than needed", field="proof")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofInvalid("the proof is shorter than needed", field="proof")
    if not hmac.compare_digest(fr, root1):
        raise ProofInvalid("the proof does not lead to root1", field="root1")
    if not hmac.compare_digest(sr, root2):
        raise ProofInvalid("the proof does not lead to root2", field="root2")
