"""The `zerowaste.proposal/1` and `zerowaste.contract/1` documents and the terms record."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from tests.unit.test_contracts import contract, proposal_terms
from tests.unit.test_manifest_documents import issue
from zerowaste.domain.contract_documents import (
    contract_document,
    decimal_text,
    parse_contract_document,
    terms_from_record,
    terms_record,
)
from zerowaste.domain.contracts import ContractAction
from zerowaste.domain.manifest_documents import parse_manifest_document
from zerowaste.domain.proposal_documents import (
    parse_proposal_document,
    proposal_document,
    terms_fields,
)
from zerowaste.domain.proposals import ProposalAction
from zerowaste.errors import InvalidInput

AT = datetime(2026, 6, 1, 9, tzinfo=UTC)


def test_a_proposal_document_round_trips() -> None:
    terms = proposal_terms(allocation_id=uuid.uuid4(), line_no=2, note="从分配方案第 2 行")
    document = proposal_document(
        ProposalAction.PROPOSE, uuid.uuid4(), terms.supplier_id, AT, **terms_fields(terms)
    )
    command = parse_proposal_document(document)
    assert command.terms == terms
    accept = proposal_document(
        ProposalAction.ACCEPT, uuid.uuid4(), terms.buyer_id, AT, contract_id=str(uuid.uuid4())
    )
    assert parse_proposal_document(accept).contract_id is not None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"format": "zerowaste.proposal/2"}, "format"),
        ({"action": "haggle"}, "action"),
        ({"quantity_t_per_month": "lots"}, "quantity_t_per_month"),
        ({"start_on": "June"}, "start_on"),
        ({"line_no": "2"}, "line_no"),
        ({"surprise": 1}, "surprise"),
        ({"supplier_id": "x"}, "supplier_id"),
        ({"action_time": "2026-06-01T09:00:00"}, "action_time"),
    ],
)
def test_bad_proposal_documents_name_the_field(change: dict[str, Any], field: str) -> None:
    terms = proposal_terms()
    document = proposal_document(
        ProposalAction.PROPOSE, uuid.uuid4(), terms.supplier_id, AT, **terms_fields(terms)
    )
    with pytest.raises(InvalidInput) as caught:
        parse_proposal_document(document | change)
    assert caught.value.field == field


def test_accept_needs_a_contract_id_and_decline_takes_none() -> None:
    base = proposal_document(ProposalAction.ACCEPT, uuid.uuid4(), uuid.uuid4(), AT)
    with pytest.raises(InvalidInput) as caught:
        parse_proposal_document(base)
    assert caught.value.field == "contract_id"
    decline = proposal_document(ProposalAction.DECLINE, uuid.uuid4(), uuid.uuid4(), AT)
    with pytest.raises(InvalidInput) as caught:
        parse_proposal_document(decline | {"contract_id": str(uuid.uuid4())})
    assert caught.value.field == "contract_id"


def test_contract_documents_parse_strictly() -> None:
    contract_id, signer = uuid.uuid4(), uuid.uuid4()
    sign = contract_document(ContractAction.SIGN, contract_id, signer, "c" * 64, AT)
    command = parse_contract_document(sign)
    assert (command.contract_id, command.organization_id) == (contract_id, signer)
    for change, field in (
        ({"terms_digest": "C" * 64}, "terms_digest"),
        ({"reason": "x"}, "reason"),
        ({"action": "renegotiate"}, "action"),
    ):
        with pytest.raises(InvalidInput) as caught:
            parse_contract_document(sign | change)
        assert caught.value.field == field
    end = contract_document(ContractAction.TERMINATE, contract_id, signer, "c" * 64, AT)
    with pytest.raises(InvalidInput) as caught:
        parse_contract_document(end)
    assert caught.value.field == "reason"
    assert parse_contract_document(end | {"reason": "closing"}).reason == "closing"


def test_the_terms_record_round_trips_with_one_spelling_per_value() -> None:
    terms = contract().terms
    assert terms_from_record(terms_record(terms)) == terms
    assert decimal_text(Decimal("10.000")) == decimal_text(Decimal("1E+1")) == "10"
    assert decimal_text(Decimal("-0.0")) == "0"


def test_a_manifest_document_may_name_a_contract() -> None:
    contract_id = uuid.uuid4()
    command = parse_manifest_document(issue() | {"contract_id": str(contract_id)})
    assert command.terms is not None
    assert command.terms.contract_id == contract_id
    with pytest.raises(InvalidInput) as caught:
        parse_manifest_document(issue() | {"contract_id": "nope"})
    assert caught.value.field == "contract_id"
