"""A printable sheet: labelled facts, tables and a QR code, rendered to PDF (reportlab).

The sheet is plain data, so the web page and the PDF print the same content. The PDF uses
reportlab's built-in CID font `STSong-Light` (Adobe-GB1), which renders Chinese with no font
file, and draws the QR code as vector squares.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from zerowaste.adapters.exporters.qr import QUIET_ZONE, qr_matrix

#: The CID font built into reportlab that covers simplified Chinese.
FONT = "STSong-Light"
#: The printed size of the QR code, quiet zone included.
QR_SIZE_MM = 42


@dataclass(frozen=True)
class SheetTable:
    """A titled table: column headings and rows of text."""

    heading: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    empty: str = "—"


@dataclass(frozen=True)
class Sheet:
    """What a copy of record prints.

    Attributes:
        title: The document's title.
        facts: `(label, value)` pairs under the title.
        tables: The sections, in order.
        qr_payload: The text the QR code encodes.
        qr_heading: The heading of the QR block.
        qr_facts: `(label, value)` pairs printed beside the QR code.
        footer: A closing note (how to verify, when printed).
    """

    title: str
    facts: tuple[tuple[str, str], ...]
    tables: tuple[SheetTable, ...]
    qr_payload: str
    qr_heading: str
    qr_facts: tuple[tuple[str, str], ...]
    footer: str


def qr_drawing(payload: str, size_mm: float = QR_SIZE_MM) -> Drawing:
    """The QR code of `payload` as a reportlab drawing of dark squares on white."""
    matrix = qr_matrix(payload)
    modules = len(matrix) + 2 * QUIET_ZONE
    unit = size_mm * mm / modules
    drawing = Drawing(modules * unit, modules * unit)
    drawing.add(Rect(0, 0, modules * unit, modules * unit, fillColor=colors.white, strokeWidth=0))
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                top = (modules - QUIET_ZONE - y - 1) * unit
                square = Rect((x + QUIET_ZONE) * unit, top, unit, unit, strokeWidth=0)
                square.fillColor = colors.black
                drawing.add(square)
    return drawing


class _DrawingFlowable(Flowable):  # type: ignore[misc]
    """A drawing placed in the document flow."""

    def __init__(self, drawing: Drawing) -> None:
        super().__init__()
        self.drawing = drawing
        self.width, self.height = drawing.width, drawing.height

    def draw(self) -> None:
        self.drawing.drawOn(self.canv, 0, 0)


def _styles() -> dict[str, ParagraphStyle]:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    base = ParagraphStyle("cell", fontName=FONT, fontSize=8, leading=10, wordWrap="CJK")
    return {
        "cell": base,
        "head": ParagraphStyle("head", parent=base, textColor=colors.white),
        "title": ParagraphStyle("title", parent=base, fontSize=15, leading=19, spaceAfter=4),
        "h2": ParagraphStyle("h2", parent=base, fontSize=10.5, leading=14, spaceBefore=8),
        "note": ParagraphStyle("note", parent=base, fontSize=7.5, leading=9.5),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _grid(rows: list[list[Any]], widths: list[float] | None, header: bool) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    commands: list[Any] = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#2f5d50")))
    table.setStyle(TableStyle(commands))
    return table


def render_pdf(sheet: Sheet) -> bytes:
    """The sheet as an A4 PDF: title and facts, each table, then the QR block and footer."""
    styles = _styles()
    cell, head = styles["cell"], styles["head"]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=14 * mm,
        rightMargin=14 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=sheet.title,
        author="ZeroWaste Chain",
    )
    width = document.width
    story: list[Any] = [_p(sheet.title, styles["title"])]
    facts = [[_p(label, cell), _p(value, cell)] for label, value in sheet.facts]
    story.append(_grid(facts, [0.3 * width, 0.7 * width], header=False))
    for section in sheet.tables:
        story.append(_p(section.heading, styles["h2"]))
        if not section.rows:
            story.append(_p(section.empty, cell))
            continue
        rows = [[_p(c, head) for c in section.columns]]
        rows += [[_p(value, cell) for value in row] for row in section.rows]
        story.append(_grid(rows, None, header=True))
    story.append(_p(sheet.qr_heading, styles["h2"]))
    beside = [[_p(label, cell), _p(value, cell)] for label, value in sheet.qr_facts]
    block = Table(
        [[_DrawingFlowable(qr_drawing(sheet.qr_payload)), _grid(beside, None, header=False)]],
        colWidths=[(QR_SIZE_MM + 4) * mm, width - (QR_SIZE_MM + 4) * mm],
    )
    block.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [block, Spacer(1, 4 * mm), _p(sheet.footer, styles["note"])]
    document.build(story)
    return buffer.getvalue()
