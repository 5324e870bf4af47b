"""A Merkle log stored as leaves plus perfect-subtree hashes; roots and proofs in O(log n) reads."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

from zerowaste.errors import InvalidInput, NotFound
from zerowaste.ledger.merkle import EMPTY_ROOT, node_hash, split_point

#: `(level, index)` of a perfect subtree.
NodeKey = tuple[int, int]

#: `(level, index, hash)`: a perfect-subtree hash as stored.
Node = tuple[int, int, bytes]


class HashStore(Protocol):
    """Read access to a stored tree; the database adapter and `MemoryHashStore` implement it.

    Node `(level, index)` is the hash of the perfect subtree over leaves
    `[index * 2**level, (index + 1) * 2**level)`; level 0 holds the leaf hashes. A node is
    stored once all its leaves exist and never changes after. Any RFC 9162 subtree of a tree
    of size n is either such a node or a right-edge range `[start, n)` whose hash folds the
    O(log n) perfect subtrees tiling it; so the root of any size and the proofs for any
    (index, size) read O(log n) nodes, fetched in one `get_nodes` batch.
    """

    def leaf_count(self) -> int:
        """Return the number of leaves stored."""
        ...

    def get_node(self, level: int, index: int) -> bytes:
        """Return one stored node hash; raise `LookupError` if it is not stored."""
        ...

    def get_nodes(self, keys: Sequence[NodeKey]) -> list[bytes | None]:
        """Return the hashes of `(level, index)` keys, in order, None for any not stored."""
        ...


@runtime_checkable
class RangeHashStore(HashStore, Protocol):
    """A `HashStore` that also reads a run of consecutive nodes of one level at once."""

    def get_range(self, level: int, start: int, count: int) -> list[bytes | None]:
        """Return nodes `(level, start)` to `(level, start + count - 1)`, None for any missing."""
        ...


def tiling(start: int, end: int) -> list[NodeKey]:
    """Return the perfect subtrees, left to right and each as large as possible, tiling a range.

    For `[0, n)` these are the binary digits of n; for an RFC 9162 right-edge range they are
    the subtrees whose right fold is its hash.
    """
    keys = []
    while start < end:
        level = (end - start).bit_length() - 1
        if start:
            level = min(level, (start & -start).bit_length() - 1)
        keys.append((level, start >> level))
        start += 1 << level
    return keys


def fold(hashes: Sequence[bytes]) -> bytes:
    """Fold the tiling hashes of a right-edge range from the right into its subtree hash."""
    result = hashes[-1]
    for item in reversed(hashes[:-1]):
        result = node_hash(item, result)
    return result


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """Return the leaf ranges whose hashes form PATH(index, D[size]), leaf first (RFC 9162).

    Raises:
        InvalidInput: The index is outside the tree.
    """
    if not 0 <= index < size:
        raise InvalidInput(f"leaf index {index} is outside a tree of size {size}", field="index")
    ranges = []
    start, end = 0, size
    while end - start > 1:
        middle = start + split_point(end - start)
        if index < middle:
            ranges.append((middle, end))
            end = middle
        else:
            ranges.append((start, middle))
            start = middle
    ranges.reverse()
    return ranges


def consistency_ranges(size1: int, size2: int) -> list[tuple[int, int]]:
    """Return the leaf ranges whose hashes form PROOF(size1, D[size2]) (RFC 9162 2.1.4.1).

    Raises:
        InvalidInput: Unless 0 < size1 <= size2.
    """
    if not 0 < size1 <= size2:
        raise InvalidInput(f"no consistency proof from size {size1} to size {size2}", field="size1")
    ranges = []
    start, end, whole = 0, size2, True
    while size1 != end:
        middle = start + split_point(end - start)
        if size1 <= middle:
            ranges.append((middle, end))
            end = middle
        else:
            ranges.append((start, middle))
            start, whole = middle, False
    if not whole:
        ranges.append((start, end))
    ranges.reverse()
    return ranges


def range_hashes(store: HashStore, ranges: Sequence[tuple[int, int]], size: int) -> list[bytes]:
    """Read the hashes of RFC 9162 subtree ranges of a tree of `size` leaves in one batch.

    Raises:
        NotFound: The store holds fewer than `size` leaves.
        LookupError: The store misses a node it should hold (a damaged store).
    """
    if size > store.leaf_count():
        raise NotFound(f"the log holds {store.leaf_count()} leaves, not {size}", field="size")
    tilings = [tiling(start, end) for start, end in ranges]
    keys = sorted({key for keys in tilings for key in keys})
    found = dict(zip(keys, store.get_nodes(keys), strict=True))
    missing = [key for key, value in found.items() if value is None]
    if missing:
        raise LookupError(f"the store misses nodes {missing[:5]}")
    return [fold([found[key] or b"" for key in keys]) for keys in tilings]


def root(store: HashStore, size: int) -> bytes:
    """Return the tree head of the first `size` leaves of the store."""
    if size == 0:
        return EMPTY_ROOT
    return range_hashes(store, [(0, size)], size)[0]


def inclusion_proof(store: HashStore, index: int, size: int) -> list[bytes]:
    """Return the inclusion proof of leaf `index` in the tree of `size` leaves."""
    return range_hashes(store, inclusion_ranges(index, size), size)


def consistency_proof(store: HashStore, size1: int, size2: int) -> list[bytes]:
    """Return the proof that the tree of `size2` leaves extends the one of `size1` leaves."""
    return range_hashes(store, consistency_ranges(size1, size2), size2)


def append_leaf(store: HashStore, leaf: bytes) -> list[Node]:
    """Return the nodes that become complete when `leaf` is appended to the store.

    The first is the leaf itself at level 0; each further one joins the new subtree with its
    stored left sibling, one read per level. The caller writes them all, in the same
    transaction as the leaf's row.
    """
    index = store.leaf_count()
    nodes: list[Node] = [(0, index, leaf)]
    level, position, current = 0, index, leaf
    while position & 1:
        current = node_hash(store.get_node(level, position - 1), current)
        level, position = level + 1, position >> 1
        nodes.append((level, position, current))
    return nodes


class Frontier:
    """The perfect subtrees tiling `[0, size)`: appends and roots with no store reads.

    Load it once with `Frontier.load(store)` before appending a batch of leaves, then write
    the nodes each `append` returns.
    """

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        if len(hashes) != len(tiling(0, size)):
            raise ValueError(f"a tree of size {size} has {size.bit_count()} frontier nodes")
        self.size = size
        self._hashes = list(hashes)

    @classmethod
    def load(cls, store: HashStore, size: int | None = None) -> Frontier:
        """Read the O(log n) frontier nodes of the first `size` leaves (default: all)."""
        size = store.leaf_count() if size is None else size
        keys = tiling(0, size)
        hashes = store.get_nodes(keys)
        if any(value is None for value in hashes):
            raise LookupError(f"the store misses frontier nodes of size {size}")
        return cls(size, [value or b"" for value in hashes])

    def append(self, leaf: bytes) -> list[Node]:
        """Append a leaf hash; return the nodes it completes, the leaf first."""
        index = self.size
        nodes: list[Node] = [(0, index, leaf)]
        level, position, current = 0, index, leaf
        while position & 1:
            current = node_hash(self._hashes.pop(), current)
            level, position = level + 1, position >> 1
            nodes.append((level, position, current))
        self._hashes.append(current)
        self.size = index + 1
        return nodes

    def root(self) -> bytes:
        """Return the current tree head."""
        return fold(self._hashes) if self._hashes else EMPTY_ROOT


class MemoryHashStore:
    """A `HashStore` in lists, one per level: for tests, benchmarks and offline tools."""

    def __init__(self, leaves: Iterable[bytes] = ()) -> None:
        self._levels: list[list[bytes]] = [[]]
        self._frontier = Frontier()
        self.extend(leaves)

    def leaf_count(self) -> int:
        """Return the number of leaves stored."""
        return len(self._levels[0])

    def get_node(self, level: int, index: int) -> bytes:
        """Return one stored node hash; raise `LookupError` if it is not stored."""
        if 0 <= level < len(self._levels) and 0 <= index < len(self._levels[level]):
            return self._levels[level][index]
        raise LookupError(f"no node ({level}, {index})")

    def get_nodes(self, keys: Sequence[NodeKey]) -> list[bytes | None]:
        """Return the hashes of `(level, index)` keys, None for any not stored."""
        levels = self._levels
        return [
            levels[lv][ix] if 0 <= lv < len(levels) and 0 <= ix < len(levels[lv]) else None
            for lv, ix in keys
        ]

    def append_leaf(self, leaf: bytes) -> list[Node]:
        """Append a leaf hash, store the nodes it completes and return them."""
        nodes = self._synced_frontier().append(leaf)
        self.put_nodes(nodes)
        return nodes

    def extend(self, leaves: Iterable[bytes]) -> None:
        """Append many leaf hashes."""
        frontier = self._synced_frontier()
        for leaf in leaves:
            self.put_nodes(frontier.append(leaf))

    def _synced_frontier(self) -> Frontier:
        """The append frontier, reloaded if leaves were stored around it with `put_nodes`."""
        if self._frontier.size != self.leaf_count():
            self._frontier = Frontier.load(self)
        return self._frontier

    def put_nodes(self, nodes: Iterable[Node]) -> None:
        """Store nodes: the next one of a level is appended, an existing one overwritten."""
        levels = self._levels
        for level, index, value in nodes:
            while len(levels) <= level:
                levels.append([])
            if index == len(levels[level]):
                levels[level].append(value)
            else:
                levels[level][index] = value
