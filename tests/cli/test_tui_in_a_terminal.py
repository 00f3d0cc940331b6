"""`ceodesk` in a real pseudo-terminal: keys as a terminal sends them, in one burst."""

from __future__ import annotations

import os
import select
import signal
import struct
import sys
import time
import weakref
from pathlib import Path

import pytest

pty = pytest.importorskip("pty")
fcntl = pytest.importorskip("fcntl")
termios = pytest.importorskip("termios")

# How long the app may take to show what a step waits for (a loaded CI machine): a
# deadline for a wait, not a timing the test checks.
PATIENCE = 60.0


def _end_child(pid: int) -> None:
    """A child a failed test left running: killed, not left to spin on (a ceodesk whose
    terminal closed ran on at 62% CPU for half an hour)."""
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


class Terminal:
    """ceodesk running in a pseudo-terminal of 100x30, its output read as it comes."""

    def __init__(self, db: Path) -> None:
        env = dict(os.environ, TERM="xterm-256color", COLUMNS="100", LINES="30")
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the command a user types
            os.execve(sys.executable, [sys.executable, "-m", "ceodesk", "--db", str(db)], env)
        self.started()

    def started(self) -> None:
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.output = b""
        # Killed when the test lets go of it (or the worker ends) without having seen it end.
        self.ended = weakref.finalize(self, _end_child, self.pid)

    def read_until(self, wanted: bytes, since: int = 0) -> None:
        """Until ``wanted`` shows in the output from byte ``since`` on (a mark taken
        before a key, so a sight of it from before the key does not count)."""
        deadline = time.monotonic() + PATIENCE
        while wanted not in self.output[since:]:
            if time.monotonic() > deadline:
                raise AssertionError(f"never showed {wanted!r}: {self.output[-2000:]!r}")
            self._read(0.1)

    def _read(self, wait: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], wait)
        if ready:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:  # the child has gone and closed the terminal
                return False
            self.output += chunk
            return bool(chunk)
        return True

    def type(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def exit_status(self) -> int:
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            self._read(0.1)
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.ended.detach()
                while self._read(0.05):
                    pass
                return os.waitstatus_to_exitcode(status)
        os.kill(self.pid, signal.SIGKILL)
        raise AssertionError(f"the app did not exit: {self.output[-2000:]!r}")


def test_keys_typed_right_after_q_do_not_stop_the_app_on_an_error(demo_db) -> None:
    # `6`, then `qr` in one burst: r (reschedule a carried-over task) used to open its
    # form while q closed the screens, and the app ended on a traceback with status 1.
    terminal = Terminal(Path(demo_db))
    terminal.read_until(b"Week")
    terminal.type(b"6")
    terminal.read_until(b"Friday review")
    terminal.type(b"qr")
    status = terminal.exit_status()
    assert b"Traceback" not in terminal.output and b"NoMatches" not in terminal.output
    assert status == 0


def test_a_new_file_opens_on_an_empty_desk_that_says_so(tmp_path) -> None:
    # A mistyped --db (or the first use) made an empty desk without a word: it looked
    # as if every task were gone.
    new = tmp_path / "typo.db"
    terminal = Terminal(new)
    terminal.read_until(b"A new, empty desk")
    terminal.type(b"q")
    assert terminal.exit_status() == 0
    assert new.exists()


def test_an_existing_file_opens_without_the_welcome(demo_db) -> None:
    terminal = Terminal(Path(demo_db))
    terminal.read_until(b"Week")
    terminal.type(b"q")
    assert terminal.exit_status() == 0
    assert b"A new, empty desk" not in terminal.output
