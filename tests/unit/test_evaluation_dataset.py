"""Panel datasets from CSV: validation naming row and column, balance, joins, round trips."""

from __future__ import annotations

import math

import pytest

from tests.evaluation_world import grunfeld, grunfeld_csv
from zerowaste.errors.evaluation import DatasetInvalid
from zerowaste.evaluation.dataset import join, parse_csv


def test_grunfeld_parses_as_a_balanced_panel_and_round_trips() -> None:
    panel = grunfeld()
    assert panel.variables == ("invest", "value", "capital")
    balance = panel.balance
    assert (balance.firms, balance.years, balance.rows, balance.balanced) == (10, 20, 200, True)
    assert (balance.first_year, balance.last_year) == (1935, 1954)
    again = parse_csv(panel.to_csv())
    assert again.frame.equals(panel.frame)
    assert grunfeld_csv().startswith("firm,city,year,invest")


def test_missing_cells_are_nan_and_an_unbalanced_panel_is_reported() -> None:
    panel = parse_csv("firm,city,year,y,x\nA,S,2020,1,2\nA,S,2021,,NA\nB,S,2020,3,.\n")
    assert math.isnan(panel.frame.loc[1, "y"])
    assert math.isnan(panel.frame.loc[2, "x"])
    assert panel.balance.balanced is False


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("", "row 1: header"),
        ("firm,year,city,y\n", "row 1: header"),
        ("firm,city,year\nA,S,2020\n", "row 1: header"),
        ("firm,city,year,1bad\nA,S,2020,1\n", "row 1: 1bad"),
        ("firm,city,year,y,y\nA,S,2020,1,1\n", "row 1: y"),
        ("firm,city,year,y\n", "row 2: cells"),
        ("firm,city,year,y\nA,S,2020,1\nA,S,2020,2\n", "row 3: year"),
        ("firm,city,year,y\nA,S,2020,1\nB,S,20x0,2\n", "row 3: year"),
        ("firm,city,year,y,x\nA,S,2020,1,2\nB,S,2020,abc,2\n", "row 3: y"),
        ("firm,city,year,y,x\nA,S,2020,1,inf\n", "row 2: x"),
        ("firm,city,year,y\n,S,2020,1\n", "row 2: firm"),
        ("firm,city,year,y\nA,,2020,1\n", "row 2: city"),
        ("firm,city,year,y\nA,S,2020\n", "row 2: cells"),
    ],
)
def test_bad_csv_names_row_and_column(text: str, field: str) -> None:
    with pytest.raises(DatasetInvalid) as caught:
        parse_csv(text)
    assert caught.value.field == field


def test_covariates_join_on_city_year_and_firm_year() -> None:
    firms = parse_csv("firm,city,year,y\nA,S,2020,1\nA,S,2021,2\nB,T,2020,3\n")
    cities = parse_csv("firm,city,year,policy\n-,S,2020,0.5\n-,S,2021,0.7\n")
    joined = join(firms, cities, "city")
    assert joined.variables == ("y", "policy")
    assert joined.frame["policy"].tolist()[:2] == [0.5, 0.7]
    assert math.isnan(joined.frame["policy"].tolist()[2])
    by_firm = join(firms, parse_csv("firm,city,year,z\nB,T,2020,9\n"), "firm")
    assert by_firm.frame["z"].tolist()[2] == 9
    with pytest.raises(DatasetInvalid) as caught:
        join(firms, cities, "year")
    assert caught.value.field == "on"


def test_numbers_parse_with_spaces_exponents_and_missing_markers() -> None:
    panel = parse_csv("firm,city,year,a,b\nA,S,2020, 2.5 ,1e3\nB,S, 2021 ,nan,-0\n")
    assert panel.frame["a"].tolist()[0] == 2.5
    assert panel.frame["b"].tolist() == [1000.0, 0.0]
    assert math.isnan(panel.frame["a"].tolist()[1])
    assert panel.frame["year"].tolist() == [2020, 2021]
    with pytest.raises(DatasetInvalid) as caught:
        parse_csv("firm,city,year,a,b\nA,S,2020,1,-inf\n")
    assert caught.value.field == "row 2: b"
    with pytest.raises(DatasetInvalid) as year:
        parse_csv("firm,city,year,a\nA,S,１９９９,1\n")
    assert year.value.field == "row 2: year"
