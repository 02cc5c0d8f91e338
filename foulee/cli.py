"""The `foulee` command: one entry point for running, seeding and administering Foulée.

Each sub-command is a thin shell over a service; nothing here holds business logic.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from web.demo.world import DemoAccount

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: The longest life a token can be given: ten years; "0 days" or "-1" is refused, not defaulted.
MAX_TOKEN_DAYS = 3650

#: Packages that add their own sub-commands: each has ``cli.register(commands)``.
#: Their modules import nothing heavy at the top, so ``foulee --help`` stays fast.
COMMAND_PACKAGES = ("analytics.importing", "knowledge", "agent", "bot", "web.strava")


class StartupError(Exception):
    """A store the command needs cannot be used: ``main`` prints each problem on one line, exits 2."""

    def __init__(self, problems: Sequence[object]) -> None:
        super().__init__("; ".join(map(str, problems)))
        self.problems = list(problems)


def setup_django(*, migrate: bool = True) -> None:
    """Check both stores, configure Django, and bring their schemas and the data dir up to date.

    A URL that cannot be parsed is caught before Django reads it, a store that
    does not answer before anything is migrated: either raises
    :class:`StartupError`, which names the setting to fix.
    """
    from foulee import stores

    problems = stores.url_problems()
    if problems:
        raise StartupError(problems)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web.settings")
    import django

    from analytics import db

    django.setup()
    db.create_sqlite_dir()
    problems = [problem for problem in (stores.database_problem(), stores.analytics_problem()) if problem]
    if problems:
        raise StartupError(problems)
    if migrate:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        db.upgrade()


def _sync() -> str:
    """The sync's line of the banner: what the store holds, then what this sync did."""
    from analytics.sync import store_totals, sync

    report = sync()
    return f"{store_totals().summary()}; this sync: {report.summary()}"


def _print_accounts(accounts: Sequence[DemoAccount]) -> None:
    from web.demo.athletes import DEMO_PASSWORD

    width = max(len(account.email) for account in accounts)
    print(f"Demo accounts (password for all: {DEMO_PASSWORD})")
    for account in accounts:
        state = "created" if account.created else "already there"
        detail = f", {account.activities} activities" if account.role == "athlete" else ""
        print(f"  {account.email:<{width}}  {account.role:<7}  {account.full_name} ({state}{detail})")


def cmd_demo(args: argparse.Namespace) -> int:
    setup_django()
    from web.demo.world import load_demo

    today = dt.date.fromisoformat(args.today) if args.today else None
    _print_accounts(load_demo(today))
    print(f"Analytics: {_sync()}.")
    from agent.warmup import warm_up

    print(f"Coach: ready ({warm_up():.1f} s to load its models).")
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    setup_django()
    print(f"Analytics: {_sync()}.")
    from agent.warmup import warm_up

    print(f"Coach: ready ({warm_up():.1f} s to load its models).")
    return 0


def _check_rate_limit_store() -> None:
    """A malformed ``FOULEE_REDIS_URL`` stops the start; a Redis that is down is only a warning."""
    from foulee import stores

    problem = stores.limiter_problem()
    if problem:
        raise StartupError([problem])
    problem = stores.redis_problem()
    if problem:
        print(
            f"foulee: warning: {problem}; rate limits let requests through until it answers.", file=sys.stderr
        )


def cmd_run(args: argparse.Namespace) -> int:
    setup_django()
    _check_rate_limit_store()
    from foulee.config import get_settings
    from web.accounts.models import User

    settings = get_settings()
    if not args.no_demo and not User.objects.exists():
        from web.demo.world import load_demo

        print("First run: loading the demo world.")
        _print_accounts(load_demo())
    # Catch up on anything written while no server was running (imports, edits by hand).
    print(f"Analytics: {_sync()}.")
    from agent.warmup import warm_up

    print(f"Coach: ready ({warm_up():.1f} s to load its models).")
    url = f"http://{args.host}:{args.port}"
    print(f"Foulée is serving the web app at {url}/ (data in {settings.resolved_data_dir}).")
    print(f"Coaches also have the admin at {url}/admin/.")
    print(f"The API is at {url}/v1/ (docs at {url}/docs); `foulee token create --user EMAIL` issues tokens.")
    print("The Telegram bot runs on its own: set TELEGRAM_BOT_TOKEN and start `foulee bot`.")
    import uvicorn

    from foulee.server import uvicorn_options

    uvicorn.run(
        "web.asgi:application", host=args.host, port=args.port, log_level="info", **uvicorn_options(settings)
    )
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    setup_django()
    from web.accounts.retention import purge

    for result in purge(apply=args.apply):
        print(f"{result.rule.name}: {result.outcome} ({result.rule.description})")
    if not args.apply:
        print("Nothing was deleted or sent: run `foulee purge --apply` to apply these.")
    return 0


def _celery_argv(command: str, args: argparse.Namespace) -> list[str]:
    from foulee.config import get_settings

    settings = get_settings()
    if not settings.broker_url:
        raise StartupError(
            [
                f"`foulee {command}` needs FOULEE_BROKER_URL (redis://HOST:6379/1 or amqp://HOST:5672//); "
                "without one, `foulee run` runs every job in-process"
            ]
        )
    return [command, "--loglevel", args.loglevel]


def cmd_worker(args: argparse.Namespace) -> int:
    argv = _celery_argv("worker", args)
    setup_django()
    from foulee.config import get_settings
    from web.jobs.celery_app import app

    queue = get_settings().jobs_queue
    options = [
        "--queues",
        queue,
        "--concurrency",
        str(args.concurrency),
        "--without-gossip",
        "--without-mingle",
    ]
    app.worker_main([*argv, *options])
    return 0


def cmd_beat(args: argparse.Namespace) -> int:
    argv = _celery_argv("beat", args)
    setup_django(migrate=False)
    from foulee.config import get_settings
    from web.jobs.celery_app import app

    schedule = get_settings().resolved_data_dir / "celerybeat-schedule"
    app.start([*argv, "--schedule", str(schedule)])
    return 0


def cmd_datamodel(args: argparse.Namespace) -> int:
    setup_django()
    from web import datamodel

    current = datamodel.DOCUMENT.read_text(encoding="utf-8")
    if args.check:
        stale = datamodel.stale_sections(current)
        if stale:
            print(
                f"error: docs/data-model.md is out of date ({', '.join(stale)}): run `foulee datamodel`",
                file=sys.stderr,
            )
            return 1
        print("docs/data-model.md matches the models.")
        return 0
    datamodel.DOCUMENT.write_text(datamodel.render(current), encoding="utf-8")
    print(f"wrote {datamodel.DOCUMENT}")
    return 0


def cmd_token_create(args: argparse.Namespace) -> int:
    setup_django()
    from web.accounts.models import ApiToken, User, normalise_email

    user = User.objects.filter(email=normalise_email(args.user), is_active=True).first()
    if user is None:
        print(f"error: no active user with the email {args.user}", file=sys.stderr)
        return 1
    token, secret = ApiToken.issue(user, args.name, dt.timedelta(days=args.days))
    print(secret)
    print(
        f"Token '{token.name}' for {user.email}, expires {token.expires_at:%Y-%m-%d}. "
        "Keep it now: it is not stored and cannot be shown again.",
        file=sys.stderr,
    )
    return 0


def _token_days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of days: {text!r}") from None
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_TOKEN_DAYS} days, not {days}")
    return days


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="foulee", description="Foulée, the running coach in a chat.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="serve the web app and the HTTP API on the embedded defaults")
    run.add_argument("--host", default=DEFAULT_HOST)
    run.add_argument("--port", type=int, default=DEFAULT_PORT)
    run.add_argument(
        "--no-demo", action="store_true", help="do not load the demo world into an empty database"
    )
    run.set_defaults(handler=cmd_run)

    demo = commands.add_parser("demo", help="create the demo coach and athletes (idempotent)")
    demo.add_argument("--today", help="end the generated history the day before this date (YYYY-MM-DD)")
    demo.set_defaults(handler=cmd_demo)

    sync = commands.add_parser(
        "sync", help="bring the analytics store up to date (incremental; safe to repeat)"
    )
    sync.set_defaults(handler=cmd_sync)

    model = commands.add_parser(
        "datamodel", help="for developers: regenerate the diagrams of docs/data-model.md from the models"
    )
    model.add_argument("--check", action="store_true", help="only say whether they are up to date")
    model.set_defaults(handler=cmd_datamodel)

    purge = commands.add_parser(
        "purge",
        help="delete what is past its retention period, warn inactive athletes (counts only, unless --apply)",
    )
    purge.add_argument("--apply", action="store_true", help="delete and warn, instead of counting")
    purge.set_defaults(handler=cmd_purge)

    worker = commands.add_parser(
        "worker", help="run background jobs (imports, sync, purge) from FOULEE_BROKER_URL's queue"
    )
    worker.add_argument("--concurrency", type=int, default=2, help="worker processes (default 2)")
    worker.add_argument("--loglevel", default="info")
    worker.set_defaults(handler=cmd_worker)
    beat = commands.add_parser("beat", help="queue the periodic jobs: the sync, the daily purge")
    beat.add_argument("--loglevel", default="info")
    beat.set_defaults(handler=cmd_beat)

    token = commands.add_parser("token", help="manage API tokens")
    token_commands = token.add_subparsers(dest="token_command", required=True, metavar="ACTION")
    create = token_commands.add_parser("create", help="issue a token and print it once")
    create.add_argument("--user", required=True, help="the email of the token's owner")
    create.add_argument("--name", default="cli", help="what the token is for")
    create.add_argument(
        "--days",
        type=_token_days,
        default=90,
        help=f"days until it expires, 1 to {MAX_TOKEN_DAYS} (default 90)",
    )
    create.set_defaults(handler=cmd_token_create)

    for package in COMMAND_PACKAGES:
        importlib.import_module(f"{package}.cli").register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from foulee.filemodes import keep_files_private

    keep_files_private()
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except StartupError as error:
        for problem in error.problems:
            print(f"foulee: {problem}", file=sys.stderr)
        return 2
