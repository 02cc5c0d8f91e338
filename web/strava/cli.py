"""`foulee strava subscribe --callback-url URL`: register the application's push subscription."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(commands: argparse._SubParsersAction[Any]) -> None:
    strava = commands.add_parser("strava", help="Strava: register the webhook's push subscription")
    actions = strava.add_subparsers(dest="strava_command", required=True, metavar="ACTION")
    subscribe = actions.add_parser(
        "subscribe",
        help="register this server's webhook with Strava (STRAVA_CLIENT_ID, STRAVA_CLIENT_SECRET, "
        "STRAVA_WEBHOOK_VERIFY_TOKEN)",
    )
    subscribe.add_argument(
        "--callback-url", required=True, help="the public URL of /strava/webhook/ on this server"
    )
    subscribe.set_defaults(handler=run_subscribe)


def run_subscribe(args: argparse.Namespace) -> int:
    from foulee.cli import setup_django

    setup_django()
    from django.conf import settings

    from web.strava import client, services
    from web.strava.ratelimit import RateLimited

    if not client.configured() or not settings.STRAVA_WEBHOOK_VERIFY_TOKEN:
        print(
            "foulee: set STRAVA_CLIENT_ID, STRAVA_CLIENT_SECRET and STRAVA_WEBHOOK_VERIFY_TOKEN first "
            "(docs/strava.md)",
            file=sys.stderr,
        )
        return 2
    try:
        subscription_id = services.subscribe(args.callback_url)
    except (client.StravaRevoked, client.StravaUnavailable, RateLimited) as error:
        print(f"foulee: Strava refused the subscription: {error}", file=sys.stderr)
        return 1
    print(f"subscribed: Strava push subscription {subscription_id} → {args.callback_url}")
    return 0
