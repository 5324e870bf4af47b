"""PACT v3 ProductFootprint and CloudEvent documents as validated models that round-trip.

Field names are PACT's own (camelCase) so a parsed document serializes back to the same JSON:
decimals and date-times stay the strings they were sent as (checked, never reformatted), and
members this version does not define (data model extensions, other solutions' additions) are
kept as they came. Beyond the OpenAPI schema, the rules PACT's prose states are checked: one
geography at most, no `updated` and `version` 1 at most (a v3 footprint is immutable,
"Product Footprint Lifecycle"), no packaging or CCS figures when declared not included, DQRs
within 1..5, shares within 0..100.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from zerowaste.errors import PactDocumentInvalid

_DECIMAL = re.compile(r"^[+-]?\d+(\.\d+)?$")
_NAMED = re.compile(r"^([A-Za-z][A-Za-z0-9]*): (.*)$", re.DOTALL)
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def _decimal(value: str) -> str:
    if not _DECIMAL.match(value):
        raise ValueError('must be a decimal string such as "12.5"')
    return value


def _at_least_zero(value: str) -> str:
    if Decimal(_decimal(value)) < 0:
        raise ValueError("must be zero or more")
    return value


def _at_most_zero(value: str) -> str:
    if Decimal(_decimal(value)) > 0:
        raise ValueError("must be zero or less")
    return value


def _above_zero(value: str) -> str:
    if Decimal(_decimal(value)) <= 0:
        raise ValueError("must be more than zero")
    return value


def _date_time(value: str) -> str:
    if not _RFC3339.match(value):
        raise ValueError("must be an RFC 3339 date-time with an offset")
    datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    return value


def _uuid(value: str) -> str:
    uuid.UUID(value)
    return value


def _urn(value: str) -> str:
    if not value.lower().startswith("urn:"):
        raise ValueError("must be a URN (urn:<namespace>:<id>)")
    return value


Dec = Annotated[str, AfterValidator(_decimal)]
PositiveOrZero = Annotated[str, AfterValidator(_at_least_zero)]
NegativeOrZero = Annotated[str, AfterValidator(_at_most_zero)]
PositiveNonZero = Annotated[str, AfterValidator(_above_zero)]
DateTime = Annotated[str, AfterValidator(_date_time)]
Uuid = Annotated[str, AfterValidator(_uuid)]
Urn = Annotated[str, AfterValidator(_urn)]
NonEmpty = Annotated[str, Field(min_length=1)]
Unit = Literal[
    "liter", "kilogram", "cubic meter", "kilowatt hour", "megajoule", "ton kilometer",
    "square meter", "piece", "hour", "megabit second",
]  # fmt: skip
Subregion = Literal[
    "Africa", "Americas", "Asia", "Europe", "Oceania", "Australia and New Zealand",
    "Central Asia", "Eastern Asia", "Eastern Europe", "Latin America and the Caribbean",
    "Melanesia", "Micronesia", "Northern Africa", "Northern America", "Northern Europe",
    "Polynesia", "South-eastern Asia", "Southern Asia", "Southern Europe",
    "Sub-Saharan Africa", "Western Asia", "Western Europe",
]  # fmt: skip
ErrorCode = Literal[
    "BadRequest", "AccessDenied", "TokenExpired", "NotFound", "InternalError", "NotImplemented"
]


class _Document(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)


class EmissionFactorSource(_Document):
    """A secondary emission factor database and its version."""

    name: NonEmpty
    version: NonEmpty


class ProductOrSectorSpecificRule(_Document):
    """Product- or sector-specific rules (PCR, PEFCR) one operator published."""

    operator: Literal["PEF", "EPD International", "Other"]
    ruleNames: list[NonEmpty] = Field(min_length=1)
    otherOperatorName: NonEmpty | None = None


class DataQualityIndicators(_Document):
    """Technological, geographical and temporal data quality ratings, each 1..5."""

    technologicalDQR: Dec
    geographicalDQR: Dec
    temporalDQR: Dec

    @model_validator(mode="after")
    def _within_scale(self) -> DataQualityIndicators:
        for name in ("technologicalDQR", "geographicalDQR", "temporalDQR"):
            if not Decimal(1) <= Decimal(getattr(self, name)) <= Decimal(5):
                raise ValueError(f"{name}: must be between 1 and 5")
        return self


class Verification(_Document):
    """Third-party verification of the footprint."""

    coverage: Literal["PCF calculation model", "PCF program", "product level"] | None = None
    providerName: str | None = None
    completedAt: DateTime | None = None
    standardName: str | None = None
    comments: str | None = None


class DataModelExtension(_Document):
    """A data model extension: its schema's URL and the data it describes."""

    specVersion: str
    dataSchema: str
    documentation: str | None = None
    data: dict[str, Any]


class CarbonFootprint(_Document):
    """The `pcf` member: the figures per declared unit and how they were obtained."""

    declaredUnitOfMeasurement: Unit
    declaredUnitAmount: PositiveNonZero
    productMassPerDeclaredUnit: Dec
    referencePeriodStart: DateTime
    referencePeriodEnd: DateTime
    geographyRegionOrSubregion: Subregion | None = None
    geographyCountry: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    geographyCountrySubdivision: Annotated[str, Field(pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$")] | None = None  # fmt: skip # noqa: E501
    boundaryProcessesDescription: str | None = None
    pcfExcludingBiogenicUptake: Dec
    pcfIncludingBiogenicUptake: Dec
    fossilCarbonContent: PositiveOrZero
    biogenicCarbonContent: PositiveOrZero | None = None
    recycledCarbonContent: PositiveOrZero | None = None
    fossilGhgEmissions: PositiveOrZero
    landUseChangeGhgEmissions: PositiveOrZero | None = None
    landCarbonLeakage: PositiveOrZero | None = None
    landManagementFossilGhgEmissions: PositiveOrZero | None = None
    landManagementBiogenicCO2Emissions: PositiveOrZero | None = None
    landManagementBiogenicCO2Removals: NegativeOrZero | None = None
    biogenicCO2Uptake: NegativeOrZero | None = None
    biogenicNonCO2Emissions: PositiveOrZero | None = None
    landAreaOccupation: PositiveOrZero | None = None
    aircraftGhgEmissions: PositiveOrZero | None = None
    packagingEmissionsIncluded: bool | None = None
    packagingGhgEmissions: PositiveOrZero | None = None
    packagingBiogenicCarbonContent: PositiveOrZero | None = None
    outboundLogisticsGhgEmissions: PositiveOrZero | None = None
    ccsTechnologicalCO2CaptureIncluded: bool | None = None
    ccsTechnologicalCO2Capture: NegativeOrZero | None = None
    technologicalCO2CaptureOrigin: str | None = None
    technologicalCO2Removals: NegativeOrZero | None = None
    ccuCarbonContent: PositiveOrZero | None = None
    ccuCalculationApproach: Literal["Cut-off", "Credit"] | None = None
    ccuCreditCertification: str | None = None
    ipccCharacterizationFactors: list[Annotated[str, Field(pattern=r"^AR\d+$")]] = Field(
        min_length=1
    )
    crossSectoralStandards: list[str] = Field(min_length=1)
    productOrSectorSpecificRules: list[ProductOrSectorSpecificRule] | None = None
    exemptedEmissionsPercent: Dec
    exemptedEmissionsDescription: str | None = None
    allocationRulesDescription: str | None = None
    secondaryEmissionFactorSources: list[EmissionFactorSource] | None = None
    primaryDataShare: Dec | None = None
    dqi: DataQualityIndicators | None = None
    verification: Verification | None = None

    @model_validator(mode="after")
    def _spec_rules(self) -> CarbonFootprint:
        geographies = [
            self.geographyRegionOrSubregion,
            self.geographyCountry,
            self.geographyCountrySubdivision,
        ]
        if sum(g is not None for g in geographies) > 1:
            raise ValueError(
                "geographyCountry: only one of the three geography members may be defined"
            )
        if _instant(self.referencePeriodEnd) <= _instant(self.referencePeriodStart):
            raise ValueError("referencePeriodEnd: must be after referencePeriodStart")
        if self.packagingEmissionsIncluded is False and self.packagingGhgEmissions is not None:
            raise ValueError("packagingGhgEmissions: must be undefined when packaging is excluded")
        ccs = (self.ccsTechnologicalCO2Capture, self.technologicalCO2Removals)
        if self.ccsTechnologicalCO2CaptureIncluded is False and any(v is not None for v in ccs):
            raise ValueError("ccsTechnologicalCO2Capture: must be undefined without CCS")
        for name in ("primaryDataShare", "exemptedEmissionsPercent"):
            value = getattr(self, name)
            if value is not None and not Decimal(0) <= Decimal(value) <= Decimal(100):
                raise ValueError(f"{name}: must be a percentage between 0 and 100")
        if len(set(self.ipccCharacterizationFactors)) != len(self.ipccCharacterizationFactors):
            raise ValueError("ipccCharacterizationFactors: must not repeat a report")
        return self


class ProductFootprint(_Document):
    """A PACT v3 ProductFootprint."""

    id: Uuid
    specVersion: Annotated[str, Field(pattern=r"^\d+\.\d+\.\d+(-\d{8})?$")]
    precedingPfIds: list[Uuid] | None = Field(default=None, min_length=1)
    created: DateTime
    status: Literal["Active", "Deprecated"]
    validityPeriodStart: DateTime | None = None
    validityPeriodEnd: DateTime | None = None
    companyName: NonEmpty
    companyIds: list[Urn] = Field(min_length=1)
    productDescription: str
    productIds: list[Urn] = Field(min_length=1)
    productClassifications: list[Urn] | None = Field(default=None, min_length=1)
    productNameCompany: NonEmpty
    comment: str | None = None
    pcf: CarbonFootprint
    extensions: list[DataModelExtension] | None = None

    @model_validator(mode="after")
    def _lifecycle(self) -> ProductFootprint:
        extra = self.model_extra or {}
        if extra.get("updated") is not None:
            raise ValueError("updated: must be undefined, a v3 footprint never changes")
        if extra.get("version") not in (None, 1):
            raise ValueError("version: must be undefined or 1 in v3")
        for name in ("companyIds", "productIds", "productClassifications", "precedingPfIds"):
            values = getattr(self, name)
            if values is not None and len(set(values)) != len(values):
                raise ValueError(f"{name}: must not repeat a value")
        start, end = self.validityPeriodStart, self.validityPeriodEnd
        if start is not None and end is not None and _instant(end) <= _instant(start):
            raise ValueError("validityPeriodEnd: must be after validityPeriodStart")
        return self


class Error(_Document):
    """PACT's error body."""

    code: ErrorCode
    message: str


def _instant(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))


def invalid(exc: ValidationError, prefix: str = "") -> PactDocumentInvalid:
    """The first validation failure as a `PactDocumentInvalid` naming its field."""
    first = exc.errors()[0]
    location = ".".join(str(part) for part in first["loc"] if not str(part).startswith("function"))
    field = ".".join(p for p in (prefix, location) if p) or "body"
    message = str(first["msg"]).removeprefix("Value error, ")
    named = _NAMED.match(message)
    if named:  # a rule across members names the member it blames
        field = ".".join(p for p in (prefix, location, named.group(1)) if p)
        message = named.group(2)
    return PactDocumentInvalid(message, field=field)


def parse_footprint(document: Mapping[str, Any]) -> ProductFootprint:
    """Validate a PACT v3 ProductFootprint.

    Raises:
        PactDocumentInvalid: It breaks the schema or a rule of the specification.
    """
    try:
        return ProductFootprint.model_validate(dict(document))
    except ValidationError as exc:
        raise invalid(exc) from None


def to_json(model: BaseModel) -> dict[str, Any]:
    """A parsed document as JSON again: what was sent, members and all."""
    dumped: dict[str, Any] = model.model_dump(mode="json", exclude_unset=True)
    return dumped
