"""The `foulee ask` sub-command: one message to the coach, as any channel would send it.

``foulee ask --user EMAIL [--json] TEXT`` prints the reply (or DESIGN.md's JSON
object); ``foulee ask --eval`` measures the offline router and the argument
extraction on the labelled set in ``agent/data/intents.yaml`` (held-out split)
and the production coach on the blind set in ``agent/evalset/``, one table;
``foulee ask --dev [tune|check]`` prints the same production figures on a half of the
development set in ``agent/devset/``, with its errors listed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agent.evaluation import Metric


def register(commands: argparse._SubParsersAction[Any]) -> None:
    ask = commands.add_parser("ask", help="ask the coach something, as an athlete (or their coach)")
    ask.add_argument("text", nargs="*", help="the message, in French or English")
    ask.add_argument("--user", help="the email of who is asking")
    ask.add_argument("--athlete", help="for a coach: the email of the athlete asked about")
    ask.add_argument("--json", action="store_true", help='print {"reply", "language", "tool_calls"}')
    ask.add_argument("--channel", default="api", choices=("api", "web", "telegram"), help="default: api")
    ask.add_argument("--charts", type=Path, metavar="DIR", help="write the reply's charts (PNG) into DIR")
    ask.add_argument(
        "--eval",
        action="store_true",
        help="measure the coach on its labelled set and on the blind evaluation set, then exit",
    )
    ask.add_argument(
        "--dev",
        nargs="?",
        const="tune",
        choices=("tune", "check"),
        help="measure the coach on a half of the development set (default: tune), list its errors, exit",
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
    if args.dev:
        return _evaluate_dev(args.dev)
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
    from agent.evaluation import Metric, evaluate_all, evaluate_evalset
    from agent.router import default_cache_dir

    intents, arguments = evaluate_all(cache_dir=default_cache_dir())
    own = "data/intents.yaml"
    rows = [
        Metric(
            f"intent (held-out split; trained on {intents.train_size}, {intents.ruled} by keyword rules)",
            own,
            intents.held_out_size - len(intents.errors),
            intents.held_out_size,
        ),
        Metric(
            "arguments (exact, per utterance)", own, arguments.cases - len(arguments.errors), arguments.cases
        ),
        *evaluate_evalset(),
    ]
    print(format_table(rows))
    print("(evalset: written blind, never trained on; its errors are not listed, nobody tunes on it)")
    if intents.errors:
        print(f"{own} held-out errors:")
    for text, expected, predicted in intents.errors:
        print(f"  {text!r}: expected {expected}, got {predicted}")
    if arguments.errors:
        print(f"{own} argument errors:")
    for text, expected_args, found in arguments.errors:
        print(f"  {text!r}: expected {expected_args}, got {found}")
    return 0


def _evaluate_dev(half: str) -> int:
    """The --eval figures of the production coach on one half of agent/devset/, then its errors."""
    from agent.evaluation import DEVSET_DIR, evaluate_evalset

    rows = evaluate_evalset(directory=DEVSET_DIR / half)
    print(format_table(rows))
    for row in rows:
        if row.errors:
            print(f"{row.source} {row.name} errors:")
        for error in row.errors:
            print(f"  {error}")
    return 0


def format_table(rows: list[Metric]) -> str:
    """One line a metric: the set it comes from, its name, right/total and the rate (or why not yet)."""
    source_width = max(len("set"), *(len(row.source) for row in rows))
    name_width = max(len("metric"), *(len(row.name) for row in rows))
    lines = [f"{'set':<{source_width}}  {'metric':<{name_width}}  {'right/total':>11}  rate"]
    for row in rows:
        if row.unmeasurable is not None:
            figures = f"{'-':>11}  not measurable yet: {row.unmeasurable}"
        else:
            rate = row.rate
            figures = f"{f'{row.right}/{row.total}':>11}  " + ("-" if rate is None else f"{rate:.1%}")
        lines.append(f"{row.source:<{source_width}}  {row.name:<{name_width}}  {figures}")
    return "\n".join(lines)
