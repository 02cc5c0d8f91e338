"""The `foulee kb` sub-command. Not built yet (see the knowledge issue)."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(commands: argparse._SubParsersAction[Any]) -> None:
    stub = commands.add_parser("kb", help="not built yet: knowledge", add_help=False)
    stub.add_argument("rest", nargs=argparse.REMAINDER)
    stub.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    print("error: `foulee kb` is not built yet: see the knowledge issue.", file=sys.stderr)
    return 2
