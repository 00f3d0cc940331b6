"""Settings, block categories and what a new database starts with."""

from __future__ import annotations

from datetime import time

import pytest

from ceodesk.core.domain.people import list_people
from ceodesk.core.domain.settings import (
    DEFAULT_CATEGORIES,
    add_category,
    edit_category,
    is_time_zone,
    list_categories,
    load_settings,
    parse_clock,
    save_settings,
    seed_defaults,
    set_category_archived,
    system_time_zone,
)
from ceodesk.core.kernel.errors import CeodeskError, InputError, NotFoundError
from ceodesk.core.store.db import open_database

GOOD = {
    "my_name": "Alex Morgan",
    "time_zone": "Europe/Berlin",
    "day_start": "7:30",
    "day_end": "18:00",
}


# ---------------------------------------------------------------- a new database


def test_new_database_has_the_eight_default_categories_in_order(db):
    assert [c.name for c in list_categories(db)] == [
        "deep work",
        "meetings",
        "admin",
        "strategic planning",
        "team collaboration",
        "people",
        "personal",
        "buffer",
    ]
    assert [(c.name, c.colour, c.kind) for c in list_categories(db)] == list(DEFAULT_CATEGORIES)
    assert [c.kind for c in list_categories(db)] == [
        "deep_work",
        "meetings",
        "admin",
        "strategic_planning",
        "team_collaboration",
        "people",
        "personal",
        "buffer",
    ]
    assert not any(c.archived for c in list_categories(db))


def test_new_database_has_a_leadership_team_with_you_in_it(db):
    [you] = list_people(db)
    assert you.is_me
    assert "Leadership" in you.teams


def test_new_database_takes_the_zone_from_tz(tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    db = open_database(tmp_path / "ny.db", seed=seed_defaults)
    try:
        assert load_settings(db).time_zone == "America/New_York"
    finally:
        db.close()


def test_new_database_working_day_is_seven_to_seven(db):
    settings = load_settings(db)
    assert settings.time_zone == "UTC"
    assert (settings.day_start, settings.day_end) == (time(7, 0), time(19, 0))


# ---------------------------------------------------------------------- settings


def test_save_settings_stores_every_field(db):
    saved = save_settings(db, **GOOD)
    assert saved == load_settings(db)
    assert saved.my_name == "Alex Morgan"
    assert saved.time_zone == "Europe/Berlin"
    assert str(saved.zone) == "Europe/Berlin"
    assert (saved.day_start, saved.day_end) == (time(7, 30), time(18, 0))
    assert [p.name for p in list_people(db) if p.is_me] == ["Alex Morgan"]


def test_saved_settings_are_undoable(db):
    before = load_settings(db)
    save_settings(db, **GOOD)
    assert db.undo() == "Changed settings"
    assert load_settings(db) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("time_zone", "Mars/Base"),
        ("time_zone", ""),
        ("time_zone", "../../etc/passwd"),
        ("time_zone", "/etc/localtime"),
        ("day_start", "25:00"),
        ("day_start", "7am"),
        ("day_start", "07:60"),
        ("day_end", ""),
        ("day_end", "seven"),
        ("day_start", "19:00"),
        ("day_end", "07:00"),
        ("day_start", "19:30"),
        ("my_name", "   "),
    ],
)
def test_invalid_settings_store_nothing(db, field, value, one_sentence):
    before = load_settings(db)
    with pytest.raises(InputError) as refused:
        save_settings(db, **{**GOOD, "day_start": "07:00", "day_end": "19:00", field: value})
    assert one_sentence(str(refused.value)), str(refused.value)
    assert load_settings(db) == before
    with pytest.raises(CeodeskError, match="Nothing to undo"):
        db.undo()


def test_mars_is_not_a_time_zone(db):
    with pytest.raises(InputError, match="Mars/Base is not an IANA time zone"):
        save_settings(db, **{**GOOD, "time_zone": "Mars/Base"})


@pytest.mark.parametrize("zone", ["Europe", "America"])
def test_a_region_folder_is_not_a_time_zone(db, zone):
    with pytest.raises(InputError):
        save_settings(db, **{**GOOD, "time_zone": zone})


def test_a_region_folder_in_tz_falls_back_to_another_zone(monkeypatch):
    monkeypatch.setenv("TZ", "Europe")
    assert is_time_zone(system_time_zone())


@pytest.mark.parametrize(
    ("text", "expected"),
    [("7:00", time(7)), ("07:30", time(7, 30)), (" 23:59 ", time(23, 59)), ("0:00", time(0))],
)
def test_clock_strings(text, expected):
    assert parse_clock(text) == expected


@pytest.mark.parametrize("text", ["24:00", "7", "7.30", "7:5", "", "-1:00"])
def test_bad_clock_strings(text):
    with pytest.raises(InputError):
        parse_clock(text)


def test_tz_with_a_leading_colon_is_understood(monkeypatch):
    monkeypatch.setenv("TZ", ":Asia/Tokyo")
    assert system_time_zone() == "Asia/Tokyo"


def test_nonsense_tz_is_not_used(monkeypatch):
    monkeypatch.setenv("TZ", "Mars/Base")
    assert system_time_zone() != "Mars/Base"
    assert is_time_zone(system_time_zone())


# -------------------------------------------------------------------- categories


def test_added_category_goes_last_normalised(db):
    added = add_category(db, "  Customer   Calls ", " #AABBCC ")
    assert (added.name, added.colour, added.archived) == ("customer calls", "#aabbcc", False)
    assert list_categories(db)[-1] == added


def test_a_category_the_user_makes_is_of_kind_other(db):
    added = add_category(db, "deep work 2", "#aabbcc")
    assert added.kind == "other"
    assert next(c for c in list_categories(db) if c.id == added.id).kind == "other"


def test_category_edit_changes_name_and_colour(db):
    admin = next(c for c in list_categories(db) if c.name == "admin")
    edit_category(db, admin.id, "Email & admin", "#123456")
    shown = next(c for c in list_categories(db) if c.id == admin.id)
    assert (shown.name, shown.colour) == ("email & admin", "#123456")
    assert [c.id for c in list_categories(db)].index(admin.id) == 2


def test_renaming_a_category_keeps_its_kind(db):
    deep = next(c for c in list_categories(db) if c.name == "deep work")
    edit_category(db, deep.id, "Focus time", "#4c78a8")
    shown = next(c for c in list_categories(db) if c.id == deep.id)
    assert (shown.name, shown.kind) == ("focus time", "deep_work")
    db.undo()
    shown = next(c for c in list_categories(db) if c.id == deep.id)
    assert (shown.name, shown.kind) == ("deep work", "deep_work")


def test_category_can_keep_its_name_when_recoloured(db):
    admin = next(c for c in list_categories(db) if c.name == "admin")
    edit_category(db, admin.id, "admin", "#000000")
    assert next(c for c in list_categories(db) if c.id == admin.id).colour == "#000000"


def test_archived_category_is_hidden_from_new_blocks_and_can_return(db):
    buffer = next(c for c in list_categories(db) if c.name == "buffer")
    set_category_archived(db, buffer.id, True)
    assert "buffer" not in [c.name for c in list_categories(db, include_archived=False)]
    assert next(c for c in list_categories(db) if c.id == buffer.id).archived
    assert db.undo() == "Archived category buffer"
    assert "buffer" in [c.name for c in list_categories(db, include_archived=False)]
    set_category_archived(db, buffer.id, True)
    set_category_archived(db, buffer.id, False)
    assert "buffer" in [c.name for c in list_categories(db, include_archived=False)]


@pytest.mark.parametrize("name", ["deep work", "Deep  Work", "MEETINGS"])
def test_duplicate_category_name_is_refused(db, name):
    with pytest.raises(InputError, match="already a category"):
        add_category(db, name, "#123456")
    assert len(list_categories(db)) == 8


def test_renaming_a_category_onto_another_is_refused(db):
    admin = next(c for c in list_categories(db) if c.name == "admin")
    with pytest.raises(InputError):
        edit_category(db, admin.id, "meetings", "#123456")
    assert next(c for c in list_categories(db) if c.id == admin.id).name == "admin"


@pytest.mark.parametrize("colour", ["red", "#12345", "#1234567", "123456", "#GGGGGG", ""])
def test_bad_colour_is_refused(db, colour, one_sentence):
    with pytest.raises(InputError) as refused:
        add_category(db, "travel", colour)
    assert one_sentence(str(refused.value)), str(refused.value)
    assert "travel" not in [c.name for c in list_categories(db)]


def test_a_category_needs_a_name(db):
    with pytest.raises(InputError):
        add_category(db, "   ", "#123456")


def test_editing_a_missing_category_is_not_found(db):
    with pytest.raises(NotFoundError):
        edit_category(db, 999, "travel", "#123456")
