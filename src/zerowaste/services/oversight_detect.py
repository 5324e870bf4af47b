"""Run the oversight rules' detectors over the store (the sweep) or just-captured events."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Collection, Sequence
from datetime import date, datetime, timedelta
from functools import lru_cache

from zerowaste.adapters.db.oversight_facts import OversightFacts
from zerowaste.adapters.db.unit_of_work import UnitOfWork
from zerowaste.errors import NotFound, UnknownWasteCode
from zerowaste.oversight import detect_records, detect_reporting, detect_storage
from zerowaste.oversight import detect_transfers as transfers
from zerowaste.oversight.detect_common import Exempt
from zerowaste.oversight.facts import Generation
from zerowaste.oversight.findings import Finding
from zerowaste.oversight.rules import RULES, RuleLevel, RuleSettings, Stage
from zerowaste.services.catalog import CatalogService

#: Exemption list stages that exempt every stage (全部环节, 全过程).
_EVERY_STAGE = ("全部环节", "全过程")
#: Conditions a batch in the ledger cannot meet: it has been collected separately.
_UNCOLLECTED = ("未分类收集", "未集中收集")
#: A year of generation data is complete enough to judge when it spans this many days...
COMPLETE_YEAR_DAYS = 180
#: ... and this share of the firms that declared generation in the busiest year did in it.
COMPLETE_YEAR_FIRMS = 0.5
#: The rules that run on capture.
CAPTURE_RULES = frozenset(r.rule_id for r in RULES if r.level is RuleLevel.CAPTURE)


@lru_cache(maxsize=4)
def exemption_test(catalog: CatalogService) -> Exempt:
    """Whether the exemption list in force exempts a code at a stage on a day.

    A row exempts when it names the stage, or every stage (全部环节, 全过程) unless its
    condition is that the waste was not collected separately (未分类收集): a batch on the
    ledger has been collected, so that condition cannot hold for it. Answers are cached per
    catalog, code, stage and edition (the list changes only with the edition), so captures
    and sweeps share them.
    """

    @lru_cache(maxsize=1 << 14)
    def exempt_in(code: str, stage: Stage, edition_from: date) -> bool:
        try:
            rows = catalog.exemptions(code, edition_from)
        except (UnknownWasteCode, NotFound):
            return False
        return any(
            stage.value in row.stage_zh
            or (
                any(s in row.stage_zh for s in _EVERY_STAGE)
                and not any(c in row.conditions_zh for c in _UNCOLLECTED)
            )
            for row in rows
        )

    def exempt(code: str, stage: Stage, on: date) -> bool:
        try:
            edition = catalog.edition(on)
        except NotFound:
            return False
        return exempt_in(code, stage, edition.effective_from)

    return exempt


def _years_to_judge(
    spans: dict[int, tuple[datetime, datetime]], generations: Sequence[Generation]
) -> list[int]:
    """Years complete enough to judge; else the latest year with data.

    A year is complete enough when its generation data spans `COMPLETE_YEAR_DAYS` and comes
    from at least `COMPLETE_YEAR_FIRMS` of the firms of the busiest year (a few late records
    of an earlier year do not make it one to judge).
    """
    firms = Counter(g.year for g in generations if g.generated_kg > 0)
    busiest = max(firms.values(), default=0)
    full = [
        y
        for y, (a, b) in spans.items()
        if b - a >= timedelta(days=COMPLETE_YEAR_DAYS) and firms[y] >= COMPLETE_YEAR_FIRMS * busiest
    ]
    return sorted(full) if full else sorted(spans)[-1:]


def _sorted(found: list[Finding]) -> list[Finding]:
    return sorted(found, key=lambda f: (f.rule_id, f.subject))


def sweep_findings(
    uow: UnitOfWork,
    catalog: CatalogService,
    settings: RuleSettings,
    as_of: datetime,
    rule_ids: Collection[str] | None = None,
) -> list[Finding]:
    """Every rule's findings (capture and sweep level) over the whole store, as of `as_of`.

    Args:
        uow: An open unit of work (read only).
        catalog: The waste catalogs (exemption list).
        settings: The parameters in force.
        as_of: The instant time-based rules judge at.
        rule_ids: Only these rules (all if None).

    Returns:
        The findings, by rule and subject; each subject at most once per rule.
    """
    wanted = {r.rule_id for r in RULES} if rule_ids is None else set(rule_ids)
    facts = OversightFacts(uow.connection)
    exempt = exemption_test(catalog)
    found: list[Finding] = []

    def on(rule_id: str) -> bool:
        return rule_id in wanted

    storage = {"over_storage", "storage_nearing_limit", "vanished_batch"} & wanted
    if storage:
        days = min(
            int(settings.value(r, p))
            for r, p in (
                ("over_storage", "max_days"),
                ("storage_nearing_limit", "warn_days"),
                ("vanished_batch", "max_days"),
            )
            if r in storage
        )
        held = facts.held_batches(as_of - timedelta(days=days))
        if on("over_storage"):
            found += detect_storage.over_storage(held, settings, as_of, exempt)
        if on("storage_nearing_limit"):
            found += detect_storage.storage_nearing_limit(held, settings, as_of, exempt)
        if on("vanished_batch"):
            found += detect_storage.vanished_batch(held, settings, as_of)
    permits = None
    if wanted & {"receiver_not_permitted", "receiver_over_capacity", "transporter_unlicensed"}:
        permits = facts.permits()
    if wanted & {"receiver_not_permitted", "receiver_over_capacity", "weight_gap"}:
        receipts = facts.receipts()
        if on("receiver_not_permitted"):
            assert permits is not None
            found += transfers.receiver_not_permitted(receipts, permits, exempt)
        if on("receiver_over_capacity"):
            assert permits is not None
            found += transfers.receiver_over_capacity(receipts, permits)
        if on("weight_gap"):
            found += transfers.weight_gap(receipts, settings)
    if wanted & {"overdue_in_transit", "cross_province_unapproved", "transporter_unlicensed"}:
        moved = facts.transfers(in_transit_or_crossing=not on("transporter_unlicensed"))
        if on("overdue_in_transit"):
            found += transfers.overdue_in_transit(moved, settings, as_of)
        if on("cross_province_unapproved"):
            found += transfers.cross_province_unapproved(moved, facts.approvals(), exempt)
        if on("transporter_unlicensed"):
            assert permits is not None
            found += transfers.transporter_unlicensed(moved, permits, exempt)
    if on("under_reporting"):
        generations, spans = facts.generations()
        years = _years_to_judge(spans, generations)
        found += detect_reporting.under_reporting(generations, settings, years, as_of)
    if on("signature_key_invalid"):
        found += detect_records.signature_key_invalid(facts.signed_events())
    if on("backdated_record"):
        late = float(settings.value("backdated_record", "max_days"))
        found += detect_records.backdated_record(facts.timed_events(late), settings)
    if on("mass_balance_breach"):
        found += detect_records.mass_balance_breach(facts.transformations(), settings)
    if on("inspection_stock_gap"):
        found += detect_records.inspection_stock_gap(facts.inspection_lines(), settings)
    return _sorted(found)


def capture_findings(
    uow: UnitOfWork,
    catalog: CatalogService,
    settings: RuleSettings,
    event_ids: Sequence[uuid.UUID],
) -> list[Finding]:
    """The capture-level rules' findings for just-stored events, read in the same transaction.

    Only the readers the events' types need run: one query learns the types (and finds the
    backdated records), then receipts, transformations and inspections are read if present.
    """
    if not event_ids:
        return []
    facts = OversightFacts(uow.connection)
    days = float(settings.value("backdated_record", "max_days"))
    timed = facts.timed_events(days, event_ids)
    types = {e.event_type for e in timed}
    found = detect_records.backdated_record(timed, settings)
    if "received" in types:
        ids = [e.event_id for e in timed if e.event_type == "received"]
        receipts = facts.receipts(ids)
        permits = facts.permits({r.receiver_id for r in receipts})
        found += transfers.receiver_not_permitted(receipts, permits, exemption_test(catalog))
        found += transfers.weight_gap(receipts, settings)
    if "transformed" in types:
        ids = [e.event_id for e in timed if e.event_type == "transformed"]
        found += detect_records.mass_balance_breach(facts.transformations(ids), settings)
    if "inspected" in types:
        ids = [e.event_id for e in timed if e.event_type == "inspected"]
        found += detect_records.inspection_stock_gap(facts.inspection_lines(ids), settings)
    return _sorted(found)
