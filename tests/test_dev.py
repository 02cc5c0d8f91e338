"""dev.py's install progress: one line per package and per stage, never minutes of silence."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]

#: Lines as pip 25 prints them for an editable install with constraints.
PIP_OUTPUT = """\
Obtaining file:///work/foulee
  Installing build dependencies: started
Collecting django==5.2.8 (from foulee==0.1.0)
  Using cached django-5.2.8-py3-none-any.whl.metadata (4.1 kB)
Collecting fitdecode==0.10.0 (from foulee==0.1.0)
  Downloading fitdecode-0.10.0-py3-none-any.whl (41 kB)
Building wheels for collected packages: foulee
  Building editable for foulee (pyproject.toml): finished with status 'done'
Installing collected packages: fitdecode, django, foulee
Successfully installed django-5.2.8 fitdecode-0.10.0 foulee-0.1.0
"""


def load_dev() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev", ROOT / "dev.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_pip_output_becomes_one_line_per_package_and_stage() -> None:
    dev = load_dev()
    shown, seen = [], 0
    for line in PIP_OUTPUT.splitlines():
        text, seen = dev.pip_progress(line, seen)
        if text is not None:
            shown.append(text)
    assert shown == [
        "  [1] django==5.2.8",
        "  [2] fitdecode==0.10.0",
        "  Building wheels for collected packages: foulee …",
        "  Installing 3 packages …",
        "  Installed 3 packages.",
    ]


def test_errors_are_never_dropped() -> None:
    dev = load_dev()
    text, _ = dev.pip_progress("ERROR: No matching distribution found for nothing-here", 0)
    assert text == "ERROR: No matching distribution found for nothing-here"
