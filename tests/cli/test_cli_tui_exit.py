"""`ceodesk` with no command runs the TUI: its exit status says how it ended."""

from __future__ import annotations

import pytest

from ceodesk import cli
from ceodesk.core.kernel.errors import CeodeskError
from ceodesk.ui.app import CeodeskApp


@pytest.fixture
def headless(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the app without a terminal, as it would run in one."""
    original = CeodeskApp.run
    monkeypatch.setattr(CeodeskApp, "run", lambda self: original(self, headless=True))


def crash_on_mount(monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    def on_mount(self: CeodeskApp) -> None:
        raise error

    monkeypatch.setattr(CeodeskApp, "on_mount", on_mount)


def test_a_crash_in_the_app_exits_1_with_one_sentence(
    headless, monkeypatch, tmp_path, capsys
) -> None:
    crash_on_mount(monkeypatch, RuntimeError("boom"))
    assert cli.main(["--db", str(tmp_path / "x.db")]) == 1
    err = capsys.readouterr().err
    assert "ceodesk stopped on an unexpected error" in err


def test_a_refusal_that_ends_the_app_exits_2_without_a_traceback(
    headless, monkeypatch, tmp_path, capsys
) -> None:
    crash_on_mount(monkeypatch, CeodeskError("The database is busy."))
    assert cli.main(["--db", str(tmp_path / "x.db")]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "The database is busy."


def test_quitting_exits_0(headless, monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(CeodeskApp, "on_mount", lambda self: self.exit())
    assert cli.main(["--db", str(tmp_path / "x.db")]) == 0
