"""CatalogService: the clock decides the edition, and results are domain objects."""

from __future__ import annotations

from datetime import date

import pytest

from zerowaste.adapters.catalog_files import load_catalog
from zerowaste.domain.catalog import HazardousWaste, Verification
from zerowaste.errors import InvalidInput, NotFound, UnknownWasteCode
from zerowaste.services.catalog import MAX_SEARCH_LIMIT, CatalogService

IN_2024 = date(2024, 6, 1)


@pytest.fixture
def service() -> CatalogService:
    return CatalogService(load_catalog(), today=lambda: IN_2024)


def test_today_comes_from_the_clock(service: CatalogService) -> None:
    assert service.edition().name == "2021"
    assert service.edition().provisional is False
    assert service.get("900-214-08") == service.get("900-214-08", on=IN_2024)
    late = CatalogService(load_catalog(), today=lambda: date(2026, 11, 23))
    assert late.get("900-214-08", on=date(2021, 3, 1)).category == "HW08"
    assert late.get("900-214-08") == service.get("900-214-08")


@pytest.mark.parametrize("today", [date(2025, 1, 1), date(2026, 11, 23)])
def test_from_2025_the_edition_is_provisional(today: date) -> None:
    late = CatalogService(load_catalog(), today=lambda: today)
    edition = late.edition()
    assert edition.name == "2025"
    assert edition.provisional is True
    assert edition.stand_in == "2021"
    assert len(edition.entries) == 467
    assert "2021 entries stand in" in edition.note
    assert late.validate_code_or_category("900-214-08") == "900-214-08"
    assert len(late.categories()) == 46
    assert len(late.exemptions()) == 57
    assert late.search("900-214-08")[0].code == "900-214-08"


def test_before_2021_there_is_no_edition() -> None:
    early = CatalogService(load_catalog(), today=lambda: date(2020, 12, 31))
    with pytest.raises(NotFound, match="no edition"):
        early.edition()
    with pytest.raises(NotFound, match="no edition"):
        early.get("900-214-08")


def test_editions_lists_held_and_stood_in_editions(service: CatalogService) -> None:
    assert [(e.name, e.available, e.provisional) for e in service.editions()] == [
        ("2021", True, False),
        ("2025", False, True),
    ]


def test_search_returns_domain_objects(service: CatalogService) -> None:
    found = service.search("mineral oil")
    assert found
    assert all(isinstance(entry, HazardousWaste) for entry in found)
    assert found[0].category == "HW08"
    assert service.search("废矿物油", limit=3)[0].category == "HW08"
    assert service.search("900-214-08")[0].code == "900-214-08"


def test_search_limit_is_capped_and_checked(service: CatalogService) -> None:
    assert len(service.search("", limit=10_000)) == min(467, MAX_SEARCH_LIMIT)
    with pytest.raises(InvalidInput) as caught:
        service.search("HW08", limit=0)
    assert caught.value.field == "limit"


def test_get_unknown_code_is_not_found(service: CatalogService) -> None:
    with pytest.raises(NotFound) as caught:
        service.get("900-000-08")
    assert caught.value.field == "code"


def test_categories_and_their_entries(service: CatalogService) -> None:
    categories = service.categories()
    assert len(categories) == 46
    assert categories[0].code == "HW01"
    assert categories[0].name_en == "Medical waste"
    assert len(service.category_entries("hw08")) == 32
    with pytest.raises(UnknownWasteCode) as caught:
        service.category_entries("HW42")
    assert caught.value.field == "category"


def test_exemptions(service: CatalogService) -> None:
    assert len(service.exemptions()) == 57
    rows = service.exemptions("900-210-08")
    assert [(row.item_no, row.stage_zh) for row in rows] == [(7, "运输")]


def test_solid_waste_classes_and_crosswalk(service: CatalogService) -> None:
    classes = service.solid_waste_classes()
    assert len(classes) == 23
    unverified = {c.code for c in classes if c.verification is Verification.UNVERIFIED}
    assert "SW09" in unverified
    assert service.solid_waste_class("SW06").name_en == "FGD gypsum"
    assert [row.eu_code for row in service.crosswalk("900-214-08")] == ["13 02 05*"]
    assert [row.cn_codes for row in service.crosswalk("13 01 10*")] == [("900-218-08",)]
    assert len(service.crosswalk()) == 44


def test_validate_names_the_field(service: CatalogService) -> None:
    assert service.validate_code_or_category("hw49") == "HW49"
    with pytest.raises(UnknownWasteCode) as caught:
        service.validate_code_or_category("123-456-78", field="waste_code")
    assert caught.value.field == "waste_code"
    assert service.validate_code_or_category("900-214-08", on=date(2025, 2, 1)) == "900-214-08"
    with pytest.raises(NotFound):
        service.validate_code_or_category("900-214-08", on=date(2020, 2, 1))


def test_covers(service: CatalogService) -> None:
    assert service.covers(["HW08", "900-006-09"], "900-214-08")
    assert service.covers(["HW08", "900-006-09"], "900-006-09")
    assert not service.covers(["HW08", "900-006-09"], "900-007-09")
