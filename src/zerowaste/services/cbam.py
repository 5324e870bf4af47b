"""CBAM reports: a firm submits an installation's activity data for a quarter; reports are kept."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Callable
from typing import Any

from zerowaste.adapters.db.unit_of_work import UnitOfWorkFactory
from zerowaste.domain.access import Principal
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.cbam import CnCodes, ReportingPeriod
from zerowaste.domain.cbam_emissions import compute
from zerowaste.domain.cbam_input import parse_submission
from zerowaste.domain.cbam_report import CSV_COLUMNS, CbamReport, Installation, csv_rows, document
from zerowaste.domain.factors import FactorBook
from zerowaste.domain.regions import region_prefix
from zerowaste.errors import Forbidden, InvalidInput, UnknownCbamReport, UnknownSite
from zerowaste.services.authorization import listing_scope

Clock = Callable[[], Any]


class CbamService:
    """Submit, compute, list, read and export CBAM embedded-emissions reports."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        factor_book: Callable[[], FactorBook],
        cn_codes: Callable[[], CnCodes],
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._factor_book = factor_book
        self._cn_codes = cn_codes
        self._clock = clock

    def cn_codes(self) -> CnCodes:
        """The CBAM goods list the reports are checked against."""
        return self._cn_codes()

    def submit(self, actor: Principal, data: Any) -> CbamReport:
        """Validate and compute a report from submitted JSON; store it as the next version.

        Only the installation's own firm (or an administrator) may submit. Any bad value raises
        an `InvalidInput` naming its field, and nothing is stored.
        """
        submission = parse_submission(data)
        try:
            site_id = uuid.UUID(submission.site_id)
        except ValueError:
            raise InvalidInput("is not a site id (UUID)", field="site_id") from None
        with self._uow() as uow:
            site = uow.sites.get(site_id)
            if site is None:
                raise UnknownSite(f"no site {site_id}", field="site_id")
            organization = uow.organizations.get(site.organization_id)
        assert organization is not None
        if actor.role is not UserRole.ADMIN and actor.organization_id != site.organization_id:
            raise Forbidden(
                "only the installation's own firm submits its CBAM data", field="site_id"
            )
        installation = Installation(
            site_id=site.id,
            name=site.name,
            organization_id=organization.id,
            organization_name=organization.name,
            address=site.address,
            region_code=site.region_code,
            latitude=site.latitude,
            longitude=site.longitude,
        )
        processes, goods = compute(
            submission, self._cn_codes(), self._factor_book(), site.region_code
        )
        results = document(submission, installation, processes, goods)
        with self._uow() as uow:
            period = str(submission.period)
            report = CbamReport(
                id=uuid.uuid4(),
                organization_id=organization.id,
                site_id=site.id,
                region_code=site.region_code,
                period=period,
                version=uow.cbam.next_version(site.id, period),
                inputs=json.loads(json.dumps(data)),
                results=results,
                created_by=actor.user_id,
                created_at=self._clock(),
            )
            uow.cbam.add(report)
            uow.commit()
        return report

    def get(self, actor: Principal, report_id: uuid.UUID) -> CbamReport:
        """A report the actor may see, or `UnknownCbamReport`."""
        with self._uow() as uow:
            report = uow.cbam.get(report_id)
        if report is None or not actor.acts_for(report.organization_id, report.region_code):
            raise UnknownCbamReport(f"no CBAM report {report_id}", field="report_id")
        return report

    def list(
        self,
        actor: Principal,
        *,
        organization_id: uuid.UUID | None = None,
        site_id: uuid.UUID | None = None,
        period: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[CbamReport]:
        """Reports the actor may see, newest first: a firm its own, a regulator its region's."""
        if period is not None:
            period = str(ReportingPeriod.parse(period))
        if organization_id is not None:
            with self._uow() as uow:
                organization = uow.organizations.get(organization_id)
            if organization is None or not actor.acts_for(
                organization.id, organization.region_code
            ):
                raise Forbidden(
                    "this organization's data is not yours to see", field="organization_id"
                )
        scope_organization, jurisdiction = listing_scope(actor, organization_id)
        with self._uow() as uow:
            return uow.cbam.list(
                organization_id=scope_organization,
                region_prefix=None if jurisdiction is None else region_prefix(jurisdiction),
                site_id=site_id,
                period=period,
                limit=limit,
                offset=offset,
            )

    def export_json(self, actor: Principal, report_id: uuid.UUID) -> dict[str, Any]:
        """The report as a JSON document: identity, version and the computed results."""
        report = self.get(actor, report_id)
        return {
            "report_id": str(report.id),
            "version": report.version,
            "organization_id": str(report.organization_id),
            "created_at": report.created_at.isoformat(),
            **report.results,
        }

    def export_csv(self, actor: Principal, report_id: uuid.UUID) -> str:
        """The report as CSV, one row per good."""
        return to_csv(self.get(actor, report_id))


def to_csv(report: CbamReport) -> str:
    """CSV text of a report, one row per good, with a header row."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(CSV_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(csv_rows(report))
    return out.getvalue()
