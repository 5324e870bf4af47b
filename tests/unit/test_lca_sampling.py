"""Sampling uncertain values: each distribution's centre, spread, bounds and sign."""

from __future__ import annotations

import numpy as np
import pytest

from zerowaste.domain.factors import Distribution, DistributionKind
from zerowaste.lca.sampling import VectorSampler, interval, sample, sample_columns

N = 40_000

NORMAL = Distribution(DistributionKind.NORMAL, spread=2.0)
LOGNORMAL = Distribution(DistributionKind.LOGNORMAL, spread=1.5)
TRIANGULAR = Distribution(DistributionKind.TRIANGULAR, low=8.0, high=14.0)
UNIFORM = Distribution(DistributionKind.UNIFORM, low=6.0, high=12.0)


def test_normal_has_its_mean_and_standard_deviation() -> None:
    draws = sample(NORMAL, 10.0, np.random.default_rng(1), N)
    assert draws.mean() == pytest.approx(10.0, abs=0.05)
    assert draws.std() == pytest.approx(2.0, rel=0.02)


def test_lognormal_has_its_median_and_geometric_spread() -> None:
    draws = sample(LOGNORMAL, 10.0, np.random.default_rng(2), N)
    assert (draws > 0).all()
    assert np.median(draws) == pytest.approx(10.0, rel=0.01)
    assert np.exp(np.log(draws).std()) == pytest.approx(1.5, rel=0.02)


def test_negative_lognormal_keeps_its_sign() -> None:
    draws = sample(LOGNORMAL, -4.0, np.random.default_rng(3), N)
    assert (draws < 0).all()
    assert np.median(draws) == pytest.approx(-4.0, rel=0.01)


def test_triangular_and_uniform_stay_in_their_bounds() -> None:
    rng = np.random.default_rng(4)
    triangular = sample(TRIANGULAR, 9.0, rng, N)
    assert triangular.min() >= 8.0
    assert triangular.max() <= 14.0
    assert triangular.mean() == pytest.approx((8 + 9 + 14) / 3, abs=0.03)
    uniform = sample(UNIFORM, 7.0, rng, N)
    assert uniform.min() >= 6.0
    assert uniform.max() <= 12.0
    assert uniform.mean() == pytest.approx(9.0, abs=0.03)


def test_fixed_is_the_value() -> None:
    assert sample(Distribution(), 3.5, np.random.default_rng(5), 4).tolist() == [3.5] * 4


def test_columns_and_intervals() -> None:
    rng = np.random.default_rng(6)
    columns = sample_columns([Distribution(), NORMAL], [1.0, 10.0], rng, N)
    assert columns.shape == (N, 2)
    assert (columns[:, 0] == 1.0).all()
    low, high = interval(columns[:, 1])
    assert low == pytest.approx(10 - 1.96 * 2, abs=0.1)
    assert high == pytest.approx(10 + 1.96 * 2, abs=0.1)
    assert interval(np.arange(101.0), 0.5) == (25.0, 75.0)


def test_vector_sampler_matches_each_kind() -> None:
    distributions = [Distribution(), NORMAL, LOGNORMAL, LOGNORMAL, TRIANGULAR, UNIFORM]
    values = np.array([3.0, 10.0, 10.0, -4.0, 9.0, 7.0])
    draws = VectorSampler(distributions, values, seed=7).draw(N)
    assert draws.shape == (N, 6)
    assert (draws[:, 0] == 3.0).all()
    assert draws[:, 1].mean() == pytest.approx(10.0, abs=0.05)
    assert draws[:, 1].std() == pytest.approx(2.0, rel=0.02)
    assert np.median(draws[:, 2]) == pytest.approx(10.0, rel=0.01)
    assert (draws[:, 3] < 0).all()
    assert np.median(draws[:, 3]) == pytest.approx(-4.0, rel=0.01)
    assert draws[:, 4].min() >= 8.0
    assert draws[:, 4].max() <= 14.0
    assert draws[:, 4].mean() == pytest.approx(31 / 3, abs=0.03)
    assert draws[:, 5].min() >= 6.0
    assert draws[:, 5].max() <= 12.0


def test_vector_sampler_is_seeded_and_independent_of_block_sizes() -> None:
    distributions = [NORMAL, LOGNORMAL, TRIANGULAR, UNIFORM]
    values = np.array([10.0, 10.0, 9.0, 7.0])
    whole = VectorSampler(distributions, values, seed=8).draw(10)
    pieces = VectorSampler(distributions, values, seed=8)
    assert np.array_equal(np.vstack([pieces.draw(3), pieces.draw(7)]), whole)
    assert not np.array_equal(VectorSampler(distributions, values, seed=9).draw(10), whole)
