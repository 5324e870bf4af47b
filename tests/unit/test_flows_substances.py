"""The substance layer and the Sankey shape over hand-solved systems."""

from __future__ import annotations

import pytest

from zerowaste.flows.reconcile import reconcile
from zerowaste.flows.sankey import EXPORTS, IMPORTS, sankey
from zerowaste.flows.substances import Concentration, substance_layer
from zerowaste.flows.system import ENVIRONMENT, Flow, FlowSystem, Measurement, Process

ENV = ENVIRONMENT


def _incinerator() -> FlowSystem:
    """100 t burnt into 20 t bottom ash, 3 t fly ash and unknown flue gas; the ash landfilled."""
    return FlowSystem(
        (Process("incineration", "Incineration"), Process("landfill", "Landfill", stock=True)),
        (
            Flow("waste", ENV, "incineration", Measurement(100, 0)),
            Flow("bottom_ash", "incineration", "landfill", Measurement(20, 0)),
            Flow("fly_ash", "incineration", "landfill", Measurement(3, 0)),
            Flow("flue_gas", "incineration", ENV),
        ),
    )


def test_transfer_coefficients_by_hand() -> None:
    """Zn, all masses exact, solved by hand.

    In: 100 t × 1,000 mg/kg = 0.1 t. The flue gas is the unknown rest of the goods,
    100 − 20 − 3 = 77 t, at 1 mg/kg: 7.7e-5 t. Bottom ash: 20 t × 4,000 mg/kg = 0.08 t.
    The fly ash has no concentration, so its Zn closes the balance:
    0.1 − 0.08 − 7.7e-5 = 0.019923 t. Transfer coefficients 0.8, 0.19923 and 0.00077; the
    landfill keeps all the Zn it receives in its stock (TC 1).
    """
    goods = reconcile(_incinerator())
    assert goods.value("flue_gas") == pytest.approx(77.0)
    layer = substance_layer(
        goods,
        {
            "waste": Concentration(1000),
            "bottom_ash": Concentration(4000),
            "flue_gas": Concentration(1),
        },
        "Zn",
    )
    result = layer.reconciliation
    assert result.value("fly_ash") == pytest.approx(0.1 - 0.08 - 7.7e-5, abs=1e-12)
    by_process = {b.process_id: b for b in layer.balances}
    incineration = by_process["incineration"]
    assert incineration.inputs == pytest.approx(0.1)
    assert incineration.transfer["bottom_ash"] == pytest.approx(0.8)
    assert incineration.transfer["fly_ash"] == pytest.approx(0.19923)
    assert incineration.transfer["flue_gas"] == pytest.approx(0.00077)
    landfill = by_process["landfill"]
    assert landfill.stock_change == pytest.approx(0.1 - 7.7e-5)
    assert landfill.transfer["stock:landfill"] == pytest.approx(1.0)


def test_substance_uncertainty_propagates() -> None:
    goods = reconcile(_incinerator())
    layer = substance_layer(goods, {"waste": Concentration(1000, 100)}, "Pb")
    waste = layer.reconciliation.variable("waste")
    # 100 t × 100 mg/kg = 0.01 t of standard deviation (the mass is exact).
    assert waste.sd == pytest.approx(0.01)
    assert layer.reconciliation.undetermined  # the ash flows' Pb is left open, not guessed


def test_unknown_flow_in_concentrations_is_refused() -> None:
    goods = reconcile(_incinerator())
    with pytest.raises(KeyError):
        substance_layer(goods, {"nope": Concentration(1)}, "Cd")


def test_sankey_splits_the_environment_and_draws_stock() -> None:
    picture = sankey(reconcile(_incinerator()))
    ids = [n.node_id for n in picture.nodes]
    assert IMPORTS in ids
    assert EXPORTS in ids
    assert "stock:landfill" in ids
    links = {link.variable_id: link for link in picture.links}
    assert links["flue_gas"].value == pytest.approx(77.0)
    assert picture.nodes[links["flue_gas"].target].node_id == EXPORTS
    assert picture.nodes[links["waste"].source].node_id == IMPORTS
    stock = links["stock:landfill"]
    assert stock.value == pytest.approx(23.0)
    assert picture.nodes[stock.target].label == "stock of Landfill"
