"""The market economics file: the packaged one loads; bad rows are named by row and column."""

from __future__ import annotations

from datetime import date

import pytest

from zerowaste.adapters.catalog_files import load_catalog
from zerowaste.adapters.market_files import COLUMNS, load_market_economics, parse_economics_csv
from zerowaste.domain.market_allocations import AllocationPeriod
from zerowaste.domain.market_economics import HazardClass
from zerowaste.errors import InvalidAllocationPeriod, InvalidInput

HEADER = ",".join(COLUMNS)
GOOD = [
    "disposal,hazardous,landfill,secure_landfill,3000,CNY/t,src,illustrative,",
    "disposal,general,landfill,general_landfill,100,CNY/t,src,illustrative,",
    *(f"freight,{c},,,1.0,CNY/t.km,src,illustrative," for c in HazardClass),
    "carbon_price,CN,,,90,CNY/t CO2e,src,illustrative,",
    "cross_province,CN,,,150,CNY/t,src,illustrative,",
    "road_factor,CN,,,1.3,km/km,src,illustrative,",
]


def text(rows: list[str]) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def test_the_packaged_file_covers_every_category_of_the_catalog() -> None:
    economics = load_market_economics()
    categories = {c.code for c in load_catalog().categories(date(2026, 11, 1))}
    assert categories <= set(economics.disposal)
    for category in categories:
        cost = economics.disposal[category]
        assert 1500 <= cost.cost_cny_per_t <= 5000, category
        assert cost.source
    for key, cost in economics.disposal.items():
        if key.startswith("SW"):
            assert 40 <= cost.cost_cny_per_t <= 150, key
    assert economics.freight_cny_per_tkm["general"] == 0.5
    assert all(
        1.2 <= economics.freight_cny_per_tkm[c] <= 2.0
        for c in HazardClass
        if c is not HazardClass.GENERAL
    )
    assert economics.carbon_price_cny_per_t == 90.0


def test_a_minimal_good_file_parses() -> None:
    economics = parse_economics_csv(text(GOOD))
    assert economics.road_factor == 1.3
    assert economics.disposal_of("HW08", True).cost_cny_per_t == 3000


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("disposal,HW08,boiling,incineration,2500,CNY/t,src,illustrative,", "rows[13].route"),
        ("disposal,HW8,incineration,incineration,2500,CNY/t,src,illustrative,", "rows[13].key"),
        ("disposal,HW08,incineration,,2500,CNY/t,src,illustrative,", "rows[13].method"),
        ("disposal,HW08,incineration,incineration,cheap,CNY/t,src,illustrative,", "rows[13].value"),
        ("disposal,HW08,incineration,incineration,-5,CNY/t,src,illustrative,", "rows[13].value"),
        ("disposal,HW08,incineration,incineration,nan,CNY/t,src,illustrative,", "rows[13].value"),
        ("disposal,HW08,incineration,incineration,2500,USD/t,src,illustrative,", "rows[13].unit"),
        ("disposal,HW08,incineration,incineration,2500,CNY/t,,illustrative,", "rows[13].source"),
        (
            "disposal,HW08,incineration,incineration,2500,CNY/t,src,guessed,",
            "rows[13].verification",
        ),
        ("disposal,hazardous,landfill,x,1,CNY/t,src,illustrative,", "rows[13].key"),
        ("freight,radioactive,,,3,CNY/t.km,src,illustrative,", "rows[13].key"),
        ("carbon_price,CN,,,80,CNY/t CO2e,src,illustrative,", "rows[13].kind"),
        ("rebate,CN,,,80,CNY/t,src,illustrative,", "rows[13].kind"),
        ("road_factor,CN,,,0.5,km/km,src,illustrative,", "rows[13].value"),
        ("disposal,HW08,incineration,incineration,2500,CNY/t,src,illustrative,,extra", "rows[13]"),
    ],
)
def test_a_bad_row_is_named(row: str, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_economics_csv(text([*GOOD, row]))
    assert caught.value.field == field


@pytest.mark.parametrize("dropped", [0, 1, 2, 9, 10, 11])
def test_a_missing_required_row_is_refused(dropped: int) -> None:
    rows = [row for i, row in enumerate(GOOD) if i != dropped]
    with pytest.raises(InvalidInput) as caught:
        parse_economics_csv(text(rows))
    assert caught.value.field == "rows"


def test_a_missing_column_is_named() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_economics_csv("kind,key,value\n")
    assert caught.value.field == "header"
    assert "route" in caught.value.detail


@pytest.mark.parametrize(
    ("raw", "start", "end"),
    [
        ("2026-11", date(2026, 11, 1), date(2026, 11, 30)),
        ("2028-02", date(2028, 2, 1), date(2028, 2, 29)),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("2026-q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-11-03/2026-11-09", date(2026, 11, 3), date(2026, 11, 9)),
        ("2026-11-03..2027-11-03", date(2026, 11, 3), date(2027, 11, 3)),
    ],
)
def test_periods_parse(raw: str, start: date, end: date) -> None:
    period = AllocationPeriod.parse(raw)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "2026-13",
        "2026-Q5",
        "26-11",
        "2026-11-31/2026-12-01",
        "2026-12-01/2026-11-01",
        "2026-01-01/2027-06-01",
        "november",
    ],
)
def test_bad_periods_are_refused(raw: str) -> None:
    with pytest.raises(InvalidAllocationPeriod) as caught:
        AllocationPeriod.parse(raw)
    assert caught.value.field == "period"
