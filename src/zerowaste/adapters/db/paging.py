"""Keyset pagination over one unique sort column."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Column, Connection, Row, Select

from zerowaste.domain.pages import Page, PageRequest
from zerowaste.errors import InvalidInput

T = TypeVar("T")


def fetch_page(
    connection: Connection,
    query: Select[Any],
    key: Column[Any],
    page: PageRequest,
    to_item: Callable[[Row[Any]], T],
) -> Page[T]:
    """Run `query` sorted by `key` from after `page.after`; one extra row tells if more exist."""
    if page.after is not None:
        try:
            after = key.type.python_type(page.after)
        except ValueError:
            raise InvalidInput("not a cursor this API gave out", field="cursor") from None
        query = query.where(key > after)
    rows = connection.execute(query.order_by(key).limit(page.limit + 1)).all()
    more = len(rows) > page.limit
    rows = rows[: page.limit]
    next_after = str(rows[-1]._mapping[key]) if more and rows else None
    return Page([to_item(row) for row in rows], next_after)
