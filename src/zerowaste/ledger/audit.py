"""Audit: recompute a whole log from its leaves and name the first row that disagrees."""

from __future__ import annotations

import bisect
import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice

from zerowaste.ledger.merkle import EMPTY_ROOT
from zerowaste.ledger.tree import HashStore, NodeKey, RangeHashStore, fold

#: Finding kinds.
LEAF = "leaf"  # the stored leaf hash differs from the row's recomputed one
NODE = "node"  # a stored interior node differs while the leaves under it agree
MISSING = "missing"  # a node the rows imply is not stored
COUNT = "count"  # the stored tree and the rows have different sizes
CHECKPOINT = "checkpoint"  # a signed tree head does not match the rows


@dataclass(frozen=True)
class Finding:
    """One disagreement: `index` is the first leaf (row) it concerns."""

    index: int
    kind: str
    detail: str


@dataclass(frozen=True)
class AuditReport:
    """The outcome of `audit`: the recomputed tree head and what disagreed.

    Attributes:
        size: The number of leaves recomputed.
        root: The recomputed tree head of all of them.
        checkpoints_checked: How many checkpoint roots were compared.
        findings: The disagreements, in the order found (at most `max_findings`).
        truncated: True if more findings were dropped.
    """

    size: int
    root: bytes
    checkpoints_checked: int
    findings: tuple[Finding, ...]
    truncated: bool = False

    @property
    def ok(self) -> bool:
        """True if nothing disagreed."""
        return not self.findings

    @property
    def first_bad_index(self) -> int | None:
        """The first row found bad, or None.

        Row, node and count findings name rows exactly; a checkpoint finding only bounds the
        change from below, and is used when it is all there is (a store rewritten to match).
        """
        exact = [f.index for f in self.findings if f.kind != CHECKPOINT]
        return min(exact or [f.index for f in self.findings], default=None)


class _Collector:
    """Findings up to a cap; runs of bad rows and of bad checkpoints are merged into one each."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.items: list[Finding] = []
        self.truncated = False
        self.last_bad_leaf = -1
        self._run: int | None = None  # position in items of the open run of bad rows
        self._heads: int | None = None  # position in items of the first bad checkpoint
        self._later_heads = 0
        self._runs: list[list[int]] = []  # [first, last] of each run of bad rows, in order
        self._run_starts: list[int] = []

    def add(self, index: int, kind: str, detail: str) -> None:
        if len(self.items) < self.cap or kind in (COUNT, CHECKPOINT):  # at most one each
            self.items.append(Finding(index, kind, detail))
        else:
            self.truncated = True

    def bad_leaf(self, index: int) -> None:
        if self._run is not None and index == self.last_bad_leaf + 1:
            first = self.items[self._run].index
            detail = f"rows {first}-{index} do not match their stored leaf hashes"
            self.items[self._run] = Finding(first, LEAF, detail)
        elif len(self.items) < self.cap:
            self.items.append(Finding(index, LEAF, f"row {index} does not match its leaf hash"))
            self._run = len(self.items) - 1
        else:
            self._run = None
            self.truncated = True
        self.last_bad_leaf = index

    def bad_head(self, matched: int, size: int) -> None:
        if self._heads is None:
            self.add(
                matched,
                CHECKPOINT,
                f"the rows' root at size {size} differs from the signed checkpoint; "
                f"the change lies in rows {matched}-{size - 1}",
            )
            self._heads = len(self.items) - 1
            return
        self._later_heads += 1
        first = self.items[self._heads]
        detail = first.detail.split(" (and ")[0] + f" (and {self._later_heads} later ones)"
        self.items[self._heads] = Finding(first.index, CHECKPOINT, detail)

    def heads_beyond(self, size: int, sizes: list[int]) -> None:
        if sizes:
            detail = f"{len(sizes)} checkpoints cover up to {max(sizes)} leaves, only {size} rows"
            if self._heads is None:
                self.add(size, CHECKPOINT, detail)
            else:
                first = self.items[self._heads]
                self.items[self._heads] = Finding(
                    first.index, CHECKPOINT, f"{first.detail}; {detail}"
                )

    def nodes(self, keys: list[NodeKey], want: list[bytes], got: list[bytes | None]) -> None:
        """Report the nodes whose stored hash differs from the recomputed one, lowest row first.

        Level-0 mismatches are bad rows; they are noted before any interior node is judged, so
        a node over a bad row is not reported again. `keys` run level by level.
        """
        bad: list[tuple[int, int, NodeKey, bool]] = []  # (first row, kind order, key, stored)
        for key, mine, stored in zip(keys, want, got, strict=True):
            if stored is not None and hmac.compare_digest(mine, stored):
                continue
            level, index = key
            if stored is not None and level == 0:
                self._note_bad_leaf(index)
                bad.append((index, 0, key, True))
            else:
                bad.append(
                    (index << level, 1 if stored is not None else 2, key, stored is not None)
                )
        for first, _, (level, index), is_stored in sorted(bad):
            if not is_stored:
                self.add(first, MISSING, f"node ({level}, {index}) is not stored")
            elif level == 0:
                self.bad_leaf(index)
            elif not self._over_bad_leaf(first, ((index + 1) << level) - 1):
                last = ((index + 1) << level) - 1
                self.add(first, NODE, f"stored node ({level}, {index}) over rows {first}-{last}")

    def _note_bad_leaf(self, index: int) -> None:
        """Remember a bad row in the runs of bad rows (for `_over_bad_leaf`)."""
        if self._runs and self._runs[-1][1] == index - 1:
            self._runs[-1][1] = index
        elif not self._runs or self._runs[-1][1] < index:
            self._runs.append([index, index])
            self._run_starts.append(index)
        else:  # out of order (not the audit's own order): keep the runs sorted
            position = bisect.bisect_right(self._run_starts, index)
            self._runs.insert(position, [index, index])
            self._run_starts.insert(position, index)

    def _over_bad_leaf(self, first: int, last: int) -> bool:
        """Whether a bad row lies in `[first, last]`."""
        position = bisect.bisect_right(self._run_starts, last) - 1
        return position >= 0 and self._runs[position][1] >= first

    def findings(self) -> tuple[Finding, ...]:
        return tuple(sorted(self.items, key=lambda f: (f.index, _ORDER.index(f.kind))))


_ORDER = [LEAF, NODE, MISSING, COUNT, CHECKPOINT]


def audit(
    leaves: Iterable[bytes],
    store: HashStore | None = None,
    checkpoints: Iterable[tuple[int, bytes]] = (),
    *,
    hashed: bool = False,
    batch: int = 8192,
    max_findings: int = 100,
) -> AuditReport:
    """Recompute the tree from every leaf, in index order, and compare.

    The leaves are streamed once, in blocks of `batch` (rounded down to a power of two), with
    only one block and the O(log n) frontier in memory. Each block's perfect subtrees are
    hashed level by level and compared with the stored nodes level by level (one range read
    each through `RangeHashStore.get_range` when the store has it, else `get_nodes`); the
    nodes above the blocks as they complete; and the tree head at every checkpoint's size with
    that checkpoint's root. Runs of bad rows (a deletion shifts all later ones) and of bad
    checkpoints are reported as one finding each; a node whose leaves are bad is not reported
    again.

    Args:
        leaves: The leaf data of rows 0, 1, 2, ... (or their leaf hashes if `hashed`).
        store: The stored tree to compare node by node, if any.
        checkpoints: `(size, root)` of signed tree heads (already signature-checked).
        hashed: `leaves` holds 32-byte leaf hashes instead of leaf data.
        batch: How many leaves to recompute and compare per block.
        max_findings: Keep at most this many findings.

    Returns:
        The report; `first_bad_index` is the first edited, deleted or reordered row.
    """
    sha256 = hashlib.sha256
    found = _Collector(max_findings)
    tree = _Recomputed(store, sorted(checkpoints), found)
    block = 1 << (max(batch, 1).bit_length() - 1)
    stream = iter(leaves)
    while items := list(islice(stream, block)):
        tree.add_block(items if hashed else [sha256(b"\x00" + data).digest() for data in items])
        if len(items) < block:
            break
    if store is not None and tree.stored_count != tree.size:
        found.add(
            min(tree.stored_count, tree.size),
            COUNT,
            f"the stored tree has {tree.stored_count} leaves but there are {tree.size} rows",
        )
    found.heads_beyond(tree.size, [size for size, _ in tree.heads[tree.checked :]])
    return AuditReport(
        size=tree.size,
        root=fold(tree.stack) if tree.stack else EMPTY_ROOT,
        checkpoints_checked=tree.checked,
        findings=found.findings(),
        truncated=found.truncated,
    )


class _Recomputed:
    """The tree recomputed block by block: its frontier, its size and the heads checked."""

    def __init__(
        self, store: HashStore | None, heads: list[tuple[int, bytes]], found: _Collector
    ) -> None:
        self.store = store
        self.stored_count = store.leaf_count() if store is not None else 0
        self.heads = heads
        self.found = found
        self.stack: list[bytes] = []  # the perfect subtrees tiling [0, size), left to right
        self.size = self.checked = self.matched = 0
        while self.checked < len(heads) and heads[self.checked][0] <= 0:
            self._check_head(EMPTY_ROOT)

    def add_block(self, level0: list[bytes]) -> None:
        """Add the next leaf hashes (a full block, or the last one) and compare their nodes.

        Every block but the last holds a power of two of leaves, so each starts on a
        boundary of its own size and its perfect subtrees are whole levels of a list.
        """
        sha256 = hashlib.sha256
        start, count = self.size, len(level0)
        levels = [level0]
        current = level0
        while len(current) > 1:
            pairs = iter(current)  # an odd last one is left for the next block or the frontier
            current = [
                sha256(b"\x01" + left + right).digest()
                for left, right in zip(pairs, pairs, strict=False)
            ]
            levels.append(current)
        if self.store is not None:
            for level, hashes in enumerate(levels):
                first = start >> level
                wanted = min(len(hashes), (self.stored_count >> level) - first)
                if wanted > 0:
                    self._compare_range(
                        level, first, hashes if wanted == len(hashes) else hashes[:wanted]
                    )
        end = start + count
        while self.checked < len(self.heads) and self.heads[self.checked][0] <= end:
            within = self.heads[self.checked][0] - start
            self._check_head(fold(self.stack + _tiling_of(levels, within)))
        if count & (count - 1) == 0 and not start & (count - 1):  # a whole block
            self._push(len(levels) - 1, start >> (len(levels) - 1), levels[-1][0])
        else:
            self.stack += _tiling_of(levels, count)
        self.size = end

    def _push(self, level: int, position: int, current: bytes) -> None:
        """Push a block's root on the frontier, joining it with its left siblings."""
        keys: list[NodeKey] = []
        hashes: list[bytes] = []
        while position & 1:
            current = hashlib.sha256(b"\x01" + self.stack.pop() + current).digest()
            level, position = level + 1, position >> 1
            if ((position + 1) << level) <= self.stored_count:
                keys.append((level, position))
                hashes.append(current)
        self.stack.append(current)
        if self.store is not None and keys:
            got = self.store.get_nodes(keys)
            if got != hashes:
                self.found.nodes(keys, hashes, got)

    def _compare_range(self, level: int, first: int, hashes: list[bytes]) -> None:
        """Compare recomputed nodes `first, first + 1, ...` of a level with the stored ones."""
        assert self.store is not None
        if isinstance(self.store, RangeHashStore):
            got = self.store.get_range(level, first, len(hashes))
        else:
            got = self.store.get_nodes([(level, first + n) for n in range(len(hashes))])
        if got != hashes:  # the usual case, compared at C speed; nothing here is secret
            keys = [(level, first + n) for n in range(len(hashes))]
            self.found.nodes(keys, hashes, got)

    def _check_head(self, recomputed: bytes) -> None:
        """Compare the next checkpoint root with the recomputed head at its size."""
        head_size, head_root = self.heads[self.checked]
        self.checked += 1
        if hmac.compare_digest(recomputed, head_root):
            self.matched = head_size
        else:
            self.found.bad_head(self.matched, head_size)


def _tiling_of(levels: Sequence[list[bytes]], count: int) -> list[bytes]:
    """The perfect subtrees tiling the first `count` leaves of a block, left to right."""
    return [
        levels[level][(count >> level) - 1]
        for level in range(count.bit_length() - 1, -1, -1)
        if count >> level & 1
    ]
