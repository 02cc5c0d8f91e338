"""Names of the standard distances and form bands, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from foulee import formatting, races


def distance_name(distance_m: float) -> str:
    """ "5 km", "1 mile", "Half marathon"… for the standard distances; "7.5 km" for the others."""
    race = races.race_at(distance_m)
    if race is not None:
        return str(race.label)
    return formatting.km(distance_m)


def form_label(code: str | None) -> str:
    """The form band (``analytics.queries.load.FORM_BANDS``, by its code) in the reader's language."""
    labels = {
        "very_fresh": _("very fresh"),
        "fresh": _("fresh"),
        "neutral": _("neutral"),
        "tired": _("tired (productive training)"),
        "overreaching": _("very tired (overreaching risk)"),
    }
    return labels.get(code or "", "—")
