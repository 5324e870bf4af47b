"""QR codes (ISO/IEC 18004, made by segno) as a module matrix and as a small inline SVG."""

from __future__ import annotations

import segno

#: Error correction level M (about 15 % of the symbol may be lost): a printed, handled page.
ERROR_LEVEL = "m"
#: The light margin every reader needs, in modules (ISO/IEC 18004 asks for four).
QUIET_ZONE = 4

Matrix = tuple[tuple[bool, ...], ...]


def qr_matrix(payload: str) -> Matrix:
    """The QR code of `payload` (byte mode, level M, smallest version), dark modules True.

    The quiet zone is not included. The same payload always gives the same matrix, so a
    test can check a rendered code by comparing it with the matrix of the payload it expects.
    """
    code = segno.make_qr(payload, error=ERROR_LEVEL, boost_error=False)
    return tuple(tuple(bool(module) for module in row) for row in code.matrix)


def qr_svg(payload: str, *, module_px: int = 4, title: str = "") -> str:
    """An inline `<svg>` of the QR code: one path of unit squares, quiet zone included.

    Args:
        payload: The text to encode.
        module_px: The on-screen size of one module, in CSS pixels.
        title: An accessible name for the image (escaped here).
    """
    matrix = qr_matrix(payload)
    size = len(matrix) + 2 * QUIET_ZONE
    squares = "".join(
        f"M{x + QUIET_ZONE},{y + QUIET_ZONE}h1v1h-1z"
        for y, row in enumerate(matrix)
        for x, dark in enumerate(row)
        if dark
    )
    label = title.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    pixels = size * module_px
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="qr" viewBox="0 0 {size} {size}" '
        f'width="{pixels}" height="{pixels}" role="img" aria-label="{label}" '
        f'shape-rendering="crispEdges"><title>{label}</title>'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{squares}"/></svg>'
    )
