"""Stored text never drives the terminal: control characters are cleaned or made visible.

A title typed or pasted with an escape sequence in it (``\\e]52;...`` writes the clipboard,
``\\e]0;...`` renames the window, ``\\e[2J`` clears the screen) must not reach a terminal
as a command. Two rules, used at two places:

- ``clean_input`` at the way in: every string column written through the database is
  cleaned before it is stored (``Database`` does it on flush), so new text never holds
  C0 or C1 control characters. Single-line fields turn line breaks and tabs into spaces;
  multi-line fields (notes, descriptions, the 3-year picture) keep ``\\n`` and tabs.
- ``inert`` at the way out: CLI output shows what is left (rows stored before this rule,
  or written by another program) with each control character as a visible symbol
  (``␛`` for ESC), and the TUI removes them from every rendered line.
"""

from __future__ import annotations

import re
from typing import Any

from ceodesk.core.kernel.errors import InputError

# C0 controls, DEL and C1 controls: what a terminal may read as (part of) a command.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAK = re.compile("\r\n|[\r\n\t]")

# Columns whose text may span lines; every other string column is one line.
MULTILINE_COLUMNS = frozenset(
    {"notes", "description", "outcome", "measure", "picture", "measurables", "definition"}
    # The weekly reflection and the CEO update (schema 12).
    | {"wins", "lessons", "focus", "ceo_update"}
)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode control pictures: ␀ … ␛ … ␟
    if code == 0x7F:
        return "␡"
    return f"<{code:02X}>"  # C1 controls have no pictures of their own


def inert(text: str, *, keep_lines: bool = False) -> str:
    """The text with every control character shown as a visible symbol (ESC as ``␛``).

    With ``keep_lines`` a newline (and a tab) stays what it is, for multi-line output.
    """
    pattern = _CONTROL_BUT_LINES if keep_lines else _CONTROL
    return pattern.sub(_visible, text)


def without_controls(text: str) -> str:
    """The text with every control character removed (same width on screen)."""
    return _CONTROL.sub("", text)


def has_controls(text: str) -> bool:
    return _CONTROL.search(text) is not None


def clean_input(text: str, *, multiline: bool = False) -> str:
    """Text as it may be stored: no control characters.

    A single-line field gets a space for each line break or tab; a multi-line field
    keeps newlines and tabs (``\\r\\n`` and ``\\r`` become ``\\n``). Everything else in
    C0 and C1, ESC included, is removed.
    """
    if multiline:
        return _CONTROL_BUT_LINES.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _CONTROL.sub("", _LINE_BREAK.sub(" ", text))


def clean_stored_text(session: Any, _context: Any = None, _instances: Any = None) -> None:
    """A ``before_flush`` hook: every string column of a new or changed row is cleaned."""
    for obj in (*session.new, *session.dirty):
        for column in type(obj).__table__.columns:
            value = getattr(obj, column.key, None)
            if isinstance(value, str) and has_controls(value):
                # Setting.value is JSON or free text: it may hold lines too.
                multiline = column.key in MULTILINE_COLUMNS or column.key == "value"
                cleaned = clean_input(value, multiline=multiline)
                if cleaned != value:
                    setattr(obj, column.key, cleaned)


def one_line(text: str) -> str:
    """The text on one line: each run of spaces, tabs or line breaks becomes one space."""
    return " ".join(text.split())


def clean_line(
    text: str,
    *,
    empty: str | None = None,
    longest: int | None = None,
    too_long: str | None = None,
) -> str:
    """One line of text as stored (``one_line``), or an InputError with the given sentence.

    ``empty`` refuses text with nothing left in it (None: empty text is fine); ``too_long``
    refuses more than ``longest`` characters.
    """
    cleaned = one_line(text)
    if not cleaned and empty is not None:
        raise InputError(empty)
    if longest is not None and len(cleaned) > longest:
        raise InputError(too_long or f"That can be at most {longest} characters long.")
    return cleaned


def clean_title(text: str, what: str, *, field: str = "title", longest: int | None = None) -> str:
    """A title (or name) as stored: on one line, not empty, at most ``longest`` characters.

    ``what`` names the thing for the sentence: ``clean_title("", "A block")`` refuses with
    "A block needs a title."; too long reads "A block's title can be at most 80 characters
    long."
    """
    return clean_line(
        text,
        empty=f"{what} needs a {field}.",
        longest=longest,
        too_long=f"{what}'s {field} can be at most {longest} characters long.",
    )
