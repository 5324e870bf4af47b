"""The browser tests' shared setup: a migrated database, a live server, a signed-in page."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import pytest

from tests.browser.test_browser import CHROMIUM_ARGS, Traffic, chromium_or_skip, serving, watch
from tests.factories import PASSWORD
from zerowaste.app import create_app
from zerowaste.bootstrap import Context, build_context
from zerowaste.settings import Settings


def migrated_context(
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    *,
    master_key: str | None = None,
    clock: Callable[[], datetime] | None = None,
) -> Context:
    """A context over a fresh, migrated SQLite database (skips without Chromium).

    Args:
        tmp_path_factory: Where the database file goes.
        name: The temporary folder's name.
        master_key: The master key, if the test needs one (else the settings' default).
        clock: The context's clock, if not the wall clock.

    Returns:
        The migrated context; `served` closes it.
    """
    chromium_or_skip()
    database = tmp_path_factory.mktemp(name) / "zerowaste.db"
    options: dict[str, Any] = {"database_url": f"sqlite:///{database}"}
    if master_key is not None:
        options["master_key"] = master_key
    settings = Settings(**options)
    context = build_context(settings) if clock is None else build_context(settings, clock=clock)
    context.migrate()
    return context


@contextmanager
def served(context: Context) -> Iterator[str]:
    """Serve the app over `context`; yield its base URL, then stop it and close the context."""
    with serving(create_app(context=context)) as base_url:
        yield base_url
    context.close()


@contextmanager
def signed_in(
    base_url: str, username: str, target: str, landing: str
) -> Iterator[tuple[Any, Traffic]]:
    """A Chromium page signed in as `username` and sent to `target`, and its watched traffic.

    Args:
        base_url: The live server.
        username: Whose password (the factories' `PASSWORD`) to sign in with.
        target: The path (and query) the login form leads on to.
        landing: The URL pattern to wait for after signing in.

    Yields:
        The page, on `landing`, and what it has done on the network and console so far.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium_or_skip()), args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            traffic = watch(page)
            page.goto(f"{base_url}/login?next={target}")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(landing)
            yield page, traffic
        finally:
            browser.close()
