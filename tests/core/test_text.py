"""Stored text never drives the terminal: control characters are cleaned at the way in
and shown as visible symbols at the way out."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceodesk.core.domain.goals import save_big_picture
from ceodesk.core.domain.people import add_person, rename_person
from ceodesk.core.domain.scorecard import add_measurable
from ceodesk.core.kernel.errors import InputError
from ceodesk.core.kernel.text import clean_input, clean_title, has_controls, inert, one_line
from ceodesk.core.views.capture import add_task, edit_task

CLIPBOARD = "Probe \x1b]52;c;cm0gLXJmIH4K\x07"  # would put "rm -rf ~" on the clipboard
TITLE = "\x1b]0;pwned\x07Renamed window"
CLEAR = "Clear \x1b[2Jscreen \x9b31m"  # ESC [ and the one-byte C1 CSI


def stored(db_path, query: str) -> list[str]:
    conn = sqlite3.connect(db_path)
    try:
        return [row[0] for row in conn.execute(query)]
    finally:
        conn.close()


def test_inert_shows_each_control_character_as_a_visible_symbol():
    assert inert(CLIPBOARD) == "Probe ␛]52;c;cm0gLXJmIH4K␇"
    assert inert(CLEAR) == "Clear ␛[2Jscreen <9B>31m"
    assert inert("two\nlines\tand\x7f") == "two␊lines␉and␡"
    assert inert("two\nlines\tkept", keep_lines=True) == "two\nlines\tkept"
    assert inert("Prep board deck · “quoted” é 漢") == "Prep board deck · “quoted” é 漢"


def test_clean_input_removes_controls_and_keeps_lines_only_where_a_field_has_them():
    assert clean_input(CLIPBOARD) == "Probe ]52;c;cm0gLXJmIH4K"
    assert clean_input("one\r\ntwo\tthree\nfour") == "one two three four"
    assert clean_input("one\r\ntwo\r\x1b[2Jthree", multiline=True) == "one\ntwo\n[2Jthree"


@given(st.text())
def test_nothing_inert_or_cleaned_can_hold_a_control_character(text):
    assert not has_controls(inert(text))
    assert not has_controls(clean_input(text))
    assert not has_controls(clean_input(text, multiline=True).replace("\n", "").replace("\t", ""))


def test_a_task_title_is_stored_without_escape_sequences(db, db_path, now):
    task = add_task(db, f"{CLIPBOARD} !i", now)
    edit_task(db, add_task(db, "Second", now).id, f"{TITLE} {CLEAR}", now)
    titles = stored(db_path, "SELECT title FROM task ORDER BY id")
    assert titles == ["Probe ]52;c;cm0gLXJmIH4K", "]0;pwnedRenamed window Clear [2Jscreen 31m"]
    assert not has_controls(task.title)  # what the caller shows is clean too


def test_names_of_people_and_measurables_are_stored_clean(db, db_path):
    person = add_person(db, f"Dana {TITLE}")
    rename_person(db, person.id, f"Dana {CLEAR}")
    add_measurable(db, f"Leads {CLIPBOARD}", person.id, "number", ">=", 3, from_week="2026-W48")
    for query in ("SELECT name FROM person", "SELECT name FROM measurable"):
        assert not any(has_controls(name) for name in stored(db_path, query))


def test_a_multi_line_field_keeps_its_lines_but_not_its_escapes(db, db_path):
    save_big_picture(
        db,
        horizon=None,
        revenue="$50M",
        profit="",
        measurables="NPS 60\n\x1b[2J200 customers",
        picture="We are the default.\nEveryone \x1b]0;x\x07knows.",
    )
    [(measurables, picture)] = [
        row
        for row in sqlite3.connect(db_path).execute("SELECT measurables, picture FROM bigpicture")
    ]
    assert measurables == "NPS 60\n[2J200 customers"
    assert picture == "We are the default.\nEveryone ]0;xknows."


def test_one_line_squeezes_every_run_of_whitespace() -> None:
    assert one_line("  Weekly \t sync\n with  Jordan ") == "Weekly sync with Jordan"


def test_clean_title_refuses_empty_and_too_long_in_one_sentence() -> None:
    assert clean_title(" Board \n prep ", "A block") == "Board prep"
    with pytest.raises(InputError, match=r"^A block needs a title\.$"):
        clean_title(" \t ", "A block")
    with pytest.raises(InputError, match=r"^A measurable's name can be at most 5 characters"):
        clean_title("Revenue", "A measurable", field="name", longest=5)
