"""The evaluation workbench in headless Chromium: the event-study plot draws, nothing leaves."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import pytest

from tests.browser.live import migrated_context, served, signed_in
from tests.browser.test_browser import screenshot
from tests.evaluation_world import grunfeld_csv, staggered_panel
from tests.factories import OPERATOR, Factory
from zerowaste.domain.accounts import UserRole

pytestmark = pytest.mark.browser


@dataclass
class LiveEvaluation:
    """A running server with two datasets and a firm user."""

    base_url: str
    username: str


@pytest.fixture(scope="module")
def live_evaluation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveEvaluation]:
    context = migrated_context(tmp_path_factory, "browser-evaluation")
    context.evaluation.import_dataset(OPERATOR, "grunfeld", grunfeld_csv(), "statsmodels")
    context.evaluation.import_dataset(OPERATOR, "pilot", staggered_panel().to_csv(), "sim")
    factory = Factory(context)
    username = factory.user(UserRole.FIRM, organization=factory.organization()).username
    with served(context) as base_url:
        yield LiveEvaluation(base_url, username)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_event_study_plot_draws_without_errors(
    live_evaluation: LiveEvaluation, language: str
) -> None:
    from playwright.sync_api import expect

    query = urlencode(
        [
            ("lang", language), ("dataset", "pilot"), ("analysis", "event_study"),
            ("outcome", "y"), ("cohort", "pilot_year"), ("cluster", "city"),
        ]
    )  # fmt: skip
    target = f"/evaluation?{query}"
    live = live_evaluation
    with signed_in(live.base_url, live.username, "/evaluation", "**/evaluation*") as (
        page,
        traffic,
    ):
        page.goto(live.base_url + target)
        chart = page.locator("#evaluation-chart")
        expect(chart).to_have_attribute("data-drawn", "true", timeout=15000)
        assert chart.locator("svg path").count() >= 2
        assert page.locator("#evaluation-event-table tbody tr").count() >= 7
        screenshot(page, f"evaluation-event-study-{language}")
        assert traffic.errors == [], "\n".join(traffic.errors)
        assert traffic.hosts <= {urlsplit(live_evaluation.base_url).netloc}


def test_the_regression_table_renders(live_evaluation: LiveEvaluation) -> None:
    query = urlencode(
        [
            ("lang", "en"), ("dataset", "grunfeld"), ("outcome", "invest"),
            ("regressors", "value"), ("regressors", "capital"), ("fixed_effects", "firm"),
            ("fixed_effects", "year"), ("cluster", "firm"),
        ]
    )  # fmt: skip
    target = f"/evaluation?{query}"
    live = live_evaluation
    with signed_in(live.base_url, live.username, "/evaluation", "**/evaluation*") as (
        page,
        traffic,
    ):
        page.goto(live.base_url + target)
        table = page.locator("table.regression-table")
        assert table.count() == 1
        assert "0.1177***" in table.inner_text()
        screenshot(page, "evaluation-regression-table")
        assert traffic.errors == [], "\n".join(traffic.errors)
