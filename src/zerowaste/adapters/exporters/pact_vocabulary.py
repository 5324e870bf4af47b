"""The PACT v3 terms the footprint export maps onto: units, subdivisions, standards, GWP sets.

Sources:
- PACT Technical Specifications v3.0 (WBCSD, `spec/v3/openapi.yaml` of
  github.com/wbcsd/data-exchange-protocol): the `declaredUnitOfMeasurement` enum, the
  `crossSectoralStandards` values, the `ipccCharacterizationFactors` pattern `AR<n>`.
- ISO 3166-2:CN as changed by the ISO 3166 Maintenance Agency in November 2017, when China's
  subdivision codes went from the two GB/T 2260 digits (`CN-32`) to two letters (`CN-JS`);
  the table below pairs each GB/T 2260 province-level code with its current ISO code, as the
  ISO 3166-2:CN entry lists them with their former numeric codes (see handwiki.org/wiki/
  ISO_3166-2:CN and the "old code" column of the French Wikipedia article ISO 3166-2:CN).
- UN M49 (unstats.un.org/unsd/methodology/m49/): China lies in "Eastern Asia", region "Asia".
- GB/T 24067-2024 draws on ISO 14067 but adds to it (Ministry of Ecology and Environment's
  announcement of its release, September 2024), so it is not declared as `ISO14067`: PACT lets
  other values through, and the exporter names it in the comment.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Final

from zerowaste.errors import PactUnitUnsupported

SPEC_VERSION: Final = "3.0.0"
COUNTRY: Final = "CN"
#: The UN M49 sub-region and region China lies in (used by the `geography` filter).
SUBREGION: Final = "Eastern Asia"
REGION: Final = "Asia"

#: GB/T 2260 province-level code (first two digits) -> ISO 3166-2:CN code (since 2017-11).
PROVINCE_ISO: Final[dict[str, str]] = {
    "11": "CN-BJ",  # 北京市 Beijing
    "12": "CN-TJ",  # 天津市 Tianjin
    "13": "CN-HE",  # 河北省 Hebei
    "14": "CN-SX",  # 山西省 Shanxi
    "15": "CN-NM",  # 内蒙古自治区 Nei Mongol
    "21": "CN-LN",  # 辽宁省 Liaoning
    "22": "CN-JL",  # 吉林省 Jilin
    "23": "CN-HL",  # 黑龙江省 Heilongjiang
    "31": "CN-SH",  # 上海市 Shanghai
    "32": "CN-JS",  # 江苏省 Jiangsu
    "33": "CN-ZJ",  # 浙江省 Zhejiang
    "34": "CN-AH",  # 安徽省 Anhui
    "35": "CN-FJ",  # 福建省 Fujian
    "36": "CN-JX",  # 江西省 Jiangxi
    "37": "CN-SD",  # 山东省 Shandong
    "41": "CN-HA",  # 河南省 Henan
    "42": "CN-HB",  # 湖北省 Hubei
    "43": "CN-HN",  # 湖南省 Hunan
    "44": "CN-GD",  # 广东省 Guangdong
    "45": "CN-GX",  # 广西壮族自治区 Guangxi
    "46": "CN-HI",  # 海南省 Hainan
    "50": "CN-CQ",  # 重庆市 Chongqing
    "51": "CN-SC",  # 四川省 Sichuan
    "52": "CN-GZ",  # 贵州省 Guizhou
    "53": "CN-YN",  # 云南省 Yunnan
    "54": "CN-XZ",  # 西藏自治区 Xizang
    "61": "CN-SN",  # 陕西省 Shaanxi
    "62": "CN-GS",  # 甘肃省 Gansu
    "63": "CN-QH",  # 青海省 Qinghai
    "64": "CN-NX",  # 宁夏回族自治区 Ningxia
    "65": "CN-XJ",  # 新疆维吾尔自治区 Xinjiang
    "71": "CN-TW",  # 台湾省 Taiwan
    "81": "CN-HK",  # 香港特别行政区 Hong Kong (GB/T 2260 81; formerly CN-91)
    "82": "CN-MO",  # 澳门特别行政区 Macao (GB/T 2260 82; formerly CN-92)
}

#: Our declared units (UN/CEFACT Rec. 20 codes and common spellings) -> (PACT unit, factor):
#: one of ours is `factor` PACT units. PACT has no tonne, so a tonne is 1000 kilogram.
UNITS: Final[dict[str, tuple[str, Decimal]]] = {
    **dict.fromkeys(("kg", "KGM", "kilogram"), ("kilogram", Decimal(1))),
    **dict.fromkeys(("t", "TNE", "tonne", "ton"), ("kilogram", Decimal(1000))),
    **dict.fromkeys(("g", "GRM", "gram"), ("kilogram", Decimal("0.001"))),
    **dict.fromkeys(("L", "l", "LTR", "liter", "litre"), ("liter", Decimal(1))),
    **dict.fromkeys(("m3", "MTQ", "cubic meter"), ("cubic meter", Decimal(1))),
    **dict.fromkeys(("kWh", "KWH", "kilowatt hour"), ("kilowatt hour", Decimal(1))),
    **dict.fromkeys(("MWh", "MWH"), ("kilowatt hour", Decimal(1000))),
    **dict.fromkeys(("MJ", "MJ_", "megajoule"), ("megajoule", Decimal(1))),
    **dict.fromkeys(("GJ", "GV"), ("megajoule", Decimal(1000))),
    **dict.fromkeys(("tkm", "TKM", "t.km", "ton kilometer"), ("ton kilometer", Decimal(1))),
    **dict.fromkeys(("m2", "MTK", "square meter"), ("square meter", Decimal(1))),
    **dict.fromkeys(("piece", "pcs", "H87", "C62", "unit"), ("piece", Decimal(1))),
    **dict.fromkeys(("h", "HUR", "hour"), ("hour", Decimal(1))),
}

#: Substrings of a standard's name -> the PACT `crossSectoralStandards` value.
_STANDARDS: Final = (
    ("14067", "ISO14067"),
    ("14083", "ISO14083"),
    ("14040", "ISO14040-44"),
    ("14044", "ISO14040-44"),
    ("GHG PROTOCOL", "GHGP-Product"),
    ("GHGP", "GHGP-Product"),
    ("PEF", "PEF"),
    ("PAS 2050", "PAS2050"),
    ("PAS2050", "PAS2050"),
    ("PACT", "PACT-3.0"),
)
_IPCC = re.compile(r"AR\s?(\d+)", re.IGNORECASE)


def subdivision(region_code: str) -> str | None:
    """The ISO 3166-2:CN code of the province a GB/T 2260 code lies in (`320505` -> `CN-JS`)."""
    return PROVINCE_ISO.get(region_code[:2]) if len(region_code) == 6 else None


def pact_unit(declared_unit: str) -> tuple[str, Decimal]:
    """PACT's unit for one of ours and how many of them one of ours is.

    Raises:
        PactUnitUnsupported: PACT v3 has no unit for it.
    """
    found = UNITS.get(declared_unit.strip())
    if found is None:
        raise PactUnitUnsupported(
            f"{declared_unit!r} has no PACT v3 declaredUnitOfMeasurement", field="declared_unit"
        )
    return found


def cross_sectoral(standards: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """(PACT values, names PACT has no value for) for the standards a footprint follows."""
    mapped: list[str] = []
    unmapped: list[str] = []
    for name in standards:
        value = next((v for key, v in _STANDARDS if key in name.upper()), None)
        if value is None:
            unmapped.append(name)
        elif value not in mapped:
            mapped.append(value)
    return mapped, unmapped


def ipcc_reports(characterization: str) -> list[str]:
    """The IPCC assessment reports named in a characterization (`IPCC AR6 GWP100` -> [AR6])."""
    reports: list[str] = []
    for number in _IPCC.findall(characterization):
        if f"AR{int(number)}" not in reports:
            reports.append(f"AR{int(number)}")
    return reports


def factor_source(text: str) -> dict[str, str]:
    """A secondary data source `{name, version}` from `"<name> <version>"` (version has a digit).

    A source named without a version (`"CLCD"`) is exported with version `"unversioned"`.
    """
    name, _, last = text.strip().rpartition(" ")
    if name and any(ch.isdigit() for ch in last):
        return {"name": name.strip(), "version": last}
    return {"name": text.strip(), "version": "unversioned"}
