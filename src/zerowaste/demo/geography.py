"""Where the demo city lies: real county codes of 苏州市 and 嘉兴市, and points inside them."""

from __future__ import annotations

import random
from dataclasses import dataclass

HOME_PROVINCE = "320000"
HOME_PREFECTURE = "320500"
NEIGHBOUR_PROVINCE = "330000"
NEIGHBOUR_PREFECTURE = "330400"


@dataclass(frozen=True, slots=True)
class BoundingBox:
    """A latitude/longitude rectangle in WGS84 degrees."""

    south: float
    north: float
    west: float
    east: float

    def contains(self, latitude: float, longitude: float) -> bool:
        """Whether the point lies inside the box (edges included)."""
        return self.south <= latitude <= self.north and self.west <= longitude <= self.east


@dataclass(frozen=True, slots=True)
class County:
    """A county-level division the demo places firms in.

    Attributes:
        code: GB/T 2260 code.
        name_zh: Official name.
        prefecture_code: The prefecture it belongs to.
        place_zh: The place name firms registered there put in front of their names.
        place_en: The same in pinyin.
        latitude: Approximate centre of its built-up industrial area.
        longitude: Approximate centre of its built-up industrial area.
        spread_deg: Standard deviation of the scatter around the centre, in degrees.
    """

    code: str
    name_zh: str
    prefecture_code: str
    place_zh: str
    place_en: str
    latitude: float
    longitude: float
    spread_deg: float


#: Approximate bounding boxes of the two prefectures (hand-drawn around their outlines;
#: approximate, for scattering and checking demo coordinates, not for any real use).
PREFECTURE_BOXES = {
    HOME_PREFECTURE: BoundingBox(south=30.76, north=32.04, west=119.92, east=121.34),
    NEIGHBOUR_PREFECTURE: BoundingBox(south=30.38, north=31.03, west=120.32, east=121.28),
}

#: Every county-level division of 苏州市 (320500) and 嘉兴市 (330400). Codes and names:
#: GB/T 2260 as shipped in `zerowaste/data/reference/regions.csv` (see its SOURCES.md);
#: the tests check this list against that table. Centres are approximate.
COUNTIES = (
    County("320505", "虎丘区", HOME_PREFECTURE, "苏州", "Suzhou", 31.30, 120.50, 0.03),
    County("320506", "吴中区", HOME_PREFECTURE, "苏州", "Suzhou", 31.23, 120.64, 0.04),
    County("320507", "相城区", HOME_PREFECTURE, "苏州", "Suzhou", 31.40, 120.63, 0.03),
    County("320508", "姑苏区", HOME_PREFECTURE, "苏州", "Suzhou", 31.31, 120.61, 0.01),
    County("320509", "吴江区", HOME_PREFECTURE, "吴江", "Wujiang", 30.96, 120.64, 0.05),
    County("320581", "常熟市", HOME_PREFECTURE, "常熟", "Changshu", 31.65, 120.76, 0.05),
    County("320582", "张家港市", HOME_PREFECTURE, "张家港", "Zhangjiagang", 31.88, 120.56, 0.04),
    County("320583", "昆山市", HOME_PREFECTURE, "昆山", "Kunshan", 31.37, 120.97, 0.04),
    County("320585", "太仓市", HOME_PREFECTURE, "太仓", "Taicang", 31.48, 121.11, 0.04),
    County("330402", "南湖区", NEIGHBOUR_PREFECTURE, "嘉兴", "Jiaxing", 30.75, 120.79, 0.03),
    County("330411", "秀洲区", NEIGHBOUR_PREFECTURE, "嘉兴", "Jiaxing", 30.78, 120.70, 0.03),
    County("330421", "嘉善县", NEIGHBOUR_PREFECTURE, "嘉善", "Jiashan", 30.85, 120.92, 0.03),
    County("330424", "海盐县", NEIGHBOUR_PREFECTURE, "海盐", "Haiyan", 30.52, 120.94, 0.03),
    County("330481", "海宁市", NEIGHBOUR_PREFECTURE, "海宁", "Haining", 30.51, 120.68, 0.04),
    County("330482", "平湖市", NEIGHBOUR_PREFECTURE, "平湖", "Pinghu", 30.68, 121.03, 0.04),
    County("330483", "桐乡市", NEIGHBOUR_PREFECTURE, "桐乡", "Tongxiang", 30.63, 120.55, 0.04),
)

COUNTIES_BY_CODE = {county.code: county for county in COUNTIES}


def county(code: str) -> County:
    """The demo county with this GB/T 2260 code (KeyError if it is not one)."""
    return COUNTIES_BY_CODE[code]


def scatter(
    rng: random.Random, around: County, *, spread_deg: float | None = None
) -> tuple[float, float]:
    """A point near a county's centre, inside its prefecture's box, rounded to about 1 m.

    Args:
        rng: The generator's random source.
        around: The county to scatter around.
        spread_deg: Override of the county's own scatter.

    Returns:
        (latitude, longitude) in WGS84 degrees.
    """
    return near(rng, around.latitude, around.longitude, around, spread_deg or around.spread_deg)


def near(
    rng: random.Random, latitude: float, longitude: float, within: County, spread_deg: float
) -> tuple[float, float]:
    """A point scattered around (latitude, longitude), kept inside `within`'s prefecture."""
    box = PREFECTURE_BOXES[within.prefecture_code]
    for _ in range(20):
        lat = round(rng.gauss(latitude, spread_deg), 5)
        lon = round(rng.gauss(longitude, spread_deg * 1.15), 5)
        if box.contains(lat, lon):
            return lat, lon
    return (
        round(min(max(latitude, box.south), box.north), 5),
        round(min(max(longitude, box.west), box.east), 5),
    )
