"""The task quick-add grammar and its formatter."""

from dataclasses import replace
from datetime import date, datetime, time

import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from ceodesk.core.kernel.errors import InputError
from ceodesk.core.kernel.quickadd import QuickAdd, format_quick_add, parse_quick_add

NOW = datetime(2026, 11, 23, 10, 0)  # a Monday

NOWS = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 12, 31, 23, 59))

PLAIN = QuickAdd(
    title="x",
    due_date=None,
    due_time=None,
    important=False,
    urgent=False,
    flags_given=False,
    estimate_minutes=None,
    owner_ref=None,
    rock_ref=None,
    tags=(),
)


def parse(text: str) -> QuickAdd:
    return parse_quick_add(text, NOW)


def test_the_brief_example() -> None:
    q = parse("Call Dana about the VP offer tomorrow 3pm !iu 30m")
    assert q == QuickAdd(
        title="Call Dana about the VP offer",
        due_date=date(2026, 11, 24),
        due_time=time(15, 0),
        important=True,
        urgent=True,
        flags_given=True,
        estimate_minutes=30,
        owner_ref=None,
        rock_ref=None,
        tags=(),
    )


def test_the_design_example() -> None:
    q = parse("Prep board deck fri 2h !i +rock:hire-vp @dana #board")
    assert q == QuickAdd(
        title="Prep board deck",
        due_date=date(2026, 11, 27),
        due_time=None,
        important=True,
        urgent=False,
        flags_given=True,
        estimate_minutes=120,
        owner_ref="dana",
        rock_ref="hire-vp",
        tags=("board",),
    )


def test_plain_title() -> None:
    assert parse("  Write   the  memo ") == replace(PLAIN, title="Write the memo")


@pytest.mark.parametrize(
    ("flag", "important", "urgent"),
    [("!i", True, False), ("!u", False, True), ("!iu", True, True), ("!ui", True, True)],
)
def test_flags(flag: str, important: bool, urgent: bool) -> None:
    for spelling in (flag, flag.upper()):
        q = parse(f"Ship it {spelling}")
        assert q.title == "Ship it"
        assert (q.important, q.urgent, q.flags_given) == (important, urgent, True)


def test_flags_add_up() -> None:
    q = parse("Ship it !i !u")
    assert (q.important, q.urgent, q.flags_given) == (True, True, True)


def test_other_bang_words_stay_in_the_title() -> None:
    q = parse("Ship it !x !! !important")
    assert q.title == "Ship it !x !! !important"
    assert not q.flags_given


@pytest.mark.parametrize(
    ("token", "minutes"), [("2h", 120), ("30m", 30), ("1h30", 90), ("1h30m", 90), ("1.5h", 90)]
)
def test_estimates(token: str, minutes: int) -> None:
    q = parse(f"Draft plan {token}")
    assert (q.title, q.estimate_minutes) == ("Draft plan", minutes)


@pytest.mark.parametrize(
    ("text", "title", "due_date", "due_time"),
    [
        ("Pay rent today", "Pay rent", date(2026, 11, 23), None),
        ("Pay rent tmrw", "Pay rent", date(2026, 11, 24), None),
        ("Board prep next fri", "Board prep", date(2026, 12, 4), None),
        ("Renew lease in 2 weeks", "Renew lease", date(2026, 12, 7), None),
        ("Renew lease in 3d", "Renew lease", date(2026, 11, 26), None),
        ("Close books eom", "Close books", date(2026, 11, 30), None),
        ("Weekly wrap eow", "Weekly wrap", date(2026, 11, 27), None),
        ("File taxes 2026-12-01", "File taxes", date(2026, 12, 1), None),
        ("Send offer by dec 1 9am to Dana", "Send offer to Dana", date(2026, 12, 1), time(9, 0)),
        ("Send offer 1 dec", "Send offer", date(2026, 12, 1), None),
        ("Call bank 3pm", "Call bank", date(2026, 11, 23), time(15, 0)),
        ("Call bank 3pm fri", "Call bank", date(2026, 11, 27), time(15, 0)),
        ("Call bank fri 15:00", "Call bank", date(2026, 11, 27), time(15, 0)),
    ],
)
def test_due_phrases(text: str, title: str, due_date: date, due_time: time | None) -> None:
    q = parse(text)
    assert (q.title, q.due_date, q.due_time) == (title, due_date, due_time)


def test_may_stays_in_the_title() -> None:
    q = parse("Dana may be late to the offsite")
    assert q.title == "Dana may be late to the offsite"
    assert q.due_date is None


def test_unknown_tokens_stay_in_the_title_in_order_and_spelling() -> None:
    q = parse("Fix #123 in BILLING, next release +1 me@x.io Q4-plan @ # 3 in 3 apples")
    assert q.title == "Fix #123 in BILLING, next release +1 me@x.io Q4-plan @ # 3 in 3 apples"
    assert q == replace(PLAIN, title=q.title)


def test_owner_rock_and_tags() -> None:
    q = parse("Hire VP @dana.k_2 +Rock:hire-vp #Board #hiring #board #q4-plan")
    assert q.title == "Hire VP"
    assert q.owner_ref == "dana.k_2"
    assert q.rock_ref == "hire-vp"
    assert q.tags == ("board", "hiring", "q4-plan")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Call Dana fri dec 1", r"^Give one due date, not two \(“fri” and “dec 1”\)\.$"),
        ("Call Dana tomorrow 3pm fri", "Give one due date, not two"),
        ("Call Dana fri !i 3pm", "Give one due date, not two"),
        ("Call Dana 2h 30m", r"^Give one estimate, not two \(“2h” and “30m”\)\.$"),
        ("Call Dana @dana @lee", "Give one owner, not two"),
        ("Call Dana +rock:a +rock:b", "Link one Rock, not two"),
        ("tomorrow !i 2h @dana #board", "^A task needs a title"),
        ("", "^A task needs a title"),
        ("   ", "^A task needs a title"),
        ("Call +rock:", "does not name a Rock"),
        ("Call +rock:!!", "does not name a Rock"),
        ("Call Dana feb 30", r"^There is no 30 February\.$"),
        ("Call Dana dec 45", r"^There is no 45 December\.$"),
        ("Call Dana 2026-02-30", r"^There is no 30 February 2026\.$"),
        ("Call Dana 25:00", "not a time of day"),
        ("Call Dana 0m", r"^An estimate must be more than 0 minutes\.$"),
        ("Call Dana 25h", "at most 24 hours"),
    ],
)
def test_bad_input_is_one_clear_sentence(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse(text)


def test_format_writes_the_canonical_order() -> None:
    q = parse("#board @dana Prep board deck 2h !i fri 3pm +rock:hire-vp")
    assert format_quick_add(q) == (
        "Prep board deck 2026-11-27 15:00 !i 2h @dana +rock:hire-vp #board"
    )


def test_format_plain_title() -> None:
    assert format_quick_add(replace(PLAIN, title="Write the memo")) == "Write the memo"


@pytest.mark.parametrize(
    "text",
    [
        "Book dec !i 5 flights",
        "Fly in !u 3 days later",
        "Fly in #trip 3d",
        "Meet 1 @dana may",
        "Plan next !i week",
    ],
)
def test_format_keeps_words_apart_that_only_a_marker_separated(text: str) -> None:
    q = parse(text)
    assert q.due_date is None
    assert parse(format_quick_add(q)) == q


# ------------------------------------------------ dates only where they read as dates


@pytest.mark.parametrize(
    ("text", "title", "due_date", "due_time"),
    [
        # Issue 9.8: date words inside a title are the title's words.
        ("Read the Sunday Times", "Read the Sunday Times", None, None),
        ("Fix sat nav", "Fix sat nav", None, None),
        ("Call Dana this fri", "Call Dana", date(2026, 11, 27), None),
        ("Call at 9am", "Call", date(2026, 11, 24), time(9, 0)),
        ("Call at 3pm", "Call", date(2026, 11, 23), time(15, 0)),
        # At the end, with markers after it, the date is read.
        ("Read the Sunday Times sun", "Read the Sunday Times", date(2026, 11, 29), None),
        ("Call Dana fri !i 30m #sales", "Call Dana", date(2026, 11, 27), None),
        # After a connector it is read anywhere, and the connector goes with it.
        ("Pay by fri the invoice", "Pay the invoice", date(2026, 11, 27), None),
        ("Meet on dec 3 with Lee", "Meet with Lee", date(2026, 12, 3), None),
        ("Report due by eow to the board", "Report to the board", date(2026, 11, 27), None),
        ("Ship due tomorrow", "Ship", date(2026, 11, 24), None),
        # Connectors only join what they fit: "at" a time, "this" a weekday.
        ("Meet at the Sunday brunch", "Meet at the Sunday brunch", None, None),
        ("Look at this", "Look at this", None, None),
        ("Do this tomorrow", "Do this", date(2026, 11, 24), None),
        ("Sunday brunch planning", "Sunday brunch planning", None, None),
        # A day and a time joined by "at" / "on" are one date.
        ("Call Dana this fri at 9am", "Call Dana", date(2026, 11, 27), time(9, 0)),
        ("Call Dana 9am on fri", "Call Dana", date(2026, 11, 27), time(9, 0)),
        ("Board call tomorrow at 15:00 !i", "Board call", date(2026, 11, 24), time(15, 0)),
    ],
)
def test_a_date_is_read_only_where_it_reads_as_one(
    text: str, title: str, due_date: date | None, due_time: time | None
) -> None:
    q = parse(text)
    assert (q.title, q.due_date, q.due_time) == (title, due_date, due_time)


def test_date_words_kept_in_the_title_are_reported_for_the_preview() -> None:
    assert parse("Read the Sunday Times").kept_dates == ("Sunday",)
    assert parse("Send offer dec 1 9am to Dana").kept_dates == ("dec 1 9am",)
    assert parse("Read the Times on Sunday").kept_dates == ()


def test_an_impossible_date_inside_a_title_is_not_an_error() -> None:
    assert parse("Discuss feb 30 incident").title == "Discuss feb 30 incident"
    with pytest.raises(InputError, match="There is no 30 February"):
        parse("Discuss incident by feb 30 with Dana")


@pytest.mark.parametrize(
    ("text", "title", "due_date"),
    [
        ('Read the "Sunday Times" sun', "Read the Sunday Times", date(2026, 11, 29)),
        ('Plan "next fri"', "Plan next fri", None),
        ('Email "@dana" notes "#board" !i', "Email @dana notes #board", None),
        ('Call "at 9am"', "Call at 9am", None),
        ('Fix 5" screen', 'Fix 5" screen', None),
        ('Say ""hi""', 'Say "hi"', None),
        ('Open "quote stays', 'Open "quote stays', None),
    ],
)
def test_quoted_text_stays_literal(text: str, title: str, due_date: date | None) -> None:
    q = parse(text)
    assert (q.title, q.due_date) == (title, due_date)


def test_a_title_in_quotes_alone_is_no_date() -> None:
    q = parse('"tomorrow"')
    assert (q.title, q.due_date) == ("tomorrow", None)


def test_format_quotes_title_words_that_would_read_as_grammar() -> None:
    q = parse('Read "Sunday" !i')
    assert format_quick_add(q) == 'Read "Sunday" !i'
    q = parse('Pay "by" fri')
    assert parse(format_quick_add(q)) == q


# -------------------------------------------------------------------------- properties

VOCABULARY = [
    "today",
    "tomorrow",
    "tmr",
    "fri",
    "Mon",
    "next",
    "in",
    "3",
    "days",
    "2w",
    "eow",
    "eom",
    "2026-12-01",
    "2026-02-30",
    "dec",
    "may",
    "1",
    "45",
    "3pm",
    "15:00",
    "25:00",
    "!i",
    "!u",
    "!iu",
    "!x",
    "2h",
    "1h30",
    "0m",
    "@dana",
    "@",
    "+rock:hire-vp",
    "+rock:",
    "#board",
    "#1",
    "#",
    "Call",
    "be",
]


@settings(max_examples=300)
@given(st.text(max_size=60), NOWS)
def test_parse_quick_add_only_raises_input_errors_for_any_text(text: str, now: datetime) -> None:
    try:
        q = parse_quick_add(text, now)
    except InputError as err:
        assert str(err).endswith(".")
        return
    # The title is the text's own words, in order (quotes aside).
    remaining = iter(word.strip('"') for word in text.split())
    assert q.title
    assert all(word.strip('"') in remaining for word in q.title.split())


@settings(max_examples=300)
@given(st.lists(st.one_of(st.sampled_from(VOCABULARY), st.text(max_size=6)), max_size=10), NOWS)
def test_parse_quick_add_only_raises_input_errors_for_grammar_words(
    words: list[str], now: datetime
) -> None:
    try:
        q = parse_quick_add(" ".join(words), now)
    except InputError:
        return
    assert q.title


TITLE_WORDS = st.sampled_from(
    [
        "Call",
        "Dana",
        "about",
        "the",
        "offer",
        "may",
        "be",
        "dec",
        "in",
        "next",
        "week",
        "3",
        "5",
        "days",
        "apples",
        "#123",
        "!x",
        "+1",
        "@",
        "x@y.z",
        "Ünïcode",
        "1:1",
        "Sunday",
        "sat",
        "fri",
        "on",
        "by",
        "at",
        "this",
        "due",
        "9am",
        '"q',
        'x"',
        '""',
    ]
)
DUE_PHRASES = st.sampled_from(
    [
        "today",
        "tomorrow 3pm",
        "fri",
        "next mon 9:05",
        "in 3 days",
        "in 2w",
        "eow",
        "eom 12am",
        "2026-12-01",
        "dec 1",
        "29 feb",
        "3pm",
        "11am sat",
    ]
)
MARKERS = st.one_of(
    DUE_PHRASES.map(lambda p: ("due", p)),
    st.sampled_from(["!i", "!u", "!iu", "!UI"]).map(lambda p: ("flag", p)),
    st.sampled_from(["2h", "30m", "1h05", "1.5h", "24h"]).map(lambda p: ("estimate", p)),
    st.from_regex(r"@[a-zA-Z][a-zA-Z0-9._-]{0,6}", fullmatch=True).map(lambda p: ("owner", p)),
    st.from_regex(r"\+rock:[a-z0-9][a-z0-9-]{0,6}", fullmatch=True).map(lambda p: ("rock", p)),
    st.from_regex(r"#[a-zA-Zé][a-zA-Z0-9_-]{0,6}", fullmatch=True).map(lambda p: ("tag", p)),
)


@st.composite
def quick_add_texts(draw: st.DrawFn) -> str:
    """Title words with at most one of each single-valued marker, in any order."""
    words = draw(st.lists(TITLE_WORDS, min_size=1, max_size=8))
    markers = draw(st.lists(MARKERS, max_size=6))
    seen: set[str] = set()
    for kind, text in markers:
        if kind in {"due", "estimate", "owner", "rock"}:
            if kind in seen:
                continue
            seen.add(kind)
        words.insert(draw(st.integers(min_value=0, max_value=len(words))), text)
    return " ".join(words)


@settings(max_examples=400)
@given(quick_add_texts(), NOWS)
def test_format_round_trips(text: str, now: datetime) -> None:
    try:
        q = parse_quick_add(text, now)
    except InputError:
        reject()
    written = format_quick_add(q)
    assert parse_quick_add(written, now) == q
    # The written form is stable: formatting it again gives the same text.
    assert format_quick_add(parse_quick_add(written, now)) == written


# ------------------------------------------- properties of where dates are read

PLAIN_WORDS = st.sampled_from(
    [
        *("Read", "the", "Times", "Fix", "nav", "Call", "Dana", "at", "on", "by", "this"),
        *("due", "next", "in", "may", "week", "apples", "x@y", "#1", "!x", "1:1", "3rd"),
    ]
)


@given(st.lists(PLAIN_WORDS, min_size=1, max_size=8), NOWS)
def test_a_title_of_non_date_words_reads_back_unchanged(words: list[str], now: datetime) -> None:
    q = parse_quick_add(" ".join(words), now)
    assert q == replace(PLAIN, title=" ".join(words))


# Words that cannot join a date phrase after them ("3" would make "3 dec 1" read "3 dec").
LONE_WORDS = st.sampled_from(["Read", "the", "Times", "nav", "at", "on", "by", "this", "due", "!x"])


@settings(max_examples=300)
@given(st.lists(LONE_WORDS, min_size=1, max_size=6), DUE_PHRASES, NOWS)
def test_a_date_phrase_at_the_end_is_read(words: list[str], phrase: str, now: datetime) -> None:
    alone = parse_quick_add(f"Task {phrase}", now)
    # A connector right before the date goes with it; every other word stays.
    q = parse_quick_add(" ".join(["Task", *words, phrase]), now)
    assert (q.due_date, q.due_time) == (alone.due_date, alone.due_time)
    assert q.title.split() == ["Task", *words][: len(q.title.split())]
    assert len(q.title.split()) >= len(words) - 1


@given(
    st.lists(PLAIN_WORDS, min_size=1, max_size=4),
    st.lists(
        st.one_of(TITLE_WORDS, DUE_PHRASES, st.sampled_from(VOCABULARY)), min_size=1, max_size=5
    ),
    st.lists(PLAIN_WORDS, max_size=3),
    NOWS,
)
def test_quoted_text_always_stays_literal(
    before: list[str], inside: list[str], after: list[str], now: datetime
) -> None:
    inside_words = " ".join(inside).replace('"', "").split()
    if not inside_words:
        reject()
    text = " ".join([*before, '"' + " ".join(inside_words) + '"', *after])
    q = parse_quick_add(text, now)
    assert q.title == " ".join([*before, *inside_words, *after])
    assert q.due_date is None and not q.flags_given and q.tags == ()


@settings(max_examples=300)
@given(st.lists(TITLE_WORDS, min_size=1, max_size=8), NOWS)
def test_format_round_trips_any_title(words: list[str], now: datetime) -> None:
    q = replace(PLAIN, title=" ".join(words), important=True, flags_given=True)
    assert parse_quick_add(format_quick_add(q), now) == q
