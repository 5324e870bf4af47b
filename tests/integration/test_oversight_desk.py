"""The regulator's desk on both backends: risk scores, the whitelist and inspection plans."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Table, func, select

from tests.factories import OPERATOR, Factory
from tests.integration.test_capture import CODE, T0, Firm, document, line, make_firm, signed
from tests.integration.test_findings import regulator
from tests.manifest_world import build_world, carriage
from zerowaste.adapters.db.oversight_tables import (
    alert_evidence,
    alerts,
    inspection_assignments,
    inspection_plans,
    whitelist_entries,
)
from zerowaste.adapters.db.tables import workflow_actions
from zerowaste.bootstrap import Context
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.sites import SiteKind
from zerowaste.errors import (
    Forbidden,
    InvalidInput,
    InvalidPeriod,
    NoInspectors,
    NotFound,
    NotWhitelistCandidate,
    PlanAlreadyPublished,
    WhitelistStateConflict,
)
from zerowaste.oversight.inspection_draw import AssignmentStatus, DrawRates, DrawReason
from zerowaste.oversight.risk import Factor, RiskBand
from zerowaste.services.oversight_steps import INSPECTION_PLAN, WHITELIST

HOUR = timedelta(hours=1)


@dataclass
class Desk:
    """Firms in Suzhou (clean, risky) and Jiaxing, their regulators and users."""

    context: Context
    clean: Firm
    risky: Firm
    zhejiang: Firm
    suzhou_regulator: Principal
    zhejiang_regulator: Principal
    clean_user: Principal
    risky_user: Principal
    inspector: Firm


def add_alert(
    context: Context,
    firm: Firm,
    rule_id: str = "over_storage",
    severity: str = "high",
    state: str = "open",
    raised: datetime = T0,
    evidence: uuid.UUID | None = None,
) -> uuid.UUID:
    """Store an alert row as the alert workflow would (the desk only reads them)."""
    alert_id = uuid.uuid4()
    with context.engine.begin() as connection:
        number = connection.execute(select(func.max(alerts.c.number))).scalar() or 0
        connection.execute(
            alerts.insert().values(
                alert_id=alert_id,
                number=number + 1,
                fingerprint=f"{rule_id}|{alert_id}",
                rule_id=rule_id,
                severity=severity,
                state=state,
                organization_id=firm.organization.id,
                region_code=firm.organization.region_code,
                raised_at=raised,
                observed_at=raised,
                updated_at=raised,
                explanation_zh="测试",
                explanation_en="test",
                figures={},
                reason="",
            )
        )
        if evidence is not None:
            connection.execute(
                alert_evidence.insert().values(
                    alert_id=alert_id, role="event", ref_id=evidence, position=0
                )
            )
    return alert_id


def at(context: Context, when: datetime) -> None:
    """Set the platform's clock (events are captured as they happen, never backdated)."""
    context.clock.now = when  # type: ignore[attr-defined]


def active(factory: Factory, firm: Firm) -> None:
    """Give a firm a store and seven weeks of signed events of hazardous waste."""
    factory.site(firm.organization, SiteKind.STORAGE)
    batch, first_at = uuid.uuid4(), T0 - timedelta(days=50)
    at(factory.context, first_at + timedelta(minutes=1))
    first = document(firm, "generated", first_at, outputs=[line(batch, "10", waste_code=CODE)])
    factory.context.capture.capture(OPERATOR, [signed(firm, first)])
    at(factory.context, T0 + timedelta(minutes=1))
    later = document(firm, "stored", T0, inputs=[line(batch, "10")])
    factory.context.capture.capture(OPERATOR, [signed(firm, later)])


@pytest.fixture
def desk(factory: Factory) -> Desk:
    context = factory.context
    clean, risky = make_firm(factory), make_firm(factory)
    zhejiang = make_firm(factory, region_code="330402")
    for firm in (clean, risky, zhejiang):
        active(factory, firm)
    add_alert(context, risky, "over_storage")
    add_alert(context, risky, "vanished_batch")
    inspector = regulator(factory)
    suzhou = factory.user(UserRole.REGULATOR, jurisdiction_code="320500")
    zj = factory.user(UserRole.REGULATOR, jurisdiction_code="330000")
    clean_user = factory.user(UserRole.FIRM, organization=clean.organization)
    risky_user = factory.user(UserRole.FIRM, organization=risky.organization)
    at(context, T0 + 2 * HOUR)
    return Desk(context, clean, risky, zhejiang, suzhou, zj, clean_user, risky_user, inspector)


def count(context: Context, table: Table) -> int:
    with context.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def test_a_firms_score_shows_every_factor_and_its_users_and_regulators_see_it(desk: Desk) -> None:
    risk = desk.context.risk
    clean = risk.firm(desk.clean_user, desk.clean.organization.id).risk
    risky = risk.firm(desk.suzhou_regulator, desk.risky.organization.id).risk
    assert clean.band is RiskBand.LOW
    assert risky.band is RiskBand.HIGH
    assert [f.factor for f in risky.factors] == list(Factor)
    recent = next(f for f in risky.factors if f.factor is Factor.RECENT_ALERTS)
    assert recent.value == pytest.approx(1.0, abs=0.01)
    assert recent.detail["alerts_counted"] == "2"
    assert risky.score == pytest.approx(sum(f.contribution for f in risky.factors), abs=1e-6)
    assert risk.firm(OPERATOR, desk.zhejiang.organization.id).organization.region_code == "330402"
    for actor, firm in (
        (desk.clean_user, desk.risky),
        (desk.zhejiang_regulator, desk.risky),
        (desk.suzhou_regulator, desk.zhejiang),
    ):
        with pytest.raises(Forbidden):
            risk.firm(actor, firm.organization.id)
    with pytest.raises(NotFound) as missing:
        risk.firm(OPERATOR, uuid.uuid4())
    assert missing.value.field == "organization_id"


def test_a_regulators_list_keeps_to_its_jurisdiction(desk: Desk) -> None:
    risk = desk.context.risk
    suzhou = [f.organization.id for f in risk.region(desk.suzhou_regulator)]
    assert suzhou[0] == desk.risky.organization.id  # highest first
    assert desk.zhejiang.organization.id not in suzhou
    assert desk.inspector.organization.id not in suzhou  # regulators are not scored
    zhejiang = [f.organization.id for f in risk.region(desk.zhejiang_regulator)]
    assert zhejiang == [desk.zhejiang.organization.id]
    with pytest.raises(Forbidden):
        risk.region(desk.zhejiang_regulator, "320000")
    with pytest.raises(Forbidden):
        risk.region(desk.clean_user)
    with pytest.raises(InvalidInput) as bad:
        risk.region(OPERATOR, "32")
    assert bad.value.field == "jurisdiction_code"


def test_candidates_admission_removal_and_the_public_list(desk: Desk) -> None:
    whitelist = desk.context.whitelist
    found = {c.organization.id: c for c in whitelist.candidates(desk.suzhou_regulator)}
    assert found[desk.clean.organization.id].evaluation.eligible
    assert not found[desk.risky.organization.id].evaluation.eligible
    assert desk.zhejiang.organization.id not in found
    eligible = whitelist.candidates(desk.suzhou_regulator, eligible_only=True)
    assert [c.organization.id for c in eligible] == [desk.clean.organization.id]

    entry = whitelist.admit(desk.suzhou_regulator, desk.clean.organization.id, " 连续一年无违规 ")
    assert entry.reason == "连续一年无违规"
    [public] = whitelist.listed()
    assert (public.organization_id, public.credit_code) == (
        desk.clean.organization.id,
        desk.clean.organization.credit_code,
    )
    assert public.since == desk.context.clock().date()
    assert whitelist.listed("330000") == []
    with desk.context.engine.connect() as connection:
        row = connection.execute(
            select(workflow_actions).where(workflow_actions.c.action_id == entry.action_id)
        ).one()
    assert (row.subject, row.subject_id, row.action) == (
        WHITELIST,
        desk.clean.organization.id,
        "admit",
    )
    signed_document = json.loads(row.document)
    assert signed_document["reason"] == "连续一年无违规"
    assert signed_document["regulator_user_id"] == str(desk.suzhou_regulator.user_id)
    assert signed_document["criteria"]["low_risk"] is True

    before = (count(desk.context, workflow_actions), count(desk.context, whitelist_entries))
    refusals = [
        (WhitelistStateConflict, desk.suzhou_regulator, "admit", desk.clean, "again"),
        (NotWhitelistCandidate, desk.suzhou_regulator, "admit", desk.risky, "please"),
        (Forbidden, desk.zhejiang_regulator, "admit", desk.risky, "cross-border"),
        (Forbidden, desk.clean_user, "remove", desk.clean, "self"),
        (InvalidInput, desk.suzhou_regulator, "remove", desk.clean, "  "),
        (WhitelistStateConflict, desk.suzhou_regulator, "remove", desk.risky, "not listed"),
    ]
    for error, actor, action, firm, reason in refusals:
        change = whitelist.admit if action == "admit" else whitelist.remove
        with pytest.raises(error):
            change(actor, firm.organization.id, reason)
    after = (count(desk.context, workflow_actions), count(desk.context, whitelist_entries))
    assert after == before

    removed = whitelist.remove(OPERATOR, desk.clean.organization.id, "新发现问题")
    assert removed.state.value == "removed"
    assert whitelist.listed() == []
    audit = desk.context.ledger.audit()
    assert audit.findings == ()


def inspect(desk: Desk, firm: Firm, counted: str, when: datetime) -> uuid.UUID:
    """The regulator organization's inspection of a firm's site, counting one batch."""
    batch = uuid.uuid4()
    made = document(firm, "generated", when - HOUR, outputs=[line(batch, "100", waste_code=CODE)])
    desk.context.capture.capture(OPERATOR, [signed(firm, made)])
    event = document(
        desk.inspector,
        "inspected",
        when,
        site_id=str(firm.site.id),
        inputs=[line(batch, counted)],
        note="现场核查",
    )
    desk.context.capture.capture(OPERATOR, [signed(desk.inspector, event)])
    return uuid.UUID(event["event_id"])


def test_a_plan_is_drawn_reproducibly_inspected_and_published(desk: Desk) -> None:
    plans = desk.context.inspection_plans
    start, end = T0.date(), T0.date() + timedelta(days=30)
    none = DrawRates(Decimal(0), Decimal(0))
    plan = plans.draw(desk.suzhou_regulator, "320500", start, end, seed=7, rates=none)
    assert plan.seed == 7
    assert [(d.organization_id, d.reason) for d in plan.draws] == [
        (desk.risky.organization.id, DrawReason.HIGH_RISK)
    ]
    assert plan.draws[0].inspector_user_id == desk.suzhou_regulator.user_id
    assert plan.redrawn() == list(plan.draws)
    everyone = plans.draw(OPERATOR, "320500", start, end, seed=7, rates=DrawRates(base=Decimal(1)))
    again = plans.draw(OPERATOR, "320500", start, end, seed=7, rates=DrawRates(base=Decimal(1)))
    assert [d.organization_id for d in everyone.draws] == [d.organization_id for d in again.draws]
    assert {d.organization_id for d in everyone.draws} == {
        desk.clean.organization.id,
        desk.risky.organization.id,
    }
    assert count(desk.context, inspection_assignments) == 5

    [result] = plans.plan(desk.suzhou_regulator, plan.plan_id).results
    assert result.status is AssignmentStatus.DRAWN
    assert result.inspection is None
    at(desk.context, T0 + 3 * HOUR)
    # The period's first day begins at midnight China time (16:00 UTC the day before).
    inspect(desk, desk.risky, "100", T0 - 20 * HOUR)  # 19 May, 20:00 CST: before the period
    own = document(desk.risky, "inspected", T0 + HOUR, note="自查")  # self-inspection
    desk.context.capture.capture(OPERATOR, [signed(desk.risky, own)])
    [result] = plans.plan(desk.suzhou_regulator, plan.plan_id).results
    assert result.status is AssignmentStatus.DRAWN
    event_id = inspect(desk, desk.risky, "80", T0 - 10 * HOUR)  # 20 May, 06:00 CST
    [result] = plans.plan(desk.suzhou_regulator, plan.plan_id).results
    assert result.status is AssignmentStatus.DONE
    assert result.inspection is not None
    assert result.inspection.event_id == event_id
    assert result.inspection.total_gap_kg == Decimal(-20)
    # The capture-level rule raised the gap alert, its evidence naming the inspection.
    [gap_alert] = result.gap_alert_ids
    with desk.context.engine.connect() as connection:
        raised = connection.execute(select(alerts).where(alerts.c.alert_id == gap_alert)).one()
    assert (raised.rule_id, raised.organization_id) == (
        "inspection_stock_gap",
        desk.risky.organization.id,
    )
    assert result.inspector_name

    with pytest.raises(NotFound):
        plans.public_plan(plan.plan_id)
    for actor in (desk.zhejiang_regulator, desk.clean_user):
        with pytest.raises(Forbidden):
            plans.plan(actor, plan.plan_id)
        with pytest.raises(Forbidden):
            plans.publish(actor, plan.plan_id)
    assert plans.plans(desk.zhejiang_regulator) == []
    view = plans.publish(desk.suzhou_regulator, plan.plan_id)
    assert view.plan.published
    [public] = plans.public_plan(plan.plan_id).results
    assert public.status is AssignmentStatus.DONE
    assert [p.plan_id for p in plans.public_plans()] == [plan.plan_id]
    with pytest.raises(PlanAlreadyPublished):
        plans.publish(OPERATOR, plan.plan_id)
    with desk.context.engine.connect() as connection:
        steps = connection.execute(
            select(workflow_actions.c.action, workflow_actions.c.document)
            .where(workflow_actions.c.subject == INSPECTION_PLAN)
            .where(workflow_actions.c.subject_id == plan.plan_id)
            .order_by(workflow_actions.c.leaf_index)
        ).all()
        stored = connection.execute(
            select(
                inspection_assignments.c.status, inspection_assignments.c.inspection_event_id
            ).where(inspection_assignments.c.plan_id == plan.plan_id)
        ).one()
    assert [s.action for s in steps] == ["draw", "publish"]
    drawn = json.loads(steps[0].document)
    assert drawn["seed"] == "7"
    assert drawn["rates"] == {"whitelisted": "0", "base": "0"}
    assert drawn["draws"][0]["reason"] == "high_risk"
    published = json.loads(steps[1].document)
    assert published["results"][0]["inspection_event_id"] == str(event_id)
    assert published["results"][0]["gap_alert_ids"] == [str(gap_alert)]
    assert (stored.status, stored.inspection_event_id) == ("done", event_id)
    assert desk.context.ledger.audit().findings == ()


def test_bad_draws_name_the_field_and_store_nothing(desk: Desk) -> None:
    plans = desk.context.inspection_plans
    start = T0.date()
    before = (count(desk.context, inspection_plans), count(desk.context, workflow_actions))
    cases: list[tuple[type[Exception], Principal, str, date, int | None, str | None]] = [
        (
            InvalidPeriod,
            desk.suzhou_regulator,
            "320500",
            start - timedelta(days=1),
            None,
            "period_end",
        ),
        (InvalidInput, desk.suzhou_regulator, "320500", start, -1, "seed"),
        (InvalidInput, desk.suzhou_regulator, "3205", start, None, "jurisdiction_code"),
        (Forbidden, desk.zhejiang_regulator, "320500", start, None, "jurisdiction_code"),
        (Forbidden, desk.suzhou_regulator, "320000", start, None, "jurisdiction_code"),
        (Forbidden, desk.clean_user, "320500", start, None, "jurisdiction_code"),
        (NoInspectors, OPERATOR, "330400", start, 1, "jurisdiction_code"),
    ]
    for error, actor, code, end, seed, field in cases:
        with pytest.raises(error) as caught:
            plans.draw(actor, code, start, end, seed=seed, rates=DrawRates(base=Decimal(1)))
        assert caught.value.field == field  # type: ignore[attr-defined]
    after = (count(desk.context, inspection_plans), count(desk.context, workflow_actions))
    assert after == before


def test_manifests_feed_the_ledger_factors_and_traceability(factory: Factory) -> None:
    context = factory.context
    world = build_world(factory)
    batch = world.generate("400")
    at(context, world.tick())
    carriage(
        factory,
        generator=(world.generator.id, world.generator.site.id, world.generator.signer),
        receiver=(world.receiver.id, world.receiver.site.id),
        batch=batch,
        kg="400",
        at=context.clock(),
    )
    generator, shipped_at = world.generator.id, context.clock()
    factors = {f.factor: f for f in context.risk.firm(OPERATOR, generator).risk.factors}
    shipped = factors[Factor.UNLICENSED_RECEIVERS]
    assert (shipped.value, shipped.detail["shipped_kg"]) == (0, "400.000")
    assert factors[Factor.OPEN_MANIFESTS].detail["due"] == "0"  # within its grace

    def traceable(days: int) -> bool:
        at(context, shipped_at + timedelta(days=days))
        [found] = [
            c
            for c in context.whitelist.candidates(OPERATOR, "320500")
            if c.organization.id == generator
        ]
        return next(r.met for r in found.evaluation.results if r.criterion.value == "traceable")

    assert traceable(3)
    assert not traceable(8)  # on the road beyond the seven-day limit
    at(context, shipped_at + timedelta(days=20))
    late = {f.factor: f for f in context.risk.firm(OPERATOR, generator).risk.factors}
    assert late[Factor.OPEN_MANIFESTS].value == 1
    assert late[Factor.OPEN_MANIFESTS].detail == {"due": "1", "closed": "0"}
