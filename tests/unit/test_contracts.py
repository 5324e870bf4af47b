"""Proposal and contract state machines, the template, and performance arithmetic (no database)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from zerowaste.domain.composition import Composition
from zerowaste.domain.contract_drafting import draft_terms, specs_text
from zerowaste.domain.contract_performance import DeliveryLine, SpecStatus, assess, check_specs
from zerowaste.domain.contract_template import Clause, render, standard_clauses
from zerowaste.domain.contracts import (
    Contract,
    ContractAction,
    ContractRole,
    ContractSignature,
    ContractState,
    ContractTerms,
)
from zerowaste.domain.listings import ComponentRange
from zerowaste.domain.proposals import (
    Proposal,
    ProposalAction,
    ProposalState,
    ProposalStep,
    ProposalTerms,
)
from zerowaste.errors import (
    ContractMismatch,
    ContractNotActive,
    ContractStateConflict,
    Forbidden,
    InvalidInput,
    InvalidPeriod,
    ProposalStateConflict,
    TermsDigestMismatch,
)

SUPPLIER, BUYER, OTHER = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
AT = datetime(2026, 6, 1, 9, tzinfo=UTC)
DIGEST = "a" * 64


def proposal_terms(**changes: Any) -> ProposalTerms:
    values: dict[str, Any] = {
        "supply_listing_id": uuid.uuid4(),
        "demand_listing_id": uuid.uuid4(),
        "supplier_id": SUPPLIER,
        "supplier_site_id": uuid.uuid4(),
        "buyer_id": BUYER,
        "buyer_site_id": uuid.uuid4(),
        "waste_code": "HW08",
        "quantity_t": Decimal(10),
        "price_cny_per_t": Decimal(800),
        "start_on": date(2026, 6, 15),
        "end_on": date(2026, 8, 31),
        "shortfall_penalty_cny_per_t": Decimal(50),
        "off_spec_penalty_cny_per_t": Decimal(100),
    }
    values.update(changes)
    return ProposalTerms(**values)


def step(action: ProposalAction, organization: uuid.UUID) -> ProposalStep:
    return ProposalStep(uuid.uuid4(), action, organization, AT, "key")


def signature(organization: uuid.UUID, reason: str = "", at: datetime = AT) -> ContractSignature:
    return ContractSignature(
        uuid.uuid4(), ContractAction.SIGN, ContractRole.SUPPLIER, organization, at, "k",
        reason=reason,
    )  # fmt: skip


def contract(**changes: Any) -> Contract:
    terms = draft_terms(uuid.uuid4(), proposal_terms(**changes), (), {})
    return Contract.draft(uuid.uuid4(), terms, DIGEST, "320505", "320506", AT)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"quantity_t": Decimal(0)}, "quantity_t"),
        ({"price_cny_per_t": Decimal("Infinity")}, "price_cny_per_t"),
        ({"end_on": date(2026, 6, 1)}, "end_on"),
        ({"tolerance": Decimal("1.2")}, "tolerance"),
        ({"revenue_share": Decimal("0.1")}, "beneficiary_id"),
        ({"shortfall_penalty_cny_per_t": Decimal(-1)}, "shortfall_penalty_cny_per_t"),
        ({"line_no": 3}, "line_no"),
        ({"waste_code": " "}, "waste_code"),
    ],
)
def test_bad_proposal_terms_name_the_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        proposal_terms(**changes)
    assert caught.value.field == field
    if field == "end_on":
        assert isinstance(caught.value, InvalidPeriod)


def test_the_counterparty_accepts_or_declines_and_the_proposer_withdraws() -> None:
    proposal = Proposal.propose(
        uuid.uuid4(), proposal_terms(), step(ProposalAction.PROPOSE, BUYER), "320505", "320506"
    )
    assert proposal.counterparty_id == SUPPLIER
    with pytest.raises(Forbidden):
        proposal.accept(step(ProposalAction.ACCEPT, BUYER), uuid.uuid4())
    with pytest.raises(Forbidden):
        proposal.withdraw(step(ProposalAction.WITHDRAW, SUPPLIER))
    contract_id = uuid.uuid4()
    accepted = proposal.accept(step(ProposalAction.ACCEPT, SUPPLIER), contract_id)
    assert (accepted.state, accepted.contract_id) == (ProposalState.ACCEPTED, contract_id)
    with pytest.raises(ProposalStateConflict):
        accepted.decline(step(ProposalAction.DECLINE, SUPPLIER))
    assert proposal.withdraw(step(ProposalAction.WITHDRAW, BUYER)).state is ProposalState.WITHDRAWN
    with pytest.raises(Forbidden):
        Proposal.propose(
            uuid.uuid4(), proposal_terms(), step(ProposalAction.PROPOSE, OTHER), "", ""
        )


def test_two_signatures_make_a_contract_active_then_completed_after_its_term() -> None:
    c = contract()
    with pytest.raises(TermsDigestMismatch):
        c.sign(signature(SUPPLIER), "b" * 64)
    with pytest.raises(Forbidden):
        c.sign(signature(OTHER), DIGEST)
    c = c.sign(signature(BUYER), DIGEST)
    assert c.state is ContractState.SIGNED_BY_BUYER
    assert c.signatures[0].role is ContractRole.BUYER
    with pytest.raises(ContractStateConflict):
        c.sign(signature(BUYER), DIGEST)
    c = c.sign(signature(SUPPLIER), DIGEST)
    assert c.state is ContractState.ACTIVE
    assert c.state_on(date(2026, 8, 31)) is ContractState.ACTIVE
    assert c.state_on(date(2026, 9, 1)) is ContractState.COMPLETED
    with pytest.raises(InvalidInput):
        c.terminate(signature(SUPPLIER, reason=" "), DIGEST)
    ended = c.terminate(signature(SUPPLIER, reason="closing"), DIGEST)
    assert ended.state is ContractState.TERMINATED
    assert ended.terminated_on == AT.date()
    with pytest.raises(ContractStateConflict):
        ended.terminate(signature(BUYER, reason="again"), DIGEST)
    late = datetime(2026, 9, 2, tzinfo=UTC)
    with pytest.raises(ContractStateConflict):
        c.terminate(signature(BUYER, reason="late", at=late), DIGEST)


def test_a_manifest_is_covered_by_an_active_contract_of_its_parties_and_code() -> None:
    c = contract()
    covers = {"generator_id": SUPPLIER, "receiver_id": BUYER, "waste_codes": ("900-214-08",)}
    with pytest.raises(ContractNotActive):
        c.check_covers(**covers, on=date(2026, 7, 1))
    c = c.sign(signature(BUYER), DIGEST).sign(signature(SUPPLIER), DIGEST)
    c.check_covers(**covers, on=date(2026, 7, 1))
    with pytest.raises(ContractNotActive):
        c.check_covers(**covers, on=date(2026, 6, 14))
    for changed in ({"generator_id": OTHER}, {"receiver_id": OTHER}, {"waste_codes": ("HW09",)}):
        with pytest.raises(ContractMismatch) as caught:
            c.check_covers(**(covers | changed), on=date(2026, 7, 1))  # type: ignore[arg-type]
        assert caught.value.field == "contract_id"


def test_months_are_committed_pro_rata() -> None:
    terms = contract().terms
    months = terms.months()
    assert [m[0] for m in months] == ["2026-06", "2026-07", "2026-08"]
    assert months[0][3] == Decimal(10) * 16 / 30  # June 15th to 30th
    assert months[1][3] == Decimal(10)
    assert terms.committed_total_t == Decimal(10) * 16 / 30 + 20


def test_the_template_renders_parameters_in_both_languages_and_drops_off_clauses() -> None:
    specs = (
        ComponentRange("water", None, Decimal("0.1")),
        ComponentRange("S", Decimal("0.01"), Decimal("0.02")),
    )
    extra = (
        Clause("master.hazard", "危废须规范贮存。", "Hazardous waste is stored by the rules."),
    )
    terms = draft_terms(uuid.uuid4(), proposal_terms(), specs, {"supplier": "甲厂"}, extra)
    keys = [c.key for c in terms.clauses]
    assert keys == ["parties", "subject", "specifications", "price", "term", "take_back",
                    "shortfall", "off_spec", "ledger", "master.hazard"]  # fmt: skip
    parties = terms.clauses[0]
    assert "甲厂" in parties.text_zh
    assert "甲厂" in parties.text_en
    assert "water at most 10%" in terms.clauses[2].text_en
    assert "S 在 1%～2% 之间" in terms.clauses[2].text_zh
    assert "90%" in terms.clauses[6].text_en  # the floor under a 10 % tolerance
    plain = draft_terms(uuid.uuid4(), proposal_terms(off_spec_penalty_cny_per_t=Decimal(0)), (), {})
    assert "off_spec" not in [c.key for c in plain.clauses]
    assert "specifications" not in [c.key for c in plain.clauses]
    with pytest.raises(InvalidInput) as caught:
        render({"supplier": "x"})
    assert (caught.value.field or "").startswith("template.")
    with pytest.raises(InvalidInput) as caught:
        draft_terms(uuid.uuid4(), proposal_terms(), (), {}, (Clause("price", "价", "p"),))
    assert caught.value.field == "clauses.price"
    assert specs_text(()) == ("", "")


def _line(day: int, month: int, kg: str, water: str | None, number: str = "M") -> DeliveryLine:
    composition = None
    if water is not None:
        composition = Composition((("water", Decimal(water)),), "m", "lab", date(2026, month, day))
    return DeliveryLine(
        uuid.uuid4(), number, uuid.uuid4(), date(2026, month, day), Decimal(kg),
        leaf_index=day, composition=composition,
    )  # fmt: skip


def test_performance_arithmetic_on_hand_made_deliveries() -> None:
    terms = draft_terms(
        uuid.uuid4(),
        proposal_terms(
            start_on=date(2026, 6, 1), revenue_share=Decimal("0.1"), beneficiary_id=OTHER
        ),
        (ComponentRange("water", None, Decimal("0.1")),),
        {},
    )
    deliveries = [
        _line(3, 6, "6000", "0.05", "A"),
        _line(20, 6, "4000", "0.2", "B"),  # off-spec
        _line(5, 7, "3000", None, "C"),  # no lab result
        _line(10, 5, "1000", "0.01", "D"),  # before the term: counts in June
    ]
    result = assess(terms, deliveries, as_of=date(2026, 8, 15))
    june, july, august = result.months
    assert june.delivered_t == Decimal(11)
    assert (june.shortfall_t, june.closed) == (Decimal(0), True)
    assert july.shortfall_t == Decimal(6)  # floor 9 t, 3 t delivered
    assert (august.closed, august.shortfall_t) == (False, Decimal(0))  # still running
    assert result.shortfall_penalty_cny == Decimal(300)
    assert (result.compliant_t, result.off_spec_t, result.unknown_t) == (7, 4, 3)
    assert result.off_spec_penalty_cny == Decimal(400)
    assert result.revenue_cny == Decimal(14) * 800
    assert result.revenue_share_due_cny == Decimal(1120)
    assert result.committed_to_date_t == Decimal(30)
    assert june.manifest_numbers == ("D", "A", "B")
    fee = draft_terms(uuid.uuid4(), proposal_terms(price_cny_per_t=Decimal(-300),
                      revenue_share=Decimal("0.1"), beneficiary_id=OTHER), (), {})  # fmt: skip
    assert assess(fee, deliveries, date(2026, 8, 15)).revenue_share_due_cny == 0


def test_spec_checks_report_each_limit() -> None:
    specs = (
        ComponentRange("Cu", Decimal("0.05"), None),
        ComponentRange("Pb", None, Decimal("0.01")),
    )
    measured = Composition(
        (("Cu", Decimal("0.07")), ("Pb", Decimal("0.02"))), "m", "l", date(2026, 6, 1)
    )
    status, checks = check_specs(specs, measured)
    assert status is SpecStatus.OFF_SPEC
    assert [c.status for c in checks] == [SpecStatus.COMPLIANT, SpecStatus.OFF_SPEC]
    assert check_specs(specs, None)[0] is SpecStatus.UNKNOWN
    assert check_specs((), None) == (SpecStatus.COMPLIANT, ())


def test_contract_terms_refuse_duplicate_clause_keys() -> None:
    base = contract().terms
    with pytest.raises(InvalidInput):
        ContractTerms(**{**{k: getattr(base, k) for k in ContractTerms.__slots__},
                         "clauses": (Clause("a", "x", "y"), Clause("a", "x", "y"))})  # fmt: skip


def test_standard_clauses_fill_their_parameters_under_their_own_keys() -> None:
    from dataclasses import dataclass, field

    @dataclass(frozen=True)
    class Std:
        key: str
        text_zh: str
        text_en: str
        params: dict[str, object] = field(default_factory=dict)

    (clause,) = standard_clauses(
        [Std("take_back", "{days} 日内收回。", "Taken back in {days} days.", {"days": 7})]
    )
    assert (clause.key, clause.text_zh, clause.text_en) == (
        "std.take_back", "7 日内收回。", "Taken back in 7 days.",
    )  # fmt: skip
    terms = draft_terms(uuid.uuid4(), proposal_terms(), (), {}, (clause,))
    assert terms.clauses[-1] == clause
    with pytest.raises(InvalidInput) as caught:
        standard_clauses([Std("k", "{x}", "{x}")])
    assert caught.value.field == "clauses.k"
