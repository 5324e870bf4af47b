"""Keyset pages: a slice of a sorted list and where the next slice starts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


@dataclass(frozen=True, slots=True)
class PageRequest:
    """Ask for up to `limit` items sorting after the key `after` (None: from the start)."""

    after: str | None = None
    limit: int = DEFAULT_PAGE_SIZE


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """Items of one page; `next_after` is the sort key to continue from, None on the last page."""

    items: list[T]
    next_after: str | None
