"""Fixtures of the command-line tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def demo_db(run_cli, tmp_path):
    """A demo company written by ``ceodesk demo`` into a new file."""
    path = tmp_path / "demo.db"
    result = run_cli("demo", "--db", str(path))
    assert result.returncode == 0, result.stderr
    return path
