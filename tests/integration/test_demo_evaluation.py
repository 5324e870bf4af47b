"""The demo's evaluation data seeded through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from zerowaste.bootstrap import Context
from zerowaste.demo import generate_city
from zerowaste.demo.geography import HOME_PREFECTURE
from zerowaste.demo.statistics import SOURCE
from zerowaste.domain.statistics import StatisticKind
from zerowaste.services.admission_defaults import demo_year_basis
from zerowaste.services.demo import DemoSummary, build_demo_city
from zerowaste.services.demo_evaluation import PLATFORM_PANEL, RESEARCH_PANEL

SEED, SCALE, MONTHS = 3, 0.05, 2


@pytest.fixture
def built(context: Context) -> DemoSummary:
    # In December the demo's months lie in the current year, which its rules then read.
    context.clock.now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # type: ignore[attr-defined]
    stages: set[str] = set()
    summary = build_demo_city(
        context, seed=SEED, scale=SCALE, months=MONTHS, progress=lambda s, d, t: stages.add(s)
    )
    assert "evaluation" in stages
    return summary


def test_the_home_city_has_synthetic_statistics(context: Context, built: DemoSummary) -> None:
    year = built.as_of.year
    stored = context.indicators.statistics(HOME_PREFECTURE, year)
    kinds = {s.kind for s in stored}
    assert StatisticKind.INDUSTRIAL_ADDED_VALUE_CNY in kinds
    assert StatisticKind.RESIDENT_POPULATION in kinds
    assert {s.source for s in stored} == {SOURCE}
    assert built.evaluation["statistics"] >= len(stored)


def test_the_research_panel_recovers_its_planted_total_effect(
    context: Context, built: DemoSummary
) -> None:
    truth = built.truth["research_panel"]
    summary = context.evaluation.dataset(RESEARCH_PANEL).summary
    assert (
        summary.rows
        == built.evaluation["research_panel_rows"]
        == truth["firms"] * len(truth["years"])
    )
    classical, clustered = context.evaluation.fit(
        RESEARCH_PANEL, "waste_intensity", ["green_procurement", "log_output"], cluster="city"
    )
    total = classical.coefficient("green_procurement")
    assert abs(total.estimate - truth["c"]) < 4 * clustered.coefficient("green_procurement").se


def test_the_platform_panel_is_stored_from_the_ledger(context: Context, built: DemoSummary) -> None:
    stored = context.evaluation.dataset(PLATFORM_PANEL).summary
    assert stored.rows == built.evaluation["platform_panel_rows"] > 0
    assert stored.source.startswith("platform ledger")


def test_the_chain_master_ranks_its_suppliers_on_the_demo_year(
    context: Context, built: DemoSummary
) -> None:
    city = generate_city(SEED, SCALE, as_of=built.as_of)
    oem = context.accounts.login("firm.oem", city.password)
    assert oem.organization_id is not None
    rules = context.admission.rules(oem.organization_id)
    assert rules.year_basis is demo_year_basis(built.as_of)
    ranking = context.scoring.rank_suppliers(oem, oem.organization_id)
    assert ranking.year == rules.year_basis.year(built.as_of.year)
    assert len(ranking.ranking.ranked) >= 2
