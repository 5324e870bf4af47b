"""Set-based reads of what supplier indicators need: a year's generation, fates and output value.

The ledger figures are one `GROUP BY` over the indicator facts (`indicator_facts.py`, which
projects the `generated` events, their corrections and the carbon flow reader's utilizations
and disposals), and one query over `economic_records`, for any number of firms.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection

from zerowaste.adapters.db.id_lists import in_list, rows_in
from zerowaste.adapters.db.indicator_facts import IndicatorFacts, SubjectFilter
from zerowaste.adapters.db.tables import economic_records
from zerowaste.domain.indicators import Period


@dataclass(slots=True)
class SupplierInputs:
    """One firm's ledger and economic figures for a year, in kilograms and yuan.

    `utilized_kg` and `disposed_kg` count the firm's own waste wherever it met its fate that
    year (the firm's own transformations and disposals, and its receivers' of waste it sent
    on a manifest); `utilized_prior_kg` is the part of `utilized_kg` from batches made
    before the year began (the statistics' 综合利用往年贮存量).
    """

    organization_id: uuid.UUID
    year: int
    general_kg: Decimal = Decimal(0)
    hazardous_kg: Decimal = Decimal(0)
    utilized_kg: Decimal = Decimal(0)
    utilized_prior_kg: Decimal = Decimal(0)
    disposed_kg: Decimal = Decimal(0)
    generated_events: int = 0  # waste lines of the year's `generated` events
    output_value_cny: Decimal | None = None

    @property
    def generated_kg(self) -> Decimal:
        """Every waste generated in the year."""
        return self.general_kg + self.hazardous_kg


class SupplierIndicatorInputsReader:
    """Reads supplier indicator inputs inside the caller's connection (a unit of work's)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def inputs(
        self, organization_ids: Iterable[uuid.UUID], year: int
    ) -> dict[uuid.UUID, SupplierInputs]:
        """Each firm's inputs for `year`, by id (firms without data get zeros and no output).

        The ledger figures are the indicator facts' sums (refreshed first), the same the
        indicator registry's firm values are computed from.
        """
        ids = list(dict.fromkeys(organization_ids))
        found = {i: SupplierInputs(i, year) for i in ids}
        if not ids:
            return found
        facts = IndicatorFacts(self._connection)
        facts.refresh()
        start, end = Period.year(year).instants()
        subject = SubjectFilter(organization_ids=frozenset(ids))
        for organization_id, tally in facts.tallies(start, end, subject, by_firm=True).items():
            if organization_id not in found:
                continue
            inputs = found[organization_id]
            inputs.general_kg, inputs.hazardous_kg = tally.general_kg, tally.hazardous_kg
            inputs.utilized_kg, inputs.disposed_kg = tally.utilized_kg, tally.disposed_kg
            inputs.utilized_prior_kg = tally.utilized_prior_kg
            inputs.generated_events = tally.generated_lines
        self._economics(found, year)
        return found

    def _economics(self, found: dict[uuid.UUID, SupplierInputs], year: int) -> None:
        query = in_list(
            economic_records.c.organization_id,
            economic_records.c.organization_id,
            economic_records.c.output_value_cny,
        ).where(economic_records.c.year == year)
        for row in rows_in(self._connection, query, found):
            found[row.organization_id].output_value_cny = row.output_value_cny
