"""General industrial solid waste (SWnn classes) is captured like hazardous waste."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from tests.factories import OPERATOR, Factory
from tests.integration.test_capture import document, line, make_firm, signed
from zerowaste.bootstrap import Context
from zerowaste.errors import UnknownWasteCode


def test_a_general_solid_waste_batch_is_captured_and_traced(
    context: Context, factory: Factory
) -> None:
    firm = make_firm(factory)
    batch = uuid.uuid4()
    generated = document(
        firm, "generated", outputs=[line(batch, "12.5", "TNE", kind="waste", waste_code="sw02")]
    )
    context.capture.capture(OPERATOR, [signed(firm, generated)])
    view = context.capture.batch(OPERATOR, batch)
    assert view.batch.waste_code == "SW02"
    assert view.batch.mass_kg == Decimal(12500)


@pytest.mark.parametrize("code", ["SW99", "SW7", "S01"])
def test_an_unknown_general_class_is_refused_naming_the_field(
    context: Context, factory: Factory, code: str
) -> None:
    firm = make_firm(factory)
    generated = document(
        firm, "generated", outputs=[line(uuid.uuid4(), "1", "TNE", kind="waste", waste_code=code)]
    )
    with pytest.raises(UnknownWasteCode) as refused:
        context.capture.capture(OPERATOR, [signed(firm, generated)])
    assert refused.value.field == "events[0].event.outputs[0].waste_code"
    assert context.ledger.audit().size == 0
