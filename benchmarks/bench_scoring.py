"""Supplier scoring: entropy-weight TOPSIS over 10,000 suppliers × 10 criteria.

Figures: the time of `indicators.topsis.rank` (entropy weights, vector normalisation,
distances, ranking with ties, per-criterion contributions) on a full matrix and on one with
5% of the values missing (those suppliers left out), and the time of the entropy weights
alone. Each run's closeness is checked against an independent recomputation written here
from the formulas (in a different order of operations); the run fails on a difference
above 1e-12.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import parse_args, report  # noqa: E402
from zerowaste.indicators.entropy import entropy_weights  # noqa: E402
from zerowaste.indicators.topsis import Alternative, Criterion, rank  # noqa: E402

FULL = (10_000, 10, 5)
SMOKE = (300, 6, 2)
SEED = 2026
AGREEMENT = 1e-12


def _matrix(m: int, n: int) -> NDArray[np.float64]:
    rng = np.random.default_rng(SEED)
    return rng.lognormal(mean=0.0, sigma=0.8, size=(m, n))


def reference_closeness(
    x: NDArray[np.float64], w: NDArray[np.float64], up: NDArray[np.bool_]
) -> NDArray[np.float64]:
    """C = D- / (D+ + D-) straight from the formulas, column by column."""
    m, n = x.shape
    d_plus2 = np.zeros(m)
    d_minus2 = np.zeros(m)
    for j in range(n):
        column = x[:, j] / np.linalg.norm(x[:, j]) * w[j]
        best, worst = (column.max(), column.min()) if up[j] else (column.min(), column.max())
        d_plus2 += (column - best) ** 2
        d_minus2 += (column - worst) ** 2
    d_minus = np.sqrt(d_minus2)
    return d_minus / (np.sqrt(d_plus2) + d_minus)


def _alternatives(x: NDArray[np.float64], holes: NDArray[np.bool_] | None) -> list[Alternative]:
    names = [f"c{j}" for j in range(x.shape[1])]
    found = []
    for i, row in enumerate(x):
        values: dict[str, float | None] = dict(zip(names, row.tolist(), strict=True))
        if holes is not None:
            for j in np.flatnonzero(holes[i]):
                values[names[j]] = None
        found.append(Alternative(f"s{i:05d}", values))
    return found


def measure(m: int, n: int, repeat: int) -> dict[str, Any]:
    """Time and check one size."""
    x = _matrix(m, n)
    up = np.array([j % 3 != 2 for j in range(n)])
    criteria = [Criterion(f"c{j}", bool(up[j])) for j in range(n)]
    full = _alternatives(x, None)
    holes = np.random.default_rng(SEED + 1).random((m, n)) < 0.05 / n
    gappy = _alternatives(x, holes)
    figures: dict[str, Any] = {"suppliers": m, "criteria": n, "repeat": repeat}
    for name, alternatives in (("full", full), ("missing_5pct", gappy)):
        times = []
        result = None
        for _ in range(repeat):
            start = time.perf_counter()
            result = rank(alternatives, criteria)
            times.append(time.perf_counter() - start)
        assert result is not None
        kept = np.array([int(s.key[1:]) for s in sorted(result.ranked, key=lambda s: s.key)])
        ours = np.array([s.closeness for s in sorted(result.ranked, key=lambda s: s.key)])
        weights = np.asarray(result.weights.used)
        theirs = reference_closeness(x[kept], weights, up)
        difference = float(np.max(np.abs(ours - theirs)))
        if difference > AGREEMENT:
            raise SystemExit(f"{name}: closeness differs from the reference by {difference}")
        figures[name] = {
            "ranked": len(result.ranked),
            "excluded": len(result.excluded),
            "best_s": round(min(times), 4),
            "median_s": round(sorted(times)[len(times) // 2], 4),
            "max_abs_difference_vs_reference": difference,
            "weights_sum": round(float(weights.sum()), 12),
        }
    start = time.perf_counter()
    for _ in range(repeat):
        entropy_weights(x, list(up))
    figures["entropy_weights_only_s"] = round((time.perf_counter() - start) / repeat, 5)
    return figures


def main() -> None:
    """Run the benchmark and report."""
    args = parse_args(__doc__ or "")
    m, n, repeat = SMOKE if args.smoke else FULL
    report("scoring", measure(m, n, repeat), args.json)


if __name__ == "__main__":
    main()
