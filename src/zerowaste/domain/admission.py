"""Chain-master supplier admission: indicator criteria, standard waste clauses and verdicts."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from zerowaste.errors import InvalidInput

#: The most criteria and clauses one chain master's rules may hold.
MAX_CRITERIA = 30
MAX_CLAUSES = 30
MAX_CLAUSE_TEXT = 2000
MAX_PARAMS = 20
CLAUSE_KEY = re.compile(r"[a-z][a-z0-9_]{1,47}")
PARAM_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")
_PLACEHOLDER = re.compile(r"{([^{}]*)}")

#: A clause parameter: a short text, a whole number, a decimal figure or a yes/no.
ParamValue = str | int | Decimal | bool
#: An indicator's value: a figure, a yes/no, or None when the ledger cannot tell (unknown).
IndicatorValue = Decimal | bool | None


class Direction(StrEnum):
    """Which way an indicator is better."""

    LOWER = "lower_is_better"
    HIGHER = "higher_is_better"
    TRUE = "true_is_better"


class Comparator(StrEnum):
    """How a value is held against its threshold."""

    AT_MOST = "<="
    AT_LEAST = ">="
    EQUALS = "=="


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    """An indicator's unit, direction and the range a threshold may take."""

    unit: str
    direction: Direction
    minimum: Decimal | None = Decimal(0)
    maximum: Decimal | None = None
    whole: bool = False

    @property
    def boolean(self) -> bool:
        """Whether the indicator is a yes/no."""
        return self.direction is Direction.TRUE


class SupplierIndicator(StrEnum):
    """What a criterion may test (`services.supplier_indicators` computes each)."""

    WASTE_INTENSITY = "waste_intensity_t_per_10k_cny"
    HAZARDOUS_INTENSITY = "hazardous_intensity_t_per_10k_cny"
    UTILIZATION_RATE = "utilization_rate"
    DISPOSAL_SHARE = "disposal_share"
    WHITELISTED = "whitelisted"
    RISK_SCORE = "risk_score"
    OPEN_ALERTS = "open_alerts"

    @property
    def spec(self) -> IndicatorSpec:
        """Unit, direction and threshold range."""
        return _SPECS[self]

    @property
    def unit(self) -> str:
        """The unit of the value ("1" for a share, "" for a yes/no)."""
        return _SPECS[self].unit

    @property
    def direction(self) -> Direction:
        """Which way is better."""
        return _SPECS[self].direction


_SHARE = IndicatorSpec("1", Direction.HIGHER, Decimal(0), Decimal(1))
_SPECS: dict[SupplierIndicator, IndicatorSpec] = {
    SupplierIndicator.WASTE_INTENSITY: IndicatorSpec("t/10^4 CNY", Direction.LOWER),
    SupplierIndicator.HAZARDOUS_INTENSITY: IndicatorSpec("t/10^4 CNY", Direction.LOWER),
    SupplierIndicator.UTILIZATION_RATE: _SHARE,
    SupplierIndicator.DISPOSAL_SHARE: IndicatorSpec("1", Direction.LOWER, Decimal(0), Decimal(1)),
    SupplierIndicator.WHITELISTED: IndicatorSpec("", Direction.TRUE, None, None),
    SupplierIndicator.RISK_SCORE: IndicatorSpec("1", Direction.LOWER, Decimal(0), Decimal(1)),
    SupplierIndicator.OPEN_ALERTS: IndicatorSpec("count", Direction.LOWER, whole=True),
}


class YearBasis(StrEnum):
    """Which year's ledger a check reads when none is named."""

    PREVIOUS_YEAR = "previous_year"
    CURRENT_YEAR = "current_year"

    def year(self, today_year: int) -> int:
        """The year this basis names when the calendar year is `today_year`."""
        return today_year - 1 if self is YearBasis.PREVIOUS_YEAR else today_year


class Outcome(StrEnum):
    """A criterion's result for one supplier: unknown is never taken for met."""

    MET = "met"
    FAILED = "failed"
    UNKNOWN = "unknown"


@contextmanager
def under(prefix: str) -> Iterator[None]:
    """Re-raise `InvalidInput` with its field put under `prefix` (`criteria[2]` + `threshold`)."""
    try:
        yield
    except InvalidInput as exc:
        exc.field = f"{prefix}.{exc.field}" if exc.field else prefix
        raise


def _decimal(raw: object, field: str) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        raise InvalidInput(f"must be a number, got {raw!r}", field=field)
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise InvalidInput(f"{raw!r} is not a number", field=field) from None
    if not value.is_finite():
        raise InvalidInput("must be a finite number", field=field)
    return value


@dataclass(frozen=True, slots=True)
class Criterion:
    """A threshold on one indicator; `required` criteria decide admission, others inform."""

    indicator: SupplierIndicator
    comparator: Comparator
    threshold: Decimal | bool
    required: bool = True

    def __post_init__(self) -> None:
        spec = self.indicator.spec
        if spec.boolean:
            if self.comparator is not Comparator.EQUALS:
                raise InvalidInput(f"{self.indicator} is a yes/no: use ==", field="comparator")
            if not isinstance(self.threshold, bool):
                raise InvalidInput("must be true or false", field="threshold")
            return
        if isinstance(self.threshold, bool) or not isinstance(self.threshold, Decimal):
            raise InvalidInput(f"{self.indicator} needs a number", field="threshold")
        if self.comparator is Comparator.EQUALS and not spec.whole:
            detail = f"{self.indicator} is a measured figure: use <= or >="
            raise InvalidInput(detail, field="comparator")
        if not self.threshold.is_finite():
            raise InvalidInput("must be a finite number", field="threshold")
        if spec.minimum is not None and self.threshold < spec.minimum:
            raise InvalidInput(f"must be at least {spec.minimum}", field="threshold")
        if spec.maximum is not None and self.threshold > spec.maximum:
            raise InvalidInput(f"must be at most {spec.maximum}", field="threshold")
        if spec.whole and self.threshold != self.threshold.to_integral_value():
            raise InvalidInput("must be a whole number", field="threshold")

    def test(self, value: IndicatorValue) -> Outcome:
        """Met, failed, or unknown when there is no value."""
        if value is None:
            return Outcome.UNKNOWN
        if self.comparator is Comparator.EQUALS:
            met = value == self.threshold
        elif isinstance(value, bool) or isinstance(self.threshold, bool):
            return Outcome.UNKNOWN
        elif self.comparator is Comparator.AT_MOST:
            met = value <= self.threshold
        else:
            met = value >= self.threshold
        return Outcome.MET if met else Outcome.FAILED

    def to_json(self) -> dict[str, Any]:
        """The stored form: the threshold a JSON boolean or a decimal string."""
        threshold = self.threshold if isinstance(self.threshold, bool) else str(self.threshold)
        return {
            "indicator": self.indicator.value,
            "comparator": self.comparator.value,
            "threshold": threshold,
            "required": self.required,
        }


def criterion_from_json(raw: object) -> Criterion:
    """A criterion from its JSON form; errors name the member (`threshold`, ...)."""
    if not isinstance(raw, Mapping):
        raise InvalidInput("must be an object", field=None)
    unknown = set(raw) - {"indicator", "comparator", "threshold", "required"}
    if unknown:
        raise InvalidInput(f"unknown member {sorted(unknown)[0]!r}", field=sorted(unknown)[0])
    try:
        indicator = SupplierIndicator(str(raw.get("indicator")))
    except ValueError:
        known = ", ".join(i.value for i in SupplierIndicator)
        raise InvalidInput(f"must be one of {known}", field="indicator") from None
    try:
        comparator = Comparator(str(raw.get("comparator")))
    except ValueError:
        raise InvalidInput("must be <=, >= or ==", field="comparator") from None
    threshold_raw = raw.get("threshold")
    if threshold_raw is None:
        raise InvalidInput("is required", field="threshold")
    threshold: Decimal | bool
    if indicator.spec.boolean:
        if not isinstance(threshold_raw, bool):
            raise InvalidInput("must be true or false", field="threshold")
        threshold = threshold_raw
    else:
        threshold = _decimal(threshold_raw, "threshold")
    required = raw.get("required", True)
    if not isinstance(required, bool):
        raise InvalidInput("must be true or false", field="required")
    return Criterion(indicator, comparator, threshold, required)


def _param(raw: object, field: str) -> ParamValue:
    if isinstance(raw, bool | int | Decimal):
        return raw
    if isinstance(raw, float):
        return _decimal(raw, field)
    if isinstance(raw, str):
        if len(raw) > 200:
            raise InvalidInput("must be at most 200 characters", field=field)
        return raw
    raise InvalidInput("must be a text, a number or true/false", field=field)


def _shown(value: ParamValue) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@dataclass(frozen=True, slots=True)
class Clause:
    """A standard waste clause for suppliers' contracts, in both languages.

    The texts may name parameters as `{name}`; `params` gives each one's value.
    """

    key: str
    text_zh: str
    text_en: str
    params: Mapping[str, ParamValue] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not CLAUSE_KEY.fullmatch(self.key):
            detail = "must be 2-48 lowercase letters, digits or _ starting with a letter"
            raise InvalidInput(detail, field="key")
        if len(self.params) > MAX_PARAMS:
            raise InvalidInput(f"at most {MAX_PARAMS} parameters", field="params")
        for name, value in self.params.items():
            if not PARAM_NAME.fullmatch(name):
                raise InvalidInput("names are lowercase letters, digits or _", field="params")
            _param(value, f"params.{name}")
        for name in ("text_zh", "text_en"):
            text = getattr(self, name)
            if not text.strip():
                raise InvalidInput("must not be empty", field=name)
            if len(text) > MAX_CLAUSE_TEXT:
                raise InvalidInput(f"must be at most {MAX_CLAUSE_TEXT} characters", field=name)
            for placeholder in _PLACEHOLDER.findall(text):
                if placeholder not in self.params:
                    detail = f"names {{{placeholder}}}, which is not among the params"
                    raise InvalidInput(detail, field=name)

    def text(self, language: str = "zh") -> str:
        """The clause in `language` ("zh" or "en") with its parameters filled in."""
        template = self.text_en if language == "en" else self.text_zh
        return _PLACEHOLDER.sub(lambda m: _shown(self.params[m.group(1)]), template)

    def to_json(self) -> dict[str, Any]:
        """The stored form (decimal parameters as strings)."""
        params = {
            k: str(v) if isinstance(v, Decimal) else v for k, v in sorted(self.params.items())
        }
        return {"key": self.key, "text_zh": self.text_zh, "text_en": self.text_en, "params": params}


def clause_from_json(raw: object) -> Clause:
    """A clause from its JSON form; errors name the member (`text_en`, `params.days`, ...)."""
    if not isinstance(raw, Mapping):
        raise InvalidInput("must be an object", field=None)
    unknown = set(raw) - {"key", "text_zh", "text_en", "params"}
    if unknown:
        raise InvalidInput(f"unknown member {sorted(unknown)[0]!r}", field=sorted(unknown)[0])
    texts: dict[str, str] = {}
    for name in ("key", "text_zh", "text_en"):
        value = raw.get(name)
        if not isinstance(value, str):
            raise InvalidInput("is required and must be a text", field=name)
        texts[name] = value.strip()
    params_raw = raw.get("params", {})
    if not isinstance(params_raw, Mapping):
        raise InvalidInput("must be an object of name: value", field="params")
    params = {str(k): _param(v, f"params.{k}") for k, v in params_raw.items()}
    return Clause(texts["key"], texts["text_zh"], texts["text_en"], params)


def criteria_from_json(raw: object) -> tuple[Criterion, ...]:
    """A list of criteria; errors name `criteria[i].member`."""
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise InvalidInput("must be a list", field="criteria")
    found = []
    for index, item in enumerate(raw):
        with under(f"criteria[{index}]"):
            found.append(criterion_from_json(item))
    return tuple(found)


def clauses_from_json(raw: object) -> tuple[Clause, ...]:
    """A list of clauses; errors name `clauses[i].member`."""
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise InvalidInput("must be a list", field="clauses")
    found = []
    for index, item in enumerate(raw):
        with under(f"clauses[{index}]"):
            found.append(clause_from_json(item))
    return tuple(found)


def check_rules(criteria: Sequence[Criterion], clauses: Sequence[Clause]) -> None:
    """Refuse too many criteria or clauses, a repeated criterion and a repeated clause key."""
    if len(criteria) > MAX_CRITERIA:
        raise InvalidInput(f"at most {MAX_CRITERIA} criteria", field="criteria")
    if len(clauses) > MAX_CLAUSES:
        raise InvalidInput(f"at most {MAX_CLAUSES} clauses", field="clauses")
    seen: set[tuple[SupplierIndicator, Comparator]] = set()
    for index, criterion in enumerate(criteria):
        pair = (criterion.indicator, criterion.comparator)
        if pair in seen:
            detail = f"{criterion.indicator} {criterion.comparator} is given twice"
            raise InvalidInput(detail, field=f"criteria[{index}].comparator")
        seen.add(pair)
    keys: set[str] = set()
    for index, clause in enumerate(clauses):
        if clause.key in keys:
            raise InvalidInput(
                f"clause {clause.key!r} is given twice", field=f"clauses[{index}].key"
            )
        keys.add(clause.key)


@dataclass(frozen=True, slots=True)
class AdmissionRules:
    """One version of a chain master's admission criteria and standard clauses."""

    chain_master_id: uuid.UUID
    criteria: tuple[Criterion, ...]
    clauses: tuple[Clause, ...]
    year_basis: YearBasis = YearBasis.PREVIOUS_YEAR
    version: int = 1
    updated_at: datetime | None = None
    updated_by: uuid.UUID | None = None

    def __post_init__(self) -> None:
        check_rules(self.criteria, self.clauses)
        if self.version < 1:
            raise InvalidInput("versions count from 1", field="version")
        if self.updated_at is not None and self.updated_at.tzinfo is None:
            raise InvalidInput("needs a time zone offset", field="updated_at")

    def clause(self, key: str) -> Clause | None:
        """The clause with this key, if any."""
        return next((c for c in self.clauses if c.key == key), None)


@dataclass(frozen=True, slots=True)
class IndicatorValues:
    """One supplier's indicator values for a year (None: the ledger cannot tell)."""

    organization_id: uuid.UUID
    year: int
    values: Mapping[SupplierIndicator, IndicatorValue]

    def get(self, indicator: SupplierIndicator) -> IndicatorValue:
        """The value, or None if it was not computed."""
        return self.values.get(indicator)


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """One criterion held against one supplier's value."""

    criterion: Criterion
    value: IndicatorValue
    outcome: Outcome

    @property
    def met(self) -> bool:
        """Whether the criterion is met (unknown is not)."""
        return self.outcome is Outcome.MET


@dataclass(frozen=True, slots=True)
class Verdict:
    """A supplier against a chain master's rules: admitted iff every required criterion is met."""

    supplier_id: uuid.UUID
    year: int
    rules_version: int
    results: tuple[CriterionResult, ...]
    member: bool = True

    @property
    def admitted(self) -> bool:
        """Every required criterion met; an unknown value does not pass."""
        return all(r.met for r in self.results if r.criterion.required)

    @property
    def failed(self) -> tuple[CriterionResult, ...]:
        """The required criteria failed or unknown: what keeps the supplier out."""
        return tuple(r for r in self.results if r.criterion.required and not r.met)


def evaluate(rules: AdmissionRules, values: IndicatorValues, *, member: bool = True) -> Verdict:
    """Hold every criterion of `rules` against one supplier's values."""
    results = tuple(
        CriterionResult(c, value := values.get(c.indicator), c.test(value)) for c in rules.criteria
    )
    return Verdict(values.organization_id, values.year, rules.version, results, member)


def rules_from_json(raw: object) -> tuple[tuple[Criterion, ...], tuple[Clause, ...], YearBasis]:
    """Criteria, clauses and year basis from a rules document (the API body, a rules file).

    The document is `{"criteria": [...], "clauses": [...], "year_basis": "previous_year"}`;
    errors name the member (`criteria[2].threshold`, `year_basis`).
    """
    if not isinstance(raw, Mapping):
        raise InvalidInput("a rules document is a JSON object", field=None)
    unknown = set(raw) - {"criteria", "clauses", "year_basis"}
    if unknown:
        raise InvalidInput(f"unknown member {sorted(unknown)[0]!r}", field=sorted(unknown)[0])
    if "criteria" not in raw:
        raise InvalidInput("is required", field="criteria")
    try:
        basis = YearBasis(str(raw.get("year_basis", YearBasis.PREVIOUS_YEAR.value)))
    except ValueError:
        allowed = ", ".join(b.value for b in YearBasis)
        raise InvalidInput(f"must be one of {allowed}", field="year_basis") from None
    criteria = criteria_from_json(raw["criteria"])
    clauses = clauses_from_json(raw.get("clauses", []))
    check_rules(criteria, clauses)
    return criteria, clauses, basis


def rules_to_json(rules: AdmissionRules) -> dict[str, Any]:
    """The rules document of a version (what `rules_from_json` reads back)."""
    return {
        "criteria": [c.to_json() for c in rules.criteria],
        "clauses": [c.to_json() for c in rules.clauses],
        "year_basis": rules.year_basis.value,
    }
