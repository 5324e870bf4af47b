"""Texts of the printable copy of record page as (Chinese, English) pairs, merged into the catalog.

The copy's own labels are the print labels of `services/manifest_print_labels.py`, shared with
the PDF.
"""

from __future__ import annotations

PRINT_MESSAGES: dict[str, tuple[str, str]] = {
    "print.link": ("打印存档副本", "Printable copy of record"),
    "print.pdf": ("下载 PDF（中英双语）", "Download the PDF (Chinese and English)"),
    "print.back": ("返回联单", "Back to the manifest"),
    "print.hint": (
        "请用浏览器的打印功能打印本页（已按 A4 排版）。",
        "Print this page from your browser: it is laid out for A4.",
    ),
    "print.qr_label": ("存证回执二维码", "QR code of the ledger receipt"),
}
