"""Event studies of staggered adoption: TWFE with relative-time dummies, and did2s beside.

A unit (firm) adopts in its cohort year (e.g. its city's year of joining the zero-waste
pilot); never-treated units have no cohort (missing or 0). Relative time r = year − cohort.
The TWFE event study regresses the outcome on dummies for r = −L…−2 and 0…K with firm and
year fixed effects; r = −1 is the reference, and the endpoints are binned (r ≤ −L enters
the −L dummy, r ≥ K the K dummy). Under staggered adoption with effects that differ by
cohort, TWFE compares late adopters with early ones already treated and can be biased
(Goodman-Bacon 2021; Sun & Abraham 2021); Gardner's two-stage estimator (did2s; Gardner
2022, arXiv:2207.05943, as `pyfixest.did2s`) is shown beside: it estimates the fixed
effects on untreated rows only, then regresses the residualised outcome on the same dummies.
The pre-trend test is the joint Wald test that every lead (r ≤ −2) is zero, in its F form
with G − 1 denominator degrees of freedom (G clusters).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from zerowaste.errors.evaluation import ModelSpecificationInvalid
from zerowaste.evaluation.dataset import Panel
from zerowaste.evaluation.panel import CLUSTERS, FIXEF_TOL, MIN_CLUSTERS, wald

MAX_WINDOW = 10
ESTIMATORS = ("twfe", "did2s")


@dataclass(frozen=True, slots=True)
class EventCoefficient:
    """The effect at one relative period (the reference −1 is 0 by construction)."""

    period: int
    estimate: float
    se: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True, slots=True)
class EventEstimate:
    """One estimator's path of effects, its pre-trend test and its average post effect."""

    estimator: str
    coefficients: tuple[EventCoefficient, ...]
    pretrend_f: float | None
    pretrend_p: float | None
    average_post: float
    average_post_se: float


@dataclass(frozen=True, slots=True)
class EventStudy:
    """The event study: window, sample, both estimators."""

    outcome: str
    cohort: str
    leads: int
    lags: int
    n: int
    units: int
    treated_units: int
    cohorts: tuple[int, ...]
    cluster: str
    clusters: int
    estimates: tuple[EventEstimate, ...]


def dummy_name(period: int) -> str:
    """The column of a relative period: rel_m3 for −3, rel_p0 for 0."""
    return f"rel_m{-period}" if period < 0 else f"rel_p{period}"


def periods(leads: int, lags: int) -> list[int]:
    """The estimated periods: −leads…−2 and 0…lags."""
    return [p for p in range(-leads, lags + 1) if p != -1]


def _cohorts(frame: pd.DataFrame, cohort: str) -> pd.Series:
    by_firm = frame.groupby("firm")[cohort].nunique(dropna=False)
    if (by_firm > 1).any():
        firm = by_firm[by_firm > 1].index[0]
        raise ModelSpecificationInvalid(
            f"firm {firm!r} has more than one adoption year in {cohort}", field="cohort"
        )
    values = frame[cohort].where(frame[cohort] > 0)
    if ((values.dropna() % 1) != 0).any():
        raise ModelSpecificationInvalid(f"{cohort} must hold whole years", field="cohort")
    return values


def design(frame: pd.DataFrame, cohort: str, leads: int, lags: int) -> pd.DataFrame:
    """`frame` with the binned relative-time dummies and the 0/1 `treated_now` column."""
    adopted = _cohorts(frame, cohort)
    rel = (frame["year"] - adopted).clip(lower=-leads, upper=lags)
    out = frame.copy()
    for p in periods(leads, lags):
        out[dummy_name(p)] = (rel == p).astype(float)
    out["treated_now"] = ((frame["year"] >= adopted) & adopted.notna()).astype(int)
    return out


def _path(fit: Any, estimator: str, leads: int, lags: int, df: int) -> EventEstimate:
    from scipy import stats

    coef = fit.coef()
    vcov = pd.DataFrame(fit._vcov, index=fit._coefnames, columns=fit._coefnames)
    variances = pd.Series(np.diag(vcov.to_numpy()), index=vcov.index)
    q = float(stats.t.ppf(0.975, df))
    found = []
    for p in periods(leads, lags):
        name = dummy_name(p)
        if name not in coef.index:
            continue
        est, se = float(coef[name]), math.sqrt(float(variances[name]))
        found.append(EventCoefficient(p, est, se, est - q * se, est + q * se))
    lead_names = [dummy_name(p) for p in periods(leads, lags) if p < -1]
    lead_names = [n for n in lead_names if n in coef.index]
    f = pf_p = None
    if lead_names:
        f, pf_p = wald(coef[lead_names].to_numpy(), vcov.loc[lead_names, lead_names].to_numpy(), df)
    post = [dummy_name(p) for p in range(0, lags + 1) if dummy_name(p) in coef.index]
    weights = np.full(len(post), 1 / len(post)) if post else np.zeros(0)
    average = float(weights @ coef[post].to_numpy()) if post else math.nan
    average_se = (
        math.sqrt(float(weights @ vcov.loc[post, post].to_numpy() @ weights)) if post else math.nan
    )
    return EventEstimate(
        estimator=estimator,
        coefficients=tuple(found),
        pretrend_f=f,
        pretrend_p=pf_p,
        average_post=average,
        average_post_se=average_se,
    )


def event_study(
    panel: Panel,
    outcome: str,
    cohort: str,
    *,
    leads: int = 4,
    lags: int = 4,
    controls: Sequence[str] = (),
    cluster: str = "firm",
    estimators: Sequence[str] = ESTIMATORS,
) -> EventStudy:
    """Fit the event study by each estimator (firm and year fixed effects).

    Raises:
        ModelSpecificationInvalid: Unknown names (fields `outcome`, `cohort`, `controls`),
            a window outside 1…10 (`leads`, `lags`), an unknown estimator or cluster,
            a cohort not constant within a firm, no treated or no comparison rows.
    """
    import pyfixest as pf

    panel.require([outcome], "outcome")
    panel.require([cohort], "cohort")
    panel.require(controls, "controls")
    if outcome == cohort or outcome in controls or cohort in controls:
        raise ModelSpecificationInvalid("outcome, cohort and controls must differ", field="cohort")
    for name, value in (("leads", leads), ("lags", lags)):
        if not (1 if name == "lags" else 2) <= value <= MAX_WINDOW:
            raise ModelSpecificationInvalid(f"{name} must be within 1…{MAX_WINDOW}", field=name)
    if cluster not in CLUSTERS:
        raise ModelSpecificationInvalid(f"cluster by {' or '.join(CLUSTERS)}", field="cluster")
    for e in estimators:
        if e not in ESTIMATORS:
            raise ModelSpecificationInvalid(
                f"estimators are {', '.join(ESTIMATORS)}", field="estimators"
            )
    base = panel.frame[["firm", "city", "year", outcome, *controls]].dropna()
    base = base.join(panel.frame[[cohort]]).reset_index(drop=True)
    frame = design(base, cohort, leads, lags)
    treated = frame.loc[frame[cohort] > 0, "firm"].nunique()
    if treated == 0:
        raise ModelSpecificationInvalid(f"no firm adopts in {cohort}", field="cohort")
    if frame["treated_now"].eq(0).sum() == 0:
        raise ModelSpecificationInvalid("no untreated rows to compare with", field="cohort")
    clusters = int(frame[cluster].nunique())
    if clusters < MIN_CLUSTERS:
        raise ModelSpecificationInvalid(
            f"{clusters} clusters; at least {MIN_CLUSTERS} are needed", field="cluster"
        )
    names = [dummy_name(p) for p in periods(leads, lags)]
    present = [n for n in names if frame[n].any()]
    rhs = " + ".join([*present, *controls])
    found = []
    for estimator in estimators:
        if estimator == "twfe":
            fit = pf.feols(
                f"{outcome} ~ {rhs} | firm + year",
                data=frame,
                vcov={"CRV1": cluster},
                fixef_rm="none",
                demeaner=pf.MapDemeaner(fixef_tol=FIXEF_TOL),
            )
        else:
            first = f"~ {' + '.join(controls)} | firm + year" if controls else "~ 0 | firm + year"
            fit = pf.did2s(
                frame,
                yname=outcome,
                first_stage=first,
                second_stage=f"~ {' + '.join(present)}",
                treatment="treated_now",
                cluster=cluster,
            )
        found.append(_path(fit, estimator, leads, lags, clusters - 1))
    cohorts = sorted({int(c) for c in frame[cohort].dropna() if c > 0})
    return EventStudy(
        outcome=outcome,
        cohort=cohort,
        leads=leads,
        lags=lags,
        n=len(frame),
        units=int(frame["firm"].nunique()),
        treated_units=int(treated),
        cohorts=tuple(cohorts),
        cluster=cluster,
        clusters=clusters,
        estimates=tuple(found),
    )
