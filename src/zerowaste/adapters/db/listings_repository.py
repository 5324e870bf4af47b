"""Market listings: store, edit with a version check, change state, find, open in a window."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, delete, exists, insert, or_, select, update

from zerowaste.adapters.db.listing_tables import market_listing_codes, market_listings
from zerowaste.adapters.db.paging import fetch_page
from zerowaste.domain.catalog import (
    category_of,
    is_hazardous_waste_category,
    is_hazardous_waste_code,
    normalize_code_or_category,
)
from zerowaste.domain.listing_documents import canonical_terms, terms_from_json
from zerowaste.domain.listings import Listing, ListingSide, ListingState, NewListing
from zerowaste.domain.pages import Page, PageRequest
from zerowaste.errors import ListingNotFound, ListingVersionConflict

_t = market_listings
_codes = market_listing_codes


def listing_codes(terms: NewListing) -> tuple[str, ...]:
    """The codes a listing names: a supply's waste code, or a demand's accepted codes."""
    if terms.supply is not None:
        return (terms.supply.waste_code,)
    assert terms.demand is not None
    return terms.demand.accepted_codes


def code_category(code: str) -> str:
    """The hazardous waste category of a code (`900-214-08` -> `HW08`); other codes unchanged."""
    normalized = normalize_code_or_category(code)
    return category_of(normalized) if is_hazardous_waste_code(normalized) else normalized


def _listing(row: Row[Any]) -> Listing:
    return Listing(
        id=row.id,
        version=row.version,
        state=ListingState(row.state),
        terms=terms_from_json(row.terms),
        created_at=row.created_at,
        updated_at=row.updated_at,
        created_by=row.created_by,
        region_code=row.region_code,
        latitude=row.latitude,
        longitude=row.longitude,
    )


def _values(listing: Listing) -> dict[str, Any]:
    terms = listing.terms
    return {
        "version": listing.version,
        "side": terms.side.value,
        "state": listing.state.value,
        "organization_id": terms.organization_id,
        "site_id": terms.site_id,
        "region_code": listing.region_code,
        "latitude": listing.latitude,
        "longitude": listing.longitude,
        "title": terms.title,
        "waste_code": terms.supply.waste_code if terms.supply else None,
        "accepted_codes": json.dumps(list(terms.demand.accepted_codes)) if terms.demand else None,
        "available_from": terms.available_from,
        "available_to": terms.available_to,
        "expires_on": terms.expires_on,
        "terms": canonical_terms(terms),
        "updated_at": listing.updated_at,
    }


class ListingRepository:
    """Reads and writes of `market_listings` (and its code rows) on one connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def _write_codes(self, listing_id: uuid.UUID, terms: NewListing) -> None:
        self._connection.execute(delete(_codes).where(_codes.c.listing_id == listing_id))
        codes = sorted({normalize_code_or_category(c) for c in listing_codes(terms)})
        rows = [{"listing_id": listing_id, "code": c, "category": code_category(c)} for c in codes]
        self._connection.execute(insert(_codes), rows)

    def add(self, listing: Listing) -> None:
        """Insert a listing and its code rows."""
        self._connection.execute(
            insert(_t).values(
                id=listing.id,
                created_at=listing.created_at,
                created_by=listing.created_by,
                **_values(listing),
            )
        )
        self._write_codes(listing.id, listing.terms)

    def get(self, listing_id: uuid.UUID) -> Listing | None:
        """The listing with this id, if any."""
        row = self._connection.execute(select(_t).where(_t.c.id == listing_id)).first()
        return _listing(row) if row else None

    def many(self, listing_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Listing]:
        """The listings among `listing_ids`."""
        ids = list(set(listing_ids))
        found: dict[uuid.UUID, Listing] = {}
        for start in range(0, len(ids), 500):
            query = select(_t).where(_t.c.id.in_(ids[start : start + 500]))
            found.update((row.id, _listing(row)) for row in self._connection.execute(query))
        return found

    def update(self, listing: Listing, expected_version: int) -> Listing:
        """Overwrite a listing's terms if it is still at `expected_version`; bump its version.

        Raises:
            ListingNotFound: No listing has the id.
            ListingVersionConflict: Its stored version is not `expected_version`.
        """
        stored = replace(listing, version=expected_version + 1)
        result = self._connection.execute(
            update(_t)
            .where(_t.c.id == listing.id)
            .where(_t.c.version == expected_version)
            .values(**_values(stored))
        )
        if result.rowcount != 1:
            current = self.get(listing.id)
            if current is None:
                raise ListingNotFound(f"no listing {listing.id}", field="listing_id")
            raise ListingVersionConflict(
                f"the listing is at version {current.version}, not {expected_version}",
                field="version",
            )
        self._write_codes(listing.id, listing.terms)
        return stored

    def set_state(
        self, listing_id: uuid.UUID, state: ListingState, at: datetime, version: int | None = None
    ) -> None:
        """Move a listing to `state` (bumping its version); with `version`, only from that one.

        Raises:
            ListingNotFound: No listing has the id.
            ListingVersionConflict: `version` was given and is not the stored one.
        """
        query = update(_t).where(_t.c.id == listing_id)
        if version is not None:
            query = query.where(_t.c.version == version)
        result = self._connection.execute(
            query.values(state=state.value, updated_at=at, version=_t.c.version + 1)
        )
        if result.rowcount != 1:
            current = self.get(listing_id)
            if current is None:
                raise ListingNotFound(f"no listing {listing_id}", field="listing_id")
            raise ListingVersionConflict(
                f"the listing is at version {current.version}, not {version}", field="version"
            )

    def find(
        self,
        page: PageRequest,
        *,
        side: ListingSide | None = None,
        organization_id: uuid.UUID | None = None,
        code: str | None = None,
        region_prefix: str | None = None,
        state: ListingState | None = None,
        open_on: date | None = None,
        expired_on: date | None = None,
        visible_on: date | None = None,
        own_organization: uuid.UUID | None = None,
        oversees_prefix: str | None = None,
    ) -> Page[Listing]:
        """A page of listings (by id), filtered.

        Args:
            page: Where to start and how many.
            side: Supply or demand only.
            organization_id: One firm's listings only.
            code: Listings naming this code: a supply of it, a demand accepting it or its
                category; a category (`HW08`) matches every code of it.
            region_prefix: Sites whose region code starts with this.
            state: Stored state (an open listing past its expiry is still stored as open).
            open_on: Open, and not expired, on this day.
            expired_on: Expired on this day: marked expired, or open past its expiry day.
            visible_on: Only what a caller sees on this day: open and unexpired listings, those
                of `own_organization` and those under `oversees_prefix`.
            own_organization: The caller's organization (with `visible_on`).
            oversees_prefix: The caller's jurisdiction prefix (with `visible_on`).
        """
        query = select(_t)
        if side is not None:
            query = query.where(_t.c.side == side.value)
        if organization_id is not None:
            query = query.where(_t.c.organization_id == organization_id)
        if region_prefix:
            query = query.where(_t.c.region_code.startswith(region_prefix))
        if state is not None:
            query = query.where(_t.c.state == state.value)
        if open_on is not None:
            query = query.where(_t.c.state == ListingState.OPEN.value)
            query = query.where(_t.c.expires_on >= open_on)
        if expired_on is not None:
            query = query.where(
                or_(
                    _t.c.state == ListingState.EXPIRED.value,
                    and_(_t.c.state == ListingState.OPEN.value, _t.c.expires_on < expired_on),
                )
            )
        if code:
            query = query.where(self._naming(code))
        if visible_on is not None:
            seen = [and_(_t.c.state == ListingState.OPEN.value, _t.c.expires_on >= visible_on)]
            if own_organization is not None:
                seen.append(_t.c.organization_id == own_organization)
            if oversees_prefix:
                seen.append(_t.c.region_code.startswith(oversees_prefix))
            query = query.where(or_(*seen))
        return fetch_page(self._connection, query, _t.c.id, page, _listing)

    @staticmethod
    def _naming(code: str) -> Any:
        wanted = normalize_code_or_category(code)
        if is_hazardous_waste_category(wanted):
            match = _codes.c.category == wanted
        elif is_hazardous_waste_code(wanted):
            match = or_(_codes.c.code == wanted, _codes.c.code == category_of(wanted))
        else:
            match = _codes.c.code == wanted
        return exists().where(and_(_codes.c.listing_id == _t.c.id, match))

    def open_in(self, region_prefix: str | None, start: date, end: date) -> list[Listing]:
        """Open listings whose availability overlaps [start, end], not expired by `start`, by id."""
        query = (
            select(_t)
            .where(_t.c.state == ListingState.OPEN.value)
            .where(_t.c.available_from <= end)
            .where(_t.c.available_to >= start)
            .where(_t.c.expires_on >= start)
        )
        if region_prefix:
            query = query.where(_t.c.region_code.startswith(region_prefix))
        return [_listing(row) for row in self._connection.execute(query.order_by(_t.c.id))]

    def expire_before(self, day: date, at: datetime) -> int:
        """Mark open listings whose expiry day is before `day` as expired; how many."""
        result = self._connection.execute(
            update(_t)
            .where(_t.c.state == ListingState.OPEN.value)
            .where(_t.c.expires_on < day)
            .values(state=ListingState.EXPIRED.value, updated_at=at, version=_t.c.version + 1)
        )
        return int(result.rowcount)
