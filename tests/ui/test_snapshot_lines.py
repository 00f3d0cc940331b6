"""A mismatched snapshot fails with the rows that changed (snapshot_lines)."""

from __future__ import annotations

from pathlib import Path

from snapshot_lines import differences

SETTINGS = Path(__file__).parent / "__snapshots__" / "test_snapshots" / "test_settings.svg"


def test_a_changed_word_is_shown_as_the_row_before_and_after() -> None:
    svg = SETTINGS.read_text()
    changed = svg.replace("Time&#160;zone", "Time&#160;area", 1)

    shown = differences(svg, changed).splitlines()

    assert any(line.startswith("-") and "Time zone      UTC" in line for line in shown)
    assert any(line.startswith("+") and "Time area      UTC" in line for line in shown)


def test_a_colour_change_names_the_rows_whose_text_stayed() -> None:
    svg = SETTINGS.read_text()
    style = svg[svg.index(".terminal-r1 {") :].split("}", 1)[0] + "}"
    changed = svg.replace(style, ".terminal-r1 { fill: #ff0000 }")

    shown = differences(svg, changed)

    assert "same text, other styles" in shown
    assert "Time zone" in shown and "#ff0000" in shown


def test_the_same_snapshot_has_no_rows_to_show() -> None:
    svg = SETTINGS.read_text()
    assert "every row has the same text and styles" in differences(svg, svg)
