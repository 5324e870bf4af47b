"""The evaluation workbench: panel datasets, fixed-effects models, mediation, event studies.

Who may do what (the platform has no separate researcher role):

- importing a dataset, and building the platform panel from the ledger, is for regulators
  and administrators (a regulator's platform panel covers its jurisdiction only);
- reading datasets and estimating models on them is for any signed-in user: stored datasets
  are research panels (imported statistics, or platform panels a regulator chose to save),
  keyed by firm labels rather than the platform's internal records.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.exc import IntegrityError

from zerowaste.adapters.db.unit_of_work import UnitOfWorkFactory
from zerowaste.domain.access import Principal, Rule, role_may_attempt
from zerowaste.domain.accounts import UserRole
from zerowaste.domain.admission import SupplierIndicator
from zerowaste.errors import Forbidden, InvalidInput
from zerowaste.errors.evaluation import DatasetExists, DatasetInvalid, DatasetNotFound
from zerowaste.evaluation.dataset import DatasetSummary, Panel, from_columns, join, parse_csv
from zerowaste.evaluation.event_study import ESTIMATORS, EventStudy, event_study
from zerowaste.evaluation.mediation import Mediation, mediate
from zerowaste.evaluation.panel import ModelResult, ModelSpec, fit_beside
from zerowaste.evaluation.tables import TableFormat, render
from zerowaste.indicators.formulas import CNY_PER_10K, KG_PER_TONNE
from zerowaste.services.supplier_indicators import ledger_values

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
MAX_SOURCE = 500
#: The largest CSV accepted (characters): about a million rows of a dozen variables.
MAX_CSV_CHARS = 120_000_000
MAX_PANEL_YEARS = 30
FIRST_YEAR, LAST_YEAR = 1990, 2100
#: Parsed datasets kept in memory (datasets never change once stored).
CACHED = 4

#: The platform panel's variables, in column order (see docs/evaluation.md).
PLATFORM_VARIABLES = (
    "waste_intensity",
    "hazardous_intensity",
    "utilization_rate",
    "disposal_share",
    "generated_t",
    "output_value_10k_cny",
    "added_value_10k_cny",
)


#: The supplier indicators the first four variables hold, in the same order.
LEDGER_INDICATORS = (
    SupplierIndicator.WASTE_INTENSITY,
    SupplierIndicator.HAZARDOUS_INTENSITY,
    SupplierIndicator.UTILIZATION_RATE,
    SupplierIndicator.DISPOSAL_SHARE,
)


@dataclass(frozen=True)
class StoredDataset:
    """A dataset's description and its panel."""

    summary: DatasetSummary
    panel: Panel


def _decimal(value: object) -> Decimal | None:
    return value if isinstance(value, Decimal) else None


def _float(value: Decimal | None) -> float:
    return float(value) if value is not None else float("nan")


def prefecture_of(region_code: str) -> str:
    """The prefecture-level city (地级市) a GB/T 2260 code lies in (`320505` → `320500`)."""
    return region_code[:4] + "00"


def _may_curate(actor: Principal) -> None:
    if not role_may_attempt(Rule.REGULATOR, actor.role):
        raise Forbidden("regulators and administrators only")


def _check_name(name: str) -> None:
    if not NAME.match(name):
        raise InvalidInput(
            "a name is 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit",
            field="name",
        )


def check_years(years: Sequence[int]) -> list[int]:
    """Distinct, sorted years within bounds, at most MAX_PANEL_YEARS (field `years`)."""
    chosen = sorted(set(years))
    if not chosen:
        raise InvalidInput("name at least one year", field="years")
    if len(chosen) > MAX_PANEL_YEARS:
        raise InvalidInput(f"at most {MAX_PANEL_YEARS} years", field="years")
    if chosen[0] < FIRST_YEAR or chosen[-1] > LAST_YEAR:
        raise InvalidInput(f"years are {FIRST_YEAR}-{LAST_YEAR}", field="years")
    return chosen


class EvaluationService:
    """Import and read panel datasets; estimate models, mediation and event studies on them."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Callable[[], datetime]) -> None:
        self._uow = uow
        self._clock = clock
        self._cache: OrderedDict[uuid.UUID, Panel] = OrderedDict()
        self._lock = threading.Lock()  # pages and API calls run in worker threads

    def import_dataset(
        self, actor: Principal, name: str, csv_text: str, source: str
    ) -> DatasetSummary:
        """Validate and store a panel CSV (see `evaluation.dataset.parse_csv`); all or nothing.

        Raises:
            Forbidden: The actor is neither a regulator nor an administrator.
            InvalidInput: A bad `name` or an empty or too long `source`.
            DatasetInvalid: The CSV is malformed (field `row N: column`) or too large.
            DatasetExists: The name is taken.
        """
        _may_curate(actor)
        _check_name(name)
        clean_source = source.strip()
        if not clean_source:
            raise InvalidInput("say where the data come from", field="source")
        if len(clean_source) > MAX_SOURCE:
            raise InvalidInput(f"at most {MAX_SOURCE} characters", field="source")
        if len(csv_text) > MAX_CSV_CHARS:
            raise DatasetInvalid(f"more than {MAX_CSV_CHARS} characters", field="file")
        panel = parse_csv(csv_text)
        return self._store(actor, name, panel, clean_source)

    def _store(self, actor: Principal, name: str, panel: Panel, source: str) -> DatasetSummary:
        summary = DatasetSummary(
            id=uuid.uuid4(),
            name=name,
            source=source,
            created_by=actor.user_id if actor.user_id.int else None,
            created_at=self._clock(),
            variables=panel.variables,
            rows=len(panel.frame),
        )
        with self._uow() as uow:
            if uow.evaluation_datasets.exists(name):
                raise DatasetExists(f"a dataset is already named {name!r}", field="name")
            try:
                uow.evaluation_datasets.add(summary, panel.to_csv())
                uow.commit()
            except IntegrityError:
                raise DatasetExists(f"a dataset is already named {name!r}", field="name") from None
        self._remember(summary.id, panel)
        return summary

    def _remember(self, dataset_id: uuid.UUID, panel: Panel) -> None:
        with self._lock:
            self._cache[dataset_id] = panel
            self._cache.move_to_end(dataset_id)
            while len(self._cache) > CACHED:
                self._cache.popitem(last=False)

    def datasets(self) -> list[DatasetSummary]:
        """Every stored dataset's description, by name."""
        with self._uow() as uow:
            return uow.evaluation_datasets.all()

    def dataset(self, name: str) -> StoredDataset:
        """A stored dataset and its panel.

        Raises:
            DatasetNotFound: No dataset has this name (field `dataset`).
        """
        with self._uow() as uow:
            summary = uow.evaluation_datasets.summary(name)
            if summary is None:
                raise DatasetNotFound(f"no dataset {name!r}", field="dataset")
            with self._lock:
                cached = self._cache.get(summary.id)
            if cached is not None:
                return StoredDataset(summary, cached)
            text = uow.evaluation_datasets.csv(name) or ""
        panel = parse_csv(text)
        self._remember(summary.id, panel)
        return StoredDataset(summary, panel)

    def _panel(self, dataset: str | Panel) -> Panel:
        return dataset if isinstance(dataset, Panel) else self.dataset(dataset).panel

    def fit(
        self,
        dataset: str | Panel,
        outcome: str,
        regressors: Sequence[str],
        fixed_effects: Sequence[str] = ("firm", "year"),
        cluster: str | None = None,
    ) -> tuple[ModelResult, ...]:
        """The model with classical errors, and clustered ones beside when `cluster` is set.

        Raises:
            DatasetNotFound: No such dataset.
            ModelSpecificationInvalid: See `evaluation.panel.fit` (the field is named).
        """
        spec = ModelSpec(outcome, tuple(regressors), tuple(fixed_effects), cluster or None)
        return fit_beside(self._panel(dataset), spec)

    @staticmethod
    def table(models: Sequence[ModelResult], fmt: TableFormat) -> str:
        """The regression table of fitted models in a format."""
        return render(models, fmt)

    def mediation(
        self,
        dataset: str | Panel,
        outcome: str,
        treatment: str,
        mediator: str,
        controls: Sequence[str] = (),
        fixed_effects: Sequence[str] = ("firm", "year"),
        cluster: str | None = None,
        replicates: int = 0,
        seed: int = 0,
    ) -> Mediation:
        """Stepwise mediation with Sobel's test and an optional seeded cluster bootstrap."""
        return mediate(
            self._panel(dataset),
            outcome,
            treatment,
            mediator,
            controls,
            fixed_effects,
            cluster or None,
            replicates,
            seed,
        )

    def event_study(
        self,
        dataset: str | Panel,
        outcome: str,
        cohort: str,
        leads: int = 4,
        lags: int = 4,
        controls: Sequence[str] = (),
        cluster: str = "firm",
        estimators: Sequence[str] = ESTIMATORS,
    ) -> EventStudy:
        """The TWFE event study and did2s beside it (see `evaluation.event_study`)."""
        return event_study(
            self._panel(dataset),
            outcome,
            cohort,
            leads=leads,
            lags=lags,
            controls=controls,
            cluster=cluster,
            estimators=estimators,
        )

    def platform_panel(
        self,
        actor: Principal,
        years: Sequence[int],
        covariates: str | None = None,
        on: str = "city",
    ) -> Panel:
        """A firm × year panel from the ledger and economic records, optionally joined.

        Firms are the generators and the firms with economic records in the years, within
        the actor's jurisdiction; `firm` is the credit code, `city` the prefecture of the
        firm's first site. Variables: the supplier indicators of
        `services.supplier_indicators` (waste and hazardous intensity in t per 10,000 CNY of
        output value, utilization rate, disposal share), the waste generated in tonnes and
        the output and industrial added value in 10,000 CNY. A firm-year with neither
        ledger activity nor an economic record is left out. With `covariates`, a stored
        dataset's variables are joined on (`on`, year).

        Raises:
            Forbidden: The actor is neither a regulator nor an administrator.
            InvalidInput: Bad `years`; DatasetNotFound: unknown `covariates`.
            DatasetInvalid: No firm-year has data (field `years`), or a bad `on`.
        """
        _may_curate(actor)
        chosen = check_years(years)
        if on not in ("firm", "city"):
            raise DatasetInvalid("join on firm or city", field="on")
        region = None if actor.role is UserRole.ADMIN else actor.jurisdiction_code
        if actor.role is UserRole.REGULATOR and not region:
            raise Forbidden("this regulator has no jurisdiction")
        firms_, cities, years_, values = [], [], [], []
        with self._uow() as uow:
            firms = uow.platform_panel.firms(region, chosen)
            ids = [f.organization_id for f in firms]
            economics = uow.platform_panel.economics(ids, chosen)
            for year in chosen:
                inputs = uow.supplier_indicators.inputs(ids, year)
                for firm in firms:
                    i = inputs[firm.organization_id]
                    record = economics.get((firm.organization_id, year))
                    active = i.generated_events or i.utilized_kg or i.disposed_kg
                    if not active and record is None:
                        continue
                    indicators = ledger_values(i)
                    row = [_float(_decimal(indicators[k])) for k in LEDGER_INDICATORS]
                    row += [
                        float(i.generated_kg / KG_PER_TONNE),
                        _float(record.output_value_cny / CNY_PER_10K) if record else float("nan"),
                        _float(record.industrial_added_value_cny / CNY_PER_10K)
                        if record
                        else float("nan"),
                    ]
                    firms_.append(firm.credit_code)
                    cities.append(prefecture_of(firm.region_code))
                    years_.append(year)
                    values.append(row)
        if not firms_:
            raise DatasetInvalid(
                "no firm has ledger or economic data in these years", field="years"
            )
        panel = from_columns(firms_, cities, years_, PLATFORM_VARIABLES, values)
        if covariates:
            panel = join(panel, self.dataset(covariates).panel, on)
        return panel

    def save_platform_panel(
        self,
        actor: Principal,
        name: str,
        years: Sequence[int],
        covariates: str | None = None,
        on: str = "city",
    ) -> DatasetSummary:
        """Build the platform panel and store it as a dataset (its source says how)."""
        _may_curate(actor)
        _check_name(name)
        panel = self.platform_panel(actor, years, covariates, on)
        first, last = min(years), max(years)
        source = f"platform ledger and economic records, {first}-{last}"
        if covariates:
            source += f", joined with {covariates} on {on} and year"
        return self._store(actor, name, panel, source)
