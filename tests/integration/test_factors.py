"""The factor library on SQLite and PostgreSQL: default dataset, import, activate, pages."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.factories import OPERATOR, Factory
from zerowaste.adapters.db.factor_tables import factor_datasets, factors
from zerowaste.adapters.factor_files import factors_csv, load_default_book, parse_factors_csv
from zerowaste.bootstrap import Context
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.factor_datasets import FactorFilter
from zerowaste.domain.factors import FactorCategory, FactorSet
from zerowaste.domain.pages import PageRequest
from zerowaste.errors import (
    FactorDatasetExists,
    FactorFileInvalid,
    Forbidden,
    InvalidInput,
    UnknownFactorDataset,
    UnknownFactorRef,
)

STEEL = "avoided/waste_route/steel/recycling/GLO/2023"


def stored_counts(context: Context) -> tuple[int, int]:
    with context.engine.connect() as connection:
        datasets = connection.execute(select(func.count()).select_from(factor_datasets))
        rows = connection.execute(select(func.count()).select_from(factors))
        return datasets.scalar_one(), rows.scalar_one()


def edited_csv(steel_value: str) -> str:
    """The default dataset with the steel recycling credit changed."""
    book = load_default_book()
    lines = factors_csv(book).splitlines()
    edited = [
        line.replace(",-2017.2297,", f",{steel_value},")
        if line.startswith("avoided,waste_route,steel,recycling,")
        else line
        for line in lines
    ]
    assert edited != lines
    return "\n".join(edited) + "\n"


def test_first_use_stores_the_default_dataset_once(context: Context) -> None:
    assert stored_counts(context) == (0, 0)
    book = context.factors.book()
    assert book.dataset == "zerowaste-default 2026.1"
    default = load_default_book()
    assert sorted(f.ref for f in book) == sorted(f.ref for f in default)
    assert set(book) == set(default)  # every value, distribution and note exact on the backend
    (dataset,) = context.factors.datasets()
    assert dataset.is_active
    assert dataset.factor_count == len(default)
    assert context.factors.book() is book  # cached
    assert stored_counts(context) == (1, len(default))


def test_pages_filter_and_cover_every_factor_once(context: Context) -> None:
    every: list[str] = []
    after: str | None = None
    while True:
        page = context.factors.factors(FactorFilter(), PageRequest(after, 37))
        every += [f.ref for f in page.items]
        if page.next_after is None:
            break
        after = page.next_after
    assert len(every) == len(set(every)) == len(load_default_book())
    steel = FactorFilter.parse(factor_set="avoided", category="waste_route", subject="steel")
    found = context.factors.factors(steel, PageRequest(None, 50)).items
    assert {f.route for f in found} == {"source_reduction", "recycling", "landfill", "incineration"}
    jiangsu = FactorFilter.parse(category="electricity", region="320000")
    (grid,) = context.factors.factors(jiangsu, PageRequest(None, 50)).items
    assert grid.value == Decimal("0.5617")


def test_a_factor_by_reference(context: Context) -> None:
    steel = context.factors.factor(STEEL)
    assert steel.value == Decimal("-2017.2297")
    assert steel.factor_set is FactorSet.AVOIDED
    with pytest.raises(UnknownFactorRef):
        context.factors.factor("avoided/waste_route/steel/recycling/GLO/1999")
    with pytest.raises(InvalidInput) as caught:
        context.factors.factor("steel")
    assert caught.value.field == "ref"
    with pytest.raises(UnknownFactorDataset):
        context.factors.factor(STEEL, uuid.uuid4())


def test_an_invalid_file_stores_nothing_and_names_the_row(context: Context) -> None:
    context.factors.book()
    before = stored_counts(context)
    text = edited_csv("-1950")
    lines = text.splitlines()
    lines[12] = lines[12].replace(",kg CO2e/t,", ",kg/t,")
    with pytest.raises(FactorFileInvalid) as caught:
        context.factors.import_csv(OPERATOR, "\n".join(lines), "city", "2026.2")
    assert caught.value.field == "rows[12].unit"
    assert stored_counts(context) == before


def test_only_admins_import_or_activate(context: Context, factory: Factory) -> None:
    regulator = factory.user(UserRole.REGULATOR, jurisdiction_code="320500")
    with pytest.raises(Forbidden):
        context.factors.import_csv(regulator, edited_csv("-1900"), "city", "1")
    dataset = context.factors.dataset()
    with pytest.raises(Forbidden):
        context.factors.activate(regulator, dataset.id)


def test_import_activate_and_export_a_new_version(context: Context) -> None:
    default = context.factors.dataset()
    stored = context.factors.import_csv(
        OPERATOR, edited_csv("-1900"), "suzhou-city", "2026.2", description="local steel"
    )
    assert not stored.is_active
    assert stored.created_by == OPERATOR.user_id
    assert context.factors.factor(STEEL).value == Decimal("-2017.2297")
    assert context.factors.factor(STEEL, stored.id).value == Decimal("-1900")
    active_book = context.factors.book()
    activated = context.factors.activate(OPERATOR, stored.id)
    assert activated.is_active
    book = context.factors.book()
    assert book is not active_book
    assert book.dataset == "suzhou-city 2026.2"
    waste = FactorCategory.WASTE_ROUTE
    assert book.get(FactorSet.AVOIDED, waste, "steel", route="recycling").value == Decimal("-1900")
    assert [d.is_active for d in context.factors.datasets()] == [True, False]
    assert not context.factors.dataset(default.id).is_active
    exported = parse_factors_csv(context.factors.export_csv(stored.id))
    assert exported == list(parse_factors_csv(edited_csv("-1900")))
    with pytest.raises(FactorDatasetExists):
        context.factors.import_csv(OPERATOR, edited_csv("-1800"), "suzhou-city", "2026.2")
    with pytest.raises(UnknownFactorDataset):
        context.factors.activate(OPERATOR, uuid.uuid4())
    context.factors.activate(OPERATOR, default.id)
    assert context.factors.book().dataset == "zerowaste-default 2026.1"


def test_import_rejects_empty_labels_before_reading_the_file(context: Context) -> None:
    for name, version, field in (("", "1", "name"), ("x", "", "version")):
        with pytest.raises(InvalidInput) as caught:
            context.factors.import_csv(OPERATOR, "not,a,csv", name, version)
        assert caught.value.field == field
    assert stored_counts(context) == (0, 0)
