"""Shared constants for the UI tests (importable, unlike conftest)."""

from datetime import UTC, datetime

# A Wednesday morning, so "this week" has a past and a future.
FROZEN_NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
