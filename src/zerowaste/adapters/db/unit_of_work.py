"""One transaction and the repositories that work inside it."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from sqlalchemy import Connection, Engine, RootTransaction

from zerowaste.adapters.db.accounts_repository import (
    ApiKeyRepository,
    SigningKeyRepository,
    UserRepository,
)
from zerowaste.adapters.db.admission_repository import AdmissionRuleRepository
from zerowaste.adapters.db.alerts_repository import AlertRepository
from zerowaste.adapters.db.allocations_repository import AllocationRepository
from zerowaste.adapters.db.carbon_flows import CarbonFlowReader
from zerowaste.adapters.db.carbon_repository import BaselineRepository, ChainRepository
from zerowaste.adapters.db.cbam_repository import CbamReportRepository
from zerowaste.adapters.db.contracts_repository import ContractRepository
from zerowaste.adapters.db.epcis_repository import EpcisRepository
from zerowaste.adapters.db.evaluation_repository import (
    EvaluationDatasetRepository,
    PlatformPanelReader,
)
from zerowaste.adapters.db.events_repository import EventRepository
from zerowaste.adapters.db.factors_repository import FactorRepository
from zerowaste.adapters.db.findings_repository import FindingsRepository
from zerowaste.adapters.db.flow_ledger import FlowLedgerReader
from zerowaste.adapters.db.footprints_repository import FootprintRepository
from zerowaste.adapters.db.generation_series import GenerationSeriesReader
from zerowaste.adapters.db.idempotency_repository import IdempotencyRepository
from zerowaste.adapters.db.indicator_facts import IndicatorFacts
from zerowaste.adapters.db.indicator_inputs import IndicatorInputsReader
from zerowaste.adapters.db.inspection_plans_repository import InspectionPlanRepository
from zerowaste.adapters.db.ledger_repository import LedgerRepository
from zerowaste.adapters.db.listings_repository import ListingRepository
from zerowaste.adapters.db.manifests_repository import ManifestRepository
from zerowaste.adapters.db.organizations_repository import OrganizationRepository
from zerowaste.adapters.db.pact_repository import PactRepository
from zerowaste.adapters.db.product_systems_repository import ProductSystemRepository
from zerowaste.adapters.db.registry_repository import IndustryRepository, RegionRepository
from zerowaste.adapters.db.risk_inputs import RiskInputsReader
from zerowaste.adapters.db.sites_repository import PermitRepository, SiteRepository
from zerowaste.adapters.db.statistics_repository import StatisticsRepository
from zerowaste.adapters.db.supplier_indicator_inputs import SupplierIndicatorInputsReader
from zerowaste.adapters.db.whitelist_repository import WhitelistRepository


class UnitOfWork:
    """Open with `with`; call `commit()` to keep the work, otherwise it is rolled back."""

    connection: Connection
    regions: RegionRepository
    industries: IndustryRepository
    organizations: OrganizationRepository
    sites: SiteRepository
    permits: PermitRepository
    users: UserRepository
    api_keys: ApiKeyRepository
    signing_keys: SigningKeyRepository
    idempotency: IdempotencyRepository
    ledger: LedgerRepository
    events: EventRepository
    epcis: EpcisRepository
    manifests: ManifestRepository
    findings: FindingsRepository
    alerts: AlertRepository
    risk_inputs: RiskInputsReader
    whitelist: WhitelistRepository
    inspection_plans: InspectionPlanRepository
    footprints: FootprintRepository
    factors: FactorRepository
    cbam: CbamReportRepository
    product_systems: ProductSystemRepository
    chains: ChainRepository
    carbon_baselines: BaselineRepository
    carbon_flows: CarbonFlowReader
    pact: PactRepository
    admission: AdmissionRuleRepository
    supplier_indicators: SupplierIndicatorInputsReader
    listings: ListingRepository
    contracts: ContractRepository
    allocations: AllocationRepository
    flow_ledger: FlowLedgerReader
    evaluation_datasets: EvaluationDatasetRepository
    platform_panel: PlatformPanelReader
    generation_series: GenerationSeriesReader
    indicator_facts: IndicatorFacts
    indicator_inputs: IndicatorInputsReader
    statistics: StatisticsRepository

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._transaction: RootTransaction | None = None

    def __enter__(self) -> UnitOfWork:
        self.connection = self._engine.connect()
        self._transaction = self.connection.begin()
        c = self.connection
        self.regions = RegionRepository(c)
        self.industries = IndustryRepository(c)
        self.organizations = OrganizationRepository(c)
        self.sites = SiteRepository(c)
        self.permits = PermitRepository(c)
        self.users = UserRepository(c)
        self.api_keys = ApiKeyRepository(c)
        self.signing_keys = SigningKeyRepository(c)
        self.idempotency = IdempotencyRepository(c)
        self.ledger = LedgerRepository(c)
        self.events = EventRepository(c)
        self.epcis = EpcisRepository(c)
        self.manifests = ManifestRepository(c)
        self.findings = FindingsRepository(c)
        self.alerts = AlertRepository(c)
        self.risk_inputs = RiskInputsReader(c)
        self.whitelist = WhitelistRepository(c)
        self.inspection_plans = InspectionPlanRepository(c)
        self.footprints = FootprintRepository(c)
        self.factors = FactorRepository(c)
        self.cbam = CbamReportRepository(c)
        self.product_systems = ProductSystemRepository(c)
        self.chains = ChainRepository(c)
        self.carbon_baselines = BaselineRepository(c)
        self.carbon_flows = CarbonFlowReader(c)
        self.pact = PactRepository(c)
        self.admission = AdmissionRuleRepository(c)
        self.supplier_indicators = SupplierIndicatorInputsReader(c)
        self.listings = ListingRepository(c)
        self.contracts = ContractRepository(c)
        self.allocations = AllocationRepository(c)
        self.flow_ledger = FlowLedgerReader(c)
        self.evaluation_datasets = EvaluationDatasetRepository(c)
        self.platform_panel = PlatformPanelReader(c)
        self.generation_series = GenerationSeriesReader(c)
        self.indicator_facts = IndicatorFacts(c)
        self.indicator_inputs = IndicatorInputsReader(c)
        self.statistics = StatisticsRepository(c)
        return self

    def commit(self) -> None:
        """Make the work durable."""
        assert self._transaction is not None
        self._transaction.commit()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._transaction is not None and self._transaction.is_active:
            self._transaction.rollback()
        self.connection.close()


UnitOfWorkFactory = Callable[[], UnitOfWork]
"""What services receive: a callable that opens a fresh unit of work."""
