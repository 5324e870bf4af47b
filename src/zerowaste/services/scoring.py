"""Supplier scoring (entropy-weight TOPSIS) and the chain master's evaluation of its chain.

The criteria come from a `CriteriaSource`: today the supplier indicators of
`services.supplier_indicators` (`SupplierIndicatorCriteria`); the indicator registry can
feed the same protocol later. Access is the chain's: the chain master's users, regulators
over its region and administrators (a supplier does not see its rivals' scores).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from zerowaste.adapters.db.supplier_indicator_inputs import SupplierInputs
from zerowaste.adapters.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from zerowaste.domain.access import Principal
from zerowaste.domain.admission import Direction, SupplierIndicator, Verdict
from zerowaste.domain.indicators import CHINA_TIME
from zerowaste.domain.organizations import Organization, OrganizationRole
from zerowaste.errors import AdmissionRulesNotSet, InvalidInput, NotChainMaster, NotFound
from zerowaste.errors.indicators import ScoringNotPossible, UnknownIndicator
from zerowaste.indicators.formulas import CNY_PER_10K, KG_PER_TONNE
from zerowaste.indicators.topsis import Alternative, Criterion, Ranking, rank
from zerowaste.services.admission import AdmissionService
from zerowaste.services.authorization import require_acts_for
from zerowaste.services.supplier_indicators import indicator_values

FIRST_YEAR, LAST_YEAR = 1990, 2100
#: What a ranking weighs when no criteria are named: the ledger's four and the risk score.
DEFAULT_CRITERIA = (
    SupplierIndicator.WASTE_INTENSITY.value,
    SupplierIndicator.UTILIZATION_RATE.value,
    SupplierIndicator.DISPOSAL_SHARE.value,
    SupplierIndicator.RISK_SCORE.value,
)
MAX_CRITERIA = 20
#: A criterion's value: a figure, or None when it cannot be computed.
CriterionValue = Decimal | None


@dataclass(frozen=True, slots=True)
class ScoringCriterion:
    """A criterion a source offers: its id, unit and whether higher is better."""

    criterion_id: str
    unit: str
    benefit: bool


class CriteriaSource(Protocol):
    """Where criteria and their values per firm and year come from."""

    def available(self) -> tuple[ScoringCriterion, ...]:
        """Every criterion this source can compute."""
        ...

    def values(
        self, uow: UnitOfWork, organization_ids: Sequence[uuid.UUID], year: int, as_of: datetime
    ) -> dict[uuid.UUID, dict[str, CriterionValue]]:
        """Each firm's values for `year` (state-based ones as of `as_of`), by criterion id."""
        ...


class SupplierIndicatorCriteria:
    """The supplier indicators of admission checks as scoring criteria.

    `whitelisted` counts as 1 (listed) or 0; the others are their figures.
    """

    def available(self) -> tuple[ScoringCriterion, ...]:
        """Every supplier indicator; 'true is better' and 'higher is better' are benefits."""
        return tuple(
            ScoringCriterion(i.value, i.unit, i.direction is not Direction.LOWER)
            for i in SupplierIndicator
        )

    def values(
        self, uow: UnitOfWork, organization_ids: Sequence[uuid.UUID], year: int, as_of: datetime
    ) -> dict[uuid.UUID, dict[str, CriterionValue]]:
        """The supplier indicator values (`services.supplier_indicators.indicator_values`)."""
        found = indicator_values(uow, organization_ids, year, as_of)
        out: dict[uuid.UUID, dict[str, CriterionValue]] = {}
        for organization_id, values in found.items():
            row: dict[str, CriterionValue] = {}
            for indicator in SupplierIndicator:
                value = values.get(indicator)
                row[indicator.value] = Decimal(int(value)) if isinstance(value, bool) else value
            out[organization_id] = row
        return out


def parse_criteria(text: str | Sequence[str] | None, known: Iterable[str]) -> tuple[str, ...]:
    """Criterion ids from `a,b` (or a list); the default set when empty.

    Raises:
        UnknownIndicator: An id not offered (field `criteria`).
        InvalidInput: One named twice, or too many (field `criteria`).
    """
    if text is None:
        return DEFAULT_CRITERIA
    parts = text.split(",") if isinstance(text, str) else list(text)
    names = [p.strip() for p in parts if p.strip()]
    if not names:
        return DEFAULT_CRITERIA
    offered = list(known)
    if len(names) > MAX_CRITERIA:
        raise InvalidInput(f"at most {MAX_CRITERIA} criteria", field="criteria")
    for name in names:
        if name not in offered:
            raise UnknownIndicator(
                f"{name!r} is not a scoring criterion; use {', '.join(offered)}", field="criteria"
            )
        if names.count(name) > 1:
            raise InvalidInput(f"{name} is given twice", field="criteria")
    return tuple(names)


def parse_weights(text: str | None) -> dict[str, float] | None:
    """Expert weights from `a:0.5,b:0.5` (None when empty); `TOPSIS` checks them further.

    Raises:
        InvalidInput: A part not `name:number`, a name twice, a weight not positive and
            finite (field `weights`).
    """
    if text is None or not text.strip():
        return None
    found: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, raw = part.partition(":")
        name = name.strip()
        if not sep or not name:
            raise InvalidInput(f"{part!r} is not name:weight", field="weights")
        try:
            weight = float(raw.strip())
        except ValueError:
            raise InvalidInput(f"the weight of {name} is not a number", field="weights") from None
        if not math.isfinite(weight) or weight <= 0:
            raise InvalidInput(f"the weight of {name} must be positive", field="weights")
        if name in found:
            raise InvalidInput(f"{name} is weighted twice", field="weights")
        found[name] = weight
    return found or None


@dataclass(frozen=True, slots=True)
class SupplierRanking:
    """A chain's suppliers ranked for a year, with the values they were ranked on."""

    chain_master_id: uuid.UUID
    year: int
    criteria: tuple[ScoringCriterion, ...]
    ranking: Ranking
    values: Mapping[uuid.UUID, Mapping[str, CriterionValue]]
    names: Mapping[uuid.UUID, str]


@dataclass(frozen=True, slots=True)
class ChainAggregates:
    """The chain's suppliers taken together for a year (the chain master itself excluded).

    Ratios are mass-weighted: sums of the members' masses over sums of their bases, so a
    large supplier counts for more. The intensities count only the members with an output
    value for the year (`with_output_value` of `members`).
    """

    members: int
    with_output_value: int
    generated_t: Decimal
    general_t: Decimal
    hazardous_t: Decimal
    utilized_t: Decimal
    disposed_t: Decimal
    output_value_10k_cny: Decimal
    utilization_rate: Decimal | None
    disposal_share: Decimal | None
    waste_intensity: Decimal | None
    hazardous_intensity: Decimal | None


@dataclass(frozen=True, slots=True)
class MemberEvaluation:
    """One member: its values, its place in the ranking and its admission verdict."""

    supplier_id: uuid.UUID
    name: str
    values: Mapping[str, CriterionValue]
    rank: int | None
    closeness: float | None
    excluded_for: tuple[str, ...]
    verdict: Verdict | None


@dataclass(frozen=True, slots=True)
class ChainEvaluation:
    """The chain master's view of its chain for a year.

    `ranking` is None when it was not possible (`ranking_problem` says why);
    `rules_version` is None when the chain master set no admission rules (no verdicts).
    """

    chain_master_id: uuid.UUID
    name: str
    year: int
    criteria: tuple[ScoringCriterion, ...]
    aggregates: ChainAggregates
    members: tuple[MemberEvaluation, ...]
    ranking: Ranking | None
    ranking_problem: str | None
    rules_version: int | None


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if denominator <= 0:
        return None
    return (numerator / denominator).quantize(Decimal("0.000001"))


def aggregate(inputs: Iterable[SupplierInputs]) -> ChainAggregates:
    """The members' inputs summed and the chain's mass-weighted ratios (see `ChainAggregates`)."""
    rows = list(inputs)
    general = sum((i.general_kg for i in rows), Decimal(0))
    hazardous = sum((i.hazardous_kg for i in rows), Decimal(0))
    utilized = sum((i.utilized_kg for i in rows), Decimal(0))
    prior = sum((i.utilized_prior_kg for i in rows), Decimal(0))
    disposed = sum((i.disposed_kg for i in rows), Decimal(0))
    valued = [i for i in rows if i.output_value_cny is not None and i.output_value_cny > 0]
    output = sum((i.output_value_cny or Decimal(0) for i in valued), Decimal(0)) / CNY_PER_10K
    valued_general = sum((i.general_kg for i in valued), Decimal(0)) / KG_PER_TONNE
    valued_hazardous = sum((i.hazardous_kg for i in valued), Decimal(0)) / KG_PER_TONNE
    return ChainAggregates(
        members=len(rows),
        with_output_value=len(valued),
        generated_t=(general + hazardous) / KG_PER_TONNE,
        general_t=general / KG_PER_TONNE,
        hazardous_t=hazardous / KG_PER_TONNE,
        utilized_t=utilized / KG_PER_TONNE,
        disposed_t=disposed / KG_PER_TONNE,
        output_value_10k_cny=output,
        utilization_rate=_ratio(utilized, general + hazardous + prior),
        disposal_share=_ratio(disposed, utilized + disposed),
        waste_intensity=_ratio(valued_general, output),
        hazardous_intensity=_ratio(valued_hazardous, output),
    )


def _master(uow: UnitOfWork, chain_master_id: uuid.UUID) -> Organization:
    master = uow.organizations.get(chain_master_id)
    if master is None:
        raise NotFound(f"no organization {chain_master_id}", field="chain_id")
    if OrganizationRole.CHAIN_MASTER not in master.roles:
        raise NotChainMaster(f"{master.name} is not registered as a chain master", field="chain_id")
    return master


class ScoringService:
    """Rank a chain's suppliers by entropy-weight TOPSIS; evaluate the chain for its master."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Callable[[], datetime],
        admission: AdmissionService,
        source: CriteriaSource | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._admission = admission
        self._source: CriteriaSource = source or SupplierIndicatorCriteria()

    def criteria(self) -> tuple[ScoringCriterion, ...]:
        """Every criterion a ranking may use."""
        return self._source.available()

    def default_year(self, chain_id: uuid.UUID | None = None) -> int:
        """The year read when none is named (the rules' year basis, else the previous year).

        With `chain_id`, a chain master that set admission rules reads the year its rules'
        year basis names; otherwise it is the previous China calendar year.
        """
        today = self._clock().astimezone(CHINA_TIME).year
        if chain_id is not None:
            with self._uow() as uow:
                rules = uow.admission.latest(chain_id)
            if rules is not None:
                return rules.year_basis.year(today)
        return today - 1

    def _year(self, year: int | None, chain_id: uuid.UUID) -> int:
        if year is None:
            return self.default_year(chain_id)
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise InvalidInput(f"{year} is outside {FIRST_YEAR}-{LAST_YEAR}", field="year")
        return year

    def _chosen(self, criteria: Sequence[str] | None) -> tuple[ScoringCriterion, ...]:
        offered = {c.criterion_id: c for c in self.criteria()}
        return tuple(offered[n] for n in parse_criteria(criteria, offered))

    def rank_suppliers(
        self,
        actor: Principal,
        chain_id: uuid.UUID,
        year: int | None = None,
        criteria: Sequence[str] | None = None,
        expert_weights: Mapping[str, float] | None = None,
        alpha: float | None = None,
    ) -> SupplierRanking:
        """The chain's suppliers ranked by TOPSIS closeness for `year` (default: `default_year`).

        Weights are entropy weights unless `expert_weights` are given (then those, or the
        blend α·entropy + (1 - α)·expert when `alpha` is given). Expert weights without
        `criteria` name the criteria themselves.

        Raises:
            NotFound, NotChainMaster: No such chain master (field `chain_id`).
            Forbidden: The actor neither acts for the chain master nor oversees it.
            UnknownIndicator, InvalidInput: Bad criteria, weights, α or year (field named).
            ScoringNotPossible: Fewer than two suppliers with every value, and the like.
        """
        if not criteria and expert_weights:
            criteria = list(expert_weights)  # weights alone name the criteria
        chosen_year = self._year(year, chain_id)
        chosen = self._chosen(criteria)
        with self._uow() as uow:
            master = _master(uow, chain_id)
            require_acts_for(actor, master)
            members = [m.supplier_id for m in uow.chains.chain(chain_id).members]
            values = self._source.values(uow, members, chosen_year, self._clock())
            names = {o.id: o.name for o in uow.organizations.many(members).values()}
        ranking = _rank(members, values, chosen, expert_weights, alpha)
        return SupplierRanking(chain_id, chosen_year, chosen, ranking, values, names)

    def chain_evaluation(
        self, actor: Principal, chain_id: uuid.UUID, year: int | None = None
    ) -> ChainEvaluation:
        """Per member values, chain aggregates, the default ranking and admission verdicts.

        Raises:
            NotFound, NotChainMaster, Forbidden, InvalidInput: See `rank_suppliers`.
        """
        chosen_year = self._year(year, chain_id)
        chosen = self._chosen(None)
        with self._uow() as uow:
            master = _master(uow, chain_id)
            require_acts_for(actor, master)
            members = [m.supplier_id for m in uow.chains.chain(chain_id).members]
            values = self._source.values(uow, members, chosen_year, self._clock())
            inputs = uow.supplier_indicators.inputs(members, chosen_year)
            names = {o.id: o.name for o in uow.organizations.many(members).values()}
        ranking: Ranking | None
        problem: str | None = None
        try:
            ranking = _rank(members, values, chosen, None, None)
        except ScoringNotPossible as exc:
            ranking, problem = None, exc.detail
        try:
            verdicts = {
                v.supplier_id: v for v in self._admission.check(actor, chain_id, chosen_year)
            }
            version = next(iter(verdicts.values())).rules_version if verdicts else None
            if version is None:
                version = self._admission.rules(chain_id).version
        except AdmissionRulesNotSet:
            verdicts, version = {}, None
        scored = {s.key: s for s in ranking.ranked} if ranking else {}
        left_out = {e.key: e.missing for e in ranking.excluded} if ranking else {}
        rows = tuple(
            MemberEvaluation(
                supplier_id=m,
                name=names.get(m, str(m)),
                values=values.get(m, {}),
                rank=scored[str(m)].rank if str(m) in scored else None,
                closeness=scored[str(m)].closeness if str(m) in scored else None,
                excluded_for=left_out.get(str(m), ()),
                verdict=verdicts.get(m),
            )
            for m in members
        )
        return ChainEvaluation(
            chain_master_id=chain_id,
            name=master.name,
            year=chosen_year,
            criteria=chosen,
            aggregates=aggregate(inputs[m] for m in members),
            members=rows,
            ranking=ranking,
            ranking_problem=problem,
            rules_version=version,
        )


def _rank(
    members: Sequence[uuid.UUID],
    values: Mapping[uuid.UUID, Mapping[str, CriterionValue]],
    chosen: Sequence[ScoringCriterion],
    expert_weights: Mapping[str, float] | None,
    alpha: float | None,
) -> Ranking:
    alternatives = [
        Alternative(
            str(m),
            {
                c.criterion_id: None
                if (v := values.get(m, {}).get(c.criterion_id)) is None
                else float(v)
                for c in chosen
            },
        )
        for m in members
    ]
    criteria = [Criterion(c.criterion_id, c.benefit) for c in chosen]
    return rank(alternatives, criteria, expert_weights, alpha)
