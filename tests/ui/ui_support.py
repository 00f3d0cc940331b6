"""Shared helpers for the UI tests (importable, unlike conftest)."""

import io
from datetime import UTC, datetime

from rich.console import Console

# A Wednesday morning, so "this week" has a past and a future.
FROZEN_NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


def shown_text(static) -> str:
    """The text a Static shows, rendered as plain text (tables included)."""
    console = Console(width=max(20, static.size.width or 60), file=io.StringIO(), record=True)
    console.print(static.content)
    return console.export_text()
