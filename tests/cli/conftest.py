"""Fixtures of the command-line tests."""

from __future__ import annotations

import pytest
from demo_files import demo_copy

from ceodesk.core.kernel.clock import system_clock


@pytest.fixture
def demo_db(tmp_path):
    """A demo company as ``ceodesk demo --db PATH`` writes it: the wall clock's minute
    (travelled with CEODESK_TEST_TODAY), the machine's zone (TZ=UTC). Written once per
    worker and minute, copied for each test (tests/cli/test_cli_demo_doctor.py runs the
    command itself)."""
    minute = system_clock().replace(second=0, microsecond=0)
    return demo_copy(tmp_path / "demo.db", minute, time_zone=None)
