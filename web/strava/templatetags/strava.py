"""``{% strava_card %}``: the profile page's Strava section, its own context from the viewer."""

from __future__ import annotations

from typing import Any

from django import template

from web.strava import client as strava
from web.strava.models import StravaConnection

register = template.Library()


@register.inclusion_tag("strava/profile_card.html", takes_context=True)
def strava_card(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "configured": strava.configured(),
        "connection": StravaConnection.objects.filter(user=request.user).first(),
    }
