"""Build a large stored ledger fast: signed event leaves, their nodes and event rows in bulk."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from zerowaste.adapters.db.bulk import bulk_insert
from zerowaste.adapters.db.tables import events, ledger_entries, ledger_heads, ledger_nodes
from zerowaste.bootstrap import Context
from zerowaste.ledger.canonical import canonical_json
from zerowaste.ledger.merkle import leaf_hash
from zerowaste.ledger.receipts import leaf_data_of_canonical
from zerowaste.ledger.signatures import generate_private_key, public_key_bytes, sign
from zerowaste.ledger.tree import Frontier

#: Rows written per transaction.
CHUNK = 20_000
_START = datetime(2026, 1, 1, tzinfo=UTC)


def _event(n: int, organization: uuid.UUID, site: uuid.UUID) -> tuple[uuid.UUID, datetime, bytes]:
    """A `generated` event document (about 390 canonical bytes): its id, time and bytes."""
    event_id = uuid.uuid4()
    at = _START + timedelta(seconds=n)
    document = {
        "format": "zerowaste.event/1",
        "event_id": str(event_id),
        "event_type": "generated",
        "event_time": at.isoformat(),
        "organization_id": str(organization),
        "site_id": str(site),
        "outputs": [
            {
                "batch": f"urn:zerowaste:batch:{uuid.uuid4()}",
                "quantity": f"{1 + n % 97}.25",
                "unit": "TNE",
                "waste_code": "900-214-08",
            }
        ],
    }
    return event_id, at, canonical_json(document)


def build(context: Context, count: int, *, with_events: bool = True) -> None:
    """Append `count` signed event leaves to the context's (empty) log, with their event rows.

    Leaves, every node they complete and the head row are written in bulk, as the ledger's
    append writes them, so the audit and the proofs read exactly what capture would leave
    (less the projections); then one checkpoint is cut.
    """
    log_id = context.ledger.log_id
    key = generate_private_key()
    public = public_key_bytes(key)
    organization, site = uuid.uuid4(), uuid.uuid4()
    frontier = Frontier()
    recorded = datetime.now(UTC)
    for start in range(0, count, CHUNK):
        entry_rows: list[dict[str, Any]] = []
        node_rows: list[dict[str, Any]] = []
        event_rows: list[dict[str, Any]] = []
        for n in range(start, min(count, start + CHUNK)):
            event_id, at, canonical = _event(n, organization, site)
            signature = sign(key, "bench-key", canonical)
            data = leaf_data_of_canonical(canonical, signature, public)
            hashed = leaf_hash(data)
            entry_rows.append(
                {
                    "log_id": log_id,
                    "leaf_index": n,
                    "id": event_id,
                    "leaf_data": data,
                    "leaf_hash": hashed,
                    "recorded_at": recorded,
                    "organization_id": organization,
                    "signer_key_id": "bench-key",
                    "user_id": None,
                }
            )
            node_rows.extend(
                {"log_id": log_id, "level": level, "node_index": index, "hash": value}
                for level, index, value in frontier.append(hashed)
            )
            if with_events:
                event_rows.append(
                    {
                        "event_id": event_id,
                        "log_id": log_id,
                        "leaf_index": n,
                        "event_type": "generated",
                        "event_time": at,
                        "organization_id": organization,
                        "site_id": site,
                        "manifest_id": None,
                        "document": canonical,
                        "signature_key_id": signature.key_id,
                        "signature_value": signature.value,
                        "user_id": None,
                        "recorded_at": recorded,
                        "discrepancy_kg": None,
                    }
                )
        with context.unit_of_work() as uow:
            connection = uow.connection
            bulk_insert(connection, ledger_entries, entry_rows)
            bulk_insert(connection, ledger_nodes, node_rows)
            bulk_insert(connection, events, event_rows)
            connection.execute(ledger_heads.delete().where(ledger_heads.c.log_id == log_id))
            connection.execute(ledger_heads.insert().values(log_id=log_id, size=frontier.size))
            uow.commit()
    context.ledger.checkpoint()
