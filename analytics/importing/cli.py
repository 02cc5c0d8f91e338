"""The `foulee import` sub-command. Not built yet (see the import issue)."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(commands: argparse._SubParsersAction[Any]) -> None:
    stub = commands.add_parser("import", help="not built yet: import", add_help=False)
    stub.add_argument("rest", nargs=argparse.REMAINDER)
    stub.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    print("error: `foulee import` is not built yet: see the import issue.", file=sys.stderr)
    return 2
