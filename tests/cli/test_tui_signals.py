"""The app ended by a signal: a closed terminal (SIGHUP) or ``kill`` (SIGTERM).

It ends as ``q`` ends it (the terminal restored, the database closed, the ``--demo``
folder removed), with the status of a program stopped by that signal (128 + its number,
as a shell reports it: never 0, never a crash's 1), and nothing committed is lost. The
pseudo-terminal harness is test_tui_in_a_terminal's.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
import time
from pathlib import Path

import pytest
from test_tui_in_a_terminal import PATIENCE, Terminal, pty

pytestmark = pytest.mark.slow


class Program(Terminal):
    """``python -m ceodesk ARGS`` in a pseudo-terminal of 100x30, with ``env`` added."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        full = dict(os.environ, TERM="xterm-256color", COLUMNS="100", LINES="30", **(env or {}))
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(sys.executable, [sys.executable, "-m", "ceodesk", *args], full)
        self.started()

    def close_terminal(self) -> int:
        """Close the terminal as a closed window does (the kernel sends SIGHUP), then
        wait for the program to end; its exit status."""
        os.close(self.fd)
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.ended.detach()
                return os.waitstatus_to_exitcode(status)
            time.sleep(0.05)  # polling for the end, not a timing the test checks
        os.kill(self.pid, signal.SIGKILL)
        raise AssertionError("the app did not end when its terminal closed")


@pytest.fixture
def temp_folder(tmp_path) -> Path:
    """The TMPDIR of the app, so its demo folder can be seen."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    return folder


def _demo(temp_folder: Path) -> Program:
    program = Program("--demo", env={"TMPDIR": str(temp_folder)})
    program.read_until(b"Week")  # the first frame is drawn
    [demo_folder] = temp_folder.glob("ceodesk-demo-*")
    assert (demo_folder / "demo.db").exists()
    return program


def test_closing_the_terminal_ends_the_demo_and_removes_its_folder(temp_folder) -> None:
    program = _demo(temp_folder)
    assert program.close_terminal() == 128 + signal.SIGHUP
    assert list(temp_folder.iterdir()) == []


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM], ids=lambda s: s.name)
def test_a_signal_ends_the_demo_as_q_does(temp_folder, signum) -> None:
    program = _demo(temp_folder)
    os.kill(program.pid, signum)
    assert program.exit_status() == 128 + signum
    assert list(temp_folder.iterdir()) == []
    # The app left the terminal as it found it (the alternate screen closed, the cursor
    # shown) and printed nothing of a crash.
    output = program.output
    assert output.rfind(b"\x1b[?1049l") > output.rfind(b"\x1b[?1049h") > -1
    assert b"Traceback" not in program.output and b"unexpected error" not in program.output


def _titles(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return {title for (title,) in conn.execute("SELECT title FROM task")}
    finally:
        conn.close()


@pytest.mark.parametrize("how", ["terminal closed", "SIGTERM"])
def test_a_data_file_keeps_every_saved_change_when_the_app_is_ended_mid_edit(demo_db, how) -> None:
    path = Path(demo_db)
    program = Program("--db", str(path))
    program.read_until(b"Week")
    program.type(b"2")
    program.read_until(b"Unsorted (2)")
    program.type(b"n")
    program.read_until(b"New task")
    program.type(b"Call the landlord\r")
    program.read_until(b"Unsorted (3)")  # saved: the list counts it
    mark = len(program.output)
    program.type(b"n")
    program.read_until(b"New task", since=mark)  # the second form, not the first
    program.type(b"Half typed")  # never saved: the form is still open
    program.read_until(b"Half typed")
    if how == "SIGTERM":
        os.kill(program.pid, signal.SIGTERM)
        assert program.exit_status() == 128 + signal.SIGTERM
    else:
        assert program.close_terminal() == 128 + signal.SIGHUP
    # The database was closed as q closes it: SQLite folded its log into the file and
    # removed it (a process killed mid-run leaves the -wal and -shm files behind).
    assert not path.with_name(path.name + "-wal").exists()
    assert not path.with_name(path.name + "-shm").exists()
    titles = _titles(path)
    assert "Call the landlord" in titles
    assert "Half typed" not in titles


def test_a_signal_while_the_demo_is_being_written_removes_its_folder(temp_folder) -> None:
    program = Program("--demo", env={"TMPDIR": str(temp_folder)})
    deadline = time.monotonic() + PATIENCE
    while not list(temp_folder.glob("ceodesk-demo-*")):  # writing the demo has begun
        assert time.monotonic() < deadline, program.output[-2000:]
        program._read(0.01)
    os.kill(program.pid, signal.SIGTERM)  # while writing it, or once the app runs
    assert program.exit_status() == 128 + signal.SIGTERM
    assert list(temp_folder.iterdir()) == []
    assert b"Traceback" not in program.output
