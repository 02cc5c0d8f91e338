"""A large GPX run, generated for the bench (never stored in the repository).

``big_gpx(points)`` writes a Garmin-style GPX 1.1 track, one point a second
with heart rate and cadence in TrackPointExtension: 300,000 points (83 hours
at 1 Hz, or a week-long ultra at smart recording) are about 40 MB, the size
of the largest real GPX an athlete uploads.
"""

from __future__ import annotations

import datetime as dt
import math

_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<gpx creator="Foulee bench" version="1.1" xmlns="http://www.topografix.com/GPX/1/1" '
    'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">\n'
    "  <trk>\n    <name>Bench run</name>\n    <type>running</type>\n    <trkseg>\n"
)
_FOOTER = "    </trkseg>\n  </trk>\n</gpx>\n"
_START = dt.datetime(2026, 6, 1, 6, 0, tzinfo=dt.UTC)


def big_gpx(points: int) -> bytes:
    """A GPX of ``points`` points, 3 m/s along a slow circle, HR and cadence on each."""
    parts = [_HEADER]
    for index in range(points):
        angle = index * 3.0 / 20000.0  # 3 m a second on a circle of 20 km radius
        lat = 45.0 + 0.18 * math.sin(angle)
        lon = 5.0 + 0.25 * math.cos(angle)
        when = (_START + dt.timedelta(seconds=index)).strftime("%Y-%m-%dT%H:%M:%SZ")
        parts.append(
            f'      <trkpt lat="{lat:.7f}" lon="{lon:.7f}">\n'
            f"        <ele>{200.0 + 20.0 * math.sin(index / 600.0):.1f}</ele>\n"
            f"        <time>{when}</time>\n"
            "        <extensions>\n          <gpxtpx:TrackPointExtension>\n"
            f"            <gpxtpx:hr>{140 + index % 20}</gpxtpx:hr>\n"
            f"            <gpxtpx:cad>{85 + index % 5}</gpxtpx:cad>\n"
            "          </gpxtpx:TrackPointExtension>\n        </extensions>\n"
            "      </trkpt>\n"
        )
    parts.append(_FOOTER)
    return "".join(parts).encode()
