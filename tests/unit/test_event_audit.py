"""The check of event rows against their ledger leaves, without a database."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest

from zerowaste.adapters.db.event_leaves import EventColumns, LeafAndEvent
from zerowaste.adapters.exporters.qr import QUIET_ZONE, qr_matrix, qr_svg
from zerowaste.ledger.canonical import canonical_json
from zerowaste.ledger.receipts import leaf_data
from zerowaste.ledger.signatures import generate_private_key, public_key_bytes, sign_document
from zerowaste.services.event_audit import EVENT, event_row_findings

KEY = generate_private_key()


def pair(leaf_index: int = 3, *, upper: bool = False) -> LeafAndEvent:
    """A logged event and the event row that repeats it (ids in capitals if `upper`)."""
    event_id, organization, site = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    document = {
        "format": "zerowaste.event/1",
        "event_id": str(event_id),
        "event_type": "generated",
        "event_time": "2026-05-20T16:00:00+08:00",
        "organization_id": str(organization).upper() if upper else str(organization),
        "site_id": str(site),
        "outputs": [
            {
                "batch": f"urn:zerowaste:batch:{uuid.uuid4()}",
                "quantity": "1.2",
                "unit": "TNE",
                "waste_code": "900-214-08",
            }
        ],
    }
    signature = sign_document(KEY, str(uuid.uuid4()), document)
    row = EventColumns(
        event_id=event_id,
        log_id="main",
        leaf_index=leaf_index,
        event_type="generated",
        event_time=datetime.fromisoformat("2026-05-20T16:00:00+08:00"),
        organization_id=organization,
        site_id=site,
        manifest_id=None,
        document=canonical_json(document),
        signature_key_id=signature.key_id,
        signature_value=signature.value,
    )
    data = leaf_data(document, signature, public_key_bytes(KEY))
    return LeafAndEvent(leaf_index, event_id, data, row)


def findings(*pairs: LeafAndEvent, strays: tuple[EventColumns, ...] = ()) -> list[tuple[int, str]]:
    return [(f.index, f.kind) for f in event_row_findings(pairs, strays, "main")]


def test_rows_that_repeat_their_leaves_are_clean() -> None:
    assert findings(pair(0), pair(1), pair(2)) == []


def test_an_id_spelled_in_capitals_in_the_document_still_matches() -> None:
    assert findings(pair(upper=True)) == []


@pytest.mark.parametrize(
    "change",
    [
        {"document": b'{"format":"zerowaste.event/1"}'},
        {"document": b"not json"},
        {"signature_value": "A" * 86 + "=="},
        {"signature_key_id": str(uuid.uuid4())},
        {"leaf_index": 4},
        {"log_id": "other"},
        {"event_type": "stored"},
        {"event_time": datetime.fromisoformat("2026-05-20T16:00:00+08:00") + timedelta(seconds=1)},
        {"site_id": None},
        {"manifest_id": uuid.uuid4()},
    ],
)
def test_each_disagreeing_column_is_found_at_the_leaf(change: dict[str, Any]) -> None:
    good = pair()
    assert good.event is not None
    bad = dataclasses.replace(good, event=dataclasses.replace(good.event, **change))
    assert set(findings(pair(0), bad)) == {(3, EVENT)}


def test_a_logged_event_without_its_row_and_a_row_without_its_leaf() -> None:
    orphan = pair(5)
    assert orphan.event is not None
    missing = dataclasses.replace(pair(6), event=None)
    not_an_event = LeafAndEvent(7, uuid.uuid4(), canonical_json({"event": {"id": "x"}}), None)
    garbage = LeafAndEvent(8, uuid.uuid4(), b"\xff", None)
    assert findings(missing, not_an_event, garbage, strays=(orphan.event,)) == [
        (6, EVENT),
        (5, EVENT),
    ]


def test_findings_are_capped() -> None:
    many = [dataclasses.replace(pair(i), event=None) for i in range(5)]
    assert len(event_row_findings(many, [], "main", cap=3)) == 3


def test_the_svg_qr_code_is_the_payload_matrix_with_its_quiet_zone() -> None:
    payload = "https://zerowaste.example/api/v1/ledger/entries/x/receipt#leaf=1"
    matrix = qr_matrix(payload)
    assert matrix == qr_matrix(payload)
    assert matrix != qr_matrix(payload + "2")
    assert len(matrix) == len(matrix[0]) >= 21
    svg = qr_svg(payload, title='a "quoted" <title>')
    size = len(matrix) + 2 * QUIET_ZONE
    assert f'viewBox="0 0 {size} {size}"' in svg
    assert svg.count("h1v1h-1z") == sum(map(sum, matrix))
    assert "&quot;quoted&quot; &lt;title>" in svg
