"""Footprints through the service on both backends: ledger links, sharing, versions, figures."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest

from tests.factories import OPERATOR, Factory
from tests.integration.test_capture import CODE, T0, Firm, generated, make_firm
from zerowaste.adapters.factor_files import load_default_book
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.factors import FactorCategory, FactorSet
from zerowaste.domain.footprints import Allocation, FootprintStatus
from zerowaste.domain.product_systems import Exchange, ExchangeKind, Process, ProductSystem
from zerowaste.errors import Forbidden, InvalidInput, NotFound, ProcessNotShared
from zerowaste.services.footprints import LedgerLink

D = Decimal


@dataclass
class Chain:
    steel: Firm
    maker: Firm
    steel_user: Principal
    maker_user: Principal


@pytest.fixture
def chain(factory: Factory) -> Chain:
    steel, maker = make_firm(factory), make_firm(factory)
    return Chain(
        steel,
        maker,
        factory.user(UserRole.FIRM, organization=steel.organization),
        factory.user(UserRole.FIRM, organization=maker.organization),
    )


def draft(owner: Firm, exchanges: list[Exchange], **kw: object) -> Process:
    fields: dict[str, object] = {
        "id": uuid.uuid4(),
        "organization_id": owner.organization.id,
        "site_id": owner.site.id,
        "name": "热轧",
        "reference_product": "hot-rolled coil",
        "reference_amount": D(1),
        "unit": "t",
        "reference_mass_kg": D(1000),
        "reference_price_cny": D(4000),
        "region_code": "",
        "period_start": T0 - timedelta(days=1),
        "period_end": T0 + timedelta(days=30),
        "exchanges": tuple(exchanges),
        **kw,
    }
    return Process(**fields)  # type: ignore[arg-type]


def system(owner: Firm, top: Process, product_id: str = "") -> ProductSystem:
    return ProductSystem(
        id=uuid.uuid4(),
        organization_id=owner.organization.id,
        product_id=product_id or f"urn:zw:product:{uuid.uuid4()}",
        name="车门",
        top_process_id=top.id,
        declared_unit="piece",
        unit_amount=D(1),
        reference_flow=D(1),
        product_mass_per_unit_kg=D(20),
        allocation=Allocation.MASS,
    )


def test_a_two_firm_chain_is_computed_published_and_versioned(
    factory: Factory, chain: Chain
) -> None:
    context = factory.context
    service = context.footprints
    coil = service.add_process(
        chain.steel_user,
        draft(
            chain.steel,
            [
                Exchange(ExchangeKind.VIRGIN_MATERIAL, D("0.8"), "steel"),
                Exchange(ExchangeKind.ELECTRICITY, D(400)),
                Exchange(ExchangeKind.EMISSION, D(100), "co2_fossil"),
            ],
        ),
    )
    part = draft(
        chain.maker,
        [
            Exchange(ExchangeKind.TECHNOSPHERE, D("0.02"), source_process_id=coil.id),
            Exchange(ExchangeKind.EMISSION, D(2), "ch4_biogenic"),
        ],
        reference_product="door",
        unit="piece",
        reference_mass_kg=D(20),
    )
    with pytest.raises(ProcessNotShared):
        service.add_process(chain.maker_user, part)
    service.share(chain.steel_user, coil.id, chain.maker.organization.id)
    door = service.add_process(chain.maker_user, part)
    product = service.add_system(chain.maker_user, system(chain.maker, door))

    first = service.compute(chain.maker_user, product.id, iterations=200, seed=1)
    book = load_default_book()
    steel_t = book.get(
        FactorSet.INVENTORY,
        FactorCategory.VIRGIN_PRODUCTION,
        "steel",
        region_code="320505",
        year=T0.year,
    )
    grid = book.get(
        FactorSet.INVENTORY, FactorCategory.ELECTRICITY, "grid", region_code="320505", year=T0.year
    )
    coil_kg = D("0.8") * steel_t.value + 400 * grid.value + 100
    expected = D("0.02") * coil_kg + 2 * D("27.0")
    assert first.pcf_excluding_biogenic_uptake_kg == pytest.approx(expected, abs=D("1e-5"))
    assert first.biogenic_ghg_kg == D("54.000000")
    low, high = first.interval_95_kg
    assert low < first.pcf_excluding_biogenic_uptake_kg < high
    assert sum(c.co2e_kg for c in first.contributions) == pytest.approx(
        first.pcf_excluding_biogenic_uptake_kg, abs=D("1e-5")
    )
    assert {c.organization_id for c in first.contributions} == {
        chain.steel.organization.id,
        chain.maker.organization.id,
    }
    assert set(first.factor_sources) == {steel_t.ref, grid.ref}
    assert first.standards[0] == "ISO 14067:2018"
    assert first.version == 1
    assert first.status is FootprintStatus.ACTIVE

    second = service.compute(chain.maker_user, product.id, iterations=10)
    assert second.version == 2
    assert service.footprint(first.id).status is FootprintStatus.DEPRECATED
    assert [f.id for f in service.footprints(product_id=product.product_id)] == [second.id]
    tree = service.tree(product.id)
    assert {p.id for p in tree.processes} == {coil.id, door.id}

    service.unshare(chain.steel_user, coil.id, chain.maker.organization.id)
    with pytest.raises(ProcessNotShared):
        service.compute(chain.maker_user, product.id, iterations=10)


def test_ledger_links_divide_the_period_by_its_production(factory: Factory, chain: Chain) -> None:
    context = factory.context
    context.signing_keys.create_custodial(OPERATOR, chain.steel.organization.id)
    at = context.clock()
    context.capture.capture_custodial(
        chain.steel_user, [generated(chain.steel, uuid.uuid4(), kg="3000", at=at)]
    )
    process = context.footprints.add_process(
        chain.steel_user,
        draft(
            chain.steel,
            [Exchange(ExchangeKind.EMISSION, D(10), "co2_fossil")],
            period_start=at - timedelta(days=1),
            period_end=at + timedelta(days=1),
        ),
        ledger_links=[LedgerLink("slag", CODE, "landfill"), LedgerLink("steel")],
        period_production=D(100),
    )
    linked = [x for x in process.exchanges if x.from_ledger]
    assert [(x.kind, x.amount) for x in linked] == [
        (ExchangeKind.WASTE, D("0.03")),  # 3 t over 100 t of product
        (ExchangeKind.SECONDARY_MATERIAL, D(0)),
    ]
    stored = context.footprints.process(chain.steel_user, process.id)
    assert stored.exchanges == process.exchanges


def test_bad_input_names_the_field_and_stores_nothing(factory: Factory, chain: Chain) -> None:
    service = factory.context.footprints
    with pytest.raises(InvalidInput) as caught:
        service.add_process(
            chain.steel_user,
            draft(chain.steel, []),
            ledger_links=[LedgerLink("slag", CODE, "landfill")],
        )
    assert caught.value.field == "period_production"
    with pytest.raises(Forbidden):
        service.add_process(chain.maker_user, draft(chain.steel, []))
    with pytest.raises(NotFound):
        service.add_process(
            chain.steel_user,
            draft(
                chain.steel,
                [Exchange(ExchangeKind.TECHNOSPHERE, D(1), source_process_id=uuid.uuid4())],
            ),
        )
    assert service.processes(chain.steel_user, None) == []
    other = draft(chain.maker, [])
    with pytest.raises(InvalidInput) as caught:
        service.add_process(chain.steel_user, draft(chain.steel, [], site_id=chain.maker.site.id))
    assert caught.value.field == "site_id"
    del other
