"""The Strava doors of the site: connect, its OAuth callback, disconnect, and the webhook."""

from __future__ import annotations

import hmac
import json
import logging
import secrets

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from web.site.views.common import site_page, viewer
from web.strava import client as strava
from web.strava import services
from web.strava.ratelimit import RateLimited

logger = logging.getLogger(__name__)

#: The session key holding the OAuth ``state`` of the connection under way.
STATE_KEY = "strava_oauth_state"
PROFILE_CARD = "site:profile"


def _back() -> HttpResponse:
    return redirect(reverse(PROFILE_CARD) + "#strava")


@require_POST
@site_page
def connect(request: HttpRequest) -> HttpResponse:
    """Send the athlete to Strava's consent page; ``state`` ties the callback to this session."""
    if not strava.configured():
        messages.error(request, _("Strava is not configured on this server."))
        return _back()
    state = secrets.token_urlsafe(24)
    request.session[STATE_KEY] = state
    return redirect(strava.authorize_url(request.build_absolute_uri(reverse("strava:callback")), state))


@site_page
def callback(request: HttpRequest) -> HttpResponse:
    """Strava's redirect back: the code is exchanged only for the session that asked for it."""
    expected = request.session.pop(STATE_KEY, None)
    state = request.GET.get("state", "")
    if not expected or not hmac.compare_digest(str(expected), state):
        messages.error(request, _("This Strava connection was not started here, or has expired: try again."))
        return _back()
    if request.GET.get("error") or not request.GET.get("code"):
        messages.error(request, _("Strava did not authorise Foulée."))
        return _back()
    try:
        connection = services.connect(viewer(request), request.GET["code"], request.GET.get("scope", ""))
    except services.ConnectError as error:
        messages.error(request, _("Strava connection failed: %(reason)s") % {"reason": error})
        return _back()
    messages.success(request, _("Strava connected: your history is being imported."))
    if settings.STRAVA_BACKFILL_IN_THREAD:
        services.start_backfill(connection.user_id)
    return _back()


@require_POST
@site_page
def disconnect(request: HttpRequest) -> HttpResponse:
    deleted = services.disconnect(viewer(request))
    messages.success(
        request, _("Strava disconnected; %(count)d activities from Strava deleted.") % {"count": deleted}
    )
    return _back()


@csrf_exempt
@require_http_methods(["GET", "POST"])
def webhook(request: HttpRequest) -> HttpResponse:
    """Strava's push subscription: the GET handshake echoes ``hub.challenge`` for the right verify
    token; a POST is one event, applied now. A create Strava cannot serve now gets a 503, and
    Strava sends it again."""
    if request.method == "GET":
        token = settings.STRAVA_WEBHOOK_VERIFY_TOKEN or ""
        given = request.GET.get("hub.verify_token", "")
        if request.GET.get("hub.mode") != "subscribe" or not token or not hmac.compare_digest(token, given):
            return HttpResponse(status=403)
        return JsonResponse({"hub.challenge": request.GET.get("hub.challenge", "")})
    try:
        event = json.loads(request.body)
    except ValueError:
        return HttpResponseBadRequest("not JSON")
    if not isinstance(event, dict):
        return HttpResponseBadRequest("not an event")
    try:
        done = services.handle_event(event)
    except (RateLimited, strava.StravaUnavailable) as error:
        logger.warning("Strava event %s postponed: %s", event.get("object_id"), error)
        return HttpResponse(status=503)
    except strava.StravaRevoked:
        return HttpResponse(status=200)
    logger.info("Strava event %s %s: %s", event.get("aspect_type"), event.get("object_id"), done)
    return HttpResponse(status=200)
