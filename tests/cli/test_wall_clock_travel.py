"""CEODESK_TEST_TODAY really moves the wall clock, for the tests and for the CLI they run."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from clock_travel import TRAVEL_VARIABLE, travel_destination

pytestmark = pytest.mark.skipif(
    not os.environ.get(TRAVEL_VARIABLE, "").strip(), reason=f"{TRAVEL_VARIABLE} is not set"
)
# The clock ticks on from the destination; a whole session stays well inside a day.
WITHIN = timedelta(days=1)


def test_the_session_runs_on_the_day_asked_for():
    destination = travel_destination(os.environ[TRAVEL_VARIABLE])
    assert destination <= datetime.now(UTC) < destination + WITHIN


@pytest.mark.slow
def test_a_cli_subprocess_runs_on_the_same_day(cli_env):
    destination = travel_destination(os.environ[TRAVEL_VARIABLE])
    result = subprocess.run(
        [sys.executable, "-c", "from datetime import UTC, datetime; print(datetime.now(UTC))"],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert destination <= datetime.fromisoformat(result.stdout.strip()) < destination + WITHIN
