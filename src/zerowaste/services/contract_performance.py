"""Contract performance from the ledger: received manifests naming the contract, lab results.

Each line of a manifest that names the contract and has been weighed at receipt is a delivery:
its accepted mass (weighed minus rejected), the day the receiver signed the receipt (China
time), the receipt's leaf index and the batch's lab composition from the batch projection.
The arithmetic is `domain.contract_performance.assess`.
"""

from __future__ import annotations

from datetime import date, timedelta, timezone

from zerowaste.adapters.db.unit_of_work import UnitOfWork
from zerowaste.domain.contract_performance import DeliveryLine, Performance, assess
from zerowaste.domain.contracts import Contract
from zerowaste.domain.manifests import Manifest, ManifestAction

#: Contract days are calendar days in China (UTC+8).
CHINA_TIME = timezone(timedelta(hours=8))
_RECEIPTS = (ManifestAction.RECEIVE, ManifestAction.REJECT)


def delivery_lines(uow: UnitOfWork, manifests: list[Manifest]) -> list[DeliveryLine]:
    """The weighed lines of received manifests, with their evidence and batch compositions."""
    received = [m for m in manifests if m.received_at is not None]
    batches = uow.events.batches_by_id(x.batch_id for m in received for x in m.terms.lines)
    out = []
    for m in received:
        assert m.received_at is not None
        leaf = next((s.leaf_index for s in m.signatures if s.action in _RECEIPTS), None)
        for line in m.terms.lines:
            accepted = line.accepted_kg
            if accepted is None:
                continue
            batch = batches.get(line.batch_id)
            out.append(
                DeliveryLine(
                    manifest_id=m.manifest_id,
                    manifest_number=m.number,
                    batch_id=line.batch_id,
                    received_on=m.received_at.astimezone(CHINA_TIME).date(),
                    accepted_kg=accepted,
                    rejected_kg=line.rejected_kg,
                    leaf_index=leaf,
                    composition=None if batch is None else batch.composition,
                )
            )
    return out


def performance_of(uow: UnitOfWork, contract: Contract, as_of: date) -> Performance:
    """The contract's performance as of a day, from the manifests that name it."""
    lines = delivery_lines(uow, uow.contracts.manifests_of(contract.contract_id))
    return assess(contract.terms, lines, as_of)
