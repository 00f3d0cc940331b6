"""What a mismatched snapshot changed, as lines of text a CI log can show.

pytest-textual-snapshot writes its image diff to an HTML report in the project folder;
a CI run in a fresh clone loses it with the clone. ``differences`` reads the terminal
lines out of both SVGs and says which rows changed: their text when it did, else that
only their colours or styles did.
"""

from __future__ import annotations

import difflib
import html
import re
from collections import defaultdict

_TEXT = re.compile(
    r'<text class="(?P<style>[^"]*)" x="(?P<x>[\d.]+)"[^>]*'
    r'clip-path="url\(#terminal-(?:\d+-)?line-(?P<line>\d+)\)">(?P<text>[^<]*)</text>'
)
_CELL_WIDTH = 12.2  # Textual's SVG export: one terminal cell, in SVG units
_STYLES = re.compile(r"\.(terminal-(?:\d+-)?r\d+) \{([^}]*)\}")


def _rows(svg: str) -> list[list[tuple[int, str, str]]]:
    """Each terminal line as its (column, style, text) runs, left to right."""
    styles = dict(_STYLES.findall(svg))
    runs: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for match in _TEXT.finditer(svg):
        text = html.unescape(match["text"]).replace("\xa0", " ")
        style = styles.get(match["style"], match["style"]).strip()
        column = round(float(match["x"]) / _CELL_WIDTH)
        runs[int(match["line"])].append((column, style, text))
    count = max(runs, default=-1) + 1
    return [sorted(runs[n]) for n in range(count)]


def _text(row: list[tuple[int, str, str]]) -> str:
    line = ""
    for column, _, text in row:
        line = line.ljust(column) + text
    return line.rstrip()


def differences(expected: str, actual: str, limit: int = 60) -> str:
    """The rows that differ between two snapshot SVGs, at most ``limit`` lines."""
    before, after = _rows(expected), _rows(actual)
    text_before = [_text(row) for row in before]
    text_after = [_text(row) for row in after]
    if text_before != text_after:
        diff = difflib.unified_diff(
            text_before, text_after, "snapshot", "this run", n=1, lineterm=""
        )
        lines = list(diff)
    else:
        lines = [
            f"row {n}, same text, other styles: {[run for run in row if run not in other]!r}"
            for n, (row, other) in enumerate(zip(after, before, strict=True))
            if row != other
        ] or ["every row has the same text and styles: the SVGs differ elsewhere"]
    if len(lines) > limit:
        lines = [*lines[:limit], f"... {len(lines) - limit} more lines"]
    return "\n".join(lines)
