"""Helpers the pages share: reading every page of a listing, names, map data."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from zerowaste.bootstrap import Context
from zerowaste.domain.batches import Batch
from zerowaste.domain.organizations import Organization
from zerowaste.domain.pages import MAX_PAGE_SIZE, Page, PageRequest
from zerowaste.domain.sites import Site
from zerowaste.errors import NotFound
from zerowaste.web.i18n import Translator

T = TypeVar("T")


def collect(fetch: Callable[[PageRequest], Page[T]]) -> list[T]:
    """Return every item of a paged listing, reading it page after page.

    Args:
        fetch: Returns the page asked for, such as `lambda p: sites.find_sites(p)`.
    """
    items: list[T] = []
    after: str | None = None
    while True:
        page = fetch(PageRequest(after, MAX_PAGE_SIZE))
        items.extend(page.items)
        if page.next_after is None:
            return items
        after = page.next_after


def batch_label(t: Translator, batch: Batch) -> str:
    """Return a short label of a batch: its waste code (or kind) and the start of its id."""
    name = batch.waste_code or t.enum("output_kind", batch.kind)
    return f"{name} · {str(batch.batch_id)[:8]}"


def firm_name(organization: Organization, language: str) -> str:
    """Return the organization's name in the page language (the English name if it has one)."""
    if language == "en" and organization.name_en:
        return organization.name_en
    return organization.name


class RegionNames:
    """Names of GB/T 2260 divisions, looked up once per request.

    Args:
        context: The application context.
    """

    def __init__(self, context: Context) -> None:
        self._context = context
        self._names: dict[str, str] = {}

    def __call__(self, code: str) -> str:
        """Return the division's Chinese name, or the code if it is not in the table."""
        if code not in self._names:
            try:
                self._names[code] = self._context.registry.region(code).name_zh
            except NotFound:
                self._names[code] = code
        return self._names[code]


def map_config(
    context: Context,
    t: Translator,
    sites: Iterable[Site],
    organizations: Mapping[uuid.UUID, Organization],
    root: str,
) -> dict[str, Any]:
    """Return the JSON the map script reads: tiles (if any), labels and one point per site.

    Args:
        context: The application context (for the tile settings).
        t: The translator of the page language.
        sites: The sites to mark.
        organizations: The sites' owners by id (an owner missing here is shown by id).
        root: The application's root path, prefixed to links.
    """
    points = []
    for site in sites:
        owner = organizations.get(site.organization_id)
        points.append(
            {
                "lat": site.latitude,
                "lng": site.longitude,
                "name": site.name,
                "kind": t.enum("site_kind", site.kind),
                "kind_code": site.kind.value,
                "firm": firm_name(owner, t.language) if owner else str(site.organization_id),
                "url": f"{root}/firms/{site.organization_id}",
            }
        )
    settings = context.settings
    return {
        "tiles": settings.map_tile_url,
        "attribution": settings.map_tile_attribution,
        "labels": {"view_firm": t("map.view_firm")},
        "points": points,
    }
