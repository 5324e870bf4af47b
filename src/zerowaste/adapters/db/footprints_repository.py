"""Published product footprints: store a new version, read one, list them newest first."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, select, update

from zerowaste.adapters.db.footprint_tables import product_footprints
from zerowaste.domain.footprints import (
    Allocation,
    Contribution,
    FootprintStatus,
    ProductFootprint,
)

_table = product_footprints


def _footprint(row: Any) -> ProductFootprint:
    return ProductFootprint(
        id=row.footprint_id,
        product_id=row.product_id,
        product_name=row.product_name,
        organization_id=row.organization_id,
        company_name=row.company_name,
        declared_unit=row.declared_unit,
        unit_amount=row.unit_amount,
        product_mass_per_unit_kg=row.product_mass_per_unit_kg,
        reference_period_start=row.reference_period_start,
        reference_period_end=row.reference_period_end,
        geography_region_code=row.geography_region_code,
        boundary=row.boundary,
        pcf_excluding_biogenic_uptake_kg=row.pcf_excluding_biogenic_uptake_kg,
        fossil_ghg_kg=row.fossil_ghg_kg,
        biogenic_ghg_kg=row.biogenic_ghg_kg,
        land_use_change_kg=row.land_use_change_kg,
        interval_95_kg=(row.interval_low_kg, row.interval_high_kg),
        allocation=Allocation(row.allocation),
        recycled_content_share=row.recycled_content_share,
        primary_data_share=row.primary_data_share,
        characterization=row.characterization,
        standards=tuple(row.standards),
        factor_sources=tuple(row.factor_sources),
        created=row.created,
        version=row.version,
        status=FootprintStatus(row.status),
        contributions=tuple(
            Contribution(
                label=item["label"],
                organization_id=uuid.UUID(item["organization_id"])
                if item["organization_id"]
                else None,
                co2e_kg=Decimal(item["co2e_kg"]),
            )
            for item in row.contributions
        ),
        comment=row.comment,
        classification=row.classification,
        product_system_id=row.product_system_id,
    )


def _values(footprint: ProductFootprint) -> dict[str, Any]:
    low, high = footprint.interval_95_kg
    return {
        "footprint_id": footprint.id,
        "product_id": footprint.product_id,
        "product_name": footprint.product_name,
        "organization_id": footprint.organization_id,
        "company_name": footprint.company_name,
        "declared_unit": footprint.declared_unit,
        "unit_amount": footprint.unit_amount,
        "product_mass_per_unit_kg": footprint.product_mass_per_unit_kg,
        "reference_period_start": footprint.reference_period_start,
        "reference_period_end": footprint.reference_period_end,
        "geography_region_code": footprint.geography_region_code,
        "boundary": footprint.boundary,
        "pcf_excluding_biogenic_uptake_kg": footprint.pcf_excluding_biogenic_uptake_kg,
        "fossil_ghg_kg": footprint.fossil_ghg_kg,
        "biogenic_ghg_kg": footprint.biogenic_ghg_kg,
        "land_use_change_kg": footprint.land_use_change_kg,
        "interval_low_kg": low,
        "interval_high_kg": high,
        "allocation": footprint.allocation.value,
        "recycled_content_share": footprint.recycled_content_share,
        "primary_data_share": footprint.primary_data_share,
        "characterization": footprint.characterization,
        "standards": list(footprint.standards),
        "factor_sources": list(footprint.factor_sources),
        "contributions": [
            {
                "label": item.label,
                "organization_id": str(item.organization_id) if item.organization_id else None,
                "co2e_kg": str(item.co2e_kg),
            }
            for item in footprint.contributions
        ],
        "comment": footprint.comment,
        "classification": footprint.classification,
        "product_system_id": footprint.product_system_id,
        "version": footprint.version,
        "status": footprint.status.value,
        "created": footprint.created,
    }


class FootprintRepository:
    """Reads and writes of `product_footprints` on one connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def next_version(self, product_id: str) -> int:
        """The version number the next footprint of `product_id` gets (1 for the first)."""
        latest = self._connection.execute(
            select(func.max(_table.c.version)).where(_table.c.product_id == product_id)
        ).scalar_one()
        return int(latest or 0) + 1

    def add(self, footprint: ProductFootprint) -> None:
        """Store a footprint; older active versions of the same product become deprecated."""
        self._connection.execute(
            update(_table)
            .where(_table.c.product_id == footprint.product_id)
            .where(_table.c.status == FootprintStatus.ACTIVE.value)
            .values(status=FootprintStatus.DEPRECATED.value)
        )
        self._connection.execute(_table.insert().values(**_values(footprint)))

    def get(self, footprint_id: uuid.UUID) -> ProductFootprint | None:
        """The footprint with this id, if any."""
        row = self._connection.execute(
            select(_table).where(_table.c.footprint_id == footprint_id)
        ).first()
        return _footprint(row) if row else None

    def list(
        self,
        *,
        organization_id: uuid.UUID | None = None,
        product_id: str | None = None,
        status: FootprintStatus | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[ProductFootprint]:
        """Footprints, newest first, optionally of one firm, one product or one status."""
        query = select(_table)
        if organization_id is not None:
            query = query.where(_table.c.organization_id == organization_id)
        if product_id is not None:
            query = query.where(_table.c.product_id == product_id)
        if status is not None:
            query = query.where(_table.c.status == status.value)
        query = query.order_by(_table.c.created.desc(), _table.c.footprint_id)
        rows = self._connection.execute(query.limit(limit).offset(offset))
        return [_footprint(row) for row in rows]
