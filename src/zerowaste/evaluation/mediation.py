"""Mediation with fixed effects: stepwise regressions, the Sobel test, a cluster bootstrap.

The three Baron–Kenny steps on one complete-case sample, with the same controls and fixed
effects (Baron & Kenny 1986, J. Pers. Soc. Psychol. 51(6)):

1. total effect      Y = c·D + controls + FE
2. path a            M = a·D + controls + FE
3. direct effect     Y = c′·D + b·M + controls + FE

For least squares on one sample the decomposition c = c′ + a·b is an identity (the
omitted-variable formula), so the result reports its gap, which is rounding only.
Sobel's z = a·b / √(b²·s_a² + a²·s_b²) (Sobel 1982, Sociol. Methodol. 13) uses the standard
errors of the chosen type. The bootstrap resamples whole clusters with replacement (a drawn
cluster drawn twice enters as two distinct units, so its fixed effect is duplicated too),
re-estimates a and b and reports the percentile interval of a·b.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from zerowaste.errors.evaluation import ModelSpecificationInvalid
from zerowaste.evaluation.dataset import Panel
from zerowaste.evaluation.panel import (
    ModelResult,
    ModelSpec,
    check_sample,
    check_spec,
    estimate,
    result_of,
    sample,
)

MAX_REPLICATES = 5000
#: Demeaning tolerance of the three steps: tight, so the identity's gap is rounding only.
FIXEF_TOL = 1e-13
_DEMEAN_TOL = 1e-13
_DEMEAN_ROUNDS = 10_000


@dataclass(frozen=True, slots=True)
class Bootstrap:
    """The cluster bootstrap of a·b: replicates, seed, percentile interval, spread."""

    replicates: int
    seed: int
    cluster: str
    ci_low: float
    ci_high: float
    se: float


@dataclass(frozen=True, slots=True)
class Mediation:
    """The stepwise results, the decomposition and the tests of the indirect effect."""

    treatment: str
    mediator: str
    outcome: str
    total: ModelResult
    path_a: ModelResult
    direct: ModelResult
    c: float
    a: float
    b: float
    c_prime: float
    indirect: float
    identity_gap: float
    sobel_z: float
    sobel_p: float
    bootstrap: Bootstrap | None

    @property
    def share_mediated(self) -> float | None:
        """a·b ÷ c, when c is not zero."""
        return self.indirect / self.c if self.c else None


def sobel(a: float, se_a: float, b: float, se_b: float) -> tuple[float, float]:
    """Sobel's z for a·b and its two-sided normal p-value."""
    denominator = math.sqrt(b * b * se_a * se_a + a * a * se_b * se_b)
    if denominator == 0:
        return math.nan, math.nan
    z = a * b / denominator
    return z, float(2 * stats.norm.sf(abs(z)))


def demean(matrix: np.ndarray, codes: Sequence[np.ndarray]) -> np.ndarray:
    """Columns of `matrix` less their fixed effects (alternating projections)."""
    out = matrix.astype(float, copy=True)
    if not codes:
        centred: np.ndarray = out - out.mean(axis=0)
        return centred
    counts = [np.bincount(c).astype(float) for c in codes]
    for _ in range(_DEMEAN_ROUNDS):
        change = 0.0
        for code, count in zip(codes, counts, strict=True):
            for j in range(out.shape[1]):
                means = np.bincount(code, weights=out[:, j]) / count
                out[:, j] -= means[code]
                change = max(change, float(np.max(np.abs(means))))
        if len(codes) == 1 or change < _DEMEAN_TOL:
            break
    return out


def indirect_of(
    frame: pd.DataFrame, treatment: str, mediator: str, outcome: str, controls: Sequence[str],
    fixed_effects: Sequence[str], unit_codes: np.ndarray | None = None,
) -> float:  # fmt: skip
    """a·b by least squares on demeaned data (the bootstrap's fast path)."""
    codes = []
    for fe in fixed_effects:
        if fe == "firm" and unit_codes is not None:
            codes.append(unit_codes)
        else:
            codes.append(pd.factorize(frame[fe])[0])
    cols = [outcome, mediator, treatment, *controls]
    z = demean(frame[cols].to_numpy(dtype=float), codes)
    y, m, x = z[:, 0], z[:, 1], z[:, 2:]
    a = np.linalg.lstsq(x, m, rcond=None)[0][0]
    b = np.linalg.lstsq(np.column_stack([x[:, :1], m[:, None], x[:, 1:]]), y, rcond=None)[0][1]
    return float(a * b)


def cluster_bootstrap(
    frame: pd.DataFrame, treatment: str, mediator: str, outcome: str, controls: Sequence[str],
    fixed_effects: Sequence[str], cluster: str, replicates: int, seed: int,
) -> Bootstrap:  # fmt: skip
    """Percentile interval (2.5 %, 97.5 %) of a·b over cluster resamples."""
    rng = np.random.default_rng(seed)
    ids, labels = pd.factorize(frame[cluster])
    members = [np.flatnonzero(ids == g) for g in range(len(labels))]
    firm_ids = pd.factorize(frame["firm"])[0]
    draws = []
    for _ in range(replicates):
        chosen = rng.integers(0, len(members), len(members))
        rows = np.concatenate([members[g] for g in chosen])
        copy = np.concatenate([np.full(len(members[g]), k) for k, g in enumerate(chosen)])
        # A firm drawn in two clusters' copies is two units: code firms by (copy, firm).
        units = pd.factorize(pd.Series(copy * (firm_ids.max() + 1) + firm_ids[rows]))[0]
        resample = frame.iloc[rows].reset_index(drop=True)
        draws.append(
            indirect_of(resample, treatment, mediator, outcome, controls, fixed_effects, units)
        )
    values = np.asarray(draws)
    values = values[np.isfinite(values)]
    low, high = np.percentile(values, [2.5, 97.5])
    return Bootstrap(
        replicates=replicates,
        seed=seed,
        cluster=cluster,
        ci_low=float(low),
        ci_high=float(high),
        se=float(values.std(ddof=1)),
    )


def mediate(
    panel: Panel,
    outcome: str,
    treatment: str,
    mediator: str,
    controls: Sequence[str] = (),
    fixed_effects: Sequence[str] = ("firm", "year"),
    cluster: str | None = None,
    replicates: int = 0,
    seed: int = 0,
) -> Mediation:
    """The three steps, the decomposition, Sobel's test and (with replicates) the bootstrap.

    Raises:
        ModelSpecificationInvalid: Unknown names (fields `outcome`, `treatment`, `mediator`,
            `controls`), repeated roles, too few rows or clusters, bad replicate count.
    """
    panel.require([outcome], "outcome")
    panel.require([treatment], "treatment")
    panel.require([mediator], "mediator")
    panel.require(controls, "controls")
    roles = [outcome, treatment, mediator, *controls]
    if len(set(roles)) != len(roles):
        raise ModelSpecificationInvalid(
            "outcome, treatment, mediator and controls must differ", field="mediator"
        )
    if not 0 <= replicates <= MAX_REPLICATES:
        raise ModelSpecificationInvalid(f"replicates are 0 to {MAX_REPLICATES}", field="replicates")
    fe = tuple(fixed_effects)
    specs = (
        ModelSpec(outcome, (treatment, *controls), fe, cluster),
        ModelSpec(mediator, (treatment, *controls), fe, cluster),
        ModelSpec(outcome, (treatment, mediator, *controls), fe, cluster),
    )
    for spec in specs:
        check_spec(panel, spec)
    frame = sample(panel, specs[2])
    results = []
    for spec in specs:
        check_sample(frame, spec)
        results.append(result_of(estimate(frame, spec, fixef_tol=FIXEF_TOL), frame, spec))
    total, path_a, direct = results
    c = total.coefficient(treatment).estimate
    a_coef = path_a.coefficient(treatment)
    b_coef = direct.coefficient(mediator)
    c_prime = direct.coefficient(treatment).estimate
    indirect = a_coef.estimate * b_coef.estimate
    z, p = sobel(a_coef.estimate, a_coef.se, b_coef.estimate, b_coef.se)
    boot = None
    if replicates:
        boot = cluster_bootstrap(
            frame, treatment, mediator, outcome, controls, fe, cluster or "firm",
            replicates, seed,
        )  # fmt: skip
    return Mediation(
        treatment=treatment,
        mediator=mediator,
        outcome=outcome,
        total=total,
        path_a=path_a,
        direct=direct,
        c=c,
        a=a_coef.estimate,
        b=b_coef.estimate,
        c_prime=c_prime,
        indirect=indirect,
        identity_gap=c - (c_prime + indirect),
        sobel_z=z,
        sobel_p=p,
        bootstrap=boot,
    )
