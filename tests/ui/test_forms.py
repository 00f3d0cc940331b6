"""The typed form (issue 10.8): each field reads its text with the core's one grammar and
hands ``save`` a typed value; a field that does not read says the core's sentence under
it, keeps what was typed and stores nothing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_dialogs import settle, typed_at_once
from textual.widgets import Input, Static
from ui_support import FROZEN_NOW, shown_text

from ceodesk.core.domain.rocks import quarter_rocks
from ceodesk.core.kernel.errors import CeodeskError, InputError
from ceodesk.core.views.big_picture import big_picture
from ceodesk.ui.screens.form import (
    ChoiceField,
    ChoicePicker,
    DateField,
    DurationField,
    FormScreen,
    FormValues,
    NumberField,
    TextField,
    TimeField,
    WeekField,
    read_duration,
)
from ceodesk.ui.screens.rock_detail import RockDetailScreen
from ceodesk.ui.screens.rocks import RocksScreen

WALL = datetime(2026, 11, 25, 9, 30)  # Wed 25 Nov 2026, the tests' frozen morning

# Text a user might type or paste: the grammar's own words and digits mixed with anything.
TYPED = st.one_of(
    st.text(max_size=30),
    st.lists(
        st.sampled_from(
            [
                "feb",
                "30",
                "dec",
                "1",
                "in",
                "3",
                "days",
                "fri",
                "next",
                "2026-02-30",
                "1h75",
                "1:30",
                "25:00",
                "13pm",
                "3pm",
                "0m",
                "99h",
                "12k",
                "-3",
                "$5",
                "10%",
                "2026-W53",
                "2026-w5",
                "eom",
                "eow",
                "1.5h",
                "²",
                "٣",
                "1e999",
                "nan",
                "inf",
                " ",
                "\n",
            ]
        ),
        max_size=4,
    ).map(" ".join),
)


def one_sentence(err: Exception) -> bool:
    message = str(err)
    return bool(message) and "\n" not in message and message.rstrip("”").endswith((".", "?"))


# -- each field's parsing ---------------------------------------------------------------


def test_a_date_field_reads_the_quick_add_date_grammar() -> None:
    due = DateField("due", "Due")
    assert due.parse("fri", WALL) == date(2026, 11, 27)
    assert due.parse("in 3 days", WALL) == date(2026, 11, 28)
    assert due.parse("2026-12-12", WALL) == date(2026, 12, 12)
    assert due.parse("  ", WALL) is None
    assert DateField("due", "Due", default=date(2026, 12, 31)).parse("", WALL) == date(2026, 12, 31)
    with pytest.raises(InputError, match="There is no 30 February"):
        due.parse("feb 30", WALL)
    with pytest.raises(InputError, match="Due cannot be empty"):
        DateField("due", "Due", required=True).parse("", WALL)
    assert due.preview(date(2026, 11, 27)) == "→ Fri 27 Nov 2026"
    assert DateField("due", "Due", date(2026, 12, 1)).initial_text() == "2026-12-01"


def test_a_duration_field_reads_the_estimate_grammar_as_a_timedelta() -> None:
    length = DurationField("length", "Length")
    assert length.parse("1h30", WALL) == timedelta(minutes=90)
    assert length.parse("1:30", WALL) == timedelta(minutes=90)  # a duration, not a time
    assert length.parse("45m", WALL) == timedelta(minutes=45)
    assert length.parse("", WALL) is None
    with pytest.raises(InputError, match="minutes as 0 to 59"):
        length.parse("1h75", WALL)
    with pytest.raises(InputError, match="is not a duration like"):
        length.parse("soon", WALL)
    with pytest.raises(InputError, match="Duration cannot be empty"):
        read_duration("")
    assert DurationField("d", "D", timedelta(minutes=90)).initial_text() == "1h30"


def test_a_time_field_reads_a_time_of_day() -> None:
    at = TimeField("at", "At")
    assert at.parse("3:30pm", WALL) == time(15, 30)
    assert at.parse("15:00", WALL) == time(15, 0)
    assert at.parse("", WALL) is None
    with pytest.raises(InputError, match="not a time of day"):
        at.parse("25:00", WALL)
    with pytest.raises(InputError, match="not a time of day"):
        at.parse("fri 3pm", WALL)  # a day too: not a time alone


def test_a_number_field_reads_the_scorecard_number_grammar() -> None:
    count = NumberField("count", "Count")
    assert count.parse("12k", WALL) == 12000
    assert count.parse("-3", WALL) == -3
    assert count.parse("", WALL) is None
    assert NumberField("t", "Tolerance", unit="percent").parse("5%", WALL) == 5
    assert NumberField("n", "N", whole=True).parse("4", WALL) == 4
    with pytest.raises(InputError, match="not a whole number"):
        NumberField("n", "N", whole=True).parse("4.5", WALL)
    with pytest.raises(InputError, match="the least is 0"):
        NumberField("n", "N", minimum=0).parse("-1", WALL)
    with pytest.raises(CeodeskError):
        count.parse("twelve", WALL)


def test_a_week_field_reads_a_week_key_in_its_stored_spelling() -> None:
    week = WeekField("from", "From", default="2026-W48")
    assert week.parse("2026-w5", WALL) == "2026-W05"
    assert week.parse("", WALL) == "2026-W48"
    with pytest.raises(InputError, match="no week 53"):
        week.parse("2025-W53", WALL)


@given(TYPED)
def test_any_text_in_a_date_field_is_a_date_or_one_sentence(text: str) -> None:
    try:
        value = DateField("due", "Due").parse(text, WALL)
    except InputError as err:
        assert one_sentence(err), str(err)
    else:
        assert value is None or isinstance(value, date)


@given(TYPED)
def test_any_text_in_a_duration_field_is_a_duration_or_one_sentence(text: str) -> None:
    try:
        value = DurationField("d", "Duration").parse(text, WALL)
    except InputError as err:
        assert one_sentence(err), str(err)
    else:
        assert value is None or timedelta(0) < value <= timedelta(hours=24)


@given(TYPED)
def test_any_text_in_a_time_field_is_a_time_or_one_sentence(text: str) -> None:
    try:
        value = TimeField("at", "At").parse(text, WALL)
    except InputError as err:
        assert one_sentence(err), str(err)
    else:
        assert value is None or isinstance(value, time)


@given(TYPED, st.sampled_from(["number", "currency", "percent"]), st.booleans())
def test_any_text_in_a_number_field_is_a_number_or_one_sentence(
    text: str, unit: str, whole: bool
) -> None:
    try:
        value = NumberField("n", "N", unit=unit, whole=whole).parse(text, WALL)
    except CeodeskError as err:
        assert one_sentence(err), str(err)
    else:
        assert value is None or (isinstance(value, int | float) and value == value)  # not NaN
        if whole and value is not None:
            assert isinstance(value, int)


@given(TYPED)
def test_any_text_in_a_week_field_is_a_week_or_one_sentence(text: str) -> None:
    try:
        value = WeekField("w", "Week", default="2026-W48").parse(text, WALL)
    except InputError as err:
        assert one_sentence(err), str(err)
    else:
        assert isinstance(value, str) and "-W" in value


def test_a_choice_picker_finds_an_option_by_words_of_its_label() -> None:
    picker = ChoicePicker([(1, "Adam Ross"), (2, "Dana Whitfield"), (3, "Sam Adams")], id="p")
    assert picker.value == 1
    picker.search = "da"
    assert [picker.options[i][0] for i in picker.matches()] == [2, 1, 3]  # Dana starts with it
    picker.search = "sam ad"
    assert [picker.options[i][0] for i in picker.matches()] == [3]
    picker.search = "nobody"
    with pytest.raises(InputError, match="Nothing matches “nobody”"):
        picker.chosen()
    empty = ChoicePicker([], id="e", empty="Add team members first.")
    with pytest.raises(InputError, match="Add team members first"):
        empty.chosen()


def test_form_values_hand_out_the_type_a_caller_asks_for() -> None:
    values = FormValues({"due": date(2026, 12, 1), "title": "Memo", "owner": 3, "gone": None})
    assert values.day("due") == date(2026, 12, 1)
    assert values.text("title") == "Memo"
    assert values.choice("owner") == 3
    assert values.day("gone") is None
    with pytest.raises(TypeError):
        values.day("title")


# -- in the app, with the real keys -------------------------------------------------------


def milestones(app, rock_id: int) -> list:
    view = quarter_rocks(app.db, "2026-Q4", FROZEN_NOW)
    return list(next(r for r in view.company if r.id == rock_id).milestones)


async def open_first_rock(pilot) -> int:
    await pilot.press("3")
    await pilot.pause()
    assert isinstance(pilot.app.screen, RocksScreen)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, RockDetailScreen)
    return pilot.app.screen.rock_id


async def test_an_impossible_date_is_said_under_its_field_and_nothing_is_stored(
    week_app,
) -> None:
    app = week_app
    async with app.run_test(size=(80, 24)) as pilot:
        rock_id = await open_first_rock(pilot)
        before = milestones(app, rock_id)
        await pilot.press("n", *"Shortlist of 3", "enter", *"feb 30", "enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)  # still open
        note = form.query_one("#e-due", Static)
        assert note.display and "There is no 30 February." in shown_text(note)
        assert shown_text(form.query_one("#e-title", Static)).strip() == ""  # only the date's
        assert form.focused is form.query_one("#f-due", Input)
        assert form.query_one("#f-title", Input).value == "Shortlist of 3"  # kept
        assert form.query_one("#f-due", Input).value == "feb 30"
        assert milestones(app, rock_id) == before  # nothing stored
        # Mended, it saves once and the sentence is gone with the dialog.
        await pilot.press(*("backspace" for _ in "30"), *"27", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RockDetailScreen)
        added = [m for m in milestones(app, rock_id) if m.title == "Shortlist of 3"]
        assert [m.due for m in added] == [date(2027, 2, 27)]


async def test_enter_on_a_date_that_does_not_read_stays_on_it(week_app) -> None:
    app = week_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("n", *"Hire a CFO", "enter", "enter", "enter", *"feb 30", "enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.focused is form.query_one("#f-due", Input)  # not on to the goal
        assert "There is no 30 February." in shown_text(form.query_one("#e-due", Static))
        await pilot.press("backspace", "enter")  # feb 3: reads, so on to the next field
        await pilot.pause()
        assert form.focused is form.query_one("#f-goal", ChoicePicker)
        assert shown_text(form.query_one("#e-due", Static)).strip() == "→ Wed 3 Feb 2027"


async def test_a_date_reads_back_under_its_field_while_typed(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await open_first_rock(pilot)
        await pilot.press("n", *"Kick-off", "enter", *"fri")
        await pilot.pause()
        assert shown_text(app.screen.query_one("#e-due", Static)).strip() == "→ Fri 27 Nov 2026"
        await pilot.press("backspace", "backspace", *"eb 3")  # on its way to feb 30
        await pilot.pause()
        assert shown_text(app.screen.query_one("#e-due", Static)).strip() == "→ Wed 3 Feb 2027"
        await pilot.press("0")  # feb 30 reads as nothing: the old reading goes, no error yet
        await pilot.pause()
        assert shown_text(app.screen.query_one("#e-due", Static)).strip() == ""
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, RockDetailScreen)


async def test_a_choice_field_stores_the_chosen_id(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        goals = big_picture(app.db, "2026-Q4", FROZEN_NOW).goals
        goal = next(g for g in goals if g.title == "Grow ARR to $18M")
        await pilot.press("n", *"Open the Berlin office", "enter")
        picker = app.screen.query_one("#f-owner", ChoicePicker)
        assert app.screen.focused is picker
        await pilot.press(*"dana")
        dana = picker.value
        assert picker.label.startswith("Dana")
        await pilot.press("enter", "right", "enter")  # individual
        await pilot.press("enter", *"grow arr", "enter")  # quarter end; the goal by words
        await pilot.press(*"Lease signed", "enter", *"Office opens", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RocksScreen)
        view = quarter_rocks(app.db, "2026-Q4", FROZEN_NOW)
        added = next(r for r in view.individual if r.title == "Open the Berlin office")
        assert (added.owner_id, added.goal_id, added.is_company) == (dana, goal.id, False)


async def test_a_choice_nothing_matches_is_refused_under_it(week_app) -> None:
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        count = len(quarter_rocks(app.db, "2026-Q4", FROZEN_NOW).individual)
        await pilot.press("n", *"Hire a CFO", "enter", *"zzz", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert "Nothing matches “zzz”" in shown_text(app.screen.query_one("#e-owner", Static))
        assert len(quarter_rocks(app.db, "2026-Q4", FROZEN_NOW).individual) == count


async def test_a_core_refusal_about_one_field_is_said_under_it(week_app) -> None:
    """The goal of a new measurable is read in the unit chosen: a cross-field rule."""
    app = week_app
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("4")
        await pilot.pause()
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#f-name", Input).value = "Uptime"
        form.query_one("#f-goal", Input).value = "about right"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "is not a goal like" in shown_text(form.query_one("#e-goal", Static))
        assert form.focused is form.query_one("#f-goal", Input)


def test_text_fields_keep_their_value_and_placeholder() -> None:
    title = TextField("title", "Title", "Memo", "Deep work")
    assert (title.initial_text(), title.hint()) == ("Memo", "Deep work")
    assert ChoiceField("k", "Kind", options=[(True, "company")]).value is None


async def test_a_refusal_reported_is_one_notification_and_the_rest_is_skipped(app) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        after: list[str] = []

        def refused() -> None:
            raise InputError("That task is already done.")

        with app.reporting():
            refused()
            after.append("skipped")
        with app.reporting():
            after.append("ran")
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["That task is already done."]
        assert [n.severity for n in app._notifications] == ["error"]
        assert after == ["ran"]


async def test_keys_typed_right_after_enter_go_to_the_next_field(app) -> None:
    """Enter, then keys at once (one terminal read): they belong to the next field, not
    to the one enter left ("@sam" enter "jj" was saved as "@samjj")."""
    saved: list[tuple[str, str]] = []

    def save(values: FormValues) -> None:
        saved.append((values.text("owner"), values.text("note")))

    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(
            FormScreen("Two fields", [TextField("owner", "Owner"), TextField("note", "Note")], save)
        )
        await settle(pilot)
        typed_at_once(app, *"@sam", "enter", *"jj", "enter")
        await settle(pilot)
    assert saved == [("@sam", "jj")]
