"""The `foulee ask` sub-command. Not built yet (see the agent issue)."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(commands: argparse._SubParsersAction[Any]) -> None:
    stub = commands.add_parser("ask", help="not built yet: agent", add_help=False)
    stub.add_argument("rest", nargs=argparse.REMAINDER)
    stub.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    print("error: `foulee ask` is not built yet: see the agent issue.", file=sys.stderr)
    return 2
