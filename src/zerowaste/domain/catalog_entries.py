"""Entries of the waste catalogs: hazardous wastes, exemptions, solid waste classes, crosswalk."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

_CODE_RE = re.compile(r"\d{3}-\d{3}-\d{2}")
_CATEGORY_RE = re.compile(r"HW\d{2}")
_BARE_CODE_RE = re.compile(r"\d{8}")
_SW_CLASS_RE = re.compile(r"SW\d{2}")


def is_hazardous_waste_code(value: str) -> bool:
    """Return whether `value` has the `III-SSS-CC` form of a hazardous waste code.

    Args:
        value: The text to check, exactly as given (no normalization).

    Returns:
        True for three digits of industry source, three of sequence and two of category.
    """
    return _CODE_RE.fullmatch(value) is not None


def is_hazardous_waste_category(value: str) -> bool:
    """Return whether `value` has the `HWnn` form of a hazardous waste category."""
    return _CATEGORY_RE.fullmatch(value) is not None


def category_of(code: str) -> str:
    """Return the category (`HW08`) a well-formed code (`900-214-08`) belongs to.

    Raises:
        ValueError: If `code` is not of the `III-SSS-CC` form.
    """
    if not is_hazardous_waste_code(code):
        raise ValueError(f"not a hazardous waste code: {code!r}")
    return "HW" + code[-2:]


def normalize_code_or_category(value: str) -> str:
    """Return `value` trimmed and upper-cased, with a bare 8-digit code given its dashes.

    `" hw08 "` becomes `"HW08"` and `"90021408"` becomes `"900-214-08"`; anything else is
    returned trimmed and upper-cased, so a caller can then test its form.
    """
    text = value.strip().upper()
    if _BARE_CODE_RE.fullmatch(text):
        return f"{text[:3]}-{text[3:6]}-{text[6:]}"
    return text


class HazardCharacteristic(StrEnum):
    """A hazard characteristic (危险特性) of a listed waste, by its code in the list."""

    TOXICITY = "T"
    CORROSIVITY = "C"
    IGNITABILITY = "I"
    REACTIVITY = "R"
    INFECTIVITY = "In"

    @property
    def label_zh(self) -> str:
        """The Chinese name used in the list."""
        return _LABELS[self][0]

    @property
    def label_en(self) -> str:
        """An English name."""
        return _LABELS[self][1]

    @classmethod
    def parse_many(cls, codes: str) -> frozenset[HazardCharacteristic]:
        """Return the characteristics in a `;`-joined list such as `"T;I"`.

        Raises:
            ValueError: If a part is not a characteristic code.
        """
        return frozenset(cls(part.strip()) for part in codes.split(";") if part.strip())


_LABELS = {
    HazardCharacteristic.TOXICITY: ("毒性", "toxicity"),
    HazardCharacteristic.CORROSIVITY: ("腐蚀性", "corrosivity"),
    HazardCharacteristic.IGNITABILITY: ("易燃性", "ignitability"),
    HazardCharacteristic.REACTIVITY: ("反应性", "reactivity"),
    HazardCharacteristic.INFECTIVITY: ("感染性", "infectivity"),
}


class Verification(StrEnum):
    """How far a catalog row was checked against its source."""

    VERIFIED = "yes"
    PARTIAL = "partial"
    UNVERIFIED = "no"


@dataclass(frozen=True, slots=True)
class HazardousWasteCategory:
    """A category of the hazardous waste list, such as HW08 废矿物油与含矿物油废物.

    Attributes:
        code: `HWnn`.
        name_zh: The name printed in the list.
        name_en: The project's own English translation (not an official name).
    """

    code: str
    name_zh: str
    name_en: str

    def __post_init__(self) -> None:
        if not is_hazardous_waste_category(self.code):
            raise ValueError(f"not a hazardous waste category: {self.code!r}")


@dataclass(frozen=True, slots=True)
class HazardousWaste:
    """One entry of the hazardous waste list.

    Attributes:
        code: The 8-digit code `III-SSS-CC` (industry source, sequence, category number).
        category: The category `HWnn`, matching the code's last two digits.
        category_name_zh: The category's name in the list.
        category_name_en: The project's English translation of the category name.
        industry_source_zh: The industry the waste comes from, as printed.
        description_zh: The waste as described in the list.
        characteristics: The hazard characteristics.
        notation: The printed notation of the characteristics (`T,I`, `T/C/I/R`).
        source_page: The page of the official PDF the entry is on, if known.
        notes: Table notes that apply to the entry.
    """

    code: str
    category: str
    category_name_zh: str
    category_name_en: str
    industry_source_zh: str
    description_zh: str
    characteristics: frozenset[HazardCharacteristic]
    notation: str
    source_page: int | None = None
    notes: str = ""

    def __post_init__(self) -> None:
        if category_of(self.code) != self.category:
            raise ValueError(f"{self.code} does not belong to category {self.category}")

    @property
    def industry_code(self) -> str:
        """The first three digits: the industry source (GB/T 4754 group, mostly)."""
        return self.code[:3]


@dataclass(frozen=True, slots=True)
class Exemption:
    """One exempted stage of an item of the exemption list (豁免管理清单).

    Attributes:
        item_no: The item's number in the list (several rows may share it).
        subject: What the item names, as printed: codes joined with `;`, a category, or a
            description of a kind of waste (`历史遗留危险废物`), or `-`.
        description_zh: The waste the exemption is about.
        stage_zh: The exempted stage (`收集`, `运输`, `利用`, `处置`, `全部环节` …).
        conditions_zh: The conditions under which the exemption holds.
        content_zh: What is exempted.
    """

    item_no: int
    subject: str
    description_zh: str
    stage_zh: str
    conditions_zh: str
    content_zh: str

    @property
    def codes(self) -> frozenset[str]:
        """The hazardous waste codes the item names."""
        return frozenset(part for part in _parts(self.subject) if is_hazardous_waste_code(part))

    @property
    def categories(self) -> frozenset[str]:
        """The categories the item names as a whole."""
        return frozenset(part for part in _parts(self.subject) if is_hazardous_waste_category(part))

    def applies_to(self, code_or_category: str) -> bool:
        """Return whether the item names this code or its category (for a category: or its codes).

        Args:
            code_or_category: A normalized code (`900-210-08`) or category (`HW34`).
        """
        if is_hazardous_waste_code(code_or_category):
            return (
                code_or_category in self.codes or category_of(code_or_category) in self.categories
            )
        return code_or_category in self.categories or any(
            category_of(code) == code_or_category for code in self.codes
        )


def _parts(joined: str) -> Iterable[str]:
    return (part.strip() for part in joined.split(";") if part.strip())


@dataclass(frozen=True, slots=True)
class SolidWasteClass:
    """A general solid waste class or code range, with how far it was verified.

    Attributes:
        code: `SWnn` for a class, or a range of the 2024 catalogue (`S60-S69`).
        name_zh: Chinese name.
        name_en: English name.
        level: `tier1_code_range` or `tier2_class`.
        parent: The range a class belongs to, or empty.
        verification: Whether the row was checked against an official table.
        source_notes: Where the row comes from.
    """

    code: str
    name_zh: str
    name_en: str
    level: str
    parent: str
    verification: Verification
    source_notes: str

    @property
    def is_class(self) -> bool:
        """True for an `SWnn` class, False for a code range."""
        return _SW_CLASS_RE.fullmatch(self.code) is not None


@dataclass(frozen=True, slots=True)
class CrosswalkEntry:
    """A row of the crosswalk between the EU List of Waste, China's codes and Basel codes.

    Attributes:
        eu_code: The EU code as printed, `*` marking a hazardous entry (`13 02 05*`).
        eu_hazardous: Whether the EU entry is hazardous.
        eu_description_en: The EU entry's description.
        waste_type_en: The waste the row is about, in English.
        waste_type_zh: The same in Chinese.
        cn_code_type: `HW` (hazardous waste code) or `SW` (solid waste class).
        cn_codes: The Chinese codes or classes the EU entry maps to.
        cn_description_zh: The Chinese entry's description.
        basel_codes: Basel Convention codes, as printed (`Y8; A3020`).
        confidence: The judged quality of the match: `high`, `medium` or `low`.
        notes: Caveats of the match.
        cn_verification: How far the Chinese code was verified.
    """

    eu_code: str
    eu_hazardous: bool
    eu_description_en: str
    waste_type_en: str
    waste_type_zh: str
    cn_code_type: str
    cn_codes: tuple[str, ...]
    cn_description_zh: str
    basel_codes: str
    confidence: str
    notes: str
    cn_verification: Verification

    @property
    def eu_code_digits(self) -> str:
        """The EU code's six digits without spaces or asterisk (`130205`)."""
        return "".join(char for char in self.eu_code if char.isdigit())

    def mentions(self, text: str) -> bool:
        """Return whether case-folded `text` occurs in the row's descriptions or Basel codes."""
        haystack = " ".join(
            (
                self.waste_type_en,
                self.waste_type_zh,
                self.eu_description_en,
                self.cn_description_zh,
                self.basel_codes,
            )
        ).casefold()
        return text.casefold() in haystack
