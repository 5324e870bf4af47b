"""The waste catalogs, versioned by edition: lookup, search, validation and permit coverage."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from zerowaste.domain.catalog_entries import (
    CrosswalkEntry,
    Exemption,
    HazardCharacteristic,
    HazardousWaste,
    HazardousWasteCategory,
    SolidWasteClass,
    Verification,
    category_of,
    is_hazardous_waste_category,
    is_hazardous_waste_code,
    normalize_code_or_category,
)
from zerowaste.errors import InvalidInput, NotFound, UnknownWasteCode

__all__ = [
    "Catalog",
    "CatalogEdition",
    "CrosswalkEntry",
    "Exemption",
    "HazardCharacteristic",
    "HazardousWaste",
    "HazardousWasteCategory",
    "SolidWasteClass",
    "Verification",
    "category_of",
    "covers",
    "is_hazardous_waste_category",
    "is_hazardous_waste_code",
    "normalize_code_or_category",
]

_CODE_PREFIX_RE = re.compile(r"[\d-]+")
_EU_CODE_RE = re.compile(r"\d{2}(?: ?\d{2}){0,2} ?\*?")


def covers(covered: Iterable[str], code: str) -> bool:
    """Return whether a list of codes and categories (a permit's) covers a waste code.

    Listing a category (`HW08`) covers every code of it (`xxx-xxx-08`) and the category
    itself; listing a code covers that code only. Case and spacing are ignored.

    Args:
        covered: The codes and categories listed, e.g. on a permit.
        code: The code (or category) of the waste at hand.

    Returns:
        True if some listed item covers `code`.
    """
    wanted = normalize_code_or_category(code)
    category = category_of(wanted) if is_hazardous_waste_code(wanted) else None
    for item in covered:
        listed = normalize_code_or_category(item)
        if listed == wanted or (category is not None and listed == category):
            return True
    return False


@dataclass(frozen=True, slots=True)
class CatalogEdition:
    """One edition of the hazardous waste list with the dates it is in force.

    Attributes:
        name: The edition's name (`2021`).
        effective_from: The first day it is in force.
        effective_to: The last day it is in force, or None while it still is.
        entries: The listed wastes, in list order.
        categories: The categories, in code order.
        exemptions: The exemption list's rows.
        available: Whether the edition's own data is held. False for an edition known to
            exist whose text is not held as data.
        stand_in: For an edition not held as data, the name of the available edition whose
            entries, categories and exemptions stand in for its own (the edition is then
            `provisional`); None when the edition carries its own data or none at all.
        source: Where the edition's data comes from.
        note: A remark on the edition (what replaced it, what is missing).

    An edition that is neither available nor stood in for has no entries; the catalog
    refuses lookups on the days it is in force.
    """

    name: str
    effective_from: date
    effective_to: date | None
    entries: tuple[HazardousWaste, ...] = ()
    categories: tuple[HazardousWasteCategory, ...] = ()
    exemptions: tuple[Exemption, ...] = ()
    available: bool = True
    stand_in: str | None = None
    source: str = ""
    note: str = ""
    _by_code: dict[str, HazardousWaste] = field(init=False, repr=False, compare=False)
    _by_category: dict[str, HazardousWasteCategory] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError(f"edition {self.name} ends before it starts")
        if self.stand_in is not None and (self.available or self.stand_in == self.name):
            raise ValueError(
                f"edition {self.name}: a stand-in is only for an edition not held as data, "
                "and must be another edition"
            )
        if not self.available and self.stand_in is None and self.entries:
            raise ValueError(f"edition {self.name} is not held as data but has entries")
        by_code = {entry.code: entry for entry in self.entries}
        if len(by_code) != len(self.entries):
            raise ValueError(f"edition {self.name} lists a code twice")
        by_category = {category.code: category for category in self.categories}
        if stray := sorted({entry.category for entry in self.entries} - set(by_category)):
            raise ValueError(f"edition {self.name} lacks categories {', '.join(stray)}")
        object.__setattr__(self, "_by_code", by_code)
        object.__setattr__(self, "_by_category", by_category)

    @property
    def provisional(self) -> bool:
        """Whether the edition's data is another edition's, standing in for its own text."""
        return self.stand_in is not None

    @property
    def usable(self) -> bool:
        """Whether lookups can be answered: its own data is held, or a stand-in's."""
        return self.available or self.stand_in is not None

    def in_force_on(self, on: date) -> bool:
        """Return whether the edition is in force on the day `on`."""
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def get(self, code: str) -> HazardousWaste | None:
        """Return the entry with this normalized code, or None."""
        return self._by_code.get(code)

    def category(self, code: str) -> HazardousWasteCategory | None:
        """Return the category with this normalized code (`HW08`), or None."""
        return self._by_category.get(code)

    def __str__(self) -> str:
        end = self.effective_to.isoformat() if self.effective_to else "open"
        text = f"National Hazardous Waste List, {self.name} edition ({self.effective_from}..{end})"
        if self.stand_in is not None:
            text += f" (provisional: the {self.stand_in} entries stand in)"
        return text


@dataclass(frozen=True, slots=True)
class Catalog:
    """All waste catalogs: hazardous waste list editions, solid waste classes, EU crosswalk.

    Attributes:
        editions: The hazardous waste list editions, in date order, not overlapping.
        solid_waste_classes: The general solid waste classes and code ranges.
        crosswalk_entries: The EU List of Waste crosswalk.
    """

    editions: tuple[CatalogEdition, ...]
    solid_waste_classes: tuple[SolidWasteClass, ...] = ()
    crosswalk_entries: tuple[CrosswalkEntry, ...] = ()

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.editions, key=lambda edition: edition.effective_from))
        for earlier, later in zip(ordered, ordered[1:], strict=False):
            if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
                raise ValueError(f"editions {earlier.name} and {later.name} overlap")
        object.__setattr__(self, "editions", ordered)
        by_name = {edition.name: edition for edition in ordered}
        if len(by_name) != len(ordered):
            raise ValueError("two editions share a name")
        for edition in ordered:
            if edition.stand_in is None:
                continue
            source = by_name.get(edition.stand_in)
            if source is None or not source.available:
                raise ValueError(
                    f"edition {edition.name}: its stand-in {edition.stand_in} is not an "
                    "edition held as data"
                )

    def edition_at(self, on: date) -> CatalogEdition:
        """Return the edition in force on `on`.

        An edition not held as data but stood in for by another edition is returned with the
        stand-in's data; check `provisional` to warn that codes may differ from its text.

        Raises:
            NotFound: If no edition is in force that day, or the one in force is not held as
                data and has no stand-in (the detail says which).
        """
        for edition in self.editions:
            if edition.in_force_on(on):
                if not edition.usable:
                    raise NotFound(
                        f"the {edition.name} edition of the hazardous waste list, in force on "
                        f"{on}, is not available as data ({edition.note or 'no entries'})"
                    )
                return edition
        raise NotFound(f"no edition of the hazardous waste list is in force on {on}")

    def hazardous_waste(self, code: str, on: date) -> HazardousWaste:
        """Return the entry for `code` in the edition in force on `on`.

        Raises:
            NotFound: If the code is not listed then (`field` is `code`), or no edition is.
        """
        edition = self.edition_at(on)
        entry = edition.get(normalize_code_or_category(code))
        if entry is None:
            where = f"the {edition.name} edition"
            if edition.stand_in is not None:
                where += f" (provisional: the {edition.stand_in} entries stand in)"
            raise NotFound(f"{code!r} is not listed in {where}", field="code")
        return entry

    def categories(self, on: date) -> tuple[HazardousWasteCategory, ...]:
        """Return the categories of the edition in force on `on`, in code order."""
        return self.edition_at(on).categories

    def entries_in(self, category: str, on: date) -> tuple[HazardousWaste, ...]:
        """Return the entries of a category (`HW08`) in the edition in force on `on`."""
        wanted = normalize_code_or_category(category)
        return tuple(entry for entry in self.edition_at(on).entries if entry.category == wanted)

    def validate_code_or_category(self, value: str, on: date, field: str = "waste_code") -> str:
        """Return `value` normalized if it is a code or category of the edition in force.

        Args:
            value: A code (`900-214-08`, or `90021408`) or a category (`HW08`, `hw08`).
            on: The day whose edition applies (for an event, the day it happened).
            field: The input field to name in the error.

        Raises:
            UnknownWasteCode: If `value` is neither (the error names `field`).
            NotFound: If no edition is in force on `on`.
        """
        edition = self.edition_at(on)
        normalized = normalize_code_or_category(value)
        if is_hazardous_waste_code(normalized):
            if edition.get(normalized) is not None:
                return normalized
            reason = "is not a code of"
        elif is_hazardous_waste_category(normalized):
            if edition.category(normalized) is not None:
                return normalized
            reason = "is not a category of"
        else:
            raise UnknownWasteCode(
                f"{value!r} is neither a hazardous waste code (III-SSS-CC) nor a category (HWnn)",
                field=field,
            )
        raise UnknownWasteCode(f"{value!r} {reason} {edition}, in force on {on}", field=field)

    @staticmethod
    def covers(covered: Iterable[str], code: str) -> bool:
        """Return whether listed codes and categories cover `code`; see `covers`."""
        return covers(covered, code)

    def exemptions(self, code: str | None, on: date) -> tuple[Exemption, ...]:
        """Return the exemption rows that apply to a code or category, or all if `code` is None.

        For a code, rows naming the code or its category; for a category, rows naming the
        category or any code in it. Rows naming a kind of waste in words are returned only
        when `code` is None.

        Raises:
            UnknownWasteCode: If `code` is not a code or category of the edition (field `code`).
        """
        edition = self.edition_at(on)
        if code is None:
            return edition.exemptions
        wanted = self.validate_code_or_category(code, on, field="code")
        return tuple(row for row in edition.exemptions if row.applies_to(wanted))

    def search(self, text: str, on: date, limit: int = 50) -> tuple[HazardousWaste, ...]:
        """Find entries of the edition in force on `on`, best matches first.

        Ranking: the exact code; entries of a category (`HW08`); codes starting with the
        digits typed (`900-2`); entries whose category name contains the text (Chinese, or
        English case-insensitively); entries whose description or industry contains it;
        entries containing every whitespace-separated word somewhere. Ties keep list order.
        An empty text lists entries in list order.

        Raises:
            InvalidInput: If `limit` is below 1 (field `limit`).
        """
        if limit < 1:
            raise InvalidInput("must be at least 1", field="limit")
        edition = self.edition_at(on)
        query = text.strip()
        if not query:
            return edition.entries[:limit]
        ranked: list[tuple[int, int, HazardousWaste]] = []
        for index, entry in enumerate(edition.entries):
            rank = _rank(entry, query)
            if rank is not None:
                ranked.append((rank, index, entry))
        ranked.sort(key=lambda item: (item[0], item[1]))
        return tuple(entry for _, _, entry in ranked[:limit])

    def solid_waste_class(self, code: str) -> SolidWasteClass:
        """Return the solid waste class or range with this code (`SW02`, `S60-S69`).

        Raises:
            NotFound: If there is none (field `code`).
        """
        wanted = code.strip().upper()
        for item in self.solid_waste_classes:
            if item.code.upper() == wanted:
                return item
        raise NotFound(f"no solid waste class {code!r}", field="code")

    def crosswalk(self, query: str) -> tuple[CrosswalkEntry, ...]:
        """Find crosswalk rows by Chinese code, category, class, EU code or words.

        A hazardous waste code or `SWnn` class matches rows naming it; `HWnn` matches rows
        naming any code of that category; an EU code (`13 02 05*`, `130205`, or a chapter
        prefix such as `13` or `13 02`) matches by its digits; anything else matches rows whose
        descriptions or Basel codes contain it, case-insensitively. An empty query lists all.
        """
        text = query.strip()
        if not text:
            return self.crosswalk_entries
        normalized = normalize_code_or_category(text)
        if is_hazardous_waste_category(normalized):
            return tuple(
                row
                for row in self.crosswalk_entries
                if any(
                    is_hazardous_waste_code(code) and category_of(code) == normalized
                    for code in row.cn_codes
                )
            )
        if is_hazardous_waste_code(normalized) or re.fullmatch(r"SW\d{2}", normalized):
            return tuple(row for row in self.crosswalk_entries if normalized in row.cn_codes)
        if _EU_CODE_RE.fullmatch(text):
            digits = "".join(char for char in text if char.isdigit())
            return tuple(
                row for row in self.crosswalk_entries if row.eu_code_digits.startswith(digits)
            )
        return tuple(row for row in self.crosswalk_entries if row.mentions(text))


def _rank(entry: HazardousWaste, query: str) -> int | None:
    """Return the rank of `entry` for `query` (lower is better), or None if it does not match."""
    normalized = normalize_code_or_category(query)
    if entry.code == normalized:
        return 0
    if normalized.startswith("HW") and entry.category.startswith(normalized):
        return 1
    if _CODE_PREFIX_RE.fullmatch(query):
        digits = query.replace("-", "")
        return 2 if digits and entry.code.replace("-", "").startswith(digits) else None
    phrase = query.casefold()
    if phrase in entry.category_name_zh or phrase in entry.category_name_en.casefold():
        return 3
    if phrase in entry.description_zh.casefold() or phrase in entry.industry_source_zh:
        return 4
    haystack = " ".join(
        (
            entry.code,
            entry.category,
            entry.category_name_zh,
            entry.category_name_en,
            entry.industry_source_zh,
            entry.description_zh,
        )
    ).casefold()
    return 5 if all(word in haystack for word in phrase.split()) else None
