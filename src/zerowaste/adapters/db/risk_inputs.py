"""Reading what the risk score and the whitelist criteria need about many firms in few queries."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import BindParameter, Connection, bindparam, func, select

from zerowaste.adapters.db.id_lists import in_list, rows_in
from zerowaste.adapters.db.manifest_json import terms_from_json
from zerowaste.adapters.db.oversight_tables import alerts
from zerowaste.adapters.db.sites_repository import PermitRepository
from zerowaste.adapters.db.tables import (
    batches,
    event_batches,
    events,
    manifests,
    organization_roles,
    organizations,
    sites,
)
from zerowaste.domain.catalog import covers, is_hazardous_waste_code
from zerowaste.domain.manifests import ManifestState, ManifestTerms
from zerowaste.domain.permits import Permit, PermitActivity, PermitKind
from zerowaste.domain.regions import region_prefix
from zerowaste.domain.sites import SiteKind
from zerowaste.oversight.risk import CLOSE_GRACE_DAYS, RECENT_DAYS
from zerowaste.oversight.whitelist import AlertSummary

#: Site kinds where waste may be kept (贮存设施).
STORE_KINDS = (SiteKind.STORAGE, SiteKind.TRANSFER_STATION, SiteKind.DEPOT)
#: Manifest states that are settled: the receiver signed (or the manifest is closed).
SETTLED = frozenset(
    {ManifestState.RECEIVED, ManifestState.PARTIALLY_RECEIVED, ManifestState.CLOSED}
)
#: Manifest states of a load on the road.
ON_THE_ROAD = frozenset({ManifestState.PICKED_UP, ManifestState.IN_TRANSIT})


def _ids() -> BindParameter[Any]:
    """The id list `rows_in` binds a chunk at a time."""
    return bindparam("ids", expanding=True)


@dataclass(slots=True)
class FirmFacts:
    """What the score and the criteria read about one firm (see `risk.RiskInputs`)."""

    organization_id: uuid.UUID
    alerts: list[AlertSummary] = field(default_factory=list)
    events: int = 0
    events_last_year: int = 0
    first_event_at: datetime | None = None
    permits: list[Permit] = field(default_factory=list)
    handles_hazardous: bool = False
    has_store: bool = False
    hazardous_shipped_kg: float = 0.0
    hazardous_to_licensed_kg: float = 0.0
    manifests_due: int = 0
    manifests_closed: int = 0
    in_transit_since: list[datetime] = field(default_factory=list)


def _licensed(permits: Sequence[Permit], code: str, activity: PermitActivity, at: datetime) -> bool:
    day = at.date()
    return any(
        p.kind is PermitKind.HAZARDOUS_WASTE_BUSINESS
        and p.in_force(day)
        and activity in p.activities
        and covers(p.waste_codes, code)
        for p in permits
    )


class RiskInputsReader:
    """Batch reads of firms' alerts, events, permits, sites and manifests on one connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._permits = PermitRepository(connection)

    def firms_in(self, jurisdiction_code: str) -> list[uuid.UUID]:
        """The non-regulator organizations whose region lies in the jurisdiction, by id."""
        regulators = select(organization_roles.c.organization_id).where(
            organization_roles.c.role == "regulator"
        )
        query = (
            select(organizations.c.id)
            .where(organizations.c.region_code.startswith(region_prefix(jurisdiction_code)))
            .where(organizations.c.id.not_in(regulators))
            .order_by(organizations.c.id)
        )
        return list(self._connection.execute(query).scalars())

    def facts(
        self, organization_ids: Iterable[uuid.UUID], as_of: datetime
    ) -> dict[uuid.UUID, FirmFacts]:
        """Every firm's facts as of `as_of`, by id."""
        ids = list(dict.fromkeys(organization_ids))
        found = {i: FirmFacts(i) for i in ids}
        if not ids:
            return found
        self._alerts(found)
        self._events(found, as_of)
        for permit in self._permits.of_organizations(ids):
            found[permit.organization_id].permits.append(permit)
        self._stores(found)
        self._manifests(found, as_of)
        return found

    def _alerts(self, found: dict[uuid.UUID, FirmFacts]) -> None:
        query = in_list(
            alerts.c.organization_id,
            alerts.c.organization_id,
            alerts.c.rule_id,
            alerts.c.severity,
            alerts.c.state,
            alerts.c.raised_at,
        )
        for row in rows_in(self._connection, query, found):
            found[row.organization_id].alerts.append(
                AlertSummary(row.rule_id, row.severity, row.state, row.raised_at)
            )

    def _events(self, found: dict[uuid.UUID, FirmFacts], as_of: datetime) -> None:
        year_ago = as_of - timedelta(days=RECENT_DAYS)
        counts = (
            select(
                events.c.organization_id,
                func.count().label("n"),
                func.min(events.c.event_time).label("first"),
            )
            .where(events.c.organization_id.in_(_ids()))
            .group_by(events.c.organization_id)
        )
        for row in rows_in(self._connection, counts, found):
            facts = found[row.organization_id]
            facts.events, facts.first_event_at = int(row.n), row.first
        recent = (
            select(events.c.organization_id, func.count().label("n"))
            .where(events.c.organization_id.in_(_ids()))
            .where(events.c.event_time >= year_ago)
            .group_by(events.c.organization_id)
        )
        for row in rows_in(self._connection, recent, found):
            found[row.organization_id].events_last_year = int(row.n)
        generated = (
            in_list(events.c.organization_id, events.c.organization_id, batches.c.waste_code)
            .join(event_batches, event_batches.c.event_id == events.c.event_id)
            .join(batches, batches.c.batch_id == event_batches.c.batch_id)
            .where(events.c.event_type == "generated")
            .distinct()
        )
        for row in rows_in(self._connection, generated, found):
            if row.waste_code and is_hazardous_waste_code(row.waste_code):
                found[row.organization_id].handles_hazardous = True

    def _stores(self, found: dict[uuid.UUID, FirmFacts]) -> None:
        query = in_list(sites.c.organization_id, sites.c.organization_id).where(
            sites.c.kind.in_([k.value for k in STORE_KINDS])
        )
        for row in rows_in(self._connection, query, found):
            found[row.organization_id].has_store = True
        for facts in found.values():
            if any(PermitActivity.STORE in p.activities for p in facts.permits):
                facts.has_store = True

    def _manifests(self, found: dict[uuid.UUID, FirmFacts], as_of: datetime) -> None:
        year_ago = as_of - timedelta(days=RECENT_DAYS)
        grace = as_of - timedelta(days=CLOSE_GRACE_DAYS)
        query = (
            in_list(
                manifests.c.generator_id,
                manifests.c.generator_id,
                manifests.c.state,
                manifests.c.issued_at,
                manifests.c.body,
            )
            .where(manifests.c.state != ManifestState.DRAFT.value)
            .where(manifests.c.issued_at >= year_ago)
        )
        # Only the terms and the first pickup are read: the whole manifest is not needed.
        shipped = [
            (ManifestState(row.state), row.issued_at, terms_from_json(row.body["terms"]), row.body)
            for row in rows_in(self._connection, query, found)
        ]
        receivers = {terms.receiver_id for _, _, terms, _ in shipped}
        licences: dict[uuid.UUID, list[Permit]] = {r: [] for r in receivers}
        for permit in self._permits.of_organizations(receivers):
            licences[permit.organization_id].append(permit)
        for state, issued, terms, body in shipped:
            facts = found[terms.generator_id]
            if state in ON_THE_ROAD:
                pickups = [leg["picked_up_at"] for leg in body["legs"] if leg["picked_up_at"]]
                facts.in_transit_since.append(
                    datetime.fromisoformat(min(pickups)) if pickups else issued
                )
            if state in ON_THE_ROAD or state in SETTLED:
                self._shipped(facts, terms, licences[terms.receiver_id], issued)
            if issued <= grace and state is not ManifestState.ISSUED:
                facts.manifests_due += 1
                if state in SETTLED or state is ManifestState.REJECTED:
                    facts.manifests_closed += 1

    @staticmethod
    def _shipped(
        facts: FirmFacts, terms: ManifestTerms, permits: Sequence[Permit], issued: datetime
    ) -> None:
        for line in terms.lines:
            if not is_hazardous_waste_code(line.waste_code):
                continue
            mass = float(line.shipped_kg if line.shipped_kg is not None else line.mass_kg)
            facts.hazardous_shipped_kg += mass
            if _licensed(permits, line.waste_code, terms.activity, issued):
                facts.hazardous_to_licensed_kg += mass
