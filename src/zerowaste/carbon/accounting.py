"""Avoided and inventory emissions of each flow, kept apart, each with the factors it used.

Avoided emissions follow US EPA WARM's convention: the change of a management switch is the
alternative's emissions minus the baseline's, both from avoided-set factors (system expansion);
this module reports the saving as a positive number, `avoided = mass_t × (f(baseline) −
f(actual)) − transport`, where transport is the carriage's t.km times the road factor: the
avoided set's if the book has one, else the physical emission of the carriage from the inventory
set (the only figure of its kind; its reference is listed with the figure). Route factors of an
avoided figure are always avoided-set. Inventory emissions (GHG Protocol style) are
`mass_t × f(actual) + t.km × f(road)` from inventory-set factors only. The two are separate
figures and are never added together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from zerowaste.carbon.flows import (
    ROAD_TRUCK,
    BaselineRule,
    Unaccounted,
    WasteFlow,
    baseline_for,
)
from zerowaste.carbon.materials import WasteMaterials
from zerowaste.domain.factors import Factor, FactorBook, FactorCategory, FactorSet, WasteRoute
from zerowaste.errors import FactorNotFound


@dataclass(frozen=True, slots=True)
class Term:
    """One factor's part in a figure: the figure adds `coefficient × factor value`."""

    ref: str
    coefficient: Decimal


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure in kg CO2e of one factor set, or why there is none (`unaccounted`)."""

    factor_set: FactorSet
    co2e_kg: Decimal | None
    terms: tuple[Term, ...] = ()
    unaccounted: Unaccounted | None = None
    detail: str = ""

    @property
    def refs(self) -> tuple[str, ...]:
        """The references of the factors this figure used."""
        return tuple(term.ref for term in self.terms)


@dataclass(frozen=True, slots=True)
class FlowResult:
    """A flow with its baseline route, its avoided figure and its inventory figure."""

    flow: WasteFlow
    baseline: WasteRoute | None
    avoided: Figure
    inventory: Figure


def _merge(terms: Iterable[Term]) -> tuple[Term, ...]:
    """Terms of one reference summed; zero coefficients dropped (baseline = actual)."""
    totals: dict[str, Decimal] = {}
    for term in terms:
        totals[term.ref] = totals.get(term.ref, Decimal(0)) + term.coefficient
    return tuple(Term(ref, c) for ref, c in totals.items() if c != 0)


@dataclass
class Accountant:
    """Accounts flows against a factor book; remembers every factor it used by reference."""

    book: FactorBook
    materials: WasteMaterials
    rules: list[BaselineRule] = field(default_factory=list)
    factors: dict[str, Factor] = field(default_factory=dict)

    def _factor(self, factor_set: FactorSet, flow: WasteFlow, subject: str, route: str) -> Factor:
        category = FactorCategory.WASTE_ROUTE if route else FactorCategory.TRANSPORT
        factor = self.book.get(
            factor_set,
            category,
            subject,
            route=route,
            region_code=flow.region_code,
            year=flow.event_time.year,
        )
        self.factors[factor.ref] = factor
        return factor

    def _figure(
        self, factor_set: FactorSet, flow: WasteFlow, parts: Callable[[], list[Term]]
    ) -> Figure:
        try:
            terms = _merge(parts())
        except FactorNotFound as exc:
            return Figure(factor_set, None, (), Unaccounted.MISSING_FACTOR, exc.detail)
        total = sum((t.coefficient * self.factors[t.ref].value for t in terms), Decimal(0))
        return Figure(factor_set, total, terms)

    def account(self, flow: WasteFlow) -> FlowResult:
        """The avoided and inventory figures of one flow."""
        row = self.materials.lookup(flow.waste_code)
        material = flow.material or (row.material if row else None)
        if flow.route is None or material is None:
            reason = (
                Unaccounted.DISPOSAL_OTHER if flow.route is None else Unaccounted.UNKNOWN_MATERIAL
            )
            detail = (
                f"disposal method {flow.disposal_method}"
                if flow.route is None
                else (f"no material for waste code {flow.waste_code!r}")
            )
            empty = [
                Figure(s, None, (), reason, detail)
                for s in (FactorSet.AVOIDED, FactorSet.INVENTORY)
            ]
            return FlowResult(flow, None, empty[0], empty[1])
        actual = flow.route
        baseline = baseline_for(flow, self.rules, row.baseline_route if row else None)
        mass_t, tonne_km = flow.mass_t, flow.tonne_km

        def transport(factor_set: FactorSet, sign: int) -> list[Term]:
            if not tonne_km:
                return []
            try:
                factor = self._factor(factor_set, flow, ROAD_TRUCK, "")
            except FactorNotFound:
                if factor_set is FactorSet.INVENTORY:
                    raise
                # The carriage emits the same whichever account it is subtracted in.
                factor = self._factor(FactorSet.INVENTORY, flow, ROAD_TRUCK, "")
            return [Term(factor.ref, sign * tonne_km)]

        def avoided_terms() -> list[Term]:
            if baseline is None:
                raise FactorNotFound(f"no baseline route for {material}", field="baseline")
            base = self._factor(FactorSet.AVOIDED, flow, material, baseline)
            done = self._factor(FactorSet.AVOIDED, flow, material, actual)
            return [
                Term(base.ref, mass_t),
                Term(done.ref, -mass_t),
                *transport(FactorSet.AVOIDED, -1),
            ]

        def inventory_terms() -> list[Term]:
            done = self._factor(FactorSet.INVENTORY, flow, material, actual)
            return [Term(done.ref, mass_t), *transport(FactorSet.INVENTORY, 1)]

        return FlowResult(
            flow,
            baseline,
            self._figure(FactorSet.AVOIDED, flow, avoided_terms),
            self._figure(FactorSet.INVENTORY, flow, inventory_terms),
        )

    def account_all(self, flows: Iterable[WasteFlow]) -> list[FlowResult]:
        """Every flow's figures, in order."""
        return [self.account(flow) for flow in flows]
