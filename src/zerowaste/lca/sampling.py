"""Draw samples of uncertain values from their `Distribution`s (numpy, seeded)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from zerowaste.domain.factors import Distribution, DistributionKind


def sample(
    distribution: Distribution, value: float, rng: np.random.Generator, size: int
) -> NDArray[np.float64]:
    """`size` draws of a value whose uncertainty is `distribution` (see its docstring)."""
    kind = distribution.kind
    if kind is DistributionKind.NORMAL and distribution.spread is not None:
        return rng.normal(value, distribution.spread, size)
    if kind is DistributionKind.LOGNORMAL and distribution.spread is not None:
        sigma = float(np.log(distribution.spread))
        draws = rng.lognormal(float(np.log(abs(value))), sigma, size)
        return np.copysign(draws, value)
    if kind is DistributionKind.TRIANGULAR and distribution.low is not None:
        assert distribution.high is not None
        return rng.triangular(distribution.low, value, distribution.high, size)
    if kind is DistributionKind.UNIFORM and distribution.low is not None:
        assert distribution.high is not None
        return rng.uniform(distribution.low, distribution.high, size)
    return np.full(size, value, dtype=np.float64)


def sample_columns(
    distributions: Sequence[Distribution],
    values: Sequence[float],
    rng: np.random.Generator,
    size: int,
) -> NDArray[np.float64]:
    """A (size × len(values)) array: column k holds draws of `values[k]`."""
    out = np.empty((size, len(values)), dtype=np.float64)
    for column, (distribution, value) in enumerate(zip(distributions, values, strict=True)):
        out[:, column] = sample(distribution, value, rng, size)
    return out


def interval(draws: NDArray[np.float64], coverage: float = 0.95) -> tuple[float, float]:
    """The central interval holding `coverage` of the draws (2.5th and 97.5th percentiles)."""
    tail = (1 - coverage) / 2 * 100
    low, high = np.percentile(draws, [tail, 100 - tail])
    return float(low), float(high)
