"""TOPSIS ranking of suppliers over weighted criteria, each one's distance to the ideal explained.

Technique for Order of Preference by Similarity to Ideal Solution (Hwang & Yoon, *Multiple
Attribute Decision Making*, 1981). With x_ij the value of alternative i on criterion j:

1. Vector normalisation (Hwang & Yoon's original, not min-max): r_ij = x_ij / √(Σ_i x_ij²);
   a column of zeros stays 0. Scaling a column by a positive constant keeps its order, so the
   ideal is picked correctly for any sign.
2. Weighted matrix v_ij = w_j · r_ij (weights sum to 1, see `resolve_weights`).
3. Positive ideal A⁺_j: the column's best (max for a benefit, min for a cost criterion);
   negative ideal A⁻_j: its worst.
4. Distances D⁺_i = √(Σ_j (v_ij - A⁺_j)²) and D⁻_i = √(Σ_j (v_ij - A⁻_j)²).
5. Closeness C_i = D⁻_i / (D⁺_i + D⁻_i), in [0, 1], 1 at the ideal.
6. Ranking by C, highest first; alternatives whose C agree to 12 decimal places tie and
   share the rank ("1, 2, 2, 4"), listed by key.

Each alternative's D⁺ is explained per criterion: its gap |v_ij - A⁺_j| and its share
(v_ij - A⁺_j)² / (D⁺_i)² of the squared distance, which sum to 1 (all 0 at the ideal):
what pulls it away from the ideal.

Missing values: an alternative missing any chosen criterion's value is excluded from the
ranking with the criteria it lacks named; it is never scored as if the value were zero.
At least two alternatives must remain (`ScoringNotPossible`).

Weights (`resolve_weights`): entropy weights (`indicators.entropy`) by default; expert
weights when given (every chosen criterion named, each positive and finite, normalised to
sum 1); or a blend α·entropy + (1 - α)·expert with 0 ≤ α ≤ 1.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from zerowaste.errors import InvalidInput
from zerowaste.errors.indicators import ScoringNotPossible
from zerowaste.indicators.entropy import EntropyWeights, entropy_weights

#: Closeness values equal to this many decimal places tie.
TIE_PLACES = 12
NORMALISATION = "vector"


@dataclass(frozen=True, slots=True)
class Criterion:
    """A criterion to rank on: its name and whether higher is better (benefit) or lower (cost)."""

    name: str
    benefit: bool


@dataclass(frozen=True, slots=True)
class Alternative:
    """One alternative (a supplier, by key) with its value on each criterion (None: unknown)."""

    key: str
    values: Mapping[str, float | None]


class WeightSource(StrEnum):
    """Where the weights used come from."""

    ENTROPY = "entropy"
    EXPERT = "expert"
    BLEND = "blend"


@dataclass(frozen=True, slots=True)
class Weights:
    """The weights used, in criterion order, and what they were derived from.

    `entropy` is None when entropy weights are undefined (every criterion constant) and
    only expert weights were asked for; `expert` holds the normalised expert weights.
    """

    used: tuple[float, ...]
    source: WeightSource
    alpha: float | None = None
    entropy: EntropyWeights | None = None
    expert: tuple[float, ...] | None = None


@dataclass(frozen=True, slots=True)
class Contribution:
    """One criterion's part in an alternative's distance to the ideal."""

    criterion: str
    value: float
    weighted: float
    ideal: float
    anti_ideal: float
    gap: float
    share: float


@dataclass(frozen=True, slots=True)
class Scored:
    """A ranked alternative: rank, closeness C, distances D⁺ and D⁻, per-criterion parts."""

    key: str
    rank: int
    closeness: float
    d_plus: float
    d_minus: float
    contributions: tuple[Contribution, ...]

    @property
    def main_gap(self) -> Contribution | None:
        """The criterion pulling it furthest from the ideal (None at the ideal)."""
        if self.d_plus == 0:
            return None
        return max(self.contributions, key=lambda c: c.share)


@dataclass(frozen=True, slots=True)
class Excluded:
    """An alternative left out of the ranking and the criteria whose values it lacks."""

    key: str
    missing: tuple[str, ...]

    @property
    def reason(self) -> str:
        """Why it is left out."""
        return "no value for " + ", ".join(self.missing)


@dataclass(frozen=True, slots=True)
class Ranking:
    """The TOPSIS result: criteria, weights, ranked alternatives (best first), exclusions."""

    criteria: tuple[Criterion, ...]
    weights: Weights
    ranked: tuple[Scored, ...]
    excluded: tuple[Excluded, ...]
    normalisation: str = NORMALISATION


def check_criteria(criteria: Sequence[Criterion]) -> None:
    """Refuse no criterion or a criterion named twice (field `criteria`)."""
    if not criteria:
        raise InvalidInput("choose at least one criterion", field="criteria")
    names = [c.name for c in criteria]
    for name in names:
        if names.count(name) > 1:
            raise InvalidInput(f"{name} is given twice", field="criteria")


def expert_vector(criteria: Sequence[Criterion], expert: Mapping[str, float]) -> tuple[float, ...]:
    """The expert weights in criterion order, normalised to sum 1.

    Raises:
        InvalidInput: A weight for a criterion not chosen, a chosen criterion without a
            weight, or a weight not positive and finite (field `weights`).
    """
    names = [c.name for c in criteria]
    for name, raw in expert.items():
        if name not in names:
            raise InvalidInput(
                f"{name} is not among the chosen criteria ({', '.join(names)})", field="weights"
            )
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise InvalidInput(f"the weight of {name} must be a number", field="weights")
        if not math.isfinite(raw) or raw <= 0:
            raise InvalidInput(f"the weight of {name} must be positive", field="weights")
    lacking = [n for n in names if n not in expert]
    if lacking:
        raise InvalidInput(f"no weight given for {', '.join(lacking)}", field="weights")
    total = math.fsum(float(expert[n]) for n in names)
    return tuple(float(expert[n]) / total for n in names)


def resolve_weights(
    criteria: Sequence[Criterion],
    matrix: np.ndarray,
    expert: Mapping[str, float] | None = None,
    alpha: float | None = None,
) -> Weights:
    """The weights to use: entropy, expert, or α·entropy + (1 - α)·expert.

    `alpha` needs expert weights; expert weights without `alpha` are used alone.

    Raises:
        InvalidInput: Bad expert weights (field `weights`), α outside [0, 1] or given
            without expert weights (field `alpha`).
        ScoringNotPossible: Entropy weights are needed but undefined.
    """
    if alpha is not None and (not math.isfinite(alpha) or not 0 <= alpha <= 1):
        raise InvalidInput("must lie between 0 and 1", field="alpha")
    benefit = [c.benefit for c in criteria]
    if expert is None:
        if alpha is not None:
            raise InvalidInput("a blend needs expert weights", field="alpha")
        found = entropy_weights(matrix, benefit)
        return Weights(found.weights, WeightSource.ENTROPY, entropy=found)
    given = expert_vector(criteria, expert)
    try:
        objective: EntropyWeights | None = entropy_weights(matrix, benefit)
    except ScoringNotPossible:
        if alpha is not None and alpha > 0:
            raise
        objective = None
    if alpha is None or alpha == 0 or objective is None:
        source = WeightSource.EXPERT if alpha is None else WeightSource.BLEND
        return Weights(given, source, alpha, objective, given)
    used = tuple(alpha * e + (1 - alpha) * x for e, x in zip(objective.weights, given, strict=True))
    return Weights(used, WeightSource.BLEND, alpha, objective, given)


def _split(
    alternatives: Sequence[Alternative], criteria: Sequence[Criterion]
) -> tuple[list[Alternative], list[Excluded]]:
    kept, excluded = [], []
    for alternative in alternatives:
        missing = tuple(
            c.name
            for c in criteria
            if (v := alternative.values.get(c.name)) is None or not math.isfinite(v)
        )
        if missing:
            excluded.append(Excluded(alternative.key, missing))
        else:
            kept.append(alternative)
    return kept, excluded


def _ranks(closeness: Sequence[float], keys: Sequence[str]) -> list[tuple[int, int]]:
    """(index, rank) best first; equal rounded closeness share the rank."""
    rounded = [round(c, TIE_PLACES) for c in closeness]
    order = sorted(range(len(keys)), key=lambda i: (-rounded[i], keys[i]))
    found: list[tuple[int, int]] = []
    for position, index in enumerate(order):
        if position and rounded[index] == rounded[order[position - 1]]:
            found.append((index, found[-1][1]))
        else:
            found.append((index, position + 1))
    return found


def rank(
    alternatives: Sequence[Alternative],
    criteria: Sequence[Criterion],
    expert: Mapping[str, float] | None = None,
    alpha: float | None = None,
) -> Ranking:
    """Rank alternatives by TOPSIS closeness (see the module docstring).

    Raises:
        InvalidInput: No criteria, one twice, or bad weights (fields `criteria`, `weights`,
            `alpha`).
        ScoringNotPossible: Fewer than two alternatives with every value, weights undefined,
            or every alternative identical on the weighted criteria.
    """
    check_criteria(criteria)
    keys = [a.key for a in alternatives]
    if len(set(keys)) != len(keys):
        raise ValueError("alternative keys must be unique")
    kept, excluded = _split(alternatives, criteria)
    if len(kept) < 2:
        raise ScoringNotPossible(
            f"{len(kept)} supplier(s) have a value for every chosen criterion; at least 2 "
            f"are needed ({len(excluded)} left out for missing values)",
            field="criteria",
        )
    names = [c.name for c in criteria]
    x = np.array([[a.values[n] for n in names] for a in kept], dtype=np.float64)
    weights = resolve_weights(criteria, x, expert, alpha)
    # x / ‖x‖ computed as (x / s) / ‖x / s‖ with s the column's largest |x|: the same
    # value, without x² underflowing for tiny figures.
    scale = np.abs(x).max(axis=0)
    scaled = x / np.where(scale == 0, 1.0, scale)
    norms = np.sqrt((scaled**2).sum(axis=0))
    r = scaled / np.where(norms == 0, 1.0, norms)
    v = r * np.asarray(weights.used)
    up = np.asarray([c.benefit for c in criteria], dtype=bool)
    ideal = np.where(up, v.max(axis=0), v.min(axis=0))
    anti = np.where(up, v.min(axis=0), v.max(axis=0))
    gaps2 = (v - ideal) ** 2
    d_plus = np.sqrt(gaps2.sum(axis=1))
    d_minus = np.sqrt(((v - anti) ** 2).sum(axis=1))
    spread = d_plus + d_minus
    if np.any(spread == 0):
        raise ScoringNotPossible(
            "every supplier has the same values on the weighted criteria: nothing to rank",
            field="criteria",
        )
    closeness = d_minus / spread
    kept_keys = [a.key for a in kept]
    ranked = []
    for index, position in _ranks([float(c) for c in closeness], kept_keys):
        total = float(gaps2[index].sum())
        parts = tuple(
            Contribution(
                criterion=name,
                value=float(x[index, j]),
                weighted=float(v[index, j]),
                ideal=float(ideal[j]),
                anti_ideal=float(anti[j]),
                gap=float(abs(v[index, j] - ideal[j])),
                share=float(gaps2[index, j] / total) if total > 0 else 0.0,
            )
            for j, name in enumerate(names)
        )
        ranked.append(
            Scored(
                key=kept_keys[index],
                rank=position,
                closeness=float(closeness[index]),
                d_plus=float(d_plus[index]),
                d_minus=float(d_minus[index]),
                contributions=parts,
            )
        )
    return Ranking(tuple(criteria), weights, tuple(ranked), tuple(excluded))
