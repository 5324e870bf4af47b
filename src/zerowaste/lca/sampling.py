"""Draw samples of uncertain values from their `Distribution`s (numpy, seeded)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from zerowaste.domain.factors import Distribution, DistributionKind

#: The kinds `VectorSampler` draws, in the order their random streams are spawned.
_KINDS = (
    DistributionKind.NORMAL,
    DistributionKind.LOGNORMAL,
    DistributionKind.TRIANGULAR,
    DistributionKind.UNIFORM,
)


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


class VectorSampler:
    """Draws many uncertain values at once, vectorized by distribution kind.

    Each kind draws from its own stream spawned from `seed`, row after row, so the first k
    rows of a run are the same whatever the block sizes asked for (a run of 10 draws is the
    start of a run of 20 with the same seed).
    """

    def __init__(
        self, distributions: Sequence[Distribution], values: NDArray[np.float64], seed: int
    ) -> None:
        self.values = np.asarray(values, dtype=np.float64)
        kinds = np.array([distribution.kind for distribution in distributions], dtype=object)
        self._groups: list[
            tuple[DistributionKind, NDArray[np.intp], tuple[NDArray[np.float64], ...]]
        ] = []
        streams = np.random.SeedSequence(seed).spawn(len(_KINDS))
        self._rngs = {
            kind: np.random.default_rng(stream)
            for kind, stream in zip(_KINDS, streams, strict=True)
        }
        for kind in _KINDS:
            where = np.flatnonzero(kinds == kind)
            if where.size == 0:
                continue
            chosen = [distributions[int(index)] for index in where]
            centre = self.values[where]
            params: tuple[NDArray[np.float64], ...]
            if kind is DistributionKind.NORMAL:
                params = (centre, np.array([d.spread for d in chosen], dtype=np.float64))
            elif kind is DistributionKind.LOGNORMAL:
                spread = np.array([d.spread for d in chosen], dtype=np.float64)
                params = (np.log(np.abs(centre)), np.log(spread), np.sign(centre))
            else:
                low = np.array([d.low for d in chosen], dtype=np.float64)
                high = np.array([d.high for d in chosen], dtype=np.float64)
                params = (low, centre, high)
            self._groups.append((kind, where, params))

    def draw(self, size: int) -> NDArray[np.float64]:
        """The next `size` draws: a (size × len(values)) array; fixed values repeat."""
        whole = len(self._groups) == 1 and self._groups[0][1].size == self.values.size
        out = None if whole else np.broadcast_to(self.values, (size, self.values.size)).copy()
        for kind, where, params in self._groups:
            rng = self._rngs[kind]
            shape = (size, where.size)
            if kind is DistributionKind.NORMAL:
                centre, spread = params
                block = rng.standard_normal(shape)
                block *= spread
                block += centre
            elif kind is DistributionKind.LOGNORMAL:
                mu, sigma, sign = params
                block = rng.standard_normal(shape)
                block *= sigma
                block += mu
                np.exp(block, out=block)
                block *= sign
            elif kind is DistributionKind.TRIANGULAR:
                block = rng.triangular(params[0], params[1], params[2], shape)
            else:
                block = rng.uniform(params[0], params[2], shape)
            if out is None:  # one kind covers every value, in order
                return block
            out[:, where] = block
        assert out is not None
        return out


def interval(draws: NDArray[np.float64], coverage: float = 0.95) -> tuple[float, float]:
    """The central interval holding `coverage` of the draws (2.5th and 97.5th percentiles)."""
    tail = (1 - coverage) / 2 * 100
    low, high = np.percentile(draws, [tail, 100 - tail])
    return float(low), float(high)
