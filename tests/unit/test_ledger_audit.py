"""Audit: recomputing the tree names the first edited, deleted or reordered row."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zerowaste.ledger.audit import CHECKPOINT, COUNT, LEAF, MISSING, NODE, audit
from zerowaste.ledger.merkle import EMPTY_ROOT, leaf_hash, root_of
from zerowaste.ledger.tree import MemoryHashStore, NodeKey


def rows(count: int) -> list[bytes]:
    return [f'{{"event":{n}}}'.encode() for n in range(count)]


def logged(data: list[bytes]) -> MemoryHashStore:
    return MemoryHashStore(leaf_hash(item) for item in data)


def heads(data: list[bytes], *sizes: int) -> list[tuple[int, bytes]]:
    return [(size, root_of([leaf_hash(item) for item in data[:size]])) for size in sizes]


def test_a_clean_log_audits_clean() -> None:
    data = rows(1000)
    report = audit(data, logged(data), heads(data, 0, 1, 500, 999, 1000), batch=64)
    assert report.ok
    assert report.first_bad_index is None
    assert (report.size, report.checkpoints_checked) == (1000, 5)
    assert report.root == root_of([leaf_hash(item) for item in data])
    hashed = audit((leaf_hash(item) for item in data), logged(data), hashed=True)
    assert hashed.ok
    assert hashed.root == report.root


def test_the_empty_log() -> None:
    report = audit([], MemoryHashStore(), [(0, EMPTY_ROOT)])
    assert report.ok
    assert report.root == EMPTY_ROOT
    assert report.checkpoints_checked == 1


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=300), st.data())
def test_an_edited_row_is_named(count: int, data: st.DataObject) -> None:
    original = rows(count)
    store = logged(original)
    edited = data.draw(st.integers(min_value=0, max_value=count - 1))
    changed = [*original]
    changed[edited] = b'{"event":"edited"}'
    report = audit(changed, store, heads(original, count), batch=16)
    assert report.first_bad_index == edited
    assert [(f.kind, f.index) for f in report.findings] == sorted(
        [(LEAF, edited), (CHECKPOINT, 0)], key=lambda pair: pair[1]
    )  # no earlier checkpoint matched: the checkpoint finding bounds the change at 0


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=2, max_value=300), st.data())
def test_a_deleted_row_is_named(count: int, data: st.DataObject) -> None:
    original = rows(count)
    deleted = data.draw(st.integers(min_value=0, max_value=count - 1))
    report = audit(original[:deleted] + original[deleted + 1 :], logged(original))
    assert report.first_bad_index == deleted
    if deleted == count - 1:
        assert [f.kind for f in report.findings] == [COUNT]
    else:  # every later row shifts: one run of bad rows up to the end
        assert [f.kind for f in report.findings] == [LEAF, COUNT]
        assert report.findings[0].detail.split(" do not")[0].endswith(f"-{count - 2}") or (
            deleted == count - 2
        )


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=2, max_value=300), st.data())
def test_reordered_rows_are_named(count: int, data: st.DataObject) -> None:
    original = rows(count)
    first = data.draw(st.integers(min_value=0, max_value=count - 2))
    second = data.draw(st.integers(min_value=first + 1, max_value=count - 1))
    swapped = [*original]
    swapped[first], swapped[second] = swapped[second], swapped[first]
    report = audit(swapped, logged(original))
    assert report.first_bad_index == first
    if second == first + 1:
        assert [f.detail for f in report.findings] == [
            f"rows {first}-{second} do not match their stored leaf hashes"
        ]
    else:
        assert [f.index for f in report.findings] == [first, second]


def test_a_tampered_interior_node_is_named_by_its_first_row() -> None:
    data = rows(64)
    store = logged(data)
    store.put_nodes([(3, 2, bytes(32))])  # covers rows 16..23
    report = audit(data, store)
    assert [(f.kind, f.index) for f in report.findings] == [(NODE, 16)]
    assert "16-23" in report.findings[0].detail


def test_a_rewritten_store_is_caught_by_the_signed_checkpoints() -> None:
    original = rows(100)
    signed = heads(original, 10, 40, 70, 100)
    rewritten = [*original]
    rewritten[55] = b'{"event":"rewritten"}'
    report = audit(rewritten, logged(rewritten), signed)
    assert [(f.kind, f.index) for f in report.findings] == [(CHECKPOINT, 40)]
    assert "rows 40-69" in report.findings[0].detail
    assert "(and 1 later ones)" in report.findings[0].detail
    assert report.first_bad_index == 40


def test_missing_nodes_and_rows_beyond_the_tree() -> None:
    data = rows(20)
    short = logged(data[:12])
    report = audit(data, short, heads(data, 20))
    assert report.ok is False
    assert [(f.kind, f.index) for f in report.findings] == [(COUNT, 12)]

    class Holey(MemoryHashStore):
        def get_nodes(self, keys: Sequence[NodeKey]) -> list[bytes | None]:
            found = super().get_nodes(keys)
            return [None if key == (1, 3) else got for key, got in zip(keys, found, strict=True)]

    holey = Holey(leaf_hash(item) for item in data)
    assert [(f.kind, f.index) for f in audit(data, holey).findings] == [(MISSING, 6)]


def test_checkpoints_beyond_the_rows_and_the_findings_cap() -> None:
    data = rows(30)
    report = audit(data[:10], None, heads(data, 5, 20, 30))
    assert [(f.kind, f.index) for f in report.findings] == [(CHECKPOINT, 10)]
    assert "2 checkpoints cover up to 30 leaves, only 10 rows" in report.findings[0].detail
    edited = audit([b"x", *data[1:10]], None, heads(data, 5, 30))
    assert [(f.kind, f.index) for f in edited.findings] == [(CHECKPOINT, 0)]
    assert "1 checkpoints cover up to 30" in edited.findings[0].detail
    garbage = [b"x%d" % n if n % 2 else item for n, item in enumerate(data)]
    capped = audit(garbage, logged(data), max_findings=4)
    assert len(capped.findings) == 4
    assert capped.truncated
    assert [f.index for f in capped.findings] == [1, 3, 5, 7]


@pytest.mark.parametrize("batch", [1, 7, 4096])
def test_batch_size_does_not_change_the_result(batch: int) -> None:
    data = rows(77)
    changed = [*data]
    changed[33] = b"{}"
    assert audit(changed, logged(data), batch=batch).first_bad_index == 33
