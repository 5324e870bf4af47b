"""PACT v3 export of a published product footprint (ISO 14067 fields -> ProductFootprint JSON).

Identifiers: the product is `urn:zerowaste:product:<product id>` (the project's URN space,
DESIGN.md section 5) unless it already is a URN; the data owner is named twice, by the unified
social credit code (统一社会信用代码, GB 32100-2015) as `urn:pact:samr.gov.cn:uscc:<code>`
(PACT's own pattern `urn:pact:<issuer domain>:<type>:<id>` for identifiers with no registered
URN namespace; SAMR runs the registration that assigns the code) and by its platform id as
`urn:uuid:<id>` (RFC 9562, a registered namespace). Geography is the province's ISO 3166-2:CN
subdivision, or the country when the region code names none. Figures are kg CO2e per declared
unit as decimal strings; the share of primary data becomes a percentage. What the footprint
model does not record (biogenic uptake, fossil carbon content, packaging) is declared in the
comment; see docs/pact.md for the field-by-field table.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from zerowaste.adapters.exporters.pact_documents import parse_footprint
from zerowaste.adapters.exporters.pact_vocabulary import (
    COUNTRY,
    SPEC_VERSION,
    cross_sectoral,
    factor_source,
    ipcc_reports,
    pact_unit,
    subdivision,
)
from zerowaste.domain.footprints import ProductFootprint
from zerowaste.errors import InvalidInput

#: Without a stated validity period a PACT footprint is valid 3 years after its reference
#: period ends ("Validity Period"); the export states that period explicitly.
VALIDITY_YEARS = 3
_HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class DataOwner:
    """The firm publishing the footprint, as PACT names it."""

    organization_id: uuid.UUID
    credit_code: str
    name: str


def decimal_text(value: Decimal) -> str:
    """A decimal as PACT's decimal string: plain notation, no exponent, no `-0`."""
    if not value.is_finite():
        raise InvalidInput("must be a finite number", field="value")
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def time_text(value: datetime) -> str:
    """An instant as an RFC 3339 UTC date-time (`2025-01-01T00:00:00Z`)."""
    if value.tzinfo is None:
        raise InvalidInput("must carry a time zone", field="datetime")
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _percent(share: Decimal) -> str:
    return decimal_text(share * _HUNDRED)


def _years_later(value: datetime, years: int) -> datetime:
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 29 February
        return value.replace(year=value.year + years, day=28)


def product_urn(product_id: str) -> str:
    """The footprint's product as a URN."""
    if product_id.lower().startswith("urn:"):
        return product_id
    return f"urn:zerowaste:product:{product_id}"


def company_urns(owner: DataOwner) -> list[str]:
    """The data owner's identifiers: credit code first, platform id second."""
    return [f"urn:pact:samr.gov.cn:uscc:{owner.credit_code}", f"urn:uuid:{owner.organization_id}"]


def classification_urns(classification: str) -> list[str] | None:
    """The product's classification as a URN, if it has one."""
    value = classification.strip()
    if not value:
        return None
    return [value if value.lower().startswith("urn:") else f"urn:zerowaste:classification:{value}"]


def geography(region_code: str) -> dict[str, str]:
    """Exactly one PACT geography member: the province's subdivision, else the country."""
    code = subdivision(region_code)
    return {"geographyCountrySubdivision": code} if code else {"geographyCountry": COUNTRY}


def _comment(footprint: ProductFootprint, unmapped: list[str]) -> str:
    low, high = footprint.interval_95_kg
    lines = [footprint.comment.strip()] if footprint.comment.strip() else []
    lines.append(
        f"95% Monte Carlo interval of pcfExcludingBiogenicUptake: {decimal_text(low)} to "
        f"{decimal_text(high)} kgCO2e per declared unit."
    )
    lines.append(
        "Biogenic CO2 uptake is not quantified, so pcfIncludingBiogenicUptake equals "
        "pcfExcludingBiogenicUptake; fossil carbon content is not assessed and reported as 0."
    )
    if unmapped:
        lines.append("Also calculated to: " + "; ".join(unmapped) + ".")
    lines.append(f"Footprint version {footprint.version} of product {footprint.product_id}.")
    return "\n".join(lines)


def export_footprint(
    footprint: ProductFootprint,
    owner: DataOwner,
    preceding: Sequence[uuid.UUID] = (),
) -> dict[str, Any]:
    """The PACT v3 ProductFootprint of one of our footprints.

    Args:
        footprint: The stored footprint.
        owner: The firm it belongs to (its credit code names it to PACT).
        preceding: Ids of the earlier versions of the same product, oldest first.

    Raises:
        PactUnitUnsupported: The declared unit has no PACT unit.
        InvalidInput: A figure PACT requires non-negative is negative, or no standard or IPCC
            report could be named.
    """
    unit, per_ours = pact_unit(footprint.declared_unit)
    standards, unmapped = cross_sectoral(footprint.standards)
    if not standards:
        standards, unmapped = list(footprint.standards), []
    if not standards:
        raise InvalidInput("PACT needs at least one cross-sectoral standard", field="standards")
    reports = ipcc_reports(footprint.characterization)
    if not reports:
        raise InvalidInput("names no IPCC assessment report (AR5, AR6)", field="characterization")
    for name in ("fossil_ghg_kg", "land_use_change_kg", "biogenic_ghg_kg"):
        if getattr(footprint, name) < 0:
            raise InvalidInput("PACT reports emissions as zero or more", field=name)
    total = decimal_text(footprint.pcf_excluding_biogenic_uptake_kg)
    pcf: dict[str, Any] = {
        "declaredUnitOfMeasurement": unit,
        "declaredUnitAmount": decimal_text(footprint.unit_amount * per_ours),
        "productMassPerDeclaredUnit": decimal_text(footprint.product_mass_per_unit_kg),
        "referencePeriodStart": time_text(footprint.reference_period_start),
        "referencePeriodEnd": time_text(footprint.reference_period_end),
        **geography(footprint.geography_region_code),
        "boundaryProcessesDescription": footprint.boundary,
        "pcfExcludingBiogenicUptake": total,
        "pcfIncludingBiogenicUptake": total,
        "fossilCarbonContent": "0",
        "fossilGhgEmissions": decimal_text(footprint.fossil_ghg_kg),
        "landUseChangeGhgEmissions": decimal_text(footprint.land_use_change_kg),
        "biogenicNonCO2Emissions": decimal_text(footprint.biogenic_ghg_kg),
        "ipccCharacterizationFactors": reports,
        "crossSectoralStandards": standards,
        "exemptedEmissionsPercent": "0",
        "allocationRulesDescription": (
            f"{footprint.allocation.value.capitalize()} allocation of multi-output processes "
            "(ISO 14044 4.3.4); recycled inputs enter burden-free by the cut-off (100:0) "
            f"approach, recycled content {_percent(footprint.recycled_content_share)}% "
            "of input mass."
        ),
        "primaryDataShare": _percent(footprint.primary_data_share),
    }
    if footprint.factor_sources:
        pcf["secondaryEmissionFactorSources"] = [factor_source(s) for s in footprint.factor_sources]
    document: dict[str, Any] = {
        "id": str(footprint.id),
        "specVersion": SPEC_VERSION,
        "created": time_text(footprint.created),
        "status": footprint.status.value,
        "validityPeriodStart": time_text(footprint.reference_period_end),
        "validityPeriodEnd": time_text(
            _years_later(footprint.reference_period_end, VALIDITY_YEARS)
        ),
        "companyName": footprint.company_name or owner.name,
        "companyIds": company_urns(owner),
        "productDescription": footprint.product_name,
        "productIds": [product_urn(footprint.product_id)],
        "productNameCompany": footprint.product_name,
        "comment": _comment(footprint, unmapped),
        "pcf": pcf,
    }
    if preceding:
        document["precedingPfIds"] = [str(i) for i in preceding]
    classes = classification_urns(footprint.classification)
    if classes:
        document["productClassifications"] = classes
    parse_footprint(document)  # the export obeys the rules the parser enforces on others
    return document
