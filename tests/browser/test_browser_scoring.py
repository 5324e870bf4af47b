"""The supplier ranking page in headless Chromium: bars, the weights form, no console errors."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

import pytest

from tests.browser.live import migrated_context, served, signed_in
from tests.browser.test_browser import screenshot
from tests.conftest import MASTER_KEY, FixedClock
from tests.factories import Factory
from tests.scoring_world import CRITERIA, ScoringWorld, build_scoring_world

pytestmark = pytest.mark.browser


@dataclass
class LiveChain:
    """A running server over the scoring world."""

    base_url: str
    world: ScoringWorld


@pytest.fixture(scope="module")
def live_chain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveChain]:
    clock = FixedClock(datetime(2026, 6, 1, 8, 0, tzinfo=UTC))
    context = migrated_context(
        tmp_path_factory, "browser-scoring", master_key=MASTER_KEY, clock=clock
    )
    world = build_scoring_world(Factory(context))
    with served(context) as base_url:
        yield LiveChain(base_url, world)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_rank_and_reweigh(live_chain: LiveChain, language: str) -> None:
    from playwright.sync_api import expect

    world = live_chain.world
    query = "&".join(f"criteria={c}" for c in CRITERIA)
    target = f"/market/chains/{world.master_id}/ranking?year=2026&{query}&lang={language}"
    # The target rides in the login's `next`: its own query must be escaped.
    with signed_in(
        live_chain.base_url, world.master_user.username, quote(target, safe="/"), "**/ranking*"
    ) as (page, traffic):
        rows = page.locator("#ranking-table tbody tr")
        expect(rows).to_have_count(3)
        expect(rows.first.locator("meter").first).to_be_visible()
        assert page.locator("#ranking-excluded li").count() == 1
        screenshot(page, f"scoring-ranking-{language}")
        page.fill("#field-w_waste_intensity_t_per_10k_cny", "1")
        page.fill("#field-w_utilization_rate", "1")
        page.fill("#field-w_disposal_share", "2")
        page.click("#scoring-form button[type=submit]")
        page.wait_for_url("**w_disposal_share=2**")
        expect(page.locator("#ranking-weights tbody tr").last).to_contain_text("0.5000")
        page.goto(
            f"{live_chain.base_url}/market/chains/{world.master_id}/evaluation"
            f"?year=2026&lang={language}"
        )
        expect(page.locator("#evaluation-table tbody tr")).to_have_count(4)
        screenshot(page, f"scoring-evaluation-{language}")
        assert traffic.errors == [], "\n".join(traffic.errors)
