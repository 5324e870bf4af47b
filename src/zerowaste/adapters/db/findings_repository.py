"""Inspection and correction projections: what inspectors counted and which events were wrong."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, select

from zerowaste.adapters.db.id_lists import in_list, rows_in
from zerowaste.adapters.db.tables import event_corrections, inspection_lines, inspections
from zerowaste.domain.corrections import Correction
from zerowaste.domain.inspections import Inspection, InspectionLine


def _correction(row: Any) -> Correction:
    return Correction(
        corrected_event_id=row.corrected_event_id,
        correction_event_id=row.correction_event_id,
        organization_id=row.organization_id,
        reason=row.reason,
        corrected_at=row.corrected_at,
        batch_id=row.batch_id,
        stated_kg=row.stated_kg,
        corrected_kg=row.corrected_kg,
    )


def inspections_with_lines(connection: Connection, heads: Sequence[Any]) -> list[Inspection]:
    """The inspections of these `inspections` rows, in their order, each with its lines.

    Args:
        connection: The connection to read the lines on.
        heads: Rows of the `inspections` table.

    Returns:
        One inspection a row, its lines in line order.
    """
    lines: dict[uuid.UUID, list[InspectionLine]] = {row.event_id: [] for row in heads}
    query = in_list(inspection_lines.c.event_id, inspection_lines)
    for row in sorted(rows_in(connection, query, lines), key=lambda r: r.line_no):
        lines[row.event_id].append(
            InspectionLine(row.batch_id, row.waste_code, row.counted_kg, row.ledger_kg)
        )
    return [
        Inspection(
            event_id=row.event_id,
            site_id=row.site_id,
            site_organization_id=row.site_organization_id,
            inspector_id=row.inspector_id,
            inspected_at=row.inspected_at,
            conditions=tuple(json.loads(row.conditions)),
            note=row.note,
            user_id=row.user_id,
            lines=tuple(lines[row.event_id]),
        )
        for row in heads
    ]


class FindingsRepository:
    """Reads and writes of inspections and corrections on one connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add_inspection(self, inspection: Inspection) -> None:
        """Store an inspection and its lines."""
        self._connection.execute(
            inspections.insert().values(
                event_id=inspection.event_id,
                site_id=inspection.site_id,
                site_organization_id=inspection.site_organization_id,
                inspector_id=inspection.inspector_id,
                inspected_at=inspection.inspected_at,
                conditions=json.dumps(list(inspection.conditions), ensure_ascii=False),
                note=inspection.note,
                user_id=inspection.user_id,
            )
        )
        if inspection.lines:
            self._connection.execute(
                inspection_lines.insert(),
                [
                    {
                        "event_id": inspection.event_id,
                        "line_no": n,
                        "batch_id": line.batch_id,
                        "waste_code": line.waste_code,
                        "counted_kg": line.counted_kg,
                        "ledger_kg": line.ledger_kg,
                        "gap_kg": line.gap_kg,
                    }
                    for n, line in enumerate(inspection.lines)
                ],
            )

    def inspections_at_site(self, site_id: uuid.UUID, limit: int = 200) -> list[Inspection]:
        """The site's inspections, newest first (at most `limit`), with their lines."""
        query = (
            select(inspections)
            .where(inspections.c.site_id == site_id)
            .order_by(inspections.c.inspected_at.desc(), inspections.c.event_id)
            .limit(limit)
        )
        return inspections_with_lines(self._connection, list(self._connection.execute(query)))

    def add_correction(self, correction: Correction) -> None:
        """Mark an event corrected."""
        self._connection.execute(
            event_corrections.insert().values(
                corrected_event_id=correction.corrected_event_id,
                correction_event_id=correction.correction_event_id,
                organization_id=correction.organization_id,
                reason=correction.reason,
                batch_id=correction.batch_id,
                stated_kg=correction.stated_kg,
                corrected_kg=correction.corrected_kg,
                corrected_at=correction.corrected_at,
            )
        )

    def corrections_of(self, event_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Correction]:
        """The corrections marking any of `event_ids`, by corrected event id."""
        wanted = list(set(event_ids))
        found: dict[uuid.UUID, Correction] = {}
        for start in range(0, len(wanted), 500):
            column = event_corrections.c.corrected_event_id
            query = select(event_corrections).where(column.in_(wanted[start : start + 500]))
            found.update(
                {
                    row.corrected_event_id: _correction(row)
                    for row in self._connection.execute(query)
                }
            )
        return found
