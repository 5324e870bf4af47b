"""Administrative divisions (GB/T 2260) and industries (GB/T 4754-2017)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

_REGION_CODE = re.compile(r"^\d{6}$")


class RegionLevel(StrEnum):
    """Tier of an administrative division."""

    PROVINCE = "province"
    PREFECTURE = "prefecture"
    COUNTY = "county"


@dataclass(frozen=True, slots=True)
class Region:
    """One GB/T 2260 division."""

    code: str
    name_zh: str
    level: RegionLevel
    parent_code: str | None

    @property
    def province_code(self) -> str:
        """The code of the province this division lies in."""
        return self.code[:2] + "0000"


def is_region_code(value: str) -> bool:
    """Whether `value` has the six-digit shape of a GB/T 2260 code."""
    return bool(_REGION_CODE.match(value))


def region_prefix(code: str) -> str:
    """The shortest prefix naming `code` and everything under it (`320500` -> `3205`)."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def in_jurisdiction(region_code: str, jurisdiction_code: str) -> bool:
    """Whether `region_code` lies within the division `jurisdiction_code`."""
    return region_code.startswith(region_prefix(jurisdiction_code))


class IndustryLevel(StrEnum):
    """Tier of a GB/T 4754-2017 industry code."""

    SECTION = "section"
    DIVISION = "division"
    GROUP = "group"
    CLASS = "class"


@dataclass(frozen=True, slots=True)
class Industry:
    """One GB/T 4754-2017 industry."""

    code: str
    name_zh: str
    level: IndustryLevel
    parent_code: str | None
