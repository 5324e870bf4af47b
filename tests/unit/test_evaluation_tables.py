"""Regression tables: side by side, stars by convention, deterministic text/HTML/CSV/LaTeX."""

from __future__ import annotations

import csv
import io

import pytest

from tests.evaluation_world import grunfeld
from zerowaste.evaluation.panel import ModelSpec, fit, fit_beside
from zerowaste.evaluation.tables import TableFormat, latex_escape, render, stars


@pytest.fixture(scope="module")
def models() -> tuple:  # type: ignore[type-arg]
    panel = grunfeld()
    one = fit_beside(panel, ModelSpec("invest", ("value", "capital"), ("firm",), "firm"))
    two = fit(panel, ModelSpec("invest", ("value",), ("firm", "year")))
    return (*one, two)


def test_stars_follow_the_stated_convention() -> None:
    assert [stars(p) for p in (0.0001, 0.01, 0.04, 0.05, 0.09, 0.2, float("nan"))] == [
        "***", "**", "**", "*", "*", "", "",
    ]  # fmt: skip


def test_csv_lays_models_side_by_side(models: tuple) -> None:  # type: ignore[type-arg]
    rows = list(csv.reader(io.StringIO(render(models, TableFormat.CSV))))
    assert rows[0] == ["", "(1)", "(2)", "(3)"]
    assert rows[2] == ["value", "0.1101***", "0.1101***", "0.1800***"]
    assert rows[3][:3] == ["", "(0.0119)", "(0.0152)"]
    assert rows[4][:3] == ["capital", "0.3101***", "0.3101***"]
    assert rows[5][3] == ""  # model 3 has no capital
    labels = [r[0] for r in rows]
    assert labels[6:12] == ["Firm FE", "Year FE", "Standard errors", "N", "R² within", "R²"]
    assert rows[labels.index("Year FE")][1:] == ["No", "No", "Yes"]
    assert rows[labels.index("Standard errors")][1:] == ["Classical", "CRV1 (firm)", "Classical"]
    assert "* p<0.10, ** p<0.05, *** p<0.01" in rows[-1][0]


def test_every_format_is_deterministic(models: tuple) -> None:  # type: ignore[type-arg]
    refitted = tuple(fit(grunfeld(), m.spec) for m in models)
    for fmt in TableFormat:
        assert render(refitted, fmt) == render(models, fmt)


def test_html_escapes_and_latex_is_a_tabular(models: tuple) -> None:  # type: ignore[type-arg]
    page = render(models, TableFormat.HTML)
    assert page.startswith('<table class="regression-table">')
    assert "<td>(0.0119)</td>" in page
    assert "p&lt;0.10" in page
    tex = render(models, TableFormat.LATEX)
    assert tex.startswith(r"\begin{tabular}{lccc}")
    assert r"0.1101$^{***}$" in tex
    assert r"\end{tabular}" in tex
    assert latex_escape("a_b & 50%") == r"a\_b \& 50\%"
    text = render(models, TableFormat.TEXT)
    assert "value" in text
    assert "(0.0528)" in text
