#!/usr/bin/env python3
"""Set up and drive Foulée on a fresh machine with nothing but Python 3.11+.

    python3 dev.py run     create .venv, install Foulée, serve it on the embedded defaults
    python3 dev.py test    create .venv, install Foulée and its dev tools, lint, run the
                           test suite on SQLite and again on PostgreSQL
    python3 dev.py lint    ruff, mypy and the import contracts (lint-imports) only
    python3 dev.py bench   run the benchmarks (minutes; never part of the tests)
    python3 dev.py lock    re-resolve the dependencies into constraints.txt

Only the standard library is used here, so this file runs before anything is installed.
Installs are pinned by constraints.txt, the versions CI tested, and skipped when
nothing changed since the last one.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
CONSTRAINTS = ROOT / "constraints.txt"
#: The PostgreSQL server the second test run uses; the suite creates and drops its own database there.
POSTGRES_URL = os.environ.get("FOULEE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
#: The browser the web app's browser tests drive (tests/browser): Debian's, never a download.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_PACKAGES = ("chromium", "chromium-driver")


def run(*command: str | Path, env: dict[str, str] | None = None) -> int:
    return subprocess.call([str(part) for part in command], cwd=ROOT, env=env)


def check(*command: str | Path) -> None:
    code = run(*command)
    if code:
        sys.exit(code)


def ensure_installed(extras: str = "") -> None:
    """Create .venv and install the project into it, unless it is already up to date."""
    if sys.version_info < (3, 11):  # noqa: UP036 (this file runs on whatever python3 is)
        sys.exit(f"Foulée needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        print(f"Creating {VENV.relative_to(ROOT)} …", flush=True)
        venv.create(VENV, with_pip=True)
        check(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    fingerprint = hashlib.sha256()
    for path in (ROOT / "pyproject.toml", CONSTRAINTS):
        fingerprint.update(path.read_bytes())
    fingerprint.update(extras.encode())
    stamp = VENV / f".installed-{fingerprint.hexdigest()[:16]}"
    if stamp.exists():
        return
    target = f".[{extras}]" if extras else "."
    print(
        f"Installing Foulée{f' with {extras}' if extras else ''} into .venv "
        "(the first time takes several minutes; one line per package) …",
        flush=True,
    )
    pip_install("--constraint", CONSTRAINTS, "--editable", target)
    for old in VENV.glob(".installed-*"):
        old.unlink()
    stamp.touch()


def pip_progress(line: str, seen: int) -> tuple[str | None, int]:
    """What to print for one line of pip's output, and the packages seen so far.

    pip says a great deal or (with --quiet) nothing for minutes; this keeps one
    short line per package it resolves and one per stage, and drops the rest.
    """
    line = line.rstrip()
    if line.startswith("Collecting "):
        seen += 1
        return f"  [{seen}] {line.removeprefix('Collecting ').split(' ', 1)[0]}", seen
    if line.startswith("Building "):
        return f"  {line.split(' (', 1)[0].strip()} …", seen
    if line.startswith("Installing collected packages"):
        return f"  Installing {line.count(',') + 1} packages …", seen
    if line.startswith("Successfully installed"):
        return f"  Installed {len(line.split()) - 2} packages.", seen
    if line.startswith(("ERROR", "error:")):
        return line, seen
    return None, seen


def pip_install(*args: str | Path) -> None:
    """Run pip install with a line per package on stdout (its warnings and errors stay on stderr)."""
    command = [str(PYTHON), "-m", "pip", "install", "--progress-bar", "off", *map(str, args)]
    seen = 0
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, bufsize=1) as pip:
        for line in pip.stdout or ():
            shown, seen = pip_progress(line, seen)
            if shown is not None:
                print(shown, flush=True)
    if pip.returncode:
        sys.exit(pip.returncode)


def cmd_run(args: list[str]) -> int:
    ensure_installed()
    return run(BIN / "foulee", "run", *args)


def cmd_lint(args: list[str]) -> int:
    ensure_installed("dev")
    for command in (
        (BIN / "ruff", "check", "."),
        (BIN / "ruff", "format", "--check", "."),
        (BIN / "mypy", "."),
        # The layers' contracts in pyproject.toml ([tool.importlinter]; docs/architecture.md).
        (BIN / "lint-imports",),
    ):
        print(
            f"$ {' '.join(str(part.name) if isinstance(part, Path) else part for part in command)}",
            flush=True,
        )
        code = run(*command)
        if code:
            return code
    return 0


def postgres_reachable() -> str | None:
    """None when the test server answers, else the reason it does not."""
    probe = f"import psycopg; psycopg.connect({POSTGRES_URL!r}, connect_timeout=3).close()"
    result = subprocess.run([str(PYTHON), "-c", probe], capture_output=True, text=True, check=False)
    return None if result.returncode == 0 else (result.stderr.strip().splitlines() or ["unknown error"])[-1]


def ensure_chromium() -> None:
    """Install Debian's chromium for the browser tests (tests/browser), unless it is there already.

    Playwright drives this system browser through ``executable_path``; ``playwright install``
    (a download from a CDN) is never used. Without apt, say what is needed and stop.
    """
    if CHROMIUM.exists():
        return
    apt = shutil.which("apt-get")
    if apt is None:
        sys.exit(
            f"The browser tests need {CHROMIUM}, and apt-get is not available to install it.\n"
            f"Install Debian's {' and '.join(CHROMIUM_PACKAGES)} (or put a chromium at {CHROMIUM}) and retry."
        )
    packages = " and ".join(CHROMIUM_PACKAGES)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print(f"Installing Debian's {packages} for the browser tests (apt-get) …", flush=True)
    apt_env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (
        [*sudo, apt, "update"],
        [*sudo, apt, "install", "-y", "--no-install-recommends", *CHROMIUM_PACKAGES],
    ):
        print(f"$ {' '.join(command)}", flush=True)
        if subprocess.call(command, env=apt_env):
            sys.exit(f"Installing {packages} failed: see apt-get's output above.")
    if not CHROMIUM.exists():
        sys.exit(f"apt-get finished but {CHROMIUM} is still missing.")


def cmd_test(args: list[str]) -> int:
    lint = cmd_lint([])
    if lint:
        return lint
    ensure_chromium()
    base_env = {
        key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "FOULEE_DATA_DIR"}
    }

    print("\n=== Test suite on SQLite ===", flush=True)
    code = run(PYTHON, "-m", "pytest", *args, env=base_env)
    if code:
        return code

    print("\n=== Test suite on PostgreSQL ===", flush=True)
    reason = postgres_reachable()
    if reason is not None:
        banner = "!" * 78
        print(
            f"\n{banner}\n!! PostgreSQL at {POSTGRES_URL} cannot be reached: {reason}\n"
            f"!! THE POSTGRESQL RUN OF THE TEST SUITE WAS SKIPPED.\n"
            f"!! Start PostgreSQL or set FOULEE_TEST_POSTGRES_URL to run it.\n{banner}",
            file=sys.stderr,
            flush=True,
        )
        # In CI the PostgreSQL run is required, never skipped.
        return 1 if os.environ.get("CI") else 0
    server, _, _ = POSTGRES_URL.rpartition("/")
    # Only the tests that reach a database run again (tests/conftest.py deselects the others).
    pg_env = {**base_env, "DATABASE_URL": f"{server}/foulee_{os.getpid()}", "FOULEE_TEST_DATABASE_ONLY": "1"}
    return run(PYTHON, "-m", "pytest", *args, env=pg_env)


#: Each benchmark with its arguments; `python3 dev.py bench NAME` runs the ones whose name starts so.
BENCHMARKS = {
    "sync-sqlite": ("bench.sync_throughput", "--backend", "sqlite", "--activities", "200000"),
    "sync-postgres": ("bench.sync_throughput", "--backend", "postgres", "--activities", "200000"),
    "queries-sqlite": ("bench.analytics_queries", "--backend", "sqlite", "--activities", "1000000"),
    "queries-postgres": ("bench.analytics_queries", "--backend", "postgres", "--activities", "1000000"),
    "import": ("bench.import_files",),
    "kb": ("bench.kb_eval",),
    "bot": ("bench.bot_throughput",),
    "agent": ("bench.agent_latency",),
    "coach-cost": ("bench.coach_cost",),
    "llm-coach": ("bench.llm_coach",),
    "web": ("bench.web_pages",),
    "api": ("bench.api_load",),
}


def cmd_bench(args: list[str]) -> int:
    ensure_installed("dev")
    chosen = [name for name in BENCHMARKS if not args or any(name.startswith(arg) for arg in args)]
    for name in chosen:
        module, *options = BENCHMARKS[name]
        print(f"\n=== {name} ===", flush=True)
        code = run(PYTHON, "-m", module, *options)
        if code:
            return code
    return 0


def cmd_lock(args: list[str]) -> int:
    """Resolve the newest versions allowed by pyproject.toml in a clean venv and pin them."""
    with tempfile.TemporaryDirectory() as scratch:
        scratch_venv = Path(scratch) / "venv"
        venv.create(scratch_venv, with_pip=True)
        python = scratch_venv / BIN.name / "python"
        check(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        check(python, "-m", "pip", "install", "--quiet", f"{ROOT}[dev]")
        frozen = subprocess.run(
            [str(python), "-m", "pip", "freeze", "--exclude", "foulee"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    header = (
        "# The versions CI tested, for `pip install --constraint constraints.txt`.\n"
        "# Regenerate with `python3 dev.py lock` after changing dependencies in pyproject.toml.\n"
    )
    CONSTRAINTS.write_text(header + frozen, encoding="utf-8")
    print(f"Wrote {CONSTRAINTS.name} ({len(frozen.splitlines())} pins).")
    return 0


COMMANDS = {"run": cmd_run, "test": cmd_test, "lint": cmd_lint, "bench": cmd_bench, "lock": cmd_lock}


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__)
        return 2
    return COMMANDS[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
