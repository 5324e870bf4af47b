"""Fixed-effects panel regressions through pyfixest: classical and cluster-robust errors.

The formula is built here from names the panel has validated (`dataset.NAME`), never taken
from the caller. Standard errors:

- `iid` — classical (homoskedastic) errors, V = σ̂² (X̃'X̃)⁻¹ with σ̂² = RSS / (N − K − G_fe)
  where G_fe counts the fixed-effect levels absorbed (less redundant ones). This is what
  Stata's `xtreg, fe` and `areg` report, and what pyfixest's `vcov="iid"` gives.
- `CRV1` — cluster-robust (Liang–Zeger) errors by firm or city with pyfixest's default
  small-sample correction `ssc(k_adj=True, k_fixef="nonnested", G_adj=True)`:
  V = G/(G−1) · (N−1)/(N−K) · (X̃'X̃)⁻¹ (Σ_g X̃_g'û_g û_g'X̃_g) (X̃'X̃)⁻¹, where K counts the
  regressors plus the fixed effects not nested in the cluster variable (firm effects are
  nested in firm clusters and not counted). p-values and intervals use Student's t with
  G − 1 degrees of freedom. This is R fixest's default and matches Stata's
  `xtreg, fe vce(cluster id)` when the fixed effect is nested in the cluster.
  (pyfixest documentation: `pyfixest.ssc`; fixest vignette "On standard errors".)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd

from zerowaste.errors.evaluation import ModelSpecificationInvalid
from zerowaste.evaluation.dataset import KEYS, Panel

#: Fixed effects a model may absorb (the panel's key columns).
FIXED_EFFECTS = KEYS
CLUSTERS = ("firm", "city")
MAX_REGRESSORS = 20
#: The fewest clusters accepted for cluster-robust errors (fewer give unreliable errors).
MIN_CLUSTERS = 5
CONFIDENCE = 0.95
#: Convergence tolerance of the fixed-effect demeaning (pyfixest's default is 1e-6).
FIXEF_TOL = 1e-10
CRV1_CONVENTION = (
    "CRV1, pyfixest ssc(k_adj=True, k_fixef='nonnested', G_adj=True): G/(G-1)·(N-1)/(N-K), t(G-1)"
)
IID_CONVENTION = "classical (iid), σ² = RSS/(N-K-absorbed FE), as Stata xtreg, fe"


class Vcov(StrEnum):
    """How standard errors are computed (see the module docstring)."""

    IID = "iid"
    CRV1 = "CRV1"


@dataclass(frozen=True, slots=True)
class Coefficient:
    """One regressor's estimate, its standard error, t, p and confidence interval."""

    name: str
    estimate: float
    se: float
    t: float
    p: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """A model: outcome on regressors, absorbing fixed effects, errors clustered or not."""

    outcome: str
    regressors: tuple[str, ...]
    fixed_effects: tuple[str, ...] = ("firm", "year")
    cluster: str | None = None

    @property
    def vcov(self) -> Vcov:
        """The error type this spec asks for."""
        return Vcov.CRV1 if self.cluster else Vcov.IID

    def formula(self) -> str:
        """The pyfixest formula (names already validated)."""
        fml = f"{self.outcome} ~ {' + '.join(self.regressors)}"
        return f"{fml} | {' + '.join(self.fixed_effects)}" if self.fixed_effects else fml


@dataclass(frozen=True, slots=True)
class ModelResult:
    """A fitted model: coefficients, sample size, fixed-effect groups, fit statistics."""

    spec: ModelSpec
    coefficients: tuple[Coefficient, ...]
    n: int
    groups: dict[str, int]
    clusters: int | None
    r2: float
    r2_within: float | None
    vcov_convention: str

    def coefficient(self, name: str) -> Coefficient:
        """The coefficient of a regressor (KeyError if absent)."""
        for c in self.coefficients:
            if c.name == name:
                return c
        raise KeyError(name)


def _unique(names: Sequence[str], field: str) -> tuple[str, ...]:
    if len(set(names)) != len(names):
        raise ModelSpecificationInvalid("a name is given twice", field=field)
    return tuple(names)


def check_spec(panel: Panel, spec: ModelSpec) -> ModelSpec:
    """The spec if every name exists and is allowed, else ModelSpecificationInvalid.

    Raises:
        ModelSpecificationInvalid: The field names the part: `outcome`, `regressors`,
            `fixed_effects` or `cluster`.
    """
    panel.require([spec.outcome], "outcome")
    if not spec.regressors:
        raise ModelSpecificationInvalid("name at least one regressor", field="regressors")
    if len(spec.regressors) > MAX_REGRESSORS:
        raise ModelSpecificationInvalid(f"at most {MAX_REGRESSORS} regressors", field="regressors")
    panel.require(spec.regressors, "regressors")
    _unique(spec.regressors, "regressors")
    if spec.outcome in spec.regressors:
        raise ModelSpecificationInvalid("the outcome is also a regressor", field="regressors")
    for fe in spec.fixed_effects:
        if fe not in FIXED_EFFECTS:
            raise ModelSpecificationInvalid(
                f"fixed effects are among {', '.join(FIXED_EFFECTS)}, not {fe!r}",
                field="fixed_effects",
            )
    _unique(spec.fixed_effects, "fixed_effects")
    if spec.cluster is not None and spec.cluster not in CLUSTERS:
        raise ModelSpecificationInvalid(
            f"cluster by {' or '.join(CLUSTERS)}, not {spec.cluster!r}", field="cluster"
        )
    return spec


def sample(panel: Panel, spec: ModelSpec, extra: Sequence[str] = ()) -> pd.DataFrame:
    """The complete-case rows a model (and `extra` variables) use: keys, then the variables."""
    used = [spec.outcome, *spec.regressors, *extra]
    frame = panel.frame[["firm", "city", "year", *dict.fromkeys(used)]].dropna()
    return frame.reset_index(drop=True)


def check_sample(frame: pd.DataFrame, spec: ModelSpec) -> None:
    """Raise ModelSpecificationInvalid if the sample is too small, flat or has too few clusters."""
    k = len(spec.regressors)
    if len(frame) <= k + 1:
        raise ModelSpecificationInvalid(
            f"{len(frame)} complete rows are too few for {k} regressors", field="regressors"
        )
    for name in spec.regressors:
        if float(frame[name].std(ddof=0)) == 0.0:
            raise ModelSpecificationInvalid(f"{name} does not vary", field="regressors")
    if spec.cluster is not None:
        groups = int(frame[spec.cluster].nunique())
        if groups < MIN_CLUSTERS:
            raise ModelSpecificationInvalid(
                f"{groups} clusters of {spec.cluster}; at least {MIN_CLUSTERS} are needed",
                field="cluster",
            )


def _vcov_arg(spec: ModelSpec) -> str | dict[str, str]:
    return {"CRV1": spec.cluster} if spec.cluster else "iid"


def estimate(frame: pd.DataFrame, spec: ModelSpec, *, fixef_tol: float = FIXEF_TOL) -> Any:
    """The pyfixest fit of `spec` on a complete-case frame (no singleton rows dropped)."""
    import pyfixest as pf

    return pf.feols(
        spec.formula(),
        data=frame,
        vcov=_vcov_arg(spec),
        fixef_rm="none",
        demeaner=pf.MapDemeaner(fixef_tol=fixef_tol),
    )


def _finite(value: Any) -> float:
    number = float(value)
    return number if math.isfinite(number) else math.nan


def result_of(fit: Any, frame: pd.DataFrame, spec: ModelSpec) -> ModelResult:
    """The plain result of a pyfixest fit."""
    tidy = fit.tidy(alpha=1 - CONFIDENCE)
    coefficients = []
    for name in spec.regressors:
        if name not in tidy.index:
            raise ModelSpecificationInvalid(
                f"{name} is collinear with the fixed effects or other regressors",
                field="regressors",
            )
        row = tidy.loc[name]
        coefficients.append(
            Coefficient(
                name=name,
                estimate=float(row["Estimate"]),
                se=float(row["Std. Error"]),
                t=_finite(row["t value"]),
                p=_finite(row["Pr(>|t|)"]),
                ci_low=float(row.iloc[4]),
                ci_high=float(row.iloc[5]),
            )
        )
    r2_within = getattr(fit, "_r2_within", None)
    return ModelResult(
        spec=spec,
        coefficients=tuple(coefficients),
        n=int(fit._N),
        groups={fe: int(frame[fe].nunique()) for fe in spec.fixed_effects},
        clusters=int(frame[spec.cluster].nunique()) if spec.cluster else None,
        r2=_finite(fit._r2),
        r2_within=_finite(r2_within) if spec.fixed_effects and r2_within is not None else None,
        vcov_convention=CRV1_CONVENTION if spec.cluster else IID_CONVENTION,
    )


def fit(panel: Panel, spec: ModelSpec) -> ModelResult:
    """Estimate one model on the panel's complete cases.

    Raises:
        ModelSpecificationInvalid: An unknown or disallowed name, too few rows or clusters,
            a regressor that does not vary or is absorbed by the fixed effects.
    """
    check_spec(panel, spec)
    frame = sample(panel, spec)
    check_sample(frame, spec)
    return result_of(estimate(frame, spec), frame, spec)


def fit_beside(panel: Panel, spec: ModelSpec) -> tuple[ModelResult, ...]:
    """The model with classical errors, and beside it clustered ones when `spec` clusters."""
    classical = fit(panel, ModelSpec(spec.outcome, spec.regressors, spec.fixed_effects))
    if spec.cluster is None:
        return (classical,)
    return classical, fit(panel, spec)


def wald(estimates: np.ndarray, vcov: np.ndarray, df: int | None) -> tuple[float, float]:
    """The joint test that every estimate is zero: (statistic, p-value).

    With `df` the F form (W / q against F(q, df)); without, the χ²(q) form.
    """
    from scipy import stats

    q = len(estimates)
    w = float(estimates @ np.linalg.solve(vcov, estimates))
    if df is None:
        return w, float(stats.chi2.sf(w, q))
    return w / q, float(stats.f.sf(w / q, q, df))
