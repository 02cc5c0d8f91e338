"""Great-circle distance between GPS fixes."""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

# Mean Earth radius (IUGG), metres. The spherical model is within ~0.5 % of the
# ellipsoid, well under GPS noise on a run.
EARTH_RADIUS_M: Final = 6_371_008.8


def haversine_m(
    lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike
) -> FloatArray:
    """Distance in metres between points given in degrees, element-wise.

    Haversine formula (Sinnott, 1984, "Virtues of the Haversine", Sky and
    Telescope 68(2)): numerically stable for the few-metre steps between
    consecutive track points, where the spherical law of cosines loses precision.
    NaN in, NaN out.
    """
    phi1 = np.radians(np.asarray(lat1, dtype=np.float64))
    phi2 = np.radians(np.asarray(lat2, dtype=np.float64))
    delta_phi = phi2 - phi1
    delta_lambda = np.radians(np.asarray(lon2, dtype=np.float64) - np.asarray(lon1, dtype=np.float64))
    a = np.sin(delta_phi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(delta_lambda / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))), dtype=np.float64)


def cumulative_distance_m(
    lat: npt.ArrayLike, lon: npt.ArrayLike, segment: npt.ArrayLike | None = None
) -> FloatArray:
    """Cumulative 2-D distance along a track, starting at 0; steps from or to a point without a fix add 0.

    A missing fix (tunnel, lost signal) bridges to the next good one rather
    than dropping the whole stretch, the way watches do. ``segment`` numbers
    the track segment of each point (GPX ``<trkseg>``): the step from one
    segment to the next is a pause (the watch stopped, the athlete took the
    train), not distance covered, so it adds 0.
    """
    lat_arr = np.asarray(lat, dtype=np.float64)
    lon_arr = np.asarray(lon, dtype=np.float64)
    if lat_arr.size == 0:
        return np.zeros(0)
    valid = np.isfinite(lat_arr) & np.isfinite(lon_arr)
    distance = np.full(lat_arr.shape, np.nan)
    if not valid.any():
        return distance
    good_lat, good_lon = lat_arr[valid], lon_arr[valid]
    steps = haversine_m(good_lat[:-1], good_lon[:-1], good_lat[1:], good_lon[1:])
    if segment is not None:
        good_segment = np.asarray(segment)[valid]
        steps = np.where(good_segment[1:] == good_segment[:-1], steps, 0.0)
    distance[valid] = np.concatenate(([0.0], np.cumsum(steps)))
    # Points without a fix keep the distance reached so far.
    filled = np.fmax.accumulate(np.where(np.isnan(distance), -np.inf, distance))
    return np.where(np.isneginf(filled), 0.0, filled)
