"""`ceodesk todos | head -1`: when the reader of the output goes away, the command stops
quietly (no "Broken pipe", no traceback) with the status of a tool stopped by SIGPIPE."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

from ceodesk.cli import OUTPUT_CLOSED


def run_into_closed_pipe(cli_env, tmp_path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI with its stdout a pipe whose reader is already gone: every write fails
    as it does once `head -1` has its line and exits."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        return subprocess.run(
            [sys.executable, "-m", "ceodesk", *args],
            env=cli_env,
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(writer)


def test_the_status_is_that_of_a_tool_stopped_by_sigpipe():
    assert OUTPUT_CLOSED == 128 + 13


@pytest.mark.parametrize(
    "command", [["todos"], ["todos", "--overdue"], ["minutes"], ["doctor"]], ids=" ".join
)
def test_a_listing_into_a_closed_pipe_stops_quietly(cli_env, tmp_path, demo_db, command):
    result = run_into_closed_pipe(cli_env, tmp_path, *command, "--db", str(demo_db))
    assert result.stderr == ""
    assert result.returncode == OUTPUT_CLOSED


def test_add_into_a_closed_pipe_still_stores_the_task(cli_env, tmp_path, demo_db):
    result = run_into_closed_pipe(
        cli_env, tmp_path, "add", "Call the auditor tomorrow !i", "--db", str(demo_db)
    )
    assert result.stderr == ""
    assert result.returncode == OUTPUT_CLOSED
    with sqlite3.connect(demo_db) as conn:
        titles = [row[0] for row in conn.execute("SELECT title FROM task")]
    assert "Call the auditor" in titles


def test_head_gets_the_first_line_and_the_pipeline_succeeds(cli_env, tmp_path, demo_db):
    python = sys.executable
    pipeline = subprocess.run(
        ["sh", "-c", f'"{python}" -m ceodesk todos --db "{demo_db}" | head -1'],
        env=cli_env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert pipeline.returncode == 0
    assert pipeline.stderr == ""
    assert pipeline.stdout.count("\n") == 1 and pipeline.stdout.startswith("#")
