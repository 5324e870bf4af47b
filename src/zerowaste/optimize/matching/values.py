"""Per-tonne value of each candidate arc, term by term, relative to the supply's disposal.

value = price + avoided disposal − transport − approval + carbon value, where

- price is what the demand pays (`DemandBid.price_cny_per_t`, negative for a gate fee);
- avoided disposal is the supply's default disposal cost it no longer pays;
- transport is road km × the freight rate of the supply's hazard class;
- approval is `Economics.cross_province_cny_per_t` on a cross-province pair;
- carbon value is avoided kg CO2e / 1000 × the carbon price, with avoided CO2e =
  net(material, disposal route) − net(material, demand's route) − km × freight CO2e.

When either (material, route) factor is missing from `Economics.net_co2e_kg_per_t` the
route difference is taken as 0 (no carbon data: the route change is neither credited nor
charged); the freight emissions are still subtracted. The disposal arc is the baseline:
every term 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zerowaste.errors import InvalidInput
from zerowaste.optimize.matching.model import ArcValue, MatchingProblem
from zerowaste.optimize.matching.tables import BoolArray, FloatArray, IntArray, Vocabulary

#: The disposal arc's value: the baseline every other arc is measured against.
DISPOSAL_VALUE = ArcValue(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)


@dataclass(frozen=True, eq=False)
class ArcValues:
    """ArcValue terms as arrays, one entry per arc."""

    price: FloatArray
    avoided_disposal: FloatArray
    transport: FloatArray
    approval: FloatArray
    avoided_co2e_kg: FloatArray
    carbon_value: FloatArray
    value: FloatArray

    def at(self, i: int) -> ArcValue:
        """The ArcValue of arc `i`."""
        return ArcValue(
            float(self.price[i]),
            float(self.avoided_disposal[i]),
            float(self.transport[i]),
            float(self.approval[i]),
            float(self.avoided_co2e_kg[i]),
            float(self.carbon_value[i]),
            float(self.value[i]),
        )


def arc_values(
    problem: MatchingProblem, s: IntArray, d: IntArray, distance_km: FloatArray, cross: BoolArray
) -> ArcValues:
    """The value terms of arcs (supply `s[i]`, demand `d[i]`) at their road distances."""
    eco = problem.economics
    supplies, demands = problem.supplies, problem.demands
    classes = sorted({x.hazard_class for x in supplies})
    missing = [c for c in classes if c not in eco.transport_cny_per_tkm]
    if missing:
        raise InvalidInput(
            f"no freight rate for hazard class {', '.join(missing)}",
            field="economics.transport_cny_per_tkm",
        )
    class_ids = {c: i for i, c in enumerate(classes)}
    rate_of_class = np.asarray([eco.transport_cny_per_tkm[c] for c in classes], dtype=float)
    s_rate = rate_of_class[np.fromiter((class_ids[x.hazard_class] for x in supplies), int)]

    materials, routes = Vocabulary(), Vocabulary()
    s_mat = materials.many(x.material for x in supplies)
    s_route = routes.many(x.disposal_route for x in supplies)
    d_route = routes.many(x.route for x in demands)
    net = np.full((max(len(materials.ids), 1), max(len(routes.ids), 1)), np.nan)
    for (material, route), kg in eco.net_co2e_kg_per_t.items():
        if material in materials.ids and route in routes.ids:
            net[materials.ids[material], routes.ids[route]] = kg

    price = np.fromiter((x.price_cny_per_t for x in demands), float, len(demands))[d]
    avoided = np.fromiter((x.disposal_cost_cny_per_t for x in supplies), float, len(supplies))
    avoided = avoided[s]
    transport = distance_km * s_rate[s]
    approval = np.where(cross, eco.cross_province_cny_per_t, 0.0)
    mat = s_mat[s]
    route_gain = net[mat, s_route[s]] - net[mat, d_route[d]]
    route_gain = np.where(np.isnan(route_gain), 0.0, route_gain)
    co2e = route_gain - distance_km * eco.transport_co2e_kg_per_tkm
    carbon = co2e / 1000.0 * eco.carbon_price_cny_per_t
    value = price + avoided - transport - approval + carbon
    return ArcValues(price, avoided, transport, approval, co2e, carbon, value)
