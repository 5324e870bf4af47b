"""PACT v3 mapping without a database: every field, units, regions, decimals, filters, events."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from tests.pact_support import footprint
from zerowaste.adapters.exporters.pact import DataOwner, decimal_text, export_footprint, time_text
from zerowaste.adapters.exporters.pact_events import (
    PUBLISHED,
    REQUEST_CREATED,
    REQUEST_REJECTED,
    parse_event,
)
from zerowaste.adapters.exporters.pact_vocabulary import (
    PROVINCE_ISO,
    cross_sectoral,
    factor_source,
    ipcc_reports,
    pact_unit,
    subdivision,
)
from zerowaste.domain.footprints import FootprintStatus
from zerowaste.domain.pact import FootprintFacets, FootprintFilter
from zerowaste.errors import InvalidInput, PactDocumentInvalid, PactUnitUnsupported
from zerowaste.services.pact import facets

ORG = uuid.UUID("6f1c7c51-7a8e-4f57-9a39-2b7f4c1d0e11")
OWNER = DataOwner(ORG, "91320505MA000001XX", "苏州再生金属有限公司")


def exported(**changes: Any) -> dict[str, Any]:
    return export_footprint(footprint(ORG, **changes), OWNER)


def test_every_field_is_mapped() -> None:
    source = footprint(ORG)
    document = export_footprint(source, OWNER)
    assert document["id"] == str(source.id)
    assert document["specVersion"] == "3.0.0"
    assert document["created"] == "2026-03-01T08:00:00Z"
    assert document["status"] == "Active"
    assert document["validityPeriodStart"] == "2026-01-01T00:00:00Z"
    assert document["validityPeriodEnd"] == "2029-01-01T00:00:00Z"
    assert document["companyName"] == "苏州再生金属有限公司"
    assert document["companyIds"] == [
        "urn:pact:samr.gov.cn:uscc:91320505MA000001XX",
        f"urn:uuid:{ORG}",
    ]
    assert document["productIds"] == ["urn:zerowaste:product:AL-INGOT-R1"]
    assert document["productClassifications"] == ["urn:zerowaste:classification:7601"]
    assert document["productNameCompany"] == source.product_name
    assert "540.2 to 701.9 kgCO2e" in document["comment"]
    assert "GB/T 24067-2024" in document["comment"]
    pcf = document["pcf"]
    assert pcf["declaredUnitOfMeasurement"] == "kilogram"
    assert pcf["declaredUnitAmount"] == "1000"  # 1 t is 1000 kg: PACT has no tonne
    assert pcf["productMassPerDeclaredUnit"] == "1000"
    assert pcf["referencePeriodStart"] == "2025-01-01T00:00:00Z"
    assert pcf["referencePeriodEnd"] == "2026-01-01T00:00:00Z"
    assert pcf["geographyCountrySubdivision"] == "CN-JS"
    assert "geographyCountry" not in pcf
    assert "geographyRegionOrSubregion" not in pcf
    assert pcf["boundaryProcessesDescription"] == source.boundary
    assert pcf["pcfExcludingBiogenicUptake"] == "612.4"
    assert pcf["pcfIncludingBiogenicUptake"] == "612.4"
    assert pcf["fossilGhgEmissions"] == "600.1"
    assert pcf["landUseChangeGhgEmissions"] == "10"
    assert pcf["biogenicNonCO2Emissions"] == "2.3"
    assert pcf["fossilCarbonContent"] == "0"
    assert pcf["ipccCharacterizationFactors"] == ["AR6"]
    assert pcf["crossSectoralStandards"] == ["ISO14067"]
    assert pcf["exemptedEmissionsPercent"] == "0"
    assert pcf["primaryDataShare"] == "62.5"
    assert "Mass allocation" in pcf["allocationRulesDescription"]
    assert "recycled content 85%" in pcf["allocationRulesDescription"]
    assert pcf["secondaryEmissionFactorSources"] == [
        {"name": "CLCD", "version": "0.8"},
        {"name": "EPA WARM", "version": "v16"},
    ]
    assert "precedingPfIds" not in document


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("320505", "CN-JS"),
        ("110101", "CN-BJ"),
        ("410100", "CN-HA"),
        ("130100", "CN-HE"),
        ("460100", "CN-HI"),
        ("150100", "CN-NM"),
        ("540100", "CN-XZ"),
        ("810000", "CN-HK"),
        ("820000", "CN-MO"),
        ("990000", None),
        ("32", None),
    ],
)
def test_region_to_iso_3166_2(region: str, expected: str | None) -> None:
    assert subdivision(region) == expected


def test_the_province_table_is_complete_and_well_formed() -> None:
    assert len(PROVINCE_ISO) == 34  # 23 provinces, 4 municipalities, 5 regions, 2 SARs
    assert len(set(PROVINCE_ISO.values())) == 34
    assert all(code.startswith("CN-") and len(code) == 5 for code in PROVINCE_ISO.values())


def test_a_region_outside_every_province_falls_back_to_the_country() -> None:
    pcf = exported(geography_region_code="990000")["pcf"]
    assert pcf["geographyCountry"] == "CN"
    assert "geographyCountrySubdivision" not in pcf


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("612.400"), "612.4"),
        (Decimal("1E+3"), "1000"),
        (Decimal("0.000001"), "0.000001"),
        (Decimal("-0"), "0"),
        (Decimal("0.0"), "0"),
        (Decimal("-14.220"), "-14.22"),
        (Decimal("5"), "5"),
    ],
)
def test_decimals_are_plain_strings(value: Decimal, text: str) -> None:
    assert decimal_text(value) == text


def test_non_finite_decimals_and_naive_times_are_refused() -> None:
    with pytest.raises(InvalidInput):
        decimal_text(Decimal("NaN"))
    with pytest.raises(InvalidInput):
        time_text(datetime(2026, 1, 1))  # noqa: DTZ001


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("kg", ("kilogram", Decimal(1))),
        ("TNE", ("kilogram", Decimal(1000))),
        ("LTR", ("liter", Decimal(1))),
        ("MTQ", ("cubic meter", Decimal(1))),
        ("kWh", ("kilowatt hour", Decimal(1))),
        ("MJ", ("megajoule", Decimal(1))),
        ("tkm", ("ton kilometer", Decimal(1))),
        ("piece", ("piece", Decimal(1))),
    ],
)
def test_units_map_to_the_spec_enum(unit: str, expected: tuple[str, Decimal]) -> None:
    assert pact_unit(unit) == expected


def test_an_unknown_unit_is_refused_naming_the_field() -> None:
    with pytest.raises(PactUnitUnsupported) as raised:
        exported(declared_unit="furlong")
    assert raised.value.field == "declared_unit"


def test_standards_reports_and_sources() -> None:
    assert cross_sectoral(("ISO 14040:2006", "ISO 14044", "PAS 2050:2011", "X")) == (
        ["ISO14040-44", "PAS2050"],
        ["X"],
    )
    assert ipcc_reports("IPCC AR5 and AR6 GWP100") == ["AR5", "AR6"]
    assert ipcc_reports("GWP100") == []
    assert factor_source("CLCD") == {"name": "CLCD", "version": "unversioned"}
    with pytest.raises(InvalidInput) as raised:
        exported(characterization="GWP100")
    assert raised.value.field == "characterization"
    only_national = exported(standards=("GB/T 24067-2024",))["pcf"]
    assert only_national["crossSectoralStandards"] == ["GB/T 24067-2024"]


def test_negative_emissions_are_refused() -> None:
    with pytest.raises(InvalidInput) as raised:
        exported(fossil_ghg_kg=Decimal("-1"))
    assert raised.value.field == "fossil_ghg_kg"


def test_a_leap_day_reference_end_keeps_a_valid_period() -> None:
    document = exported(
        reference_period_end=datetime(2028, 2, 29, tzinfo=UTC),
        created=datetime(2028, 3, 1, tzinfo=UTC),
    )
    assert document["validityPeriodEnd"] == "2031-02-28T00:00:00Z"


def facets_of(**changes: Any) -> FootprintFacets:
    return facets(exported(**changes))


def test_filters_or_within_and_across_criteria() -> None:
    seen = facets_of()
    assert seen.geographies == ("CN-JS", "CN", "Eastern Asia", "Asia")
    product = "URN:ZEROWASTE:PRODUCT:al-ingot-r1"  # matched case-insensitively
    assert FootprintFilter(product_ids=("urn:x:y", product)).matches(seen)
    assert not FootprintFilter(product_ids=("urn:x:y",)).matches(seen)
    assert FootprintFilter(geographies=("DE", "cn-js")).matches(seen)
    assert not FootprintFilter(product_ids=(product,), geographies=("DE",)).matches(seen)
    assert FootprintFilter(company_ids=(f"urn:uuid:{ORG}",)).matches(seen)
    assert FootprintFilter(classifications=("urn:zerowaste:classification:7601",)).matches(seen)
    assert FootprintFilter(status="active").matches(seen)
    assert not FootprintFilter(status="Deprecated").matches(seen)
    assert not FootprintFilter(status="Active").matches(
        facets_of(status=FootprintStatus.DEPRECATED)
    )


def test_validity_filters() -> None:
    seen = facets_of()  # valid from 2026-01-01 to 2029-01-01
    assert FootprintFilter(valid_on=datetime(2027, 6, 1, tzinfo=UTC)).matches(seen)
    assert not FootprintFilter(valid_on=datetime(2025, 6, 1, tzinfo=UTC)).matches(seen)
    assert FootprintFilter(valid_after=datetime(2025, 12, 31, tzinfo=UTC)).matches(seen)
    assert not FootprintFilter(valid_after=datetime(2026, 1, 1, tzinfo=UTC)).matches(seen)
    assert FootprintFilter(valid_before=datetime(2029, 1, 2, tzinfo=UTC)).matches(seen)
    assert not FootprintFilter(valid_before=datetime(2029, 1, 1, tzinfo=UTC)).matches(seen)


def event(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": f"org.wbcsd.pact.ProductFootprint.{kind}.3",
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": "//api.recipient.example/3/events",
        "time": "2026-05-31T17:31:00Z",
        "data": data,
    }


def test_events_of_every_type_parse() -> None:
    created, criteria = parse_event(
        event("RequestCreatedEvent", {"productId": ["urn:gtin:4712345060507"], "geography": ["CN"]})
    )
    assert created.type == REQUEST_CREATED
    assert criteria.productId == ["urn:gtin:4712345060507"]  # type: ignore[attr-defined]
    short, _ = parse_event(event("RequestCreated", {"comment": "please"}))
    assert short.type == REQUEST_CREATED
    rejected, _ = parse_event(
        event(
            "RequestRejectedEvent",
            {"requestEventId": "1", "error": {"code": "NotFound", "message": "none"}},
        )
    )
    assert rejected.type == REQUEST_REJECTED
    published, data = parse_event(event("PublishedEvent", {"pfIds": [str(uuid.uuid4())]}))
    assert published.type == PUBLISHED
    assert len(data.pfIds) == 1  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("document", "field"),
    [
        (event("Unknown", {}), "type"),
        ({**event("PublishedEvent", {}), "specversion": "0.3"}, "specversion"),
        ({**event("PublishedEvent", {}), "time": "yesterday"}, "time"),
        (event("PublishedEvent", {"pfIds": ["not-a-uuid"]}), "data.pfIds.0"),
        (event("RequestCreatedEvent", {"productId": ["gtin-1"]}), "data.productId.0"),
        (event("RequestFulfilledEvent", {"requestEventId": "1", "pfs": []}), "data.pfs"),
        (event("RequestRejectedEvent", {"requestEventId": "1"}), "data.error"),
    ],
)
def test_invalid_events_are_refused_naming_the_field(document: dict[str, Any], field: str) -> None:
    with pytest.raises(PactDocumentInvalid) as raised:
        parse_event(document)
    assert raised.value.field == field
