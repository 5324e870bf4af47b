"""Great-circle distances and a k-d tree over unit-sphere points, both vectorized (numpy).

Sites are mapped to 3-D points on the unit sphere; a great-circle distance `g` (km) is a
chord of length `2 sin(g / 2R)` there, so "every supply within `g` km of this demand" is a
ball query in a `scipy.spatial.cKDTree`: the tree finds the neighbours without comparing
every pair. Road distance is great-circle distance times `Economics.road_factor`.
"""

from __future__ import annotations

from itertools import chain

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

#: Mean Earth radius (IUGG), km.
EARTH_RADIUS_KM = 6371.0088

#: Relative slack on the chord radius so points exactly at the limit are not lost to
#: rounding in the tree; the exact distance test after the query decides.
_RADIUS_SLACK = 1e-9

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def unit_vectors(lat: FloatArray, lon: FloatArray) -> FloatArray:
    """Points on the unit sphere (n × 3) for latitudes and longitudes in degrees."""
    phi = np.radians(np.asarray(lat, dtype=np.float64))
    lam = np.radians(np.asarray(lon, dtype=np.float64))
    with np.errstate(invalid="ignore"):  # non-finite input stays NaN; validate() rejects it
        cos_phi = np.cos(phi)
        return np.column_stack((cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)))


def great_circle_km(a: FloatArray, b: FloatArray) -> FloatArray:
    """Great-circle km between unit vectors `a[i]` and `b[i]` (row-wise, broadcastable).

    Uses the chord length (`2 asin(c / 2)`), which stays accurate for short distances where
    the arccosine of a dot product loses digits.
    """
    chord = np.linalg.norm(np.asarray(a) - np.asarray(b), axis=-1)
    out: FloatArray = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.clip(chord / 2.0, 0.0, 1.0))
    return out


def chord_radius(great_circle_limit_km: FloatArray) -> FloatArray:
    """The unit-sphere chord length of great-circle distances (km), slightly padded."""
    g = np.clip(np.asarray(great_circle_limit_km, dtype=np.float64), 0.0, np.pi * EARTH_RADIUS_KM)
    return 2.0 * np.sin(g / (2.0 * EARTH_RADIUS_KM)) * (1.0 + _RADIUS_SLACK) + _RADIUS_SLACK


class SpatialIndex:
    """A k-d tree over a set of sites; answers radius queries for many centres at once."""

    def __init__(self, points: FloatArray) -> None:
        """Index unit-sphere points (n × 3, from `unit_vectors`)."""
        self.points = np.asarray(points, dtype=np.float64).reshape(-1, 3)
        self._tree = cKDTree(self.points) if len(self.points) else None

    def __len__(self) -> int:
        return len(self.points)

    def within(
        self, centres: FloatArray, great_circle_limit_km: FloatArray
    ) -> tuple[IntArray, IntArray]:
        """Pairs (centre row, indexed point) whose great-circle distance may be in the limit.

        Args:
            centres: Unit vectors of the query sites (m × 3).
            great_circle_limit_km: One limit per centre (km, great-circle).

        Returns:
            Two equal-length arrays: the centre's row and the point's index. The chord
            radius is padded by 1e-9, so callers apply the exact distance test.
        """
        centres = np.asarray(centres, dtype=np.float64).reshape(-1, 3)
        if self._tree is None or len(centres) == 0:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        radius = chord_radius(great_circle_limit_km)
        hits = self._tree.query_ball_point(centres, radius, return_sorted=False)
        lengths = np.fromiter((len(h) for h in hits), dtype=np.int64, count=len(hits))
        rows = np.repeat(np.arange(len(centres), dtype=np.int64), lengths)
        points = np.fromiter(chain.from_iterable(hits), dtype=np.int64, count=int(lengths.sum()))
        return rows, points
