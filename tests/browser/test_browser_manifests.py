"""The manifest page in headless Chromium: state, parties and signatures, nothing off-site."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from tests.browser.live import migrated_context, served, signed_in
from tests.browser.test_browser import (
    screenshot,
)
from tests.conftest import MASTER_KEY, FixedClock
from tests.e2e.test_web_manifests import carried
from tests.factories import Factory
from tests.manifest_world import build_world

pytestmark = pytest.mark.browser


@dataclass
class LiveManifest:
    """A running server over one partly rejected manifest and its generator's user."""

    base_url: str
    manifest_id: uuid.UUID
    username: str


@pytest.fixture(scope="module")
def live_manifest(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveManifest]:
    context = migrated_context(
        tmp_path_factory,
        "browser-manifest",
        master_key=MASTER_KEY,
        clock=FixedClock(datetime.now(UTC) - timedelta(days=1)),
    )
    world = build_world(Factory(context))
    manifest_id = carried(world)
    with served(context) as base_url:
        yield LiveManifest(base_url, manifest_id, world.generator.user.username)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_manifest_page_shows_its_state_and_signatures(
    live_manifest: LiveManifest, language: str
) -> None:
    from playwright.sync_api import expect

    with signed_in(
        live_manifest.base_url,
        live_manifest.username,
        f"/manifests?lang={language}",
        "**/manifests*",
    ) as (page, traffic):
        page.click(f"a[href$='/manifests/{live_manifest.manifest_id}']")
        page.wait_for_url(f"**/manifests/{live_manifest.manifest_id}")
        state = page.locator("#manifest-state")
        expect(state).to_have_attribute("data-state", "partially_received")
        expect(state).to_have_text("部分接收" if language == "zh" else "Partially received")
        assert page.locator("#signatures tr.signature").count() == 4
        assert page.locator("#parties tbody tr").count() == 4
        assert page.locator("#events a.receipt").count() == 2
        assert page.locator("#rejection").inner_text().strip() != ""
        screenshot(page, f"manifest-{language}")
        assert traffic.errors == [], "\n".join(traffic.errors)
        assert traffic.hosts <= {urlsplit(live_manifest.base_url).netloc}
