"""Footprints and the PACT v3 schema for the PACT tests (the spec read from ../shared)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.conftest import SHARED
from zerowaste.domain.footprints import Allocation, Contribution, ProductFootprint

PACT_DIR = SHARED / "conformance" / "pact" / "v3"
SPEC_URI = "urn:zerowaste:test:pact-v3-openapi"


def footprint(organization_id: uuid.UUID, **changes: Any) -> ProductFootprint:
    """A cradle-to-gate footprint of recycled aluminium ingot, per tonne."""
    base = ProductFootprint(
        id=uuid.uuid4(),
        product_id="AL-INGOT-R1",
        product_name="再生铝锭 Recycled aluminium ingot",
        organization_id=organization_id,
        company_name="苏州再生金属有限公司",
        declared_unit="t",
        unit_amount=Decimal("1"),
        product_mass_per_unit_kg=Decimal("1000"),
        reference_period_start=datetime(2025, 1, 1, tzinfo=UTC),
        reference_period_end=datetime(2026, 1, 1, tzinfo=UTC),
        geography_region_code="320505",
        boundary="cradle-to-gate: scrap collection, sorting, remelting, casting",
        pcf_excluding_biogenic_uptake_kg=Decimal("612.40"),
        fossil_ghg_kg=Decimal("600.1"),
        biogenic_ghg_kg=Decimal("2.3"),
        land_use_change_kg=Decimal("10.0"),
        interval_95_kg=(Decimal("540.2"), Decimal("701.9")),
        allocation=Allocation.MASS,
        recycled_content_share=Decimal("0.85"),
        primary_data_share=Decimal("0.625"),
        characterization="IPCC AR6 GWP100",
        standards=("ISO 14067:2018", "GB/T 24067-2024"),
        factor_sources=("CLCD 0.8", "EPA WARM v16"),
        created=datetime(2026, 3, 1, 8, 0, tzinfo=UTC),
        contributions=(Contribution("remelting", None, Decimal("400")),),
        comment="Computed from the chain's process data.",
        classification="7601",
    )
    return replace(base, **changes)


@cache
def spec() -> dict[str, Any]:
    """The PACT v3 OpenAPI document."""
    if not PACT_DIR.is_dir():
        pytest.skip(f"the PACT conformance folder {PACT_DIR} is absent")
    loaded: dict[str, Any] = yaml.safe_load((PACT_DIR / "openapi.yaml").read_text())
    return loaded


def validator(pointer: str) -> Draft202012Validator:
    """A JSON Schema 2020-12 validator for a JSON pointer into the OpenAPI document.

    OpenAPI 3.1 schemas are JSON Schema 2020-12, so the whole document is registered as one
    resource and `#/components/schemas/...` references resolve inside it; formats are checked.
    """
    registry: Registry[Any] = Registry().with_resource(SPEC_URI, Resource(spec(), DRAFT202012))
    return Draft202012Validator(
        {"$ref": f"{SPEC_URI}#{pointer}"},
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def errors(pointer: str, instance: Any) -> list[str]:
    """Every schema violation of `instance`, as `path: message`."""
    found = validator(pointer).iter_errors(instance)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in found]


PRODUCT_FOOTPRINT = "/components/schemas/ProductFootprint"
LIST_RESPONSE = "/paths/~13~1footprints/get/responses/200/content/application~1json/schema"
GET_RESPONSE = "/paths/~13~1footprints~1{id}/get/responses/200/content/application~1json/schema"
ERROR = "/components/schemas/Error"
