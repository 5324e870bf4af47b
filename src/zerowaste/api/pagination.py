"""Opaque cursors for keyset pages."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Generic, TypeVar

from pydantic import BaseModel

from zerowaste.domain.pages import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page, PageRequest
from zerowaste.errors import InvalidInput

T = TypeVar("T")
U = TypeVar("U")


class PageOut(BaseModel, Generic[T]):
    """One page of results and the cursor of the next (null on the last page)."""

    items: list[T]
    next_cursor: str | None


def encode_cursor(after: str | None) -> str | None:
    """Wrap a sort key in an opaque cursor."""
    return base64.urlsafe_b64encode(after.encode()).decode().rstrip("=") if after else None


def page_request(cursor: str | None, limit: int = DEFAULT_PAGE_SIZE) -> PageRequest:
    """Turn query parameters into a page request, naming the bad one on error."""
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidInput(f"must be between 1 and {MAX_PAGE_SIZE}", field="limit")
    if not cursor:
        return PageRequest(None, limit)
    try:
        after = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidInput("not a cursor this API gave out", field="cursor") from None
    return PageRequest(after, limit)


def page_out(page: Page[T], convert: Callable[[T], U]) -> dict[str, object]:
    """The response body for a page, each item converted for output."""
    return {
        "items": [convert(i) for i in page.items],
        "next_cursor": encode_cursor(page.next_after),
    }
