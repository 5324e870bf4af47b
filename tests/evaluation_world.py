"""Simulated panels with planted effects, and the Grunfeld data, for the evaluation tests."""

from __future__ import annotations

import io

import numpy as np

from zerowaste.evaluation.dataset import Panel, from_columns, parse_csv


def grunfeld_csv() -> str:
    """Statsmodels' Grunfeld investment data without "American Steel" (10 firms × 20 years)."""
    from statsmodels.datasets import grunfeld

    data = grunfeld.load_pandas().data
    data = data[data["firm"] != "American Steel"].copy()
    data["city"] = "US"
    data["year"] = data["year"].astype(int)
    out = io.StringIO()
    data[["firm", "city", "year", "invest", "value", "capital"]].to_csv(
        out, index=False, lineterminator="\n"
    )
    return out.getvalue()


def grunfeld() -> Panel:
    """The Grunfeld panel, parsed as an upload would be."""
    return parse_csv(grunfeld_csv())


def mediation_panel(seed: int = 1, firms: int = 60, years: int = 10) -> Panel:
    """An unbalanced panel with D → M → Y (a = 0.5, b = 0.8, c′ = 0.4), a control, FE."""
    rng = np.random.default_rng(seed)
    n = firms * years
    firm_effect = np.repeat(rng.normal(size=firms), years)
    year_effect = np.tile(rng.normal(size=years), firms)
    d = rng.normal(size=n) + firm_effect
    x = rng.normal(size=n)
    m = 0.5 * d + 0.3 * x + firm_effect + year_effect + rng.normal(size=n)
    y = 0.4 * d + 0.8 * m + 0.2 * x + firm_effect - year_effect + rng.normal(size=n)
    keep = rng.random(n) > 0.1
    names = np.array([f"F{i:03d}" for i in range(firms) for _ in range(years)])
    cities = np.array([f"C{i % 12:02d}" for i in range(firms) for _ in range(years)])
    calendar = np.array([2010 + t for _ in range(firms) for t in range(years)])
    values = np.column_stack([y, d, m, x])
    return from_columns(
        names[keep].tolist(),
        cities[keep].tolist(),
        calendar[keep].tolist(),
        ["y", "d", "m", "x"],
        values[keep].tolist(),
    )


def staggered_panel(
    seed: int = 0,
    firms: int = 150,
    effects: tuple[float, ...] = (1.0, 1.5, 2.0, 2.5, 3.0),
    pretrend: float = 0.0,
) -> Panel:
    """Firms in 24 cities; cities join the pilot in 2015, 2017, 2019 or never.

    The effect at relative period r ≥ 0 is `effects[min(r, last)]`; `pretrend` adds
    pretrend · r to the outcome of future adopters before adoption (r < 0).
    """
    rng = np.random.default_rng(seed)
    city_of = rng.integers(0, 24, firms)
    cohort_of_city = rng.choice([2015, 2017, 2019, 0], 24)
    firm_effect = rng.normal(size=firms)
    year_effect = rng.normal(size=12)
    names, cities, calendar, values = [], [], [], []
    for i in range(firms):
        cohort = int(cohort_of_city[city_of[i]])
        for t in range(12):
            year = 2012 + t
            rel = year - cohort if cohort else None
            effect = 0.0
            if rel is not None:
                effect = effects[min(rel, len(effects) - 1)] if rel >= 0 else pretrend * rel
            y = firm_effect[i] + year_effect[t] + effect + rng.normal(scale=0.5)
            names.append(f"F{i:03d}")
            cities.append(f"C{city_of[i]:02d}")
            calendar.append(year)
            values.append([y, float(cohort) if cohort else float("nan")])
    return from_columns(names, cities, calendar, ["y", "pilot_year"], values)
