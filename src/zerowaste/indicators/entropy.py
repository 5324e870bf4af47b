"""Entropy weight method: objective criterion weights from how much the suppliers differ.

For m alternatives (rows) and n criteria (columns), with no value missing:

1. Min-max normalisation per direction: a benefit criterion (higher is better) becomes
   y_ij = (x_ij - min_j) / (max_j - min_j), a cost criterion (lower is better)
   y_ij = (max_j - x_ij) / (max_j - min_j). Each y lies in [0, 1], 1 the best.
2. Shares p_ij = y_ij / Σ_i y_ij.
3. Entropy e_j = -k Σ_i p_ij ln p_ij with k = 1 / ln m, so 0 ≤ e_j ≤ 1.
4. Divergence d_j = 1 - e_j; weight w_j = d_j / Σ_j d_j.

Conventions (stated because the literature varies):

- Zeros: p ln p is taken as its limit 0 at p = 0. No small constant is added to the
  normalised values (a common variant shifts them by 0.0001 or so; that changes weights
  slightly and is not done here).
- A constant column (max_j = min_j) carries no information: its y_ij are all taken as 1,
  so p_ij = 1/m, e_j = 1, d_j = 0 and its weight is 0.
- If every column is constant, Σ d_j = 0 and no weight can be derived: `ScoringNotPossible`.
- At least two alternatives are needed (k = 1 / ln m is undefined for m = 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from zerowaste.errors.indicators import ScoringNotPossible

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class EntropyWeights:
    """Each criterion's entropy e_j, divergence d_j = 1 - e_j and weight w_j, in column order."""

    entropy: tuple[float, ...]
    divergence: tuple[float, ...]
    weights: tuple[float, ...]


def _matrix(values: Sequence[Sequence[float]] | FloatArray) -> FloatArray:
    matrix = np.asarray(values, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[1] == 0:
        raise ValueError("values must be a non-empty alternatives × criteria matrix")
    if not np.all(np.isfinite(matrix)):
        raise ValueError("values must be finite (exclude alternatives with missing values first)")
    return matrix


def min_max(values: Sequence[Sequence[float]] | FloatArray, benefit: Sequence[bool]) -> FloatArray:
    """Min-max normalised matrix (1 the best), constant columns all 1 (see the module docstring)."""
    matrix = _matrix(values)
    if len(benefit) != matrix.shape[1]:
        raise ValueError("one direction per criterion")
    low, high = matrix.min(axis=0), matrix.max(axis=0)
    span = high - low
    constant = span == 0
    safe = np.where(constant, 1.0, span)
    up = np.asarray(benefit, dtype=bool)
    scaled = np.where(up, (matrix - low) / safe, (high - matrix) / safe)
    return np.where(constant, 1.0, scaled)


def entropy_weights(
    values: Sequence[Sequence[float]] | FloatArray, benefit: Sequence[bool]
) -> EntropyWeights:
    """Entropy weights of the criteria (columns) over the alternatives (rows).

    Raises:
        ScoringNotPossible: Fewer than two alternatives, or every criterion constant
            (field `criteria`).
    """
    matrix = _matrix(values)
    m = matrix.shape[0]
    if m < 2:
        raise ScoringNotPossible("entropy weights need at least two suppliers", field="criteria")
    y = min_max(matrix, benefit)
    p = y / y.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    e = np.clip(-terms.sum(axis=0) / np.log(m), 0.0, 1.0) + 0.0  # no -0.0
    e = np.where(np.ptp(matrix, axis=0) == 0, 1.0, e)  # exactly 1, not 1 - 2e-16
    d = 1.0 - e
    total = float(d.sum())
    if total <= 0:
        raise ScoringNotPossible(
            "every criterion has the same value for all suppliers: entropy weights are undefined",
            field="criteria",
        )
    w = d / total
    return EntropyWeights(
        tuple(float(x) for x in e), tuple(float(x) for x in d), tuple(float(x) for x in w)
    )
