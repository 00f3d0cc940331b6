"""The task quick-add grammar: one line of text -> a task's fields, and back.

    Prep board deck fri 2h !i +rock:hire-vp @dana #board

Words are split on whitespace and read left to right. At each word the parser tries, in
order: a date/time phrase (see ``ceodesk.core.dates.parse_date_phrase``), a flag
(``!i`` important, ``!u`` urgent, ``!iu``/``!ui`` both), an estimate (``2h``, ``30m``,
``1h30``), an owner (``@dana``), a Rock (``+rock:hire-vp``) and a tag (``#board``).
Every other word stays in the title, in its original order and spelling.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from ceodesk.core.dates import DateMatch, format_minutes, parse_date_phrase, parse_duration
from ceodesk.core.errors import InputError

__all__ = ["QuickAdd", "format_quick_add", "parse_quick_add"]

_FLAGS: dict[str, tuple[bool, bool]] = {
    "!i": (True, False),
    "!u": (False, True),
    "!iu": (True, True),
    "!ui": (True, True),
}
_OWNER = re.compile(r"@(\w[\w.-]*)")
_ROCK_PREFIX = "+rock:"
_ROCK_SLUG = re.compile(r"\w[\w.-]*")
# A tag starts with a letter, so "#123" (an issue number) stays in the title.
_TAG = re.compile(r"#([^\W\d_][\w-]*)")
# Any fixed instant works for asking "does this read as grammar?": only the dates differ.
_PROBE_NOW = datetime(2000, 1, 3, 12, 0)


@dataclass(frozen=True)
class QuickAdd:
    """A task as read from one line of quick-add text."""

    title: str  # the remaining words, in order, single-spaced
    due_date: date | None
    due_time: time | None
    important: bool
    urgent: bool
    flags_given: bool  # True when the text contained a !i/!u/!iu/!ui flag
    estimate_minutes: int | None
    owner_ref: str | None  # "dana" from "@dana" (without the @), resolved by the caller
    rock_ref: str | None  # "hire-vp" from "+rock:hire-vp"
    tags: tuple[str, ...]  # from "#board" -> "board", lower-cased, deduplicated, in order


def _read(
    words: Sequence[str], i: int, now: datetime
) -> tuple[str, int, DateMatch | tuple[bool, bool] | int | str] | None:
    """The grammar item starting at ``words[i]``: (kind, words used, value), or None."""
    match = parse_date_phrase(words, i, now)
    if match is not None:
        return "due", match.consumed, match
    word = words[i]
    lowered = word.lower()
    if lowered in _FLAGS:
        return "flags", 1, _FLAGS[lowered]
    minutes = parse_duration(word)
    if minutes is not None:
        return "estimate", 1, minutes
    if owner := _OWNER.fullmatch(word):
        return "owner", 1, owner[1]
    if lowered.startswith(_ROCK_PREFIX):
        slug = word[len(_ROCK_PREFIX) :]
        if _ROCK_SLUG.fullmatch(slug) is None:
            raise InputError(f"“{word}” does not name a Rock; write it like +rock:hire-vp.")
        return "rock", 1, slug
    if tag := _TAG.fullmatch(lowered):
        return "tag", 1, tag[1]
    return None


def parse_quick_add(text: str, now: datetime) -> QuickAdd:
    """Read one line of quick-add text; ``now`` is the user's naive local wall-clock time.

    Rules: at most one due date/time phrase, one estimate, one ``@owner`` and one
    ``+rock:slug`` (a second one is an InputError); flags add up (``!i !u`` is both);
    tags are lower-cased and deduplicated in order; a ``!word`` that is not a flag, a
    ``#`` followed by a digit, and every other unknown word stay in the title. A text
    with no title words left is an InputError.
    """
    words = text.split()
    title: list[str] = []
    due: tuple[str, date | None, time | None] | None = None
    important = urgent = flags_given = False
    estimate: tuple[str, int] | None = None
    owner: str | None = None
    rock: str | None = None
    tags: list[str] = []
    i = 0
    while i < len(words):
        item = _read(words, i, now)
        if item is None:
            title.append(words[i])
            i += 1
            continue
        kind, used, value = item
        written = " ".join(words[i : i + used])
        i += used
        if kind == "due":
            assert isinstance(value, DateMatch)
            if due is not None:
                raise InputError(f"Give one due date, not two (“{due[0]}” and “{written}”).")
            due = (written, value.day, value.at)
        elif kind == "flags":
            assert isinstance(value, tuple)
            important, urgent = important or value[0], urgent or value[1]
            flags_given = True
        elif kind == "estimate":
            assert isinstance(value, int)
            if estimate is not None:
                raise InputError(f"Give one estimate, not two (“{estimate[0]}” and “{written}”).")
            estimate = (written, value)
        elif kind == "owner":
            assert isinstance(value, str)
            if owner is not None:
                raise InputError(f"Give one owner, not two (“@{owner}” and “{written}”).")
            owner = value
        elif kind == "rock":
            assert isinstance(value, str)
            if rock is not None:
                raise InputError(f"Link one Rock, not two (“+rock:{rock}” and “{written}”).")
            rock = value
        else:
            assert isinstance(value, str)
            if value not in tags:
                tags.append(value)
    if not title:
        raise InputError(
            "A task needs a title: add a few words besides the date, flags, estimate and tags."
        )
    return QuickAdd(
        title=" ".join(title),
        due_date=due[1] if due else None,
        due_time=due[2] if due else None,
        important=important,
        urgent=urgent,
        flags_given=flags_given,
        estimate_minutes=estimate[1] if estimate else None,
        owner_ref=owner,
        rock_ref=rock,
        tags=tuple(tags),
    )


def _reads_as_grammar(words: Sequence[str]) -> bool:
    """Whether any word of ``words``, read on its own run, would parse as grammar."""
    for i in range(len(words)):
        try:
            if _read(words, i, _PROBE_NOW) is not None:
                return True
        except InputError:
            return True
    return False


def format_quick_add(q: QuickAdd) -> str:
    """Write ``q`` back as quick-add text that ``parse_quick_add`` reads as ``q`` again.

    Order: title, due (ISO date, then HH:MM), flags, estimate, @owner, +rock:slug, #tags.
    Two title words that only became neighbours because a marker stood between them
    (e.g. "dec !i 5") would read as a date when written side by side; the formatter then
    puts the next marker between them instead of after the title, so the text still
    round-trips. ``flags_given`` with neither flag set cannot be written and is lost.
    """
    items: list[str] = []
    if q.due_date is not None:
        due = q.due_date.isoformat()
        items.append(f"{due} {q.due_time:%H:%M}" if q.due_time is not None else due)
    elif q.due_time is not None:
        items.append(f"{q.due_time:%H:%M}")
    flags = ("i" if q.important else "") + ("u" if q.urgent else "")
    if flags:
        items.append(f"!{flags}")
    if q.estimate_minutes is not None:
        items.append(format_minutes(q.estimate_minutes))
    if q.owner_ref:
        items.append(f"@{q.owner_ref}")
    if q.rock_ref:
        items.append(f"{_ROCK_PREFIX}{q.rock_ref}")
    items.extend(f"#{tag}" for tag in q.tags)

    out: list[str] = []
    run: list[str] = []
    for word in q.title.split():
        if run and items and _reads_as_grammar([*run, word]):
            out.append(items.pop(0))
            run = []
        out.append(word)
        run.append(word)
    out.extend(items)
    return " ".join(out)
