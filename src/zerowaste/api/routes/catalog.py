"""The waste catalogs: hazardous waste list, exemptions, solid waste classes, EU crosswalk."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from zerowaste.api.security import allow, context_of
from zerowaste.domain.access import Rule
from zerowaste.domain.catalog import CatalogEdition, HazardousWaste

router = APIRouter(prefix="/catalog", tags=["catalog"], dependencies=[Depends(allow(Rule.PUBLIC))])
OnDay = Annotated[date | None, Query(description="Day whose edition applies; today if omitted")]


class EditionOut(BaseModel):
    """An edition of the hazardous waste list and whether its own data is held."""

    name: str
    effective_from: date
    effective_to: date | None
    available: bool
    provisional: bool
    note: str
    source: str

    @classmethod
    def of(cls, edition: CatalogEdition) -> EditionOut:
        """Serialize an edition."""
        return cls(
            name=edition.name,
            effective_from=edition.effective_from,
            effective_to=edition.effective_to,
            available=edition.available,
            provisional=edition.provisional,
            note=edition.note,
            source=edition.source,
        )


class HazardousWasteOut(BaseModel):
    """One entry of the hazardous waste list."""

    code: str
    category: str
    category_name_zh: str
    category_name_en: str
    industry_source_zh: str
    description_zh: str
    characteristics: list[str]
    notation: str

    @classmethod
    def of(cls, entry: HazardousWaste) -> HazardousWasteOut:
        """Serialize an entry."""
        return cls(
            code=entry.code,
            category=entry.category,
            category_name_zh=entry.category_name_zh,
            category_name_en=entry.category_name_en,
            industry_source_zh=entry.industry_source_zh,
            description_zh=entry.description_zh,
            characteristics=sorted(c.value for c in entry.characteristics),
            notation=entry.notation,
        )


class SearchOut(BaseModel):
    """Search hits and the edition they come from."""

    edition: EditionOut
    items: list[HazardousWasteOut]


class CategoryOut(BaseModel):
    """A hazardous waste category (HW01..HW50)."""

    code: str
    name_zh: str
    name_en: str


class ExemptionOut(BaseModel):
    """One exempted stage of an item of the exemption list."""

    item_no: int
    subject: str
    description_zh: str
    stage_zh: str
    conditions_zh: str
    content_zh: str


class SolidWasteClassOut(BaseModel):
    """A general industrial solid waste class, with its verification status."""

    code: str
    name_zh: str
    name_en: str
    level: str
    parent: str
    verification: str
    source_notes: str


class CrosswalkOut(BaseModel):
    """An EU List of Waste code and its Chinese and Basel counterparts."""

    eu_code: str
    eu_hazardous: bool
    eu_description_en: str
    waste_type_en: str
    waste_type_zh: str
    cn_code_type: str
    cn_codes: list[str]
    cn_description_zh: str
    basel_codes: str
    confidence: str
    notes: str
    cn_verification: str


@router.get("/editions", response_model=list[EditionOut])
def list_editions(request: Request) -> list[EditionOut]:
    """Every edition of the hazardous waste list with its dates."""
    return [EditionOut.of(e) for e in context_of(request).catalog.editions()]


@router.get("/hazardous-waste", response_model=SearchOut)
def search_hazardous_waste(
    request: Request,
    q: Annotated[str, Query(min_length=1, description="Code, category, Chinese or English words")],
    on: OnDay = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> SearchOut:
    """Search the edition in force on a day."""
    catalog = context_of(request).catalog
    return SearchOut(
        edition=EditionOut.of(catalog.edition(on)),
        items=[HazardousWasteOut.of(e) for e in catalog.search(q, on, limit)],
    )


@router.get("/hazardous-waste/{code}", response_model=HazardousWasteOut)
def get_hazardous_waste(request: Request, code: str, on: OnDay = None) -> HazardousWasteOut:
    """One entry of the edition in force on a day."""
    return HazardousWasteOut.of(context_of(request).catalog.get(code, on))


@router.get("/categories", response_model=list[CategoryOut])
def list_categories(request: Request, on: OnDay = None) -> list[CategoryOut]:
    """The categories of the edition in force on a day."""
    return [
        CategoryOut.model_validate(c, from_attributes=True)
        for c in context_of(request).catalog.categories(on)
    ]


@router.get("/exemptions", response_model=list[ExemptionOut])
def list_exemptions(
    request: Request,
    code: Annotated[str | None, Query(description="Code or category; all rows if omitted")] = None,
    on: OnDay = None,
) -> list[ExemptionOut]:
    """Exemption-list rows that apply to a code or category."""
    return [
        ExemptionOut.model_validate(e, from_attributes=True)
        for e in context_of(request).catalog.exemptions(code, on)
    ]


@router.get("/solid-waste-classes", response_model=list[SolidWasteClassOut])
def list_solid_waste_classes(request: Request) -> list[SolidWasteClassOut]:
    """General industrial solid waste classes, each with its verification status."""
    return [
        SolidWasteClassOut.model_validate(c, from_attributes=True)
        for c in context_of(request).catalog.solid_waste_classes()
    ]


@router.get("/crosswalk", response_model=list[CrosswalkOut])
def search_crosswalk(
    request: Request,
    q: Annotated[str, Query(description="HW/SW code, EU code, Basel code or words")] = "",
) -> list[CrosswalkOut]:
    """EU List of Waste crosswalk rows matching a query."""
    return [
        CrosswalkOut.model_validate(c, from_attributes=True)
        for c in context_of(request).catalog.crosswalk(q)
    ]
