"""An athlete's physiology as the formulas need it, with where each value came from.

Profiles are often incomplete. Rather than refuse to compute, analytics fills
the gaps with standard estimates and says so: every answer that depends on an
estimate can name it ("HR max estimated from age").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final, Literal

from analytics import metrics

#: A typical adult resting heart rate, used when the athlete never gave theirs.
DEFAULT_HR_REST: Final = 60
#: Used only when neither a measured HR max nor a birth year is known (a 30-year-old by Tanaka).
DEFAULT_HR_MAX: Final = 187

Source = Literal["measured", "estimated from age", "default"]


@dataclass(frozen=True)
class Physiology:
    hr_max: float
    hr_max_source: Source
    hr_rest: float
    hr_rest_source: Source
    sex: metrics.Sex
    sex_known: bool

    def zones(self) -> tuple[list[metrics.Zone], str]:
        """The athlete's HR zones and how they were set: Karvonen when the resting HR was measured.

        A default resting HR would shift every Karvonen boundary by a guess, so
        without a measured one the zones are plain fractions of HR max.
        """
        if self.hr_rest_source == "measured":
            return metrics.karvonen_zones(self.hr_max, self.hr_rest), "karvonen"
        return metrics.hr_zones(self.hr_max), "percent of HR max"

    def describe(self) -> str:
        """A short English note on the estimates in use; empty when everything was measured."""
        notes = []
        if self.hr_max_source != "measured":
            notes.append(f"HR max {self.hr_max:.0f} ({self.hr_max_source})")
        if self.hr_rest_source != "measured":
            notes.append(f"HR rest {self.hr_rest:.0f} ({self.hr_rest_source})")
        if not self.sex_known:
            notes.append("sex unknown: male TRIMP factors")
        return "; ".join(notes)


def resolve(
    *,
    sex: str | None,
    birth_year: int | None,
    hr_max: float | None,
    hr_rest: float | None,
    today: dt.date | None = None,
) -> Physiology:
    """Fill an athlete's missing values with the standard estimates, recording which were."""
    year = (today or dt.datetime.now(dt.UTC).date()).year
    max_source: Source
    rest_source: Source
    if hr_max:
        max_value, max_source = float(hr_max), "measured"
    elif birth_year:
        max_value, max_source = metrics.hr_max_from_age(year - birth_year), "estimated from age"
    else:
        max_value, max_source = float(DEFAULT_HR_MAX), "default"
    if hr_rest and hr_rest < max_value:
        rest_value, rest_source = float(hr_rest), "measured"
    else:
        rest_value, rest_source = float(DEFAULT_HR_REST), "default"
    known_sex = sex if sex in ("M", "F") else None
    return Physiology(
        hr_max=max_value,
        hr_max_source=max_source,
        hr_rest=rest_value,
        hr_rest_source=rest_source,
        sex="F" if known_sex == "F" else "M",
        sex_known=known_sex is not None,
    )
