"""Audit: recompute a whole log from its leaves and name the first row that disagrees."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass

from zerowaste.ledger.merkle import EMPTY_ROOT
from zerowaste.ledger.tree import HashStore, NodeKey, fold

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

    def compare(self, stored: HashStore, keys: list[NodeKey], hashes: list[bytes]) -> None:
        found = stored.get_nodes(keys)
        if found == hashes:  # the usual case, compared at C speed; nothing here is secret
            return
        for (level, index), want, got in zip(keys, hashes, found, strict=True):
            if got is not None and hmac.compare_digest(want, got):
                continue
            first = index << level
            if got is None:
                self.add(first, MISSING, f"node ({level}, {index}) is not stored")
            elif level == 0:
                self.bad_leaf(index)
            elif not first <= self.last_bad_leaf < (index + 1) << level:
                last = ((index + 1) << level) - 1
                self.add(first, NODE, f"stored node ({level}, {index}) over rows {first}-{last}")

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

    The leaves are streamed once with only the O(log n) frontier in memory; every node they
    complete is compared with the stored one (read in batches through `HashStore.get_nodes`),
    and the tree head at every checkpoint's size with that checkpoint's root. Runs of bad rows
    (a deletion shifts all later ones) and of bad checkpoints are reported as one finding each;
    a node whose leaves were already reported bad is not reported again.

    Args:
        leaves: The leaf data of rows 0, 1, 2, ... (or their leaf hashes if `hashed`).
        store: The stored tree to compare node by node, if any.
        checkpoints: `(size, root)` of signed tree heads (already signature-checked).
        hashed: `leaves` holds 32-byte leaf hashes instead of leaf data.
        batch: How many nodes to compare per `get_nodes` call.
        max_findings: Keep at most this many findings.

    Returns:
        The report; `first_bad_index` is the first edited, deleted or reordered row.
    """
    sha256 = hashlib.sha256
    stored_count = store.leaf_count() if store is not None else 0
    heads = sorted(checkpoints)
    found = _Collector(max_findings)
    stack: list[bytes] = []
    keys: list[NodeKey] = []
    hashes: list[bytes] = []
    size = checked = matched = 0
    while checked < len(heads) and heads[checked][0] <= 0:
        matched = _check_head(heads[checked], 0, stack, matched, found)
        checked += 1
    for data in leaves:
        current = data if hashed else sha256(b"\x00" + data).digest()
        if size < stored_count:
            keys.append((0, size))
            hashes.append(current)
        level, position = 0, size
        while position & 1:
            current = sha256(b"\x01" + stack.pop() + current).digest()
            level, position = level + 1, position >> 1
            if ((position + 1) << level) <= stored_count:
                keys.append((level, position))
                hashes.append(current)
        stack.append(current)
        size += 1
        while checked < len(heads) and heads[checked][0] <= size:
            matched = _check_head(heads[checked], size, stack, matched, found)
            checked += 1
        if store is not None and len(keys) >= batch:
            found.compare(store, keys, hashes)
            keys, hashes = [], []
    if store is not None and keys:
        found.compare(store, keys, hashes)
    if store is not None and stored_count != size:
        found.add(
            min(stored_count, size),
            COUNT,
            f"the stored tree has {stored_count} leaves but there are {size} rows",
        )
    found.heads_beyond(size, [head_size for head_size, _ in heads[checked:]])
    return AuditReport(
        size=size,
        root=fold(stack) if stack else EMPTY_ROOT,
        checkpoints_checked=checked,
        findings=found.findings(),
        truncated=found.truncated,
    )


def _check_head(
    head: tuple[int, bytes], size: int, stack: list[bytes], matched: int, found: _Collector
) -> int:
    """Compare one checkpoint root with the recomputed head; return the last matched size."""
    head_size, head_root = head
    recomputed = fold(stack) if head_size == size and stack else EMPTY_ROOT
    if hmac.compare_digest(recomputed, head_root):
        return head_size
    found.bad_head(matched, head_size)
    return matched
