"""Composition root: settings -> engine -> unit of work -> services. Nothing runs at import."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial

from sqlalchemy import Engine

from zerowaste.adapters.carbon_files import load_waste_materials
from zerowaste.adapters.catalog_files import load_catalog
from zerowaste.adapters.cbam_files import load_cn_codes
from zerowaste.adapters.db import migrate
from zerowaste.adapters.db.engine import build_engine
from zerowaste.adapters.db.unit_of_work import UnitOfWork
from zerowaste.adapters.flow_files import load_compositions
from zerowaste.adapters.indicator_files import load_indicator_registry, load_indicator_targets
from zerowaste.adapters.market_files import load_market_economics
from zerowaste.adapters.secrets import PrivateKeyVault
from zerowaste.oversight.rules import RuleSettings
from zerowaste.services.accounts import AccountService
from zerowaste.services.action_audit import WorkflowActionAudit
from zerowaste.services.admission import AdmissionService
from zerowaste.services.alerts import AlertService
from zerowaste.services.approvals import ApprovalService
from zerowaste.services.capture import CaptureService
from zerowaste.services.carbon import CarbonService
from zerowaste.services.catalog import CatalogService
from zerowaste.services.cbam import CbamService
from zerowaste.services.chains import ChainService
from zerowaste.services.contract_drafts import (
    ContractDrafter,
    chain_master_clauses,
    stored_listing,
)
from zerowaste.services.contracts import ContractService
from zerowaste.services.epcis_capture import EpcisCaptureService
from zerowaste.services.epcis_query import EpcisQueryService
from zerowaste.services.evaluation import EvaluationService
from zerowaste.services.event_audit import EventRowAudit
from zerowaste.services.factors import FactorService
from zerowaste.services.findings import FindingsService
from zerowaste.services.flows import FlowService
from zerowaste.services.footprints import FootprintService
from zerowaste.services.forecasts import ForecastService
from zerowaste.services.holdings import HoldingsService
from zerowaste.services.indicators import IndicatorService
from zerowaste.services.inspection_plans import InspectionPlanService
from zerowaste.services.ledger import LedgerService
from zerowaste.services.listings import ListingService
from zerowaste.services.manifest_print import ManifestPrintService
from zerowaste.services.manifests import ManifestService
from zerowaste.services.market import MarketService
from zerowaste.services.organizations import OrganizationService
from zerowaste.services.oversight import OversightService
from zerowaste.services.pact import PactService
from zerowaste.services.proposals import ProposalService
from zerowaste.services.registry import RegistryService
from zerowaste.services.risk import RiskService
from zerowaste.services.scenarios import ScenarioService
from zerowaste.services.scoring import ScoringService
from zerowaste.services.signing_keys import SigningKeyService
from zerowaste.services.sites import SiteService
from zerowaste.services.trace import TraceService
from zerowaste.services.whitelist import WhitelistService
from zerowaste.settings import Settings

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current instant, in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Context:
    """Everything an entrypoint needs: settings, engine and the services built on them."""

    settings: Settings
    engine: Engine
    clock: Clock
    unit_of_work: Callable[[], UnitOfWork]
    registry: RegistryService
    catalog: CatalogService
    organizations: OrganizationService
    sites: SiteService
    accounts: AccountService
    signing_keys: SigningKeyService
    ledger: LedgerService
    capture: CaptureService
    trace: TraceService
    epcis_capture: EpcisCaptureService
    epcis_query: EpcisQueryService
    manifests: ManifestService
    approvals: ApprovalService
    findings: FindingsService
    holdings: HoldingsService
    manifest_print: ManifestPrintService
    alerts: AlertService
    oversight: OversightService
    risk: RiskService
    whitelist: WhitelistService
    inspection_plans: InspectionPlanService
    factors: FactorService
    cbam: CbamService
    footprints: FootprintService
    chains: ChainService
    carbon: CarbonService
    pact: PactService
    admission: AdmissionService
    listings: ListingService
    proposals: ProposalService
    contracts: ContractService
    market: MarketService
    flows: FlowService
    scoring: ScoringService
    evaluation: EvaluationService
    forecasts: ForecastService
    scenarios: ScenarioService
    indicators: IndicatorService

    def migrate(self) -> None:
        """Bring the database schema to the newest revision."""
        migrate.upgrade(self.engine)

    def schema_is_current(self) -> bool:
        """Whether the database is at the newest revision."""
        return migrate.current_revision(self.engine) == migrate.head_revision()

    def close(self) -> None:
        """Release database connections."""
        self.engine.dispose()

    def with_clock(self, clock: Clock) -> Context:
        """The same services over the same engine, on another clock (the demo replays a year).

        Don't `close` the returned context: it shares this one's engine.
        """
        return build_context(self.settings, clock=clock, engine=self.engine)


def build_context(
    settings: Settings, *, clock: Clock = utc_now, engine: Engine | None = None
) -> Context:
    """Wire the services for `settings`; the clock (and an existing engine) can be injected."""
    engine = engine or build_engine(settings.database_url)
    unit_of_work = partial(UnitOfWork, engine)

    def today() -> date:
        return clock().date()

    catalog = CatalogService(load_catalog(), today)
    registry = RegistryService(unit_of_work)
    organizations = OrganizationService(unit_of_work, registry, clock)
    master_key = settings.master_key.get_secret_value() if settings.master_key else None
    vault = PrivateKeyVault(master_key)
    signing_keys = SigningKeyService(unit_of_work, organizations, vault, clock)
    ledger = LedgerService(
        unit_of_work,
        vault,
        clock,
        log_id=settings.ledger_log_id,
        origin=settings.ledger_origin,
        checkpoint_every=settings.ledger_checkpoint_every,
        checkpoint_seconds=settings.ledger_checkpoint_seconds,
        row_audits=(EventRowAudit, WorkflowActionAudit),
    )
    rule_settings = RuleSettings.parse(settings.oversight_rules)
    alerts = AlertService(
        unit_of_work,
        ledger,
        clock,
        lambda rule_id: {k: str(v) for k, v in rule_settings.parameters(rule_id).items()},
    )
    oversight = OversightService(unit_of_work, catalog, alerts, clock, rule_settings)
    capture = CaptureService(unit_of_work, catalog, signing_keys, ledger, clock)
    if settings.oversight_on_capture:
        capture.on_stored(oversight.on_captured)
    factors = FactorService(unit_of_work, clock)
    chains = ChainService(unit_of_work, clock)
    return Context(
        settings=settings,
        engine=engine,
        clock=clock,
        unit_of_work=unit_of_work,
        registry=registry,
        catalog=catalog,
        organizations=organizations,
        sites=SiteService(unit_of_work, registry, organizations, catalog.validate_code_or_category),
        accounts=AccountService(unit_of_work, registry, organizations, clock),
        signing_keys=signing_keys,
        ledger=ledger,
        capture=capture,
        trace=TraceService(unit_of_work),
        manifests=(
            manifests := ManifestService(unit_of_work, catalog, signing_keys, ledger, clock)
        ),
        approvals=ApprovalService(unit_of_work, catalog, signing_keys, ledger, clock),
        manifest_print=ManifestPrintService(manifests, ledger, clock),
        epcis_capture=EpcisCaptureService(unit_of_work, signing_keys, ledger, clock),
        epcis_query=EpcisQueryService(unit_of_work, settings.ledger_log_id, clock),
        findings=FindingsService(unit_of_work),
        holdings=HoldingsService(unit_of_work),
        alerts=alerts,
        oversight=oversight,
        risk=RiskService(unit_of_work, clock),
        whitelist=WhitelistService(unit_of_work, ledger, clock),
        inspection_plans=InspectionPlanService(unit_of_work, ledger, clock),
        factors=factors,
        cbam=CbamService(unit_of_work, factors.book, load_cn_codes, clock),
        footprints=FootprintService(unit_of_work, factors.book, clock),
        chains=chains,
        carbon=CarbonService(unit_of_work, chains, factors.book, load_waste_materials, clock),
        pact=PactService(unit_of_work, clock, settings.session_secret.get_secret_value()),
        admission=(admission := AdmissionService(unit_of_work, clock)),
        listings=ListingService(unit_of_work, catalog, clock),
        proposals=ProposalService(
            unit_of_work,
            catalog,
            signing_keys,
            ledger,
            clock,
            drafter=(contract_drafter := ContractDrafter(stored_listing, chain_master_clauses)),
        ),  # fmt: skip
        contracts=ContractService(
            unit_of_work, catalog, signing_keys, ledger, clock, drafter=contract_drafter
        ),
        market=MarketService(
            unit_of_work, catalog, factors.book, load_waste_materials, load_market_economics, clock
        ),
        flows=FlowService(unit_of_work, registry, load_compositions),
        scoring=ScoringService(unit_of_work, clock, admission),
        evaluation=EvaluationService(unit_of_work, clock),
        forecasts=(forecasts := ForecastService(unit_of_work, clock)),
        scenarios=ScenarioService(
            unit_of_work,
            forecasts,
            factors.book,
            load_waste_materials,
            load_market_economics,
            clock,
        ),
        indicators=IndicatorService(
            unit_of_work,
            chains,
            load_indicator_registry,
            load_indicator_targets,
            factors.book,
            load_waste_materials,
            clock,
        ),
    )
