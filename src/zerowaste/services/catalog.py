"""Catalog use cases: search, look up and validate waste codes against the edition in force."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from zerowaste.domain.catalog import (
    Catalog,
    CatalogEdition,
    CrosswalkEntry,
    Exemption,
    HazardousWaste,
    HazardousWasteCategory,
    SolidWasteClass,
)

#: The most results one search returns, whatever limit is asked for.
MAX_SEARCH_LIMIT = 500


class CatalogService:
    """Read-only access to the waste catalogs for the API, CLI and web app.

    Every method taking `on` uses the edition in force that day; `on=None` means today by
    the injected clock. That edition may be provisional (another edition's data standing in
    for its text; see `edition`).

    Args:
        catalog: The loaded catalogs.
        today: The clock giving today's date.
    """

    def __init__(self, catalog: Catalog, today: Callable[[], date] = date.today) -> None:
        self._catalog = catalog
        self._today = today

    def _day(self, on: date | None) -> date:
        return self._today() if on is None else on

    def edition(self, on: date | None = None) -> CatalogEdition:
        """Return the hazardous waste list edition in force on `on`.

        Callers showing results should check `provisional` on the edition: when True its
        text is not held as data and another edition's entries (`stand_in`) answer in its
        place, so show a warning (its `note` says what is missing).

        Raises:
            NotFound: If no edition is in force then, or it is not held as data and has no
                stand-in.
        """
        return self._catalog.edition_at(self._day(on))

    def editions(self) -> tuple[CatalogEdition, ...]:
        """Return every edition known, held as data, stood in for or neither, in date order."""
        return self._catalog.editions

    def search(
        self, text: str, on: date | None = None, limit: int = 50
    ) -> tuple[HazardousWaste, ...]:
        """Find hazardous wastes by code, category, Chinese text or English words.

        Args:
            text: What to look for (`900-214`, `HW08`, `废矿物油`, `mineral oil`).
            on: The day whose edition to search; today if None.
            limit: The most results to return (capped at `MAX_SEARCH_LIMIT`).

        Raises:
            InvalidInput: If `limit` is below 1.
            NotFound: If no edition is in force on that day.
        """
        return self._catalog.search(text, self._day(on), min(limit, MAX_SEARCH_LIMIT))

    def get(self, code: str, on: date | None = None) -> HazardousWaste:
        """Return the entry for a code.

        Raises:
            NotFound: If the code is not listed in the edition in force (field `code`).
        """
        return self._catalog.hazardous_waste(code, self._day(on))

    def categories(self, on: date | None = None) -> tuple[HazardousWasteCategory, ...]:
        """Return the categories (HW01 … HW50) of the edition in force."""
        return self._catalog.categories(self._day(on))

    def category_entries(self, category: str, on: date | None = None) -> tuple[HazardousWaste, ...]:
        """Return the entries of a category, validated against the edition in force.

        Raises:
            UnknownWasteCode: If `category` is not a category of the edition (field `category`).
        """
        day = self._day(on)
        normalized = self._catalog.validate_code_or_category(category, day, field="category")
        return self._catalog.entries_in(normalized, day)

    def exemptions(self, code: str | None = None, on: date | None = None) -> tuple[Exemption, ...]:
        """Return the exemption rows for a code or category, or all rows if `code` is None.

        Raises:
            UnknownWasteCode: If `code` is neither a code nor a category (field `code`).
        """
        return self._catalog.exemptions(code, self._day(on))

    def solid_waste_classes(self) -> tuple[SolidWasteClass, ...]:
        """Return the general solid waste classes and code ranges, with verification status."""
        return self._catalog.solid_waste_classes

    def solid_waste_class(self, code: str) -> SolidWasteClass:
        """Return one solid waste class or range.

        Raises:
            NotFound: If there is none (field `code`).
        """
        return self._catalog.solid_waste_class(code)

    def crosswalk(self, query: str = "") -> tuple[CrosswalkEntry, ...]:
        """Find EU List of Waste crosswalk rows by CN code, category, class, EU code or words."""
        return self._catalog.crosswalk(query)

    def validate_code_or_category(
        self, value: str, on: date | None = None, field: str = "waste_code"
    ) -> str:
        """Return `value` normalized if it is a code or category of the edition in force.

        Args:
            value: The code or category sent by the caller.
            on: The day whose edition applies (an event's day); today if None.
            field: The input field to name in the error.

        Raises:
            UnknownWasteCode: If it is neither (the error names `field`).
            NotFound: If no edition is in force on that day.
        """
        return self._catalog.validate_code_or_category(value, self._day(on), field)

    def covers(self, covered: Iterable[str], code: str) -> bool:
        """Return whether listed codes and categories (a permit's) cover a waste code."""
        return self._catalog.covers(covered, code)
