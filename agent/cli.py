"""The `foulee ask` sub-command: one message to the coach, as any channel would send it.

``foulee ask --user EMAIL [--json] TEXT`` prints the reply (or DESIGN.md's JSON
object); ``foulee ask --eval`` measures the offline router and the argument
extraction on the labelled set in ``agent/data/intents.yaml``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def register(commands: argparse._SubParsersAction[Any]) -> None:
    ask = commands.add_parser("ask", help="ask the coach something, as an athlete (or their coach)")
    ask.add_argument("text", nargs="*", help="the message, in French or English")
    ask.add_argument("--user", help="the email of who is asking")
    ask.add_argument("--athlete", help="for a coach: the email of the athlete asked about")
    ask.add_argument("--json", action="store_true", help='print {"reply", "language", "tool_calls"}')
    ask.add_argument("--channel", default="api", choices=("api", "web", "telegram"), help="default: api")
    ask.add_argument("--charts", type=Path, metavar="DIR", help="write the reply's charts (PNG) into DIR")
    ask.add_argument(
        "--eval", action="store_true", help="measure the offline router and argument extraction, then exit"
    )
    ask.add_argument(
        "--update-seed",
        action="store_true",
        help="for developers: rewrite the router's shipped embedding seed (agent/data/), then exit",
    )
    ask.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from foulee.cli import setup_django

    setup_django()
    if args.eval:
        return _evaluate()
    if args.update_seed:
        from agent.router import write_seed

        for path in write_seed():
            print(f"wrote {path}")
        return 0
    if not args.user or not args.text:
        print("error: foulee ask needs --user EMAIL and a message", file=sys.stderr)
        return 2
    from django.core.exceptions import PermissionDenied, ValidationError

    from agent.coach import Coach
    from web.accounts.models import User, normalise_email

    user = User.objects.filter(email=normalise_email(args.user), is_active=True).first()
    if user is None:
        print(f"error: no active user with the email {args.user}", file=sys.stderr)
        return 1
    athlete = None
    if args.athlete:
        athlete = User.objects.filter(email=normalise_email(args.athlete), is_active=True).first()
        if athlete is None:
            print(f"error: no active user with the email {args.athlete}", file=sys.stderr)
            return 1
    try:
        reply = Coach(charts=args.charts is not None).reply(
            user, " ".join(args.text), args.channel, athlete=athlete
        )
    except PermissionDenied:
        print(f"error: {args.user} may not read {args.athlete}'s data", file=sys.stderr)
        return 1
    except ValidationError as error:
        print(f"error: {' '.join(error.messages)}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(reply.to_json(), ensure_ascii=False))
    else:
        print(reply.reply)
    if args.charts is not None:
        args.charts.mkdir(parents=True, exist_ok=True)
        for attachment in reply.attachments:
            (args.charts / attachment.filename).write_bytes(attachment.data)
            print(f"chart: {args.charts / attachment.filename}", file=sys.stderr)
    return 0


def _evaluate() -> int:
    from agent.evaluation import evaluate_all
    from agent.router import default_cache_dir

    intents, arguments = evaluate_all(cache_dir=default_cache_dir())
    print(
        f"intent accuracy (held-out): {intents.accuracy:.1%} "
        f"({intents.held_out_size - len(intents.errors)}/{intents.held_out_size}; trained on "
        f"{intents.train_size}; {intents.ruled} decided by keyword rules)"
    )
    for text, expected, predicted in intents.errors:
        print(f"  {text!r}: expected {expected}, got {predicted}")
    print(
        f"argument extraction: {arguments.accuracy:.1%} "
        f"({arguments.cases - len(arguments.errors)}/{arguments.cases} utterances exactly right)"
    )
    for text, expected_args, found in arguments.errors:
        print(f"  {text!r}: expected {expected_args}, got {found}")
    return 0
