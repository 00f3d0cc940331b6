"""The task quick-add grammar: one line of text -> a task's fields, and back.

    Prep board deck 2h !i +rock:hire-vp @dana #board fri

Words are split on whitespace and read left to right. Flags (``!i`` important, ``!u``
urgent, ``!iu``/``!ui`` both), an estimate (``2h``, ``30m``, ``1h30``), an owner
(``@dana``), a Rock (``+rock:hire-vp``) and tags (``#board``) are read wherever they
stand. A date/time phrase (see ``ceodesk.core.kernel.dates.parse_date_phrase``) is read only
where it reads as a date:

- at the end, after the last title word ("Call Dana fri !i" is due Friday), or
- right after a connector, which is dropped with it: ``on``/``by``/``due`` before any
  date ("Pay by fri the invoice"), ``at`` before a time ("Call at 9am"), ``this``
  before a weekday ("Call Dana this fri"), ``due by``/``due on``/``due at``.

Anywhere else a date word stays in the title: "Read the Sunday Times" and "Fix sat nav"
keep every word. Text in double quotes is always literal and loses its quotes:
``Meet "next fri" team`` or ``Read "Sunday"``. A quote opens at the start of a word and
closes at the end of one; a quote with no partner is an ordinary character.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from ceodesk.core.kernel.dates import (
    DateMatch,
    format_minutes,
    is_weekday_word,
    looks_like_time,
    parse_date_phrase,
    parse_duration,
)
from ceodesk.core.kernel.errors import InputError

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
_QUOTE = '"'
_DATE_CONNECTORS = frozenset({"on", "by", "due"})
_TIME_CONNECTOR = "at"
_WEEKDAY_CONNECTOR = "this"
_LONGEST_PHRASE = 4  # words a date phrase can use ("in 3 days 3pm")


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
    # Date phrases that stood where a date does not read as one and so stayed in the
    # title ("Sunday" in "Read the Sunday Times"), for an honest preview.
    kept_dates: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class _Word:
    text: str
    literal: bool  # came from inside double quotes: never grammar


def _split(text: str) -> list[_Word]:
    """Words on whitespace; a quoted stretch gives literal words without its quotes."""
    words: list[_Word] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        if text[i] == _QUOTE:
            close = _closing_quote(text, i + 1)
            if close is not None:
                words.extend(_Word(w, True) for w in text[i + 1 : close].split())
                i = close + 1
                continue
        j = i
        while j < n and not text[j].isspace():
            j += 1
        words.append(_Word(text[i:j], False))
        i = j
    return words


def _closing_quote(text: str, start: int) -> int | None:
    """The first quote at or after ``start`` that ends a word."""
    k = text.find(_QUOTE, start)
    while k != -1:
        if k + 1 == len(text) or text[k + 1].isspace():
            return k
        k = text.find(_QUOTE, k + 1)
    return None


@dataclass(frozen=True)
class _Segment:
    """Words ``start`` to ``start + used`` of the text, read as one kind of thing."""

    kind: str  # "title", "due", "bad" (a date phrase in error), "flags", "estimate", ...
    start: int
    used: int
    value: object = None


def _read(
    words: Sequence[str], now: datetime
) -> tuple[str, int, DateMatch | InputError | tuple[bool, bool] | int | str] | None:
    """The grammar item starting at ``words[0]``: (kind, words used, value), or None.

    A date phrase in error comes back as kind "bad" with the error: whether it counts
    depends on where it stands. Every other bad item raises its InputError here.
    """
    try:
        match = parse_date_phrase(words, 0, now)
    except InputError as err:
        return "bad", _error_span(words, now), err
    if match is not None:
        return "due", match.consumed, match
    word = words[0]
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


def _error_span(words: Sequence[str], now: datetime) -> int:
    """How many words the date phrase in error at ``words[0]`` spans."""
    for used in range(1, len(words)):
        try:
            parse_date_phrase(words[:used], 0, now)
        except InputError:
            return used
    return len(words)


def _segments(words: Sequence[_Word], now: datetime, *, strict: bool = True) -> list[_Segment]:
    """The words in reading order, each run of them as one segment (first pass: every
    date phrase is taken as a date, wherever it stands). With ``strict`` off, a marker
    in error becomes a segment of kind "error" instead of raising."""
    segments: list[_Segment] = []
    i = 0
    while i < len(words):
        if words[i].literal:
            segments.append(_Segment("title", i, 1))
            i += 1
            continue
        end = i + 1
        while end < min(len(words), i + _LONGEST_PHRASE) and not words[end].literal:
            end += 1
        try:
            item = _read([w.text for w in words[i:end]], now)
        except InputError as err:
            if strict:
                raise
            item = ("error", 1, err)
        if item is None:
            segments.append(_Segment("title", i, 1))
            i += 1
        else:
            kind, used, value = item
            segments.append(_Segment(kind, i, used, value))
            i += used
    return _join_day_and_time(words, segments)


def _join_day_and_time(words: Sequence[_Word], segments: list[_Segment]) -> list[_Segment]:
    """A day and a time with a connector between them are one date: "fri at 9am",
    "9am on fri"."""
    joined: list[_Segment] = []
    k = 0
    while k < len(segments):
        if k + 2 < len(segments):
            first, middle, last = segments[k : k + 3]
            when = _one_date(words, first, middle, last)
            if when is not None:
                used = last.start + last.used - first.start
                joined.append(_Segment("due", first.start, used, DateMatch(used, *when)))
                k += 3
                continue
        joined.append(segments[k])
        k += 1
    return joined


def _one_date(
    words: Sequence[_Word], first: _Segment, middle: _Segment, last: _Segment
) -> tuple[date | None, time | None] | None:
    """The (day, time) of a day phrase, "at", a time — or a time, "on", a day phrase."""
    if first.kind != "due" or last.kind != "due" or middle.kind != "title":
        return None
    between = words[middle.start]
    if between.literal:
        return None
    a, b = first.value, last.value
    assert isinstance(a, DateMatch) and isinstance(b, DateMatch)

    def time_only(seg: _Segment) -> bool:
        return seg.used == 1 and looks_like_time(words[seg.start].text)

    connector = between.text.lower()
    if connector == _TIME_CONNECTOR and a.at is None and time_only(last):
        return a.day, b.at
    if connector == "on" and time_only(first) and b.at is None:
        return b.day, a.at
    return None


def _connector(words: Sequence[_Word], segments: Sequence[_Segment], s: int) -> int:
    """How many title words right before date segment ``s`` connect it ("by", "due on",
    "at" before a time, "this" before a weekday): 0, 1 or 2."""

    def title_word(k: int) -> str | None:
        if k < 0 or segments[k].kind != "title" or words[segments[k].start].literal:
            return None
        return words[segments[k].start].text.lower()

    first = words[segments[s].start].text.lower()
    before = title_word(s - 1)
    connects = (
        before in _DATE_CONNECTORS
        or (before == _TIME_CONNECTOR and looks_like_time(first))
        or (before == _WEEKDAY_CONNECTOR and is_weekday_word(first))
    )
    if not connects:
        return 0
    if before in {"by", "on", _TIME_CONNECTOR} and title_word(s - 2) == "due":
        return 2
    return 1


def _placed(words: Sequence[_Word], segments: list[_Segment]) -> tuple[set[int], set[int]]:
    """Which date segments read as dates (at the end, or after a connector), and which
    title segments are their connectors."""
    last_title = max((k for k, seg in enumerate(segments) if seg.kind == "title"), default=-1)
    dates: set[int] = set()
    connectors: set[int] = set()
    for s, seg in enumerate(segments):
        if seg.kind not in {"due", "bad"}:
            continue
        joined = _connector(words, segments, s)
        if s > last_title or joined:
            dates.add(s)
            connectors.update(range(s - joined, s))
    return dates, connectors


def parse_quick_add(text: str, now: datetime) -> QuickAdd:
    """Read one line of quick-add text; ``now`` is the user's naive local wall-clock time.

    Rules: at most one due date/time phrase, one estimate, one ``@owner`` and one
    ``+rock:slug`` (a second one is an InputError); flags add up (``!i !u`` is both);
    tags are lower-cased and deduplicated in order; a ``!word`` that is not a flag, a
    ``#`` followed by a digit, a date phrase where a date does not read as one (see the
    module docstring), quoted text and every other unknown word stay in the title. A
    text with no title words left is an InputError.
    """
    words = _split(text)
    segments = _segments(words, now)
    dates, connectors = _placed(words, segments)
    title: list[str] = []
    kept: list[str] = []
    due: tuple[str, date | None, time | None] | None = None
    important = urgent = flags_given = False
    estimate: tuple[str, int] | None = None
    owner: str | None = None
    rock: str | None = None
    tags: list[str] = []
    for s, seg in enumerate(segments):
        written = " ".join(w.text for w in words[seg.start : seg.start + seg.used])
        kind, value = seg.kind, seg.value
        if kind in {"due", "bad"} and s not in dates:
            kind = "title"
            kept.append(written)
        if kind == "title":
            if s not in connectors:
                title.extend(w.text for w in words[seg.start : seg.start + seg.used])
        elif kind == "bad":
            assert isinstance(value, InputError)
            raise value
        elif kind == "due":
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
        kept_dates=tuple(kept),
    )


def _read_as_grammar(words: Sequence[_Word]) -> set[int]:
    """Indices of the words that would not stay in the title: read as markers or
    dates, dropped as connectors, or in error."""
    segments = _segments(words, _PROBE_NOW, strict=False)
    dates, connectors = _placed(words, segments)
    taken: set[int] = set()
    for s, seg in enumerate(segments):
        if s in connectors or (
            seg.kind != "title" and (seg.kind not in {"due", "bad"} or s in dates)
        ):
            taken.update(range(seg.start, seg.start + seg.used))
    return taken


def format_quick_add(q: QuickAdd) -> str:
    """Write ``q`` back as quick-add text that ``parse_quick_add`` reads as ``q`` again.

    Order: title, due (ISO date, then HH:MM), flags, estimate, @owner, +rock:slug, #tags.
    A title word that would be read as grammar where it stands (a date word at the end
    of the title, a word after "by", "#board", a word that starts with a quote) is
    written in double quotes. ``flags_given`` with neither flag set cannot be written
    and is lost.
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

    title = q.title.split()
    item_words = [_Word(word, False) for item in items for word in item.split()]
    # A quoted word is one literal word whatever it holds: its closing quote is the
    # first one that ends a word. Quoting one word can change how its neighbours read,
    # so look again until nothing more is taken.
    quoted = {k for k, word in enumerate(title) if word.startswith(_QUOTE)}
    while True:
        words = [_Word(word, k in quoted) for k, word in enumerate(title)] + item_words
        taken = {k for k in _read_as_grammar(words) if k < len(title)} - quoted
        if not taken:
            break
        quoted |= taken
    written = [f"{_QUOTE}{word}{_QUOTE}" if k in quoted else word for k, word in enumerate(title)]
    return " ".join([*written, *items])
