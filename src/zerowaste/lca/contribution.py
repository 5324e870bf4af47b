"""Contribution analysis: which processes, or which owners of processes, dominate a score."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from zerowaste.errors import InvalidInput


def top_contributions(
    process_scores: NDArray[np.float64], keys: Sequence[str], n: int
) -> list[tuple[str, float]]:
    """The `n` processes contributing most to the score, largest magnitude first.

    Args:
        process_scores: What each process contributes (`LcaResult.process_scores`).
        keys: The process keys, in the same order (`MatrixSystem.process_keys`).
        n: How many to return (fewer if there are fewer processes).

    Returns:
        (key, score) pairs ordered by |score| descending, ties by key; zero contributions
        are left out.
    """
    scores = _scores(process_scores, len(keys), "keys")
    if n < 0:
        raise InvalidInput("must not be negative", field="n")
    nonzero = [(key, float(score)) for key, score in zip(keys, scores, strict=True) if score]
    nonzero.sort(key=lambda pair: (-abs(pair[1]), pair[0]))
    return nonzero[:n]


def group_scores(process_scores: NDArray[np.float64], groups: Sequence[str]) -> dict[str, float]:
    """The score summed by owner: `groups[j]` owns process j (a supplier, a firm, a stage).

    Returns:
        Owner -> summed contribution, largest magnitude first (ties by owner); the values
        add up to the total score.
    """
    scores = _scores(process_scores, len(groups), "groups")
    owners, inverse = np.unique(np.asarray(groups, dtype=object), return_inverse=True)
    totals = np.bincount(inverse.ravel(), weights=scores, minlength=owners.size)
    pairs = sorted(
        ((str(owner), float(total)) for owner, total in zip(owners, totals, strict=True)),
        key=lambda pair: (-abs(pair[1]), pair[0]),
    )
    return dict(pairs)


def _scores(process_scores: NDArray[np.float64], expected: int, field: str) -> NDArray[np.float64]:
    scores = np.asarray(process_scores, dtype=np.float64)
    if scores.ndim != 1:
        raise InvalidInput("process scores must be a vector", field="process_scores")
    if scores.size != expected:
        raise InvalidInput(f"{expected} {field} for {scores.size} process scores", field=field)
    return scores
