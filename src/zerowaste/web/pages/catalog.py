"""The hazardous waste catalog search, on the edition in force on a chosen day."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from starlette.requests import Request
from starlette.responses import HTMLResponse

from zerowaste.domain.catalog import HazardCharacteristic, HazardousWaste
from zerowaste.errors import ZeroWasteError
from zerowaste.web.i18n import Translator
from zerowaste.web.routing import page_router
from zerowaste.web.templating import PageRenderer

SEARCH_LIMIT = 200


def _entry_view(entry: HazardousWaste, t: Translator, link: str) -> dict[str, Any]:
    english = t.language == "en"
    characteristics = [c for c in HazardCharacteristic if c in entry.characteristics]
    return {
        "code": entry.code,
        "link": link,
        "category": entry.category,
        "category_name": entry.category_name_en if english else entry.category_name_zh,
        "category_other": entry.category_name_zh if english else entry.category_name_en,
        "industry": entry.industry_source_zh,
        "characteristics": [
            (c.value, c.label_en if english else c.label_zh) for c in characteristics
        ],
        "description": entry.description_zh,
    }


def build_router(renderer: PageRenderer) -> APIRouter:
    """Return the router of the catalog page.

    Args:
        renderer: Renders the pages.
    """
    router = page_router(renderer)
    catalog = renderer.context.catalog

    @router.get("/catalog", response_class=HTMLResponse)
    def search(
        request: Request,
        q: Annotated[str, Query(max_length=200)] = "",
        on: Annotated[str, Query(max_length=20)] = "",
    ) -> HTMLResponse:
        """Search the list in force on `on` (today if empty); without text, list categories."""
        t = renderer.translator(request)
        text = q.strip()
        values: dict[str, Any] = {
            "active": "catalog",
            "q": text,
            "on": on,
            "edition": None,
            "results": None,
            "categories": [],
            "error": None,
        }
        status = 200
        day: date | None = None
        if on:
            try:
                day = date.fromisoformat(on)
            except ValueError:
                values["error"] = t("catalog.bad_date")
                status = 422
        if status == 200:
            extra = [("on", on)] if on else []

            def link(query: str) -> str:
                return f"{request.url.path}?{urlencode([('q', query), *extra])}"

            try:
                values["edition"] = catalog.edition(day)
                if text:
                    found = catalog.search(text, day, SEARCH_LIMIT)
                    values["results"] = [_entry_view(e, t, link(e.code)) for e in found]
                else:
                    values["categories"] = [
                        (c.code, c.name_en if t.language == "en" else c.name_zh, link(c.code))
                        for c in catalog.categories(day)
                    ]
            except ZeroWasteError as exc:
                values["error"] = exc.detail
                status = exc.status
        return renderer.render(request, "catalog.html", values, status=status)

    return router
