"""The detectors on hand-built facts: each rule fires on its breach and not on the honest case."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from zerowaste.adapters.db.fact_reader import batch_of, quantity_of
from zerowaste.domain.permits import Permit, PermitActivity, PermitKind
from zerowaste.oversight import detect_records, detect_reporting, detect_storage
from zerowaste.oversight import detect_transfers as transfers
from zerowaste.oversight.detect_common import kg_text, never_exempt, pct_text
from zerowaste.oversight.facts import (
    ApprovalFact,
    Generation,
    HeldBatch,
    InspectionLine,
    Receipt,
    SignedEvent,
    TimedEvent,
    Transfer,
    Transformation,
)
from zerowaste.oversight.findings import Finding
from zerowaste.oversight.rules import RuleSettings, Stage, rule

AS_OF = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
ORG, SITE, OTHER = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
SETTINGS = RuleSettings()


def _explained(finding: Finding) -> None:
    """Every placeholder of both templates is filled."""
    zh, en = finding.explanation()
    assert "{" not in zh
    assert "{" not in en
    assert rule(finding.rule_id).rule_id == finding.rule_id


def _held(days: int, code: str = "900-041-49", moves: int = 1) -> HeldBatch:
    since = AS_OF - timedelta(days=days)
    return HeldBatch(
        uuid.uuid4(),
        code,
        ORG,
        SITE,
        Decimal("120.50"),
        since,
        since,
        since,
        moves,
        moves > 0,
        (uuid.uuid4(),),
    )


def test_storage_rules_split_at_the_warning_and_the_limit() -> None:
    batches = [_held(400), _held(320), _held(100), _held(400, code="SW17")]
    over = detect_storage.over_storage(batches, SETTINGS, AS_OF, never_exempt)
    near = detect_storage.storage_nearing_limit(batches, SETTINGS, AS_OF, never_exempt)
    assert [f.batch_ids for f in over] == [(batches[0].batch_id,)]
    assert [f.batch_ids for f in near] == [(batches[1].batch_id,)]
    assert over[0].subject == f"batch:{batches[0].batch_id}"
    assert over[0].figures["stored_days"] == "400"
    assert over[0].figures["since"] == "2025-10-28"  # China's calendar: 16:00 UTC is midnight
    assert over[0].event_ids == batches[0].event_ids
    for finding in over + near:
        _explained(finding)


def test_an_exemption_of_the_storage_stage_raises_nothing() -> None:
    def exempt(code: str, stage: Stage, on: date) -> bool:
        return stage is Stage.STORAGE

    assert detect_storage.over_storage([_held(400)], SETTINGS, AS_OF, exempt) == []


def test_a_batch_with_no_event_since_its_generation_has_vanished() -> None:
    silent, moved, young = _held(200, moves=0), _held(200, moves=1), _held(30, moves=0)
    found = detect_storage.vanished_batch([silent, moved, young], SETTINGS, AS_OF)
    assert [f.subject for f in found] == [f"batch:{silent.batch_id}"]
    assert found[0].figures["mass_kg"] == "120.5"
    _explained(found[0])


def _permit(
    kind: PermitKind,
    codes: tuple[str, ...],
    until: date,
    capacity: str = "100",
    activities: frozenset[PermitActivity] | None = None,
) -> Permit:
    acts = activities or (
        frozenset({PermitActivity.TRANSPORT})
        if kind is PermitKind.DANGEROUS_GOODS_TRANSPORT
        else frozenset({PermitActivity.UTILIZE, PermitActivity.STORE})
    )
    return Permit(
        uuid.uuid4(),
        OTHER,
        None,
        kind,
        "L-1",
        acts,
        codes,
        Decimal(capacity),
        date(2021, 1, 1),
        until,
        "",
    )


def _receipt(received: str, gap: str, code: str = "900-041-49", when: datetime = AS_OF) -> Receipt:
    return Receipt(
        uuid.uuid4(),
        uuid.uuid4(),
        ORG,
        OTHER,
        SITE,
        when,
        uuid.uuid4(),
        code,
        Decimal(received),
        Decimal(gap),
        "utilize",
    )


def test_a_receipt_under_a_lapsed_or_narrow_licence_is_not_permitted() -> None:
    ok = _receipt("1000", "0")
    lapsed, narrow = _receipt("1000", "0"), _receipt("1000", "0", code="900-249-08")
    general = _receipt("1000", "0", code="SW17")
    good = {OTHER: [_permit(PermitKind.HAZARDOUS_WASTE_BUSINESS, ("HW49",), date(2030, 1, 1))]}
    old = {OTHER: [_permit(PermitKind.HAZARDOUS_WASTE_BUSINESS, ("HW49",), date(2026, 6, 1))]}
    assert transfers.receiver_not_permitted([ok, general], good, never_exempt) == []
    found = transfers.receiver_not_permitted([narrow], good, never_exempt)
    assert found[0].figures["reason"] == "no licence in force covers 900-249-08"
    found += transfers.receiver_not_permitted([lapsed], old, never_exempt)
    assert [f.subject for f in found] == [f"event:{narrow.event_id}", f"event:{lapsed.event_id}"]
    assert found[1].organization_id == OTHER
    for finding in found:
        _explained(finding)


def test_receipts_beyond_the_licensed_tonnes_of_the_year() -> None:
    permits = {
        OTHER: [
            _permit(PermitKind.HAZARDOUS_WASTE_BUSINESS, ("HW49",), date(2030, 1, 1), capacity="2")
        ]
    }
    below = [_receipt("900", "0"), _receipt("900", "0")]
    assert transfers.receiver_over_capacity(below, permits) == []
    found = transfers.receiver_over_capacity([*below, _receipt("900", "0")], permits)
    assert found[0].subject == f"receiver:{OTHER}:2026"
    assert found[0].figures == {"year": "2026", "received_t": "2.7", "capacity_t": "2"}
    assert len(found[0].event_ids) == 3
    _explained(found[0])


def test_a_weight_gap_beyond_the_tolerance_names_the_shipper() -> None:
    honest, short = _receipt("990", "-10"), _receipt("900", "-100")
    found = transfers.weight_gap([honest, short], SETTINGS)
    assert [f.subject for f in found] == [f"manifest:{short.manifest_id}"]
    assert found[0].organization_id == ORG
    assert found[0].figures == {
        "shipped_kg": "1000",
        "received_kg": "900",
        "gap_pct": "10.0",
        "tolerance_pct": "2.0",
    }
    _explained(found[0])


def _transfer(
    days: int,
    state: str = "in_transit",
    origin: str = "320505",
    destination: str = "320583",
    approval: uuid.UUID | None = None,
    code: str = "900-041-49",
) -> Transfer:
    return Transfer(
        uuid.uuid4(),
        "M-1",
        state,
        ORG,
        OTHER,
        approval,
        origin,
        destination,
        AS_OF - timedelta(days=days),
        SITE,
        Decimal(10),
        (code,),
        (OTHER,),
        (uuid.uuid4(),),
        (uuid.uuid4(),),
    )


def test_a_manifest_on_the_road_past_the_limit_is_overdue() -> None:
    late, recent, closed = _transfer(10), _transfer(3), _transfer(30, state="closed")
    found = transfers.overdue_in_transit([late, recent, closed], SETTINGS, AS_OF)
    assert [f.manifest_id for f in found] == [late.manifest_id]
    assert found[0].figures["transit_days"] == "10"
    assert found[0].observed_at == AS_OF
    _explained(found[0])


def test_cross_province_transfers_need_an_approval_that_covers_them() -> None:
    approved = ApprovalFact(
        uuid.uuid4(),
        "A-1",
        "approved",
        Decimal(100),
        Decimal(50),
        date(2026, 1, 1),
        date(2026, 12, 31),
    )
    drawn = ApprovalFact(
        uuid.uuid4(),
        "A-2",
        "approved",
        Decimal(100),
        Decimal(150),
        date(2026, 1, 1),
        date(2026, 12, 31),
    )
    approvals = {a.approval_id: a for a in (approved, drawn)}
    fine = _transfer(3, destination="330411", approval=approved.approval_id)
    none = _transfer(3, destination="330411")
    over = _transfer(3, destination="330411", approval=drawn.approval_id)
    local = _transfer(3)
    general = _transfer(3, destination="330411", code="SW17")
    found = transfers.cross_province_unapproved(
        [fine, none, over, local, general], approvals, never_exempt
    )
    assert [f.manifest_id for f in found] == [none.manifest_id, over.manifest_id]
    assert found[0].figures["reason"] == "no cross-province approval"
    assert "beyond its cap" in found[1].figures["reason"]
    for finding in found:
        _explained(finding)


def test_a_carrier_without_a_transport_licence_on_the_day() -> None:
    carried = _transfer(3)
    licensed = {OTHER: [_permit(PermitKind.DANGEROUS_GOODS_TRANSPORT, (), date(2030, 1, 1))]}
    lapsed = {OTHER: [_permit(PermitKind.DANGEROUS_GOODS_TRANSPORT, (), date(2026, 1, 1))]}
    assert transfers.transporter_unlicensed([carried], licensed, never_exempt) == []
    found = transfers.transporter_unlicensed([carried], lapsed, never_exempt)
    assert found[0].organization_id == OTHER
    assert transfers.transporter_unlicensed([_transfer(3, code="SW17")], {}, never_exempt) == []
    _explained(found[0])


def test_a_transformation_must_balance_within_the_tolerance() -> None:
    def t(out: str) -> Transformation:
        return Transformation(
            uuid.uuid4(), ORG, SITE, AS_OF, Decimal(1000), Decimal(out), Decimal(50)
        )

    found = detect_records.mass_balance_breach([t("950"), t("900")], SETTINGS)
    assert len(found) == 1
    assert found[0].figures["gap_pct"] == "5.0"
    _explained(found[0])


def test_keys_outside_their_validity_and_backdated_records() -> None:
    valid = SignedEvent(uuid.uuid4(), ORG, SITE, AS_OF, "k", AS_OF - timedelta(days=1), None)
    revoked = SignedEvent(uuid.uuid4(), ORG, SITE, AS_OF, "k", AS_OF - timedelta(days=9), AS_OF)
    found = detect_records.signature_key_invalid([valid, revoked])
    assert [f.subject for f in found] == [f"event:{revoked.event_id}"]
    _explained(found[0])
    prompt = TimedEvent(uuid.uuid4(), "generated", ORG, SITE, AS_OF - timedelta(days=30), AS_OF)
    late = TimedEvent(uuid.uuid4(), "generated", ORG, SITE, AS_OF - timedelta(days=45), AS_OF)
    found = detect_records.backdated_record([prompt, late], SETTINGS)
    assert [f.event_ids for f in found] == [(late.event_id,)]
    assert found[0].figures["lag_days"] == "45"
    _explained(found[0])


def test_an_inspection_gap_beyond_the_tolerance() -> None:
    def line(counted: str, ledger: str) -> InspectionLine:
        c, g = Decimal(counted), Decimal(ledger)
        return InspectionLine(uuid.uuid4(), 0, SITE, ORG, AS_OF, None, "900-041-49", c, g, c - g)

    found = detect_records.inspection_stock_gap(
        [line("100", "101"), line("80", "100"), line("5", "0"), line("0", "0")], SETTINGS
    )
    assert [f.figures["gap_kg"] for f in found] == ["-20", "5"]
    assert found[0].subject.startswith("inspection:")
    _explained(found[0])


def _firm(kg: dict[str, float], output: float = 100, unit: str = "t") -> Generation:
    by_code = {code: Decimal(str(mass)) for code, mass in kg.items()}
    total = sum(by_code.values(), Decimal(0))
    return Generation(
        uuid.uuid4(), 2026, total, Decimal(str(output)), unit, "3670", by_code=by_code
    )


def test_under_reporting_scores_each_code_against_the_peers_generating_it() -> None:
    peers = [_firm({"SW17": 100 + 7 * i, "900-041-49": 2 + 0.1 * i}) for i in range(8)]
    low = _firm({"SW17": 22, "900-041-49": 0.5})
    found = detect_reporting.under_reporting([*peers, low], SETTINGS, [2026], AS_OF)
    assert [f.subject for f in found] == [f"organization:{low.organization_id}:2026"]
    figures = found[0].figures
    assert figures["peers"] == "8"
    assert figures["profile_peers"] == "8"
    assert figures["codes"] == "2"
    assert float(figures["z"]) < -3.5
    assert float(figures["SW17.z"]) < -3.5
    assert figures["SW17.intensity"] == "0.22"
    # The peers' median of logs: the geometric mean of the middle two, 2.3 and 2.4 kg per t.
    assert float(figures["900-041-49.peer_median"]) == pytest.approx(0.0235, abs=1e-5)
    assert "SW17: 0.22/1.245 (z -6.9, n 8)" in figures["per_code"]
    assert figures["z_threshold"] == "-3.5"
    _explained(found[0])
    assert detect_reporting.under_reporting([*peers, low], SETTINGS, [2025], AS_OF) == []
    few = detect_reporting.under_reporting([*peers[:2], low], SETTINGS, [2026], AS_OF)
    assert few == []


def test_under_reporting_compares_with_firms_of_the_same_mix_of_wastes() -> None:
    # Two kinds of firm in one industry class: the heavy kind generates five times more per
    # unit of both shared codes. A heavy firm at a fifth of its kind's rates looks like a
    # light firm against the whole class, but not against the firms with its own codes.
    heavy = [_firm({"SW17": 500 + 9 * i, "900-006-09": 50 + i, "900-214-08": 5}) for i in range(6)]
    light = [
        _firm({"SW17": 100 + 2 * i, "900-006-09": 10 + 0.2 * i, "900-218-08": 1}) for i in range(6)
    ]
    cheat = _firm({"SW17": 100, "900-006-09": 10, "900-214-08": 1})
    found = detect_reporting.under_reporting([*heavy, *light, cheat], SETTINGS, [2026], AS_OF)
    assert [f.organization_id for f in found] == [cheat.organization_id]
    assert found[0].figures["profile_peers"] == "6"
    # Without enough firms of its own mix, it is compared with every firm generating the code.
    alone = detect_reporting.under_reporting([*heavy[:2], *light, cheat], SETTINGS, [2026], AS_OF)
    assert alone == []


def test_under_reporting_needs_two_scored_codes_and_a_spread() -> None:
    peers = [_firm({"SW17": 100 + 5 * i}) for i in range(6)]
    # A code no peer generates is not scored; one scored code of two is not enough.
    odd = _firm({"SW17": 20, "SW99": 3})
    assert detect_reporting.under_reporting([*peers, odd], SETTINGS, [2026], AS_OF) == []
    # A firm declaring a single code is scored on it.
    single = _firm({"SW17": 20})
    found = detect_reporting.under_reporting([*peers, single], SETTINGS, [2026], AS_OF)
    assert [f.organization_id for f in found] == [single.organization_id]
    # Identical peers: the spread is the floor, so a firm 10% below them is not far below.
    same = [_firm({"SW17": 100}) for _ in range(6)]
    near = _firm({"SW17": 90})
    assert detect_reporting.under_reporting([*same, near], SETTINGS, [2026], AS_OF) == []
    no_floor = RuleSettings({"under_reporting": {"min_spread": Decimal(0)}})
    assert detect_reporting.under_reporting([*same, near], no_floor, [2026], AS_OF) == []
    assert detect_reporting.robust_z(1.0, [2.0, 2.0, 2.0]) is None
    assert detect_reporting.robust_z(1.0, [2.0, 2.0, 2.0], 0.25) == -4.0


@pytest.mark.parametrize(
    ("value", "text"), [(Decimal("1E+3"), "1000"), (Decimal("12.500"), "12.5"), (Decimal(0), "0")]
)
def test_masses_are_plain_decimals(value: Decimal, text: str) -> None:
    assert kg_text(value) == text
    assert pct_text(Decimal("0.0456")) == "4.6"


def test_document_lines_are_read_in_kilograms_whatever_their_unit() -> None:
    batch = uuid.uuid4()
    line = {"batch": f"urn:zerowaste:batch:{batch}", "quantity": "1.25", "unit": "TNE"}
    assert quantity_of(line) == Decimal("1250")
    assert quantity_of({**line, "unit": "KGM"}) == Decimal("1.25")
    assert batch_of(line) == batch


def test_a_receipt_of_several_lines_is_judged_on_its_total() -> None:
    first = _receipt("500", "-30")
    second = dataclasses.replace(first, batch_id=uuid.uuid4(), received_kg=Decimal("470"))
    (gap,) = transfers.weight_gap([first, second], SETTINGS)
    assert (gap.figures["shipped_kg"], gap.figures["received_kg"]) == ("1000", "970")
    assert gap.event_ids == (first.event_id,)
    assert set(gap.batch_ids) == {first.batch_id, second.batch_id}
    within = dataclasses.replace(first, discrepancy_kg=Decimal("-15"))
    assert (
        transfers.weight_gap(
            [within, dataclasses.replace(second, discrepancy_kg=within.discrepancy_kg)],
            RuleSettings(),
        )
        == []
    )
