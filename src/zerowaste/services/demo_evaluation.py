"""Seed the demo's evaluation data: region statistics, a research panel, the platform panel.

Runs after the market: the indicator facts are brought up to the ledger's head (so the first
dashboard visit need not), the demo's synthetic statistics (`demo.statistics`) go in through the
indicator service's CSV import, as a statistics bureau's upload would; the synthetic research
panel (`demo.panel`, planted effects) and the panel the platform builds from its own ledger
go in as evaluation datasets for the workbench. Everything here is marked synthetic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from zerowaste.adapters.reference_files import read_regions
from zerowaste.demo.model import DemoCity
from zerowaste.demo.panel import panel_cities, research_panel
from zerowaste.demo.plan import EventPlan
from zerowaste.demo.statistics import SOURCE, pilot_years, region_statistics, statistics_csv
from zerowaste.domain.access import Principal
from zerowaste.evaluation.dataset import DatasetSummary

#: The names the demo's datasets are stored under.
RESEARCH_PANEL = "demo_research_panel"
PLATFORM_PANEL = "demo_platform_panel"
RESEARCH_PANEL_SOURCE = (
    f"{SOURCE}: firms x prefectures x years with staggered zero-waste pilots and planted "
    "effects (zerowaste.demo.panel)"
)


class StatisticsImporter(Protocol):
    """The part of the indicator service the step needs."""

    def import_statistics(self, actor: Principal, csv_text: str) -> int:
        """Validate and store region statistics from CSV; return the rows stored."""
        ...

    def refresh(self) -> int:
        """Bring the indicator facts up to the ledger's head; return the lines added."""
        ...


class DatasetImporter(Protocol):
    """The part of the evaluation service the step needs."""

    def import_dataset(
        self, actor: Principal, name: str, csv_text: str, source: str
    ) -> DatasetSummary:
        """Validate and store a panel CSV."""
        ...

    def save_platform_panel(
        self,
        actor: Principal,
        name: str,
        years: Sequence[int],
        covariates: str | None = None,
        on: str = "city",
    ) -> DatasetSummary:
        """Build the ledger's firm x year panel and store it."""
        ...


class EvaluationTarget(Protocol):
    """What the step needs of the application context (`bootstrap.Context` fits)."""

    @property
    def indicators(self) -> StatisticsImporter:
        """Imports region statistics."""
        ...

    @property
    def evaluation(self) -> DatasetImporter:
        """Stores evaluation datasets."""
        ...


@dataclass(frozen=True, slots=True)
class EvaluationSeed:
    """What the step stored: statistics rows, the two datasets, and the planted truth."""

    statistics: int
    research_panel: DatasetSummary
    platform_panel: DatasetSummary | None
    truth: dict[str, Any]

    def counts(self) -> dict[str, Any]:
        """The summary the demo prints."""
        return {
            "statistics": self.statistics,
            "research_panel_rows": self.research_panel.rows,
            "platform_panel_rows": self.platform_panel.rows if self.platform_panel else 0,
            "research_panel": RESEARCH_PANEL,
            "platform_panel": PLATFORM_PANEL if self.platform_panel else None,
        }


def seed_evaluation(
    context: EvaluationTarget, actor: Principal, city: DemoCity, plan: EventPlan
) -> EvaluationSeed:
    """Import the demo's statistics and store its research and platform panels.

    Args:
        context: The application context.
        actor: The demo's administrator (imports statistics and curates datasets).
        city: The generated city.
        plan: Its event plan (the prior-year stock statistic is a share of its generation).
    """
    context.indicators.refresh()
    statistics = context.indicators.import_statistics(
        actor, statistics_csv(region_statistics(city, plan=plan))
    )
    panel = research_panel(panel_cities(read_regions()), city.seed, cohorts=pilot_years(city.seed))
    research = context.evaluation.import_dataset(
        actor, RESEARCH_PANEL, panel.csv(), RESEARCH_PANEL_SOURCE
    )
    years = sorted({record.year for firm in city.firms for record in firm.economics})
    platform = (
        context.evaluation.save_platform_panel(actor, PLATFORM_PANEL, years) if years else None
    )
    planted = panel.truth
    truth = {
        **asdict(planted),
        "pilot_profile": list(planted.pilot_profile),  # as the truth file's JSON holds them
        "years": list(planted.years),
        "indirect": planted.indirect,
        "c": planted.c,
    }
    return EvaluationSeed(statistics, research, platform, truth)
