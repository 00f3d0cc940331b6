"""The core never imports the UI: checked by importing it, and by reading it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import ceodesk.core

CORE = Path(ceodesk.core.__file__).parent
_UI_IMPORT = re.compile(r"^\s*(import\s+textual\b|from\s+textual\b)", re.MULTILINE)

_IMPORT_EVERYTHING = """
import importlib, pkgutil, sys
import ceodesk.core
names = ["ceodesk.core", "ceodesk.cli", "ceodesk.locations"]
names += [m.name for m in pkgutil.walk_packages(ceodesk.core.__path__, "ceodesk.core.")]
for name in names:
    importlib.import_module(name)
print(len(names))
leaked = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
assert not leaked, leaked
"""


@pytest.mark.slow
def test_importing_the_core_and_the_cli_does_not_load_textual():
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_EVERYTHING],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) > 10  # the walk really found the core modules


def test_no_core_source_file_imports_textual():
    offenders = [
        str(path.relative_to(CORE))
        for path in sorted(CORE.rglob("*.py"))
        if _UI_IMPORT.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_no_core_source_file_imports_the_ui_package():
    ui = re.compile(
        r"^\s*(import\s+ceodesk\.ui\b|from\s+ceodesk\.ui\b|from\s+ceodesk\s+import\s+ui\b)", re.M
    )
    offenders = [
        str(path.relative_to(CORE))
        for path in sorted(CORE.rglob("*.py"))
        if ui.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
