"""The rule a manifest naming a contract must pass on issue or correction."""

from __future__ import annotations

from datetime import date

from zerowaste.adapters.db.unit_of_work import UnitOfWork
from zerowaste.domain.manifests import ManifestTerms
from zerowaste.errors import UnknownContract


def check_contract(uow: UnitOfWork, terms: ManifestTerms, on: date) -> None:
    """Refuse terms naming a contract that is absent, not active on `on`, or not theirs.

    The contract's supplier must be the generator, its buyer the receiver, and its waste
    cover every line's code; every refusal names the field `contract_id`.

    Raises:
        UnknownContract: No contract has the id.
        ContractNotActive: It is not signed by both, terminated, or `on` is outside its term.
        ContractMismatch: Its parties or waste are not the manifest's.
    """
    if terms.contract_id is None:
        return
    contract = uow.contracts.get(terms.contract_id)
    if contract is None:
        raise UnknownContract(f"no contract {terms.contract_id}", field="contract_id")
    contract.check_covers(
        generator_id=terms.generator_id,
        receiver_id=terms.receiver_id,
        waste_codes=tuple(x.waste_code for x in terms.lines),
        on=on,
    )
