"""Publication-style regression tables: models side by side, rendered to text, HTML, CSV, LaTeX.

Each model is a column (1), (2), …; each regressor a row with the estimate (stars by its
p-value) and the standard error in parentheses below. Stars: * p < 0.10, ** p < 0.05,
*** p < 0.01 (the economics convention; the note under the table says so and which
errors each column uses). Then a row per fixed effect (Yes/No), the error type, N and the
within R². Numbers are printed with a fixed number of decimals, so output is deterministic.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from zerowaste.evaluation.panel import FIXED_EFFECTS, ModelResult

STARS = ((0.01, "***"), (0.05, "**"), (0.10, "*"))
STARS_NOTE = "* p<0.10, ** p<0.05, *** p<0.01"
DECIMALS = 4


class TableFormat(StrEnum):
    """Renderings of a regression table."""

    TEXT = "text"
    HTML = "html"
    CSV = "csv"
    LATEX = "latex"


@dataclass(frozen=True, slots=True)
class Table:
    """The cells of a regression table, before rendering."""

    header: tuple[str, ...]
    outcomes: tuple[str, ...]
    coefficient_rows: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]
    footer_rows: tuple[tuple[str, tuple[str, ...]], ...]
    note: str


def stars(p: float) -> str:
    """The stars a p-value earns (none above 0.10 or for NaN)."""
    for threshold, mark in STARS:
        if p < threshold:
            return mark
    return ""


def _number(value: float | None, decimals: int = DECIMALS) -> str:
    if value is None or value != value:
        return ""
    return f"{value:.{decimals}f}"


def _vcov_label(model: ModelResult) -> str:
    return f"CRV1 ({model.spec.cluster})" if model.spec.cluster else "Classical"


def build(models: Sequence[ModelResult]) -> Table:
    """Lay the models out side by side (regressors in order of first appearance)."""
    names = list(dict.fromkeys(c.name for m in models for c in m.coefficients))
    rows = []
    for name in names:
        estimates, errors = [], []
        for m in models:
            found = next((c for c in m.coefficients if c.name == name), None)
            estimates.append(_number(found.estimate) + stars(found.p) if found else "")
            errors.append(f"({_number(found.se)})" if found else "")
        rows.append((name, tuple(estimates), tuple(errors)))
    fes = [fe for fe in FIXED_EFFECTS if any(fe in m.spec.fixed_effects for m in models)]
    footer = [
        (
            f"{fe.capitalize()} FE",
            tuple("Yes" if fe in m.spec.fixed_effects else "No" for m in models),
        )
        for fe in fes
    ]
    footer.append(("Standard errors", tuple(_vcov_label(m) for m in models)))
    footer.append(("N", tuple(str(m.n) for m in models)))
    footer.append(("R² within", tuple(_number(m.r2_within) for m in models)))
    footer.append(("R²", tuple(_number(m.r2) for m in models)))
    conventions = list(dict.fromkeys(m.vcov_convention for m in models))
    note = f"Standard errors in parentheses; {STARS_NOTE}. " + "; ".join(conventions) + "."
    return Table(
        header=tuple(f"({i})" for i in range(1, len(models) + 1)),
        outcomes=tuple(m.spec.outcome for m in models),
        coefficient_rows=tuple(rows),
        footer_rows=tuple(footer),
        note=note,
    )


def _grid(table: Table) -> list[list[str]]:
    grid = [["", *table.header], ["", *table.outcomes]]
    for name, estimates, errors in table.coefficient_rows:
        grid.append([name, *estimates])
        grid.append(["", *errors])
    grid += [[label, *cells] for label, cells in table.footer_rows]
    return grid


def to_text(table: Table) -> str:
    """A fixed-width plain-text table."""
    grid = _grid(table)
    widths = [max(len(row[j]) for row in grid) for j in range(len(grid[0]))]
    rule = "-" * (sum(widths) + 2 * (len(widths) - 1))
    lines = [rule]
    split = 2 + 2 * len(table.coefficient_rows)
    for i, row in enumerate(grid):
        if i in (2, split):
            lines.append(rule)
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    lines += [rule, table.note]
    return "\n".join(lines) + "\n"


def to_csv(table: Table) -> str:
    """CSV with one line per table row; the note as the last line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(_grid(table))
    writer.writerow([table.note])
    return out.getvalue()


def to_html(table: Table) -> str:
    """An HTML `<table>` (every cell escaped), the note in its `<caption>`-like footer."""
    e = html.escape
    parts = ['<table class="regression-table">', "<thead>"]
    parts.append("<tr><th></th>" + "".join(f"<th>{e(h)}</th>" for h in table.header) + "</tr>")
    parts.append("<tr><th></th>" + "".join(f"<th>{e(o)}</th>" for o in table.outcomes) + "</tr>")
    parts += ["</thead>", "<tbody>"]
    for name, estimates, errors in table.coefficient_rows:
        parts.append(
            f'<tr><th scope="row">{e(name)}</th>'
            + "".join(f"<td>{e(v)}</td>" for v in estimates)
            + "</tr>"
        )
        parts.append(
            '<tr class="se"><th></th>' + "".join(f"<td>{e(v)}</td>" for v in errors) + "</tr>"
        )
    parts += ["</tbody>", "<tfoot>"]
    for label, cells in table.footer_rows:
        parts.append(
            f'<tr><th scope="row">{e(label)}</th>'
            + "".join(f"<td>{e(c)}</td>" for c in cells)
            + "</tr>"
        )
    span = len(table.header) + 1
    parts.append(f'<tr class="note"><td colspan="{span}">{e(table.note)}</td></tr>')
    parts += ["</tfoot>", "</table>"]
    return "\n".join(parts) + "\n"


_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "²": r"$^2$",
    "σ": r"$\sigma$",
    "·": r"$\cdot$",
    "<": r"$<$",
    ">": r"$>$",
}


def latex_escape(text: str) -> str:
    """Text safe inside a LaTeX tabular cell."""
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in text)


def _latex_cell(text: str) -> str:
    body = latex_escape(text)
    for mark in ("***", "**", "*"):
        if text.endswith(mark):
            return latex_escape(text[: -len(mark)]) + "$^{" + mark + "}$"
    return body


def to_latex(table: Table) -> str:
    """A `tabular` (booktabs rules) with the note in a multicolumn row below."""
    columns = len(table.header)
    lines = [r"\begin{tabular}{l" + "c" * columns + "}", r"\toprule"]
    lines.append(" & " + " & ".join(table.header) + r" \\")
    lines.append(" & " + " & ".join(latex_escape(o) for o in table.outcomes) + r" \\")
    lines.append(r"\midrule")
    for name, estimates, errors in table.coefficient_rows:
        lines.append(
            latex_escape(name) + " & " + " & ".join(_latex_cell(v) for v in estimates) + r" \\"
        )
        lines.append(" & " + " & ".join(latex_escape(v) for v in errors) + r" \\")
    lines.append(r"\midrule")
    for label, cells in table.footer_rows:
        lines.append(
            latex_escape(label) + " & " + " & ".join(latex_escape(c) for c in cells) + r" \\"
        )
    lines.append(r"\bottomrule")
    lines.append(
        r"\multicolumn{"
        + str(columns + 1)
        + r"}{l}{\footnotesize "
        + latex_escape(table.note)
        + r"} \\"
    )
    lines.append(r"\end{tabular}")
    return "\n".join(lines) + "\n"


def render(models: Sequence[ModelResult], fmt: TableFormat) -> str:
    """The models' table in a format."""
    table = build(models)
    renderers = {
        TableFormat.TEXT: to_text,
        TableFormat.HTML: to_html,
        TableFormat.CSV: to_csv,
        TableFormat.LATEX: to_latex,
    }
    return renderers[fmt](table)
