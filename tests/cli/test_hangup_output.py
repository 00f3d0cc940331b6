"""A closed terminal never leaves ceodesk stuck on output that can go nowhere."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest
from textual.drivers._writer_thread import MAX_QUEUED_WRITES, WriterThread

from ceodesk.cli import _keep_output_flowing

PATIENCE = 60.0  # a deadline for a wait on a loaded machine, not a timing the test checks


class ClosedTerminal:
    """A terminal that was closed: every write fails, as EIO does."""

    def write(self, text: str) -> int:
        raise OSError(5, "Input/output error")

    def flush(self) -> None:
        raise OSError(5, "Input/output error")


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_writes_after_the_writer_died_on_a_closed_terminal_do_not_wait_for_good() -> None:
    # The writer thread ends on its first failed write; then the app's writes fill its
    # queue and the next one waits for ever: the app never ended (seen in a full run,
    # a ceodesk spinning half an hour after its terminal closed).
    writer = WriterThread(ClosedTerminal())  # type: ignore[arg-type]
    writer.start()
    writer.write("the frame that met the closed terminal")
    writer.join(PATIENCE)
    assert not writer.is_alive()

    def the_app_writing() -> None:
        for _ in range(MAX_QUEUED_WRITES * 3):
            writer.write("a frame")
        writer.stop()  # the app closing: the stop sentinel, then the join

    app = threading.Thread(target=the_app_writing, daemon=True)
    app.start()
    app.join(0.5)
    assert app.is_alive()  # stuck on the full queue: what the hang-up finds
    _keep_output_flowing(SimpleNamespace(_writer_thread=writer))
    app.join(PATIENCE)
    assert not app.is_alive()


def test_a_driver_without_a_writer_thread_is_left_alone() -> None:
    _keep_output_flowing(SimpleNamespace())
    _keep_output_flowing(None)
