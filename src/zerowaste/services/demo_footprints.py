"""Demo footprints: a steel coil and the chain master's body-in-white, from the firms' processes.

The process figures are illustrative orders of magnitude for a blast-furnace/BOF steel works
and an automotive supply chain (not any firm's data). Fuels and electricity are characterized
by the factor library; wastes and secondary material are linked to the demo ledger where the
firm recorded them over the demo year, divided by the year's production in its economics.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Protocol

from zerowaste.demo.model import DemoCity, DemoFirm
from zerowaste.domain.access import Principal
from zerowaste.domain.factors import Distribution, DistributionKind
from zerowaste.domain.footprints import Allocation, ProductFootprint
from zerowaste.domain.product_systems import (
    CoProduct,
    Exchange,
    ExchangeKind,
    Process,
    ProductSystem,
)
from zerowaste.services.footprints import FootprintService, LedgerLink

D = Decimal
#: Monte Carlo draws of the demo footprints.
DEMO_ITERATIONS = 500
#: Entered amounts the firms are unsure of: ±10 % (uniform bounds are set per exchange).
_TEN_PERCENT = D("0.1")


class FootprintTarget(Protocol):
    """What the demo footprints need of the context."""

    @property
    def footprints(self) -> FootprintService:
        """Enters processes and computes footprints."""
        ...


@dataclass(frozen=True, slots=True)
class DemoFootprints:
    """The footprints the demo published."""

    steel: ProductFootprint | None
    body_in_white: ProductFootprint | None


def _x(kind: ExchangeKind, amount: str, subject: str = "", **kw: object) -> Exchange:
    value = D(amount)
    spread = Distribution(
        DistributionKind.UNIFORM,
        low=float(value * (1 - _TEN_PERCENT)),
        high=float(value * (1 + _TEN_PERCENT)),
    )
    uncertain = kind in (ExchangeKind.FUEL, ExchangeKind.ELECTRICITY, ExchangeKind.EMISSION)
    return Exchange(
        kind,
        value,
        subject,
        distribution=spread if uncertain and value > 0 else Distribution(),
        **kw,  # type: ignore[arg-type]
    )


def _first(city: DemoCity, archetype: str, supplies: uuid.UUID | None = None) -> DemoFirm | None:
    for firm in city.firms:
        if firm.archetype == archetype and (supplies is None or firm.supplies == supplies):
            return firm
    return None


def _production(firm: DemoFirm, year: int) -> Decimal | None:
    figures = [e for e in firm.economics if e.year <= year]
    return max(figures, key=lambda e: e.year).product_output if figures else None


class _Builder:
    def __init__(
        self,
        service: FootprintService,
        actor: Principal,
        organizations: dict[uuid.UUID, uuid.UUID],
        sites: dict[uuid.UUID, uuid.UUID],
        start: datetime,
        end: datetime,
    ) -> None:
        self.service, self.actor = service, actor
        self.organizations, self.sites = organizations, sites
        self.start, self.end = start, end

    def process(
        self,
        firm: DemoFirm,
        name: str,
        product: tuple[str, str, str, str],
        exchanges: Sequence[Exchange],
        *,
        co_products: tuple[CoProduct, ...] = (),
        links: Sequence[LedgerLink] = (),
    ) -> Process:
        amount, unit, mass_kg, price = product
        production = _production(firm, self.start.year) if links else None
        draft = Process(
            id=uuid.uuid4(),
            organization_id=self.organizations[firm.ref],
            site_id=self.sites[firm.sites[0].ref] if firm.sites else None,
            name=name,
            reference_product=name,
            reference_amount=D(amount),
            unit=unit,
            reference_mass_kg=D(mass_kg),
            reference_price_cny=D(price),
            region_code="",
            period_start=self.start,
            period_end=self.end,
            exchanges=tuple(exchanges),
            co_products=co_products,
        )
        return self.service.add_process(
            self.actor,
            draft,
            ledger_links=links if production else (),
            period_production=production,
        )

    def share(self, process: Process, firm: DemoFirm) -> None:
        organization_id = self.organizations[firm.ref]
        if organization_id != process.organization_id:
            self.service.share(self.actor, process.id, organization_id)

    def publish(
        self,
        firm: DemoFirm,
        top: Process,
        name: str,
        unit: str,
        mass_kg: str,
        allocation: Allocation,
    ) -> ProductFootprint:
        system = self.service.add_system(
            self.actor,
            ProductSystem(
                id=uuid.uuid4(),
                organization_id=self.organizations[firm.ref],
                product_id=f"urn:zerowaste:product:{top.id}",
                name=name,
                top_process_id=top.id,
                declared_unit=unit,
                unit_amount=D(1),
                reference_flow=D(1),
                product_mass_per_unit_kg=D(mass_kg),
                allocation=allocation,
            ),
        )
        return self.service.compute(self.actor, system.id, iterations=DEMO_ITERATIONS, seed=1)


def seed_footprints(
    context: FootprintTarget,
    actor: Principal,
    city: DemoCity,
    organizations: dict[uuid.UUID, uuid.UUID],
    sites: dict[uuid.UUID, uuid.UUID],
) -> DemoFootprints:
    """Enter the demo chain's processes, share them up the chain, publish two footprints."""
    end = datetime.combine(city.as_of, time(0), UTC)
    build = _Builder(
        context.footprints, actor, organizations, sites, end - timedelta(days=365), end
    )
    steel_firm = _first(city, "steel.works")
    oem = _first(city, "automotive.oem")
    if steel_firm is None:
        return DemoFootprints(None, None)
    coil = build.process(
        steel_firm,
        "热轧卷 hot-rolled coil",
        ("1", "t", "1000", "4000"),
        [
            _x(ExchangeKind.FUEL, "11", "coke"),
            _x(ExchangeKind.FUEL, "4", "coal"),
            _x(ExchangeKind.FUEL, "1.5", "natural_gas"),
            _x(ExchangeKind.ELECTRICITY, "450"),
            _x(ExchangeKind.EMISSION, "120", "co2_fossil", comment="limestone and dolomite flux"),
            _x(ExchangeKind.EMISSION, "0.05", "ch4_fossil"),
            _x(ExchangeKind.SECONDARY_MATERIAL, "0.15", "steel", comment="purchased scrap"),
            _x(ExchangeKind.TRANSPORT, "480", "waterway", comment="ore and coal by barge"),
            _x(ExchangeKind.TRANSPORT, "9", "road_truck", comment="scrap by truck"),
        ],
        co_products=(CoProduct("水渣 granulated slag", D("0.3"), "t", D("300"), D("100")),),
        links=(LedgerLink("slag", "SW01", "landfill"), LedgerLink("steel")),
    )
    steel = build.publish(
        steel_firm, coil, "热轧卷 hot-rolled coil", "t", "1000", Allocation.ECONOMIC
    )
    if oem is None:
        return DemoFootprints(steel, None)
    stamper = _first(city, "automotive.stamping", oem.ref) or _first(city, "automotive.stamping")
    caster = _first(city, "automotive.casting", oem.ref) or _first(city, "automotive.casting")
    painter = _first(city, "automotive.painting", oem.ref) or _first(city, "automotive.painting")
    inputs: list[Exchange] = [
        _x(ExchangeKind.ELECTRICITY, "120", comment="welding and assembly"),
        _x(ExchangeKind.FUEL, "0.4", "natural_gas"),
    ]
    if stamper is not None:
        build.share(coil, stamper)
        panels = build.process(
            stamper,
            "冲压件 stamped panels",
            ("1", "set", "330", "2600"),
            [
                Exchange(ExchangeKind.TECHNOSPHERE, D("0.39"), source_process_id=coil.id),
                _x(ExchangeKind.ELECTRICITY, "95"),
                _x(ExchangeKind.TRANSPORT, "31.2", "road_truck", comment="coil, 80 km"),
                _x(ExchangeKind.WASTE, "0.06", "steel", route="recycling", waste_code="SW17"),
            ],
        )
        build.share(panels, oem)
        inputs.append(Exchange(ExchangeKind.TECHNOSPHERE, D(1), source_process_id=panels.id))
    if caster is not None:
        castings = build.process(
            caster,
            "铝合金压铸件 aluminium die castings",
            ("1", "t", "1000", "30000"),
            [
                _x(ExchangeKind.VIRGIN_MATERIAL, "0.55", "aluminium"),
                _x(ExchangeKind.SECONDARY_MATERIAL, "0.5", "aluminium"),
                _x(ExchangeKind.FUEL, "6", "natural_gas"),
                _x(ExchangeKind.ELECTRICITY, "900"),
                _x(ExchangeKind.WASTE, "0.05", "slag", route="landfill", waste_code="SW01"),
            ],
        )
        build.share(castings, oem)
        inputs.append(
            Exchange(ExchangeKind.TECHNOSPHERE, D("0.018"), source_process_id=castings.id)
        )
    if painter is not None:
        coating = build.process(
            painter,
            "电泳涂装 e-coat",
            ("1", "m2", "0.2", "35"),
            [
                _x(ExchangeKind.VIRGIN_MATERIAL, "0.00015", "solvent"),
                _x(ExchangeKind.ELECTRICITY, "1.2"),
                _x(ExchangeKind.FUEL, "0.02", "natural_gas"),
                _x(ExchangeKind.EMISSION, "0.3", "co2_fossil", comment="VOC thermal oxidation"),
                _x(
                    ExchangeKind.WASTE,
                    "0.00005",
                    "paint_sludge",
                    route="incineration",
                    waste_code="900-252-12",
                ),
            ],
        )
        build.share(coating, oem)
        inputs.append(Exchange(ExchangeKind.TECHNOSPHERE, D(90), source_process_id=coating.id))
    body = build.process(
        oem,
        "白车身 body-in-white",
        ("1", "piece", "360", "21000"),
        inputs,
        links=(
            LedgerLink("paint_sludge", "900-252-12", "incineration"),
            LedgerLink("steel", "SW17", "recycling"),
        ),
    )
    body_fp = build.publish(oem, body, "白车身 body-in-white", "piece", "360", Allocation.MASS)
    return DemoFootprints(steel, body_fp)
