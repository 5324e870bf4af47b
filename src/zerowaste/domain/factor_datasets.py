"""Versioned factor datasets and the filters that select factors from one."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from zerowaste.domain.factors import (
    CHINA,
    GLOBAL,
    Factor,
    FactorCategory,
    FactorKey,
    FactorSet,
    WasteRoute,
)
from zerowaste.errors import InvalidInput

#: The longest dataset name and version accepted.
MAX_NAME_CHARS = 100
MAX_VERSION_CHARS = 40
MAX_DESCRIPTION_CHARS = 2000
#: How a global region is spelled in references, CSV files and query filters.
GLOBAL_LABEL = "GLO"


@dataclass(frozen=True, slots=True)
class FactorDataset:
    """One stored version of the factor library; exactly one is active at a time."""

    id: uuid.UUID
    name: str
    version: str
    description: str
    created_at: datetime
    created_by: uuid.UUID | None
    is_active: bool
    factor_count: int

    @property
    def label(self) -> str:
        """`name version`, the label a `FactorBook` carries."""
        return f"{self.name} {self.version}"


def check_dataset_label(name: str, version: str, description: str) -> tuple[str, str, str]:
    """The stripped name, version and description, or `InvalidInput` naming the bad one."""
    name, version, description = name.strip(), version.strip(), description.strip()
    for field, text, limit in (
        ("name", name, MAX_NAME_CHARS),
        ("version", version, MAX_VERSION_CHARS),
    ):
        if not text:
            raise InvalidInput("must not be empty", field=field)
        if len(text) > limit:
            raise InvalidInput(f"at most {limit} characters", field=field)
    if len(description) > MAX_DESCRIPTION_CHARS:
        raise InvalidInput(f"at most {MAX_DESCRIPTION_CHARS} characters", field="description")
    return name, version, description


def region_label(region: str) -> str:
    """A factor's region as references and files spell it (`GLO` for the global default)."""
    return region or GLOBAL_LABEL


def region_of_label(label: str, *, field: str = "region") -> str:
    """The stored region for `GLO`, `CN` or a six-digit GB/T 2260 code."""
    text = label.strip()
    if text.upper() in (GLOBAL_LABEL, "GLOBAL", ""):
        return GLOBAL
    if text == CHINA or (len(text) == 6 and text.isdigit()):
        return text
    raise InvalidInput(f"{label!r} is not GLO, CN or a six-digit GB/T 2260 code", field=field)


def parse_ref(ref: str) -> FactorKey:
    """The key of a reference like `avoided/waste_route/steel/recycling/CN/2023`.

    Raises:
        InvalidInput: If `ref` does not have the six parts of `FactorKey.ref` (field `ref`).
    """
    parts = ref.strip("/").split("/")
    if len(parts) != 6:
        raise InvalidInput(
            "a factor reference is set/category/subject/route/region/year", field="ref"
        )
    set_text, category_text, subject, route, region, year = parts
    try:
        factor_set, category = FactorSet(set_text), FactorCategory(category_text)
    except ValueError:
        raise InvalidInput(f"{ref!r} names no factor set and category", field="ref") from None
    if not year.isdigit():
        raise InvalidInput(f"{year!r} is not a year", field="ref")
    return FactorKey(
        factor_set,
        category,
        subject,
        "" if route == "-" else route,
        region_of_label(region, field="ref"),
        int(year),
    )


@dataclass(frozen=True, slots=True)
class FactorFilter:
    """Which factors of a dataset to list; an empty field matches every factor."""

    factor_set: FactorSet | None = None
    category: FactorCategory | None = None
    subject: str = ""
    route: str = ""
    region: str | None = None

    @classmethod
    def parse(
        cls,
        *,
        factor_set: str = "",
        category: str = "",
        subject: str = "",
        route: str = "",
        region: str = "",
    ) -> FactorFilter:
        """A filter from query text, naming the bad field (`set`, `category`, `route`, `region`)."""
        try:
            chosen_set = FactorSet(factor_set) if factor_set else None
        except ValueError:
            raise InvalidInput(_choices(factor_set, FactorSet), field="set") from None
        try:
            chosen_category = FactorCategory(category) if category else None
        except ValueError:
            raise InvalidInput(_choices(category, FactorCategory), field="category") from None
        if route and route not in set(WasteRoute):
            raise InvalidInput(_choices(route, WasteRoute), field="route")
        return cls(
            chosen_set,
            chosen_category,
            subject.strip(),
            route,
            region_of_label(region) if region.strip() else None,
        )

    def matches(self, factor: Factor) -> bool:
        """Whether `factor` passes every field of the filter."""
        return (
            (self.factor_set is None or factor.factor_set is self.factor_set)
            and (self.category is None or factor.category is self.category)
            and (not self.subject or factor.subject == self.subject)
            and (not self.route or factor.route == self.route)
            and (self.region is None or factor.region == self.region)
        )


def _choices(text: str, kind: Iterable[object]) -> str:
    return f"{text!r} is not one of {', '.join(str(k) for k in kind)}"
