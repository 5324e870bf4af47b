"""Listings on both backends: create, read, open_in, version checks, withdraw and expiry."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from tests.factories import OPERATOR, Factory
from tests.integration.listing_world import Firm, demand_document, supply_document
from tests.integration.test_capture import CODE, document, line, make_firm, signed
from tests.integration.test_findings import lab
from zerowaste.bootstrap import Context
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.listing_documents import parse_listing
from zerowaste.domain.listings import ListingSide, ListingState
from zerowaste.domain.organizations import OrganizationRole
from zerowaste.domain.pages import PageRequest
from zerowaste.errors import (
    Forbidden,
    InvalidInput,
    ListingNotFound,
    ListingNotOpen,
    ListingVersionConflict,
    PermitDoesNotCover,
    SiteNotOfOrganization,
    UnknownBatch,
    UnknownWasteCode,
)


def _count(context: Context) -> int:
    with context.unit_of_work() as uow:
        return len(uow.listings.find(PageRequest(limit=500)).items)


def test_create_and_get_round_trip(context: Context, factory: Factory) -> None:
    seller = Firm(factory)
    listing = context.listings.create(
        seller.user, parse_listing(supply_document(seller.organization, seller.site))
    )
    assert listing.version == 1
    assert listing.state is ListingState.OPEN
    assert listing.region_code == "320505"
    assert listing.latitude == pytest.approx(31.3)
    stored = context.listings.get(seller.user, listing.id)
    assert stored.terms == listing.terms
    assert stored.terms.supply is not None
    assert str(stored.terms.supply.price_cny_per_t) == "-300"
    assert stored.terms.supply.composition[0].high is not None
    assert format(stored.terms.supply.composition[0].high, "f") == "0.12"


def test_codes_are_normalized_and_checked(context: Context, factory: Factory) -> None:
    seller = Firm(factory)
    document = supply_document(seller.organization, seller.site, waste_code="39800422")
    listing = context.listings.create(seller.user, parse_listing(document))
    assert listing.terms.supply is not None
    assert listing.terms.supply.waste_code == "398-004-22"
    general = supply_document(seller.organization, seller.site, waste_code="sw01")
    assert context.listings.create(seller.user, parse_listing(general)).terms.supply
    for bad in ("999-999-99", "SW99", "slag"):
        document = supply_document(seller.organization, seller.site, waste_code=bad)
        with pytest.raises(UnknownWasteCode) as caught:
            context.listings.create(seller.user, parse_listing(document))
        assert caught.value.field == "supply.waste_code"
    assert _count(context) == 2


def test_only_the_firm_lists_for_itself_at_its_own_site(context: Context, factory: Factory) -> None:
    seller, other = Firm(factory), Firm(factory)
    with pytest.raises(Forbidden) as caught:
        context.listings.create(
            other.user, parse_listing(supply_document(seller.organization, seller.site))
        )
    assert caught.value.field == "organization_id"
    with pytest.raises(SiteNotOfOrganization) as site_error:
        context.listings.create(
            seller.user, parse_listing(supply_document(seller.organization, other.site))
        )
    assert site_error.value.field == "site_id"
    assert _count(context) == 0


def test_hazardous_demand_needs_a_covering_permit(context: Context, factory: Factory) -> None:
    buyer = Firm(factory, roles=(OrganizationRole.UTILIZER,))
    document = demand_document(buyer.organization, buyer.site)
    with pytest.raises(PermitDoesNotCover) as caught:
        context.listings.create(buyer.user, parse_listing(document))
    assert caught.value.field == "demand.permit_ids"
    wrong = factory.permit(buyer.organization, ("HW08",))
    document = demand_document(buyer.organization, buyer.site, permit_ids=[str(wrong.id)])
    with pytest.raises(PermitDoesNotCover):
        context.listings.create(buyer.user, parse_listing(document))
    other = Firm(factory)
    foreign = factory.permit(other.organization, ("HW22",))
    document = demand_document(buyer.organization, buyer.site, permit_ids=[str(foreign.id)])
    with pytest.raises(InvalidInput) as not_own:
        context.listings.create(buyer.user, parse_listing(document))
    assert not_own.value.field == "demand.permit_ids[0]"
    assert _count(context) == 0
    right = factory.permit(buyer.organization, ("HW22",))
    document = demand_document(buyer.organization, buyer.site, permit_ids=[str(right.id)])
    listing = context.listings.create(buyer.user, parse_listing(document))
    assert listing.terms.demand is not None
    assert listing.terms.demand.permit_ids == (right.id,)
    general = demand_document(buyer.organization, buyer.site, accepted_codes=["SW01"])
    assert context.listings.create(buyer.user, parse_listing(general)).version == 1


def test_open_in_overlaps_the_window_and_skips_closed(context: Context, factory: Factory) -> None:
    seller, far = Firm(factory), Firm(factory, region_code="110105")
    create = context.listings.create
    june = create(seller.user, parse_listing(supply_document(seller.organization, seller.site)))
    beijing = create(far.user, parse_listing(supply_document(far.organization, far.site)))
    later = supply_document(seller.organization, seller.site)
    later.update(available_from="2026-10-01", expires_on="2026-12-01")
    october = create(seller.user, parse_listing(later))
    gone = create(seller.user, parse_listing(supply_document(seller.organization, seller.site)))
    context.listings.withdraw(seller.user, gone.id)

    def ids(region: str | None, start: date, end: date) -> set[uuid.UUID]:
        return {item.id for item in context.listings.open_in(region, start, end)}

    assert ids("320000", date(2026, 7, 1), date(2026, 7, 31)) == {june.id}
    assert ids("320500", date(2026, 9, 15), date(2026, 10, 15)) == {june.id, october.id}
    assert ids(None, date(2026, 7, 1), date(2026, 7, 31)) == {june.id, beijing.id}
    # expired by the start of the period: june expires 2026-11-30
    assert ids("32", date(2026, 12, 1), date(2026, 12, 31)) == {october.id}
    assert ids("32", date(2027, 1, 1), date(2027, 1, 31)) == set()


def test_edit_checks_version_owner_and_state(context: Context, factory: Factory) -> None:
    seller, other = Firm(factory), Firm(factory)
    document = supply_document(seller.organization, seller.site)
    listing = context.listings.create(seller.user, parse_listing(document))
    document["supply"]["quantity_t"] = "150"
    edited = context.listings.edit(seller.user, listing.id, 1, parse_listing(document))
    assert edited.version == 2
    assert edited.terms.supply is not None
    assert str(edited.terms.supply.quantity_t) == "150"
    with pytest.raises(ListingVersionConflict) as conflict:
        context.listings.edit(seller.user, listing.id, 1, parse_listing(document))
    assert conflict.value.field == "version"
    with pytest.raises(ListingVersionConflict):
        context.listings.edit(seller.user, listing.id, 2**40, parse_listing(document))
    with pytest.raises(ListingVersionConflict):
        context.listings.withdraw(seller.user, listing.id, 2**40)
    with pytest.raises(Forbidden):
        context.listings.edit(other.user, listing.id, 2, parse_listing(document))
    withdrawn = context.listings.withdraw(seller.user, listing.id)
    assert withdrawn.state is ListingState.WITHDRAWN
    with pytest.raises(ListingNotOpen):
        context.listings.edit(seller.user, listing.id, withdrawn.version, parse_listing(document))
    with pytest.raises(ListingNotFound):
        context.listings.get(other.user, listing.id)
    assert context.listings.get(seller.user, listing.id).state is ListingState.WITHDRAWN


def test_listings_expire_after_their_day(context: Context, factory: Factory) -> None:
    seller, other = Firm(factory), Firm(factory)
    document = supply_document(seller.organization, seller.site)
    listing = context.listings.create(seller.user, parse_listing(document))
    context.clock.now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # type: ignore[attr-defined]
    assert context.listings.get(seller.user, listing.id).state is ListingState.EXPIRED
    with pytest.raises(ListingNotFound):
        context.listings.get(other.user, listing.id)
    with pytest.raises(ListingNotOpen):
        context.listings.withdraw(seller.user, listing.id)
    assert context.listings.expire_due() == 1
    with context.unit_of_work() as uow:
        stored = uow.listings.get(listing.id)
    assert stored is not None
    assert stored.state is ListingState.EXPIRED


def test_find_filters_and_scope(context: Context, factory: Factory) -> None:
    seller, far = Firm(factory), Firm(factory, region_code="110105")
    buyer = Firm(factory, roles=(OrganizationRole.UTILIZER,))
    permit = factory.permit(buyer.organization, ("HW22",))
    create = context.listings.create
    supply = create(seller.user, parse_listing(supply_document(seller.organization, seller.site)))
    slag = supply_document(far.organization, far.site, waste_code="SW01", composition={})
    general = create(far.user, parse_listing(slag))
    wanted = demand_document(buyer.organization, buyer.site, permit_ids=[str(permit.id)])
    demand = create(buyer.user, parse_listing(wanted))
    hidden = create(seller.user, parse_listing(supply_document(seller.organization, seller.site)))
    context.listings.withdraw(seller.user, hidden.id)

    def ids(actor: object = buyer.user, **filters: object) -> set[uuid.UUID]:
        page = context.listings.find(actor, PageRequest(), **filters)  # type: ignore[arg-type]
        return {item.id for item in page.items}

    assert ids() == {supply.id, general.id, demand.id}
    assert ids(seller.user) == {supply.id, general.id, demand.id, hidden.id}
    assert ids(side=ListingSide.DEMAND) == {demand.id}
    assert ids(code="398-004-22") == {supply.id, demand.id}
    assert ids(code="HW22") == {supply.id, demand.id}
    assert ids(code="sw01") == {general.id}
    assert ids(region_code="110000") == {general.id}
    assert ids(organization_id=buyer.organization.id) == {demand.id}
    assert ids(seller.user, state=ListingState.WITHDRAWN) == {hidden.id}
    assert ids(state=ListingState.WITHDRAWN) == set()
    regulator = factory.user(UserRole.REGULATOR, jurisdiction_code="320500")
    assert hidden.id in ids(regulator)
    assert hidden.id in ids(OPERATOR)
    first = context.listings.find(buyer.user, PageRequest(limit=2))
    assert len(first.items) == 2
    assert first.next_after is not None
    rest = context.listings.find(buyer.user, PageRequest(after=first.next_after, limit=2))
    assert {i.id for i in first.items + rest.items} == {supply.id, general.id, demand.id}


def test_composition_from_lab_batches(context: Context, factory: Factory) -> None:
    firm = make_firm(factory)
    user = factory.user(UserRole.FIRM, organization=firm.organization)
    a, b, bare = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    events = [
        document(
            firm,
            "generated",
            outputs=[
                line(a, "600", waste_code=CODE)
                | {"composition": lab({"Cu": "0.02", "Zn": "0.1", "Pb": "0.001"})}
            ],
        ),
        document(
            firm,
            "generated",
            outputs=[
                line(b, "400", waste_code=CODE) | {"composition": lab({"Cu": "0.05", "Zn": "0.07"})}
            ],
        ),
        document(firm, "generated", outputs=[line(bare, "100", waste_code=CODE)]),
    ]
    context.capture.capture(OPERATOR, [signed(firm, e) for e in events])
    ranges = context.listings.composition_from_batches(user, firm.organization.id, [a, b])
    assert [(r.component, str(r.low), str(r.high)) for r in ranges] == [
        ("Cu", "0.02", "0.05"),
        ("Zn", "0.07", "0.1"),
    ]
    with pytest.raises(InvalidInput) as no_lab:
        context.listings.composition_from_batches(user, firm.organization.id, [a, bare])
    assert no_lab.value.field == "supply.batch_ids[1]"
    stranger = Firm(factory)
    with pytest.raises(Forbidden):
        context.listings.composition_from_batches(stranger.user, firm.organization.id, [a])
    with pytest.raises(UnknownBatch) as foreign:
        context.listings.composition_from_batches(stranger.user, stranger.organization.id, [a])
    assert foreign.value.field == "supply.batch_ids[0]"

    # A supply naming the batches and no composition gets the lab ranges.
    offer = supply_document(
        firm.organization, firm.site, waste_code=CODE, composition={}, batch_ids=[str(a), str(b)]
    )
    listing = context.listings.create(user, parse_listing(offer))
    assert listing.terms.supply is not None
    assert listing.terms.supply.composition_source == "lab"
    assert listing.terms.supply.composition == ranges
    wrong_code = supply_document(firm.organization, firm.site, batch_ids=[str(a)])
    with pytest.raises(InvalidInput) as mismatch:
        context.listings.create(user, parse_listing(wrong_code))
    assert mismatch.value.field == "supply.batch_ids[0]"
