"""Shared fixtures: a fixed time zone, a frozen Monday, throwaway databases, the CLI.

``CEODESK_TEST_TODAY`` moves the wall clock for the whole session (it keeps ticking), to
prove nothing depends on the day the suite runs: ``2026-12-31T15:00`` is read as UTC,
``2027-03-28T01:30 Europe/Berlin`` in that zone. CLI subprocesses travel with it.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import demo_files
import pytest
import time_machine
from clock_travel import NOW, TRAVEL_VARIABLE, travel_destination

from ceodesk.core.domain.settings import seed_defaults
from ceodesk.core.kernel.clock import frozen_clock
from ceodesk.core.store.db import Database, open_database

# A sentence ends at ".", "!" or "?" followed by whitespace or the end ("ceodesk.db" does not).
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
# sitecustomize.py there travels a subprocess's clock to the session's (see cli_env).
_SUBPROCESS_TRAVEL = Path(__file__).parent / "wall_clock"
_traveller: time_machine.travel | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _traveller
    text = os.environ.get(TRAVEL_VARIABLE, "")
    if text.strip():
        _traveller = time_machine.travel(travel_destination(text), tick=True)
        _traveller.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    global _traveller
    if _traveller is not None:
        _traveller.stop()
        _traveller = None


def pytest_report_header(config: pytest.Config) -> str | None:
    if _traveller is None:
        return None
    return f"wall clock travelled to {datetime.now(UTC):%Y-%m-%d %H:%M} UTC ({TRAVEL_VARIABLE})"


@pytest.fixture(autouse=True)
def _fixed_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every test sees UTC and never touches the real user's data folder."""
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.delenv("CEODESK_DB", raising=False)


@pytest.fixture(autouse=True)
def _no_frozen_garbage(monkeypatch: pytest.MonkeyPatch) -> None:
    """One process runs many apps here: none freezes what is alive once it has started
    (the real app does, see CeodeskApp._keep_startup_objects), or each test's leftovers
    would stay for the rest of the run."""
    from ceodesk.ui.app import CeodeskApp

    monkeypatch.setattr(CeodeskApp, "freeze_after_start", False)
    monkeypatch.setattr(CeodeskApp, "collect_when_idle", False)  # gc thresholds are global


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "ceodesk.db"


def _seeded(path: Path) -> None:
    open_database(path, seed=seed_defaults, clock=frozen_clock(NOW)).close()


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    """A new seeded database file (you, a Leadership team, default categories, UTC), as
    ``open_database(db_path, seed=seed_defaults)`` makes it: made once per worker and
    copied (tests/demo_files.py), then opened. Making one runs every table's DDL and the
    seed, ~40 ms of CPU, in hundreds of tests; tests/core/test_db.py makes its own."""
    demo_files.copy_of(db_path, ("seeded", NOW), _seeded)
    database = open_database(db_path, seed=seed_defaults, clock=frozen_clock(NOW))
    try:
        yield database
    finally:
        database.close()


@pytest.fixture(scope="session", autouse=True)
def _demo_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The folder of the files demo_files writes once per worker (pytest-xdist process)."""
    demo_files.start(tmp_path_factory.mktemp("templates"))
    yield
    demo_files.stop()


def is_one_sentence(message: str) -> bool:
    """One sentence: a single sentence end, at the very end, and on one line."""
    text = message.strip()
    return "\n" not in text and len(_SENTENCE_END.findall(text)) == 1 and text[-1] in ".!?"


@pytest.fixture
def one_sentence() -> Callable[[str], bool]:
    return is_one_sentence


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a user with an empty home in tmp_path, on UTC."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CEODESK_DB", "XDG_DATA_HOME", "HOME", "TZ", TRAVEL_VARIABLE}
    }
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), TZ="UTC")
    if _traveller is not None:  # the CLI sees the session's travelled day too
        env[TRAVEL_VARIABLE] = datetime.now(UTC).isoformat()
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(_SUBPROCESS_TRAVEL), env.get("PYTHONPATH", "")) if p
        )
    return env


@pytest.fixture
def run_cli(
    cli_env: dict[str, str], tmp_path: Path
) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run ``python -m ceodesk ARGS`` as a user would, with no stdin."""

    def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "ceodesk", *args],
            env={**cli_env, **(env or {})},
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
        )

    return run


@pytest.fixture
def run_main(
    cli_env: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Callable[..., subprocess.CompletedProcess[str]]:
    """``ceodesk ARGS`` in this process: ``cli.main`` as ``python -m ceodesk`` calls it,
    in run_cli's environment (empty home, UTC, no stdin, tmp_path as the working folder),
    its exit status and output as run_cli returns them. For the cases of a command whose
    entry point a run_cli test of the same command and exit status already proves: a
    subprocess costs a Python start-up (~0.4 s) each. An exception the CLI lets out fails
    the test (a subprocess would print a traceback)."""
    from ceodesk import cli

    def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        wanted = {**cli_env, **(env or {})}
        with monkeypatch.context() as patch:
            for key in ("CEODESK_DB", "XDG_DATA_HOME", "HOME", "TZ"):
                if key in wanted:
                    patch.setenv(key, wanted[key])
                else:
                    patch.delenv(key, raising=False)
            patch.chdir(tmp_path)
            patch.setattr(sys, "stdin", io.StringIO(""))
            capsys.readouterr()  # what the test printed before is not the command's
            try:
                code = cli.main(list(args))
            except SystemExit as exit:  # argparse's usage errors and --help
                code = exit.code if isinstance(exit.code, int) else 0 if exit.code is None else 1
            out, err = capsys.readouterr()
        return subprocess.CompletedProcess(list(args), code, out, err)

    return run
