"""Evaluation on both backends: dataset import (all or nothing), models, the platform panel."""

from __future__ import annotations

import math

import pytest

from tests.admission_world import build_admission_world
from tests.evaluation_world import grunfeld_csv, mediation_panel
from tests.factories import OPERATOR, Factory
from zerowaste.bootstrap import Context
from zerowaste.domain.accounts import UserRole
from zerowaste.errors import Forbidden, InvalidInput
from zerowaste.errors.evaluation import (
    DatasetExists,
    DatasetInvalid,
    DatasetNotFound,
    ModelSpecificationInvalid,
)
from zerowaste.evaluation.tables import TableFormat


def test_an_imported_dataset_is_stored_listed_and_modelled(context: Context) -> None:
    service = context.evaluation
    summary = service.import_dataset(OPERATOR, "grunfeld", grunfeld_csv(), "statsmodels")
    assert (summary.rows, summary.variables) == (200, ("invest", "value", "capital"))
    assert [d.name for d in service.datasets()] == ["grunfeld"]
    stored = service.dataset("grunfeld")
    assert stored.summary.source == "statsmodels"
    assert stored.panel.balance.balanced
    classical, clustered = service.fit("grunfeld", "invest", ["value", "capital"], ["firm"], "firm")
    assert classical.coefficient("value").se == pytest.approx(0.0118567, abs=1e-6)
    assert clustered.coefficient("value").se == pytest.approx(0.015194, abs=1e-6)
    assert "(0.0119)" in service.table((classical, clustered), TableFormat.CSV)


def test_a_fresh_service_reads_the_dataset_back_from_the_database(context: Context) -> None:
    context.evaluation.import_dataset(OPERATOR, "g2", grunfeld_csv(), "statsmodels")
    fresh = type(context.evaluation)(context.unit_of_work, context.clock)
    panel = fresh.dataset("g2").panel
    assert panel.frame.equals(context.evaluation.dataset("g2").panel.frame)


def test_imports_are_all_or_nothing_and_name_the_field(context: Context) -> None:
    service = context.evaluation
    bad = "firm,city,year,y\nA,S,2020,1\nB,S,2020,oops\n"
    with pytest.raises(DatasetInvalid) as caught:
        service.import_dataset(OPERATOR, "bad", bad, "test")
    assert caught.value.field == "row 3: y"
    assert service.datasets() == []
    service.import_dataset(OPERATOR, "taken", "firm,city,year,y\nA,S,2020,1\n", "first")
    with pytest.raises(DatasetExists) as exists:
        service.import_dataset(OPERATOR, "taken", "firm,city,year,z\nA,S,2020,2\n", "second")
    assert exists.value.field == "name"
    assert service.dataset("taken").summary.source == "first"
    for name, source, field in (("bad name!", "x", "name"), ("ok", "  ", "source")):
        with pytest.raises(InvalidInput) as invalid:
            service.import_dataset(OPERATOR, name, "firm,city,year,y\nA,S,2020,1\n", source)
        assert invalid.value.field == field
    assert [d.name for d in service.datasets()] == ["taken"]
    with pytest.raises(DatasetNotFound):
        service.dataset("nope")


def test_only_regulators_and_admins_import(context: Context, factory: Factory) -> None:
    firm = factory.organization()
    user = factory.user(UserRole.FIRM, organization=firm)
    with pytest.raises(Forbidden):
        context.evaluation.import_dataset(user, "x", "firm,city,year,y\nA,S,2020,1\n", "s")
    regulator = factory.user(UserRole.REGULATOR, jurisdiction_code="320500")
    summary = context.evaluation.import_dataset(
        regulator, "x", "firm,city,year,y\nA,S,2020,1\n", "s"
    )
    assert summary.created_by == regulator.user_id


def test_mediation_and_errors_through_the_service(context: Context) -> None:
    service = context.evaluation
    service.import_dataset(OPERATOR, "med", mediation_panel().to_csv(), "simulated")
    result = service.mediation("med", "y", "d", "m", ["x"], cluster="firm", replicates=20)
    assert abs(result.identity_gap) < 1e-10
    with pytest.raises(ModelSpecificationInvalid) as caught:
        service.fit("med", "y", ["unknown"])
    assert caught.value.field == "regressors"


def test_the_platform_panel_carries_the_ledger_indicators(
    context: Context, factory: Factory
) -> None:
    world = build_admission_world(factory)
    credit = context.organizations.get(world.supplier_id).credit_code
    panel = context.evaluation.platform_panel(OPERATOR, [2026, 2027])
    rows = panel.frame[panel.frame["firm"] == credit].set_index("year")
    assert set(rows.index) == {2026, 2027}
    y2026 = rows.loc[2026]
    assert y2026["city"] == "320500"
    assert y2026["waste_intensity"] == pytest.approx(0.0006)
    assert y2026["hazardous_intensity"] == pytest.approx(0.0003)
    assert y2026["utilization_rate"] == pytest.approx(0.665889)
    assert y2026["disposal_share"] == pytest.approx(0.143)
    assert y2026["generated_t"] == pytest.approx(4.5)
    assert y2026["output_value_10k_cny"] == pytest.approx(5000)
    assert y2026["added_value_10k_cny"] == pytest.approx(1250)
    assert rows.loc[2027, "utilization_rate"] == pytest.approx(1.0)
    assert math.isnan(rows.loc[2027, "output_value_10k_cny"])
    # Joined with a city-level covariate dataset on (city, year).
    context.evaluation.import_dataset(
        OPERATOR, "policy", "firm,city,year,policy\n-,320500,2026,0.5\n-,320500,2027,0.75\n", "s"
    )
    joined = context.evaluation.platform_panel(OPERATOR, [2026, 2027], "policy", "city")
    mine = joined.frame[joined.frame["firm"] == credit].set_index("year")
    assert mine["policy"].tolist() == [0.5, 0.75]
    saved = context.evaluation.save_platform_panel(OPERATOR, "platform-26", [2026, 2027])
    assert "platform ledger" in saved.source
    assert saved.source == "platform ledger and economic records, 2026-2027"
    assert context.evaluation.dataset("platform-26").summary.rows == len(panel.frame)


def test_the_platform_panel_keeps_to_the_jurisdiction(context: Context, factory: Factory) -> None:
    build_admission_world(factory)
    inside = factory.user(UserRole.REGULATOR, jurisdiction_code="320500")
    outside = factory.user(UserRole.REGULATOR, jurisdiction_code="330400")
    assert len(context.evaluation.platform_panel(inside, [2026]).frame) >= 1
    with pytest.raises(DatasetInvalid) as caught:
        context.evaluation.platform_panel(outside, [2026])
    assert caught.value.field == "years"
    firm_user = factory.user(UserRole.FIRM, organization=factory.organization())
    with pytest.raises(Forbidden):
        context.evaluation.platform_panel(firm_user, [2026])
    with pytest.raises(Forbidden):
        context.evaluation.save_platform_panel(firm_user, "no spaces", [2026])
    with pytest.raises(InvalidInput) as years:
        context.evaluation.platform_panel(OPERATOR, list(range(1990, 2030)))
    assert years.value.field == "years"
    with pytest.raises(InvalidInput) as name:  # the name is checked before any panel is built
        context.evaluation.save_platform_panel(OPERATOR, "no spaces", list(range(1990, 2030)))
    assert name.value.field == "name"
