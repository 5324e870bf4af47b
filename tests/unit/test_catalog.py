"""Waste catalogs: package data against the reference tables, editions, search, validation."""

from __future__ import annotations

import csv
import importlib.util
from datetime import date
from importlib import resources
from pathlib import Path
from types import ModuleType

import pytest

from zerowaste.adapters.catalog_files import DATA_PACKAGE, load_catalog, load_catalog_from
from zerowaste.domain.catalog import (
    Catalog,
    CatalogEdition,
    HazardCharacteristic,
    HazardousWaste,
    Verification,
    category_of,
    covers,
    is_hazardous_waste_category,
    is_hazardous_waste_code,
    normalize_code_or_category,
)
from zerowaste.errors import InvalidInput, NotFound, UnknownWasteCode

PROJECT_ROOT = Path(__file__).resolve().parents[2]
REFERENCE = PROJECT_ROOT.parent / "shared" / "reference"
IN_FORCE = date(2024, 6, 1)

needs_reference = pytest.mark.skipif(
    not REFERENCE.is_dir(), reason=f"reference tables not present at {REFERENCE}"
)


def _reference_rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@needs_reference
def test_every_reference_hazardous_waste_is_in_the_catalog(catalog: Catalog) -> None:
    rows = _reference_rows("cn_hazardous_waste_2021.csv")
    edition = catalog.edition_at(IN_FORCE)
    assert len(edition.entries) == len(rows) == 467
    assert [entry.code for entry in edition.entries] == [row["code"] for row in rows]
    for row in rows:
        entry = catalog.hazardous_waste(row["code"], IN_FORCE)
        assert entry.category == row["category"]
        assert entry.category_name_zh == row["category_name_zh"]
        assert entry.description_zh == row["description_zh"]
        assert entry.industry_source_zh == row["industry_source_zh"]
        assert entry.characteristics == HazardCharacteristic.parse_many(row["hazard"])
        assert entry.notation == row["hazard_notation"]
    assert {c.code for c in edition.categories} == {row["category"] for row in rows}
    assert len(edition.categories) == 46


@needs_reference
def test_exemptions_classes_and_crosswalk_match_the_reference(catalog: Catalog) -> None:
    exemptions = _reference_rows("cn_hw_exemptions_2021.csv")
    held = catalog.exemptions(None, IN_FORCE)
    assert len(held) == len(exemptions) == 57
    assert [(e.item_no, e.subject, e.stage_zh) for e in held] == [
        (int(row["no"]), row["code_or_category"], row["exempted_stage"]) for row in exemptions
    ]
    assert len({e.item_no for e in held}) == 32
    classes = _reference_rows("cn_solid_waste_classes.csv")
    assert [c.code for c in catalog.solid_waste_classes] == [row["code"] for row in classes]
    assert [c.verification.value for c in catalog.solid_waste_classes] == [
        row["verified"] for row in classes
    ]
    crosswalk = _reference_rows("eu_list_of_waste_sample.csv")
    assert [(r.eu_code, ";".join(r.cn_codes)) for r in catalog.crosswalk_entries] == [
        (row["eu_low_code"], row["cn_code"]) for row in crosswalk
    ]


def _build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_catalogs", PROJECT_ROOT / "scripts" / "build_catalogs.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@needs_reference
def test_package_data_is_what_the_build_script_makes() -> None:
    files = _build_script().build(REFERENCE)
    data = resources.files(DATA_PACKAGE)
    for name, text in files.items():
        assert data.joinpath(name).read_text(encoding="utf-8") == text, f"{name} is stale"


def test_package_data_says_where_it_comes_from() -> None:
    sources = resources.files(DATA_PACKAGE).joinpath("SOURCES.md").read_text(encoding="utf-8")
    assert "2025" in sources
    assert "not available" in sources
    assert "SW09" in sources
    assert "project's own translation" in sources
    assert "Stand-in rule" in sources
    assert "`stand_in=2021`" in sources


def test_load_catalog_is_cached() -> None:
    assert load_catalog() is load_catalog()


def test_editions_have_their_effective_dates(catalog: Catalog) -> None:
    for day in (date(2021, 1, 1), IN_FORCE, date(2024, 12, 31)):
        edition = catalog.edition_at(day)
        assert edition.name == "2021"
        assert edition.provisional is False
        assert edition.stand_in is None
    with pytest.raises(NotFound, match="no edition"):
        catalog.edition_at(date(2020, 12, 31))
    assert [(e.name, e.available, e.stand_in) for e in catalog.editions] == [
        ("2021", True, None),
        ("2025", False, "2021"),
    ]
    assert catalog.editions[1].effective_to is None


@pytest.mark.parametrize("day", [date(2025, 1, 1), date(2025, 7, 1), date(2026, 11, 23)])
def test_from_2025_the_2021_data_stands_in_provisionally(catalog: Catalog, day: date) -> None:
    edition = catalog.edition_at(day)
    held = catalog.edition_at(IN_FORCE)
    assert edition.name == "2025"
    assert edition.provisional is True
    assert edition.available is False  # its own text is still not held
    assert edition.stand_in == "2021"
    assert len(edition.entries) == 467
    assert edition.entries == held.entries
    assert edition.categories == held.categories
    assert edition.exemptions == held.exemptions
    assert "2021 entries stand in" in edition.note
    assert "not known here" in edition.note
    assert "provisional" in str(edition)
    assert catalog.hazardous_waste("900-214-08", day).category == "HW08"
    assert catalog.validate_code_or_category("hw08", day) == "HW08"
    assert len(catalog.exemptions(None, day)) == 57
    with pytest.raises(NotFound, match="2025 edition .*provisional.* 2021 entries") as caught:
        catalog.hazardous_waste("900-999-08", day)
    assert caught.value.field == "code"
    with pytest.raises(UnknownWasteCode, match="2025 edition .*provisional"):
        catalog.validate_code_or_category("900-999-08", day)


def test_lookup_by_code(catalog: Catalog) -> None:
    oil = catalog.hazardous_waste("900-214-08", IN_FORCE)
    assert oil.category == "HW08"
    assert oil.category_name_en == "Waste mineral oil and mineral-oil-containing waste"
    assert oil.characteristics == {HazardCharacteristic.TOXICITY, HazardCharacteristic.IGNITABILITY}
    assert oil.industry_code == "900"
    assert catalog.hazardous_waste(" 90021408 ", IN_FORCE) == oil
    with pytest.raises(NotFound) as caught:
        catalog.hazardous_waste("900-999-08", IN_FORCE)
    assert caught.value.field == "code"


def test_code_format_helpers() -> None:
    assert is_hazardous_waste_code("900-214-08")
    assert not is_hazardous_waste_code("900-214-8")
    assert not is_hazardous_waste_code("HW08")
    assert is_hazardous_waste_category("HW08")
    assert not is_hazardous_waste_category("hw08")
    assert normalize_code_or_category(" hw08 ") == "HW08"
    assert normalize_code_or_category("90021408") == "900-214-08"
    assert category_of("772-003-18") == "HW18"
    with pytest.raises(ValueError, match="not a hazardous waste code"):
        category_of("HW18")


def test_hazard_characteristic_labels() -> None:
    assert HazardCharacteristic.INFECTIVITY.value == "In"
    assert HazardCharacteristic.INFECTIVITY.label_zh == "感染性"
    assert HazardCharacteristic.CORROSIVITY.label_en == "corrosivity"
    assert {c.label_zh for c in HazardCharacteristic} == {
        "毒性",
        "腐蚀性",
        "易燃性",
        "反应性",
        "感染性",
    }
    with pytest.raises(ValueError, match="X"):
        HazardCharacteristic.parse_many("T;X")


def test_search_exact_code_comes_first(catalog: Catalog) -> None:
    found = catalog.search("900-214-08", IN_FORCE)
    assert found[0].code == "900-214-08"
    assert catalog.search("90021408", IN_FORCE)[0].code == "900-214-08"


def test_search_by_category_and_code_prefix(catalog: Catalog) -> None:
    found = catalog.search("hw08", IN_FORCE, limit=100)
    assert [e.category for e in found[:32]] == ["HW08"] * 32
    prefix = catalog.search("900-2", IN_FORCE, limit=100)
    assert prefix
    assert all(e.code.startswith("900-2") for e in prefix)


def test_search_in_chinese(catalog: Catalog) -> None:
    found = catalog.search("废矿物油", IN_FORCE, limit=100)
    assert [e.category for e in found[:32]] == ["HW08"] * 32
    assert len(found) > 32  # descriptions in other categories mention it too
    assert any(e.code == "900-249-08" for e in found)


def test_search_in_english_is_case_insensitive(catalog: Catalog) -> None:
    found = catalog.search("Mineral OIL", IN_FORCE, limit=100)
    assert {e.category for e in found} == {"HW08"}
    assert len(found) == 32
    words = catalog.search("oil mineral", IN_FORCE, limit=100)
    assert {e.code for e in words} == {e.code for e in found}
    assert {e.category for e in catalog.search("spent catalysts", IN_FORCE, limit=100)} == {"HW50"}


def test_search_limit_and_empty_text(catalog: Catalog) -> None:
    assert len(catalog.search("HW11", IN_FORCE, limit=5)) == 5
    assert [e.code for e in catalog.search("  ", IN_FORCE, limit=3)] == [
        "841-001-01",
        "841-002-01",
        "841-003-01",
    ]
    assert catalog.search("no such waste anywhere", IN_FORCE) == ()
    with pytest.raises(InvalidInput) as caught:
        catalog.search("HW08", IN_FORCE, limit=0)
    assert caught.value.field == "limit"


def test_validate_code_or_category(catalog: Catalog) -> None:
    assert catalog.validate_code_or_category("900-214-08", IN_FORCE) == "900-214-08"
    assert catalog.validate_code_or_category(" hw08", IN_FORCE) == "HW08"
    assert catalog.validate_code_or_category("90021408", IN_FORCE) == "900-214-08"


@pytest.mark.parametrize("value", ["900-999-08", "HW41", "waste oil", "", "900-214-8"])
def test_unknown_code_raises_naming_the_field(catalog: Catalog, value: str) -> None:
    with pytest.raises(UnknownWasteCode) as caught:
        catalog.validate_code_or_category(value, IN_FORCE, field="waste_codes[2]")
    assert caught.value.field == "waste_codes[2]"
    assert caught.value.status == 422


def test_validate_before_the_first_edition_is_not_found(catalog: Catalog) -> None:
    with pytest.raises(NotFound, match="no edition"):
        catalog.validate_code_or_category("900-214-08", date(2020, 3, 1))


def test_covers() -> None:
    assert covers(["HW08"], "900-214-08")
    assert covers(["hw08 "], "900-214-08")
    assert covers(["900-214-08"], "900-214-08")
    assert covers(["HW08"], "HW08")
    assert not covers(["900-214-08"], "900-218-08")
    assert not covers(["900-214-08"], "HW08")
    assert not covers(["HW08"], "900-006-09")
    assert not covers([], "900-214-08")
    assert Catalog.covers(("HW09", "HW08"), "251-001-08")


def test_exemptions_by_code_and_category(catalog: Catalog) -> None:
    def items(code: str) -> set[int]:
        return {e.item_no for e in catalog.exemptions(code, IN_FORCE)}

    assert items("900-210-08") == {7}
    assert items("841-001-01") == {2, 3}  # item 2 names HW01 as a whole
    assert items("HW01") == {2, 3, 4, 5}
    assert items("HW34") == {20}
    assert items("772-003-18") == {13, 14, 15}
    assert items("252-017-11") == {10}
    assert items("900-214-08") == set()
    with pytest.raises(UnknownWasteCode) as caught:
        catalog.exemptions("999-999-99", IN_FORCE)
    assert caught.value.field == "code"


def test_solid_waste_classes_keep_their_verification(catalog: Catalog) -> None:
    assert len(catalog.solid_waste_classes) == 23
    assert catalog.solid_waste_class("sw02").name_zh == "粉煤灰"
    assert catalog.solid_waste_class("SW02").verification is Verification.PARTIAL
    assert catalog.solid_waste_class("SW09").verification is Verification.UNVERIFIED
    assert catalog.solid_waste_class("S60-S69").verification is Verification.VERIFIED
    assert not catalog.solid_waste_class("S60-S69").is_class
    with pytest.raises(NotFound):
        catalog.solid_waste_class("SW99")


def test_crosswalk_by_cn_code_eu_code_and_words(catalog: Catalog) -> None:
    assert [r.eu_code for r in catalog.crosswalk("900-214-08")] == ["13 02 05*"]
    assert [r.cn_codes for r in catalog.crosswalk("13 02 05*")] == [("900-214-08",)]
    assert catalog.crosswalk("130205") == catalog.crosswalk("13 02 05")
    assert {r.cn_codes[0] for r in catalog.crosswalk("16 08 02*")} == {"772-007-50", "251-016-50"}
    assert {r.eu_code[:2] for r in catalog.crosswalk("13")} == {"13"}
    assert {c for r in catalog.crosswalk("hw08") for c in r.cn_codes} == {
        "900-214-08",
        "900-218-08",
        "900-220-08",
        "900-210-08",
    }
    assert [r.eu_code for r in catalog.crosswalk("336-064-17")] == ["11 01 09*"]
    fly_ash = catalog.crosswalk("sw02")
    assert [r.eu_code for r in fly_ash] == ["10 01 02"]
    assert not fly_ash[0].eu_hazardous
    assert fly_ash[0].cn_verification is Verification.PARTIAL
    assert catalog.crosswalk("Coal FLY ash") == fly_ash
    assert len(catalog.crosswalk("fly ash")) == 2
    assert any(r.eu_code == "13 02 05*" for r in catalog.crosswalk("A3020"))
    assert len(catalog.crosswalk("")) == 44


def test_domain_invariants() -> None:
    with pytest.raises(ValueError, match="does not belong"):
        HazardousWaste("900-214-08", "HW09", "x", "x", "x", "x", frozenset(), "T")
    first = CatalogEdition("a", date(2021, 1, 1), date(2024, 12, 31))
    with pytest.raises(ValueError, match="overlap"):
        Catalog((first, CatalogEdition("b", date(2024, 1, 1), None)))
    with pytest.raises(ValueError, match="ends before"):
        CatalogEdition("c", date(2021, 1, 1), date(2020, 1, 1))
    with pytest.raises(NotFound):
        Catalog(()).edition_at(IN_FORCE)


def test_an_unavailable_edition_without_stand_in_is_not_found() -> None:
    held = CatalogEdition("a", date(2021, 1, 1), date(2024, 12, 31))
    missing = CatalogEdition("b", date(2025, 1, 1), None, available=False, note="no text")
    catalog = Catalog((held, missing))
    assert catalog.edition_at(IN_FORCE).provisional is False
    assert missing.provisional is False
    with pytest.raises(NotFound, match="b edition .* not available as data .no text"):
        catalog.edition_at(date(2025, 6, 1))


def test_stand_in_invariants() -> None:
    held = CatalogEdition("a", date(2021, 1, 1), date(2024, 12, 31))
    with pytest.raises(ValueError, match="stand-in is only for"):
        CatalogEdition("b", date(2025, 1, 1), None, stand_in="a")  # available by default
    with pytest.raises(ValueError, match="must be another edition"):
        CatalogEdition("b", date(2025, 1, 1), None, available=False, stand_in="b")
    orphan = CatalogEdition("b", date(2025, 1, 1), None, available=False, stand_in="z")
    with pytest.raises(ValueError, match="stand-in z is not an edition held as data"):
        Catalog((held, orphan))
    missing = CatalogEdition("a", date(2021, 1, 1), date(2024, 12, 31), available=False)
    chained = CatalogEdition("b", date(2025, 1, 1), None, available=False, stand_in="a")
    with pytest.raises(ValueError, match="stand-in a is not an edition held as data"):
        Catalog((missing, chained))
    with pytest.raises(ValueError, match="share a name"):
        Catalog((held, CatalogEdition("a", date(2025, 1, 1), None)))
    stood_in = Catalog((held, chained))
    assert stood_in.edition_at(date(2025, 1, 1)).provisional is True


def _copy_data(folder: Path) -> Path:
    """Copy the package's catalog CSVs to `folder`; return the copy of editions.csv."""
    data = resources.files(DATA_PACKAGE)
    for item in data.iterdir():
        if item.name.endswith(".csv"):
            (folder / item.name).write_text(item.read_text(encoding="utf-8"), "utf-8")
    return folder / "editions.csv"


def test_loader_rejects_a_wrong_entry_count(tmp_path: Path) -> None:
    editions = _copy_data(tmp_path)
    assert len(load_catalog_from(tmp_path).edition_at(IN_FORCE).entries) == 467
    editions.write_text(editions.read_text("utf-8").replace(",467,", ",468,"), "utf-8")
    with pytest.raises(ValueError, match="467 entries"):
        load_catalog_from(tmp_path)


def test_loader_without_stand_in_leaves_the_edition_unusable(tmp_path: Path) -> None:
    editions = _copy_data(tmp_path)
    text = editions.read_text("utf-8")
    assert text.count(",no,2021,") == 1
    editions.write_text(text.replace(",no,2021,", ",no,,"), "utf-8")
    catalog = load_catalog_from(tmp_path)
    assert catalog.editions[1].entries == ()
    assert catalog.editions[1].provisional is False
    assert catalog.edition_at(IN_FORCE).name == "2021"
    with pytest.raises(NotFound, match="2025 edition .* not available as data"):
        catalog.edition_at(date(2026, 11, 23))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (",no,2021,", ",no,2019,", "stand-in '2019' is not an edition held as data"),
        (",yes,,", ",yes,2021,", "held as data, so it takes no stand-in"),
    ],
)
def test_loader_rejects_a_bad_stand_in(tmp_path: Path, old: str, new: str, message: str) -> None:
    editions = _copy_data(tmp_path)
    editions.write_text(editions.read_text("utf-8").replace(old, new), "utf-8")
    with pytest.raises(ValueError, match=message):
        load_catalog_from(tmp_path)
