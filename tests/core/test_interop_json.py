"""The JSON export of everything and its import (core/interop): what a user moving or
backing up a desk relies on — every table, keyed by UUID, the same bytes for the same
data, a lossless round trip, an idempotent import, and refusals that change nothing."""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from demo_files import demo_copy
from interop_documents import rows_of
from sqlmodel import SQLModel

from ceodesk.core.domain.meetings import Minutes
from ceodesk.core.interop import ceodesk_json
from ceodesk.core.interop.ceodesk_json import (
    FORMAT_VERSION,
    export_text,
    import_file,
    parse_export,
    write_atomically,
)
from ceodesk.core.interop.tables import BY_NAME, LEFT_OUT, SPECS
from ceodesk.core.kernel.clock import frozen_clock
from ceodesk.core.kernel.errors import CeodeskError, InputError
from ceodesk.core.store.db import SCHEMA_VERSION, open_database

LATER = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)


def export_of(path: Path, now: datetime) -> str:
    db = open_database(path, clock=frozen_clock(now))
    try:
        return export_text(db, now)
    finally:
        db.close()


def without_stamp(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith('"exported_at"'))


@pytest.fixture
def demo(tmp_path, now) -> Path:
    return demo_copy(tmp_path / "demo.db", now)


@pytest.fixture
def exported(demo, tmp_path, now) -> Path:
    path = tmp_path / "export.json"
    path.write_text(export_of(demo, now))
    return path


def test_every_table_is_exported_or_left_out_with_a_reason():
    names = set(SQLModel.metadata.tables)
    assert names == set(BY_NAME) | set(LEFT_OUT)
    assert set(LEFT_OUT) == {"undostep", "revision", "tablerevision"}
    assert all(reason for reason in LEFT_OUT.values())


def test_the_document_has_a_header_and_names_rows_by_uuid(exported, demo, now):
    document = json.loads(exported.read_text())
    assert document["format"] == "ceodesk"
    assert document["format_version"] == FORMAT_VERSION
    assert document["schema_version"] == SCHEMA_VERSION
    assert document["exported_at"] == now.isoformat()
    tables = document["tables"]
    assert set(tables) == set(BY_NAME)
    assert len(tables["task"]) > 10 and len(tables["measurablevalue"]) > 100
    people = {row["uid"] for row in tables["person"]}
    for spec in SPECS:
        for row in tables[spec.name]:
            assert "id" not in row
            if spec.has_id:
                assert str(uuid.UUID(row["uid"])) == row["uid"]
            for reference in spec.references:
                assert reference.column not in row
                value = row[reference.name]
                assert value is None or isinstance(value, str)
    # A task's owner is written as the person's UUID, never a local number.
    owners = [row["owner"] for row in tables["task"] if row["owner"] is not None]
    assert owners and set(owners) <= people
    # A link is named by the rows it links.
    member = tables["teammember"][0]
    assert set(member) == {"team", "person"} and member["person"] in people


def test_two_exports_of_the_same_data_are_the_same_bytes(demo, now):
    assert export_of(demo, now) == export_of(demo, now)


def test_an_export_imported_into_a_new_file_exports_the_same_document(exported, tmp_path, now):
    target = tmp_path / "new" / "copy.db"
    report = import_file(str(target), exported, frozen_clock(LATER))
    total = sum(len(rows) for rows in json.loads(exported.read_text())["tables"].values())
    assert (report.counts.added, report.counts.updated, report.counts.unchanged) == (total, 0, 0)
    assert report.backup is None  # a new file: there was nothing to keep
    assert report.line().startswith(f"Imported {exported}: {total:,} added, 0 updated")
    assert without_stamp(export_of(target, LATER)) == without_stamp(exported.read_text())


def test_importing_the_same_file_again_changes_nothing_and_says_so(exported, tmp_path, now):
    target = tmp_path / "copy.db"
    import_file(str(target), exported, frozen_clock(now))
    before = rows_of(target)
    again = import_file(str(target), exported, frozen_clock(LATER))
    assert not again.counts.changed and again.backup is None
    assert again.line().startswith(f"Nothing to import from {exported}: its ")
    assert rows_of(target) == before  # the change feed did not move either
    assert list(tmp_path.glob("*.bak")) == []


def test_importing_its_own_export_finds_everything_unchanged(demo, exported, now):
    before = rows_of(demo)
    report = import_file(str(demo), exported, frozen_clock(now))
    assert not report.counts.changed
    assert rows_of(demo) == before


def test_stored_minutes_name_the_meeting_by_its_id_in_the_new_database(exported, tmp_path, now):
    target = tmp_path / "copy.db"
    import_file(str(target), exported, frozen_clock(now))
    conn = sqlite3.connect(target)
    try:
        stored = conn.execute(
            "SELECT id, minutes_json FROM meeting WHERE minutes_json IS NOT NULL"
        ).fetchall()
    finally:
        conn.close()
    assert stored
    for meeting_id, text in stored:
        assert Minutes.from_json(text).meeting_id == meeting_id


def edited(exported: Path, change) -> Path:
    document = json.loads(exported.read_text())
    change(document["tables"])
    exported.write_text(json.dumps(document))
    return exported


def test_a_changed_row_is_updated_and_a_new_one_added(demo, exported, now):
    def change(tables):
        tables["task"][0]["title"] = "Renamed in the other desk"
        new = dict(tables["task"][1], uid=str(uuid.uuid4()), title="Only in the file")
        tables["task"].append(new)

    report = import_file(str(demo), edited(exported, change), frozen_clock(now))
    assert (report.counts.added, report.counts.updated) == (1, 1)
    assert report.counts.by_table["task"][:2] == (1, 1)
    conn = sqlite3.connect(demo)
    try:
        titles = {r[0] for r in conn.execute("SELECT title FROM task")}
        revision = conn.execute("SELECT value FROM revision").fetchone()[0]
    finally:
        conn.close()
    assert {"Renamed in the other desk", "Only in the file"} <= titles
    assert revision > 0  # other windows learn of it through the change feed


def test_an_import_that_changes_a_file_keeps_a_copy_from_before(demo, exported, now):
    tasks_before = len([r for r in rows_of(demo) if r.startswith('INSERT INTO "task"')])

    def change(tables):
        tables["task"].append(dict(tables["task"][0], uid=str(uuid.uuid4()), title="New"))

    report = import_file(str(demo), edited(exported, change), frozen_clock(LATER))
    assert report.backup is not None and report.backup.parent == demo.parent
    assert report.backup.name.startswith("demo.db.before-import-")
    assert f"the database as it was is in {report.backup}" in report.line()
    copy = [r for r in rows_of(report.backup) if r.startswith('INSERT INTO "task"')]
    assert len(copy) == tasks_before
    assert oct(report.backup.stat().st_mode & 0o777) == "0o600"


def test_a_database_with_its_own_defaults_gets_no_second_team_or_me(db, db_path, exported, now):
    db.close()
    report = import_file(str(db_path), exported, frozen_clock(now))
    assert report.counts.changed
    conn = sqlite3.connect(db_path)
    try:
        teams = conn.execute("SELECT name FROM team WHERE name = 'Leadership'").fetchall()
        mes = conn.execute("SELECT name FROM person WHERE is_me").fetchall()
        slots = conn.execute(
            "SELECT weekday, start, COUNT(*) FROM idealblock GROUP BY weekday, start, end"
        ).fetchall()
    finally:
        conn.close()
    assert len(teams) == 1
    assert len(mes) == 1
    assert all(count == 1 for _, _, count in slots)
    # And the file imported again finds it all there.
    assert not import_file(str(db_path), exported, frozen_clock(now)).counts.changed


# ------------------------------------------------------------------------- refusals


def refused(target: Path, source: Path, now: datetime) -> str:
    before = rows_of(target)
    with pytest.raises(InputError) as caught:
        import_file(str(target), source, frozen_clock(now))
    assert rows_of(target) == before
    assert list(target.parent.glob("*.bak")) == []
    return str(caught.value)


def test_a_file_that_does_not_exist_is_refused(demo, tmp_path, now, one_sentence):
    message = refused(demo, tmp_path / "nothing.json", now)
    assert message == f"{tmp_path / 'nothing.json'} does not exist."


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"not json at all", "is not a ceodesk export: it is not JSON (line 1, column 1)."),
        (b"\xff\xfe", "is not a ceodesk export: it is not UTF-8 text."),
        (b"[1, 2]", 'lacks the header "format": "ceodesk"'),
        (b'{"format": "taskwarrior"}', 'lacks the header "format": "ceodesk"'),
        (b'{"format": "ceodesk"}', "has no valid format_version"),
        (
            b'{"format": "ceodesk", "format_version": 2, "schema_version": 1, "tables": {}}',
            "was written by a newer ceodesk (export format 2, this one reads up to 1)",
        ),
        (
            b'{"format": "ceodesk", "format_version": 1, "schema_version": 999, "tables": {}}',
            "was written by a newer ceodesk (schema 999",
        ),
        (b'{"format": "ceodesk", "format_version": 1, "schema_version": 1}', "has no tables"),
        (
            b'{"format": "ceodesk", "format_version": 1, "schema_version": 1, '
            b'"tables": {"spaceships": []}}',
            'holds a table ceodesk does not know ("spaceships")',
        ),
        (
            b'{"format": "ceodesk", "format_version": 1, "schema_version": 1, '
            b'"tables": {"measurablevalue": [{"value": NaN}]}}',
            "is not plain JSON",
        ),
    ],
)
def test_a_file_that_is_not_a_ceodesk_export_is_refused(
    demo, tmp_path, now, one_sentence, content, says
):
    source = tmp_path / "bad.json"
    source.write_bytes(content)
    message = refused(demo, source, now)
    assert says in message and message.startswith(str(source))
    assert one_sentence(message)


def first_row(table: str, **changes):
    def change(tables):
        tables[table][0].update(changes)

    return change


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (
            first_row("task", estimate_minutes="abc"),
            'has “"abc"” for estimate_minutes, which is not a whole number',
        ),
        (
            first_row("task", due_date="2026-02-30"),
            "for due_date, which is not a date like 2026-11-25",
        ),
        (first_row("timeblock", start="25:00"), "for start, which is not a time like 09:30"),
        (first_row("measurablevalue", value="12k"), "for value, which is not a number"),
        (first_row("task", important="yes"), "for important, which is not true or false"),
        (first_row("task", title=None), "has no value for title, which it needs"),
        (first_row("task", title=7), "for title, which is not text"),
        (first_row("issue", raised_at="last week"), "for raised_at, which is not an instant"),
        (first_row("task", uid="task-1"), "for uid, which is not a UUID"),
        (first_row("task", colour="red"), "has a field ceodesk does not know (colour)"),
        (
            first_row("task", owner=str(uuid.UUID(int=7))),
            "names a person (owner 00000000-0000-0000-0000-000000000007) that is neither "
            "in the file nor in this database",
        ),
        (first_row("timeblock", category=None), "has no value for category, which it needs"),
        (first_row("task", estimate_minutes=2**70), "which is not a whole number"),
    ],
)
def test_a_row_that_does_not_fit_is_refused_and_nothing_is_written(
    demo, exported, now, one_sentence, change, says
):
    # A change the import would make before reaching the bad row is not written either.
    def with_a_good_change_first(tables):
        tables["person"].append(dict(tables["person"][1], uid=str(uuid.uuid4()), is_me=False))
        change(tables)

    message = refused(demo, edited(exported, with_a_good_change_first), now)
    assert says in message, message
    assert message.endswith(", so nothing was imported.")
    assert one_sentence(message)


def test_a_row_twice_in_the_file_is_refused(demo, exported, now, one_sentence):
    def twice(tables):
        tables["task"].append(dict(tables["task"][0]))

    message = refused(demo, edited(exported, twice), now)
    assert "is in the file twice" in message and one_sentence(message)


def test_rows_that_clash_with_stored_unique_names_are_refused(demo, exported, now, one_sentence):
    def clash(tables):
        tables["category"][0]["name"] = tables["category"][1]["name"]

    message = refused(demo, edited(exported, clash), now)
    assert "category rows clash with this database's" in message and one_sentence(message)


def test_a_refused_import_into_a_new_file_leaves_no_database_behind(exported, tmp_path, now):
    edited(exported, first_row("task", due_date="2026-02-30"))
    target = tmp_path / "new.db"
    with pytest.raises(InputError):
        import_file(str(target), exported, frozen_clock(now))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.db", "export.json"]


def test_a_reference_to_a_rock_added_by_the_same_import_is_linked(demo, exported, now):
    def rolled(tables):
        new = dict(tables["rock"][0], uid=str(uuid.uuid4()), slug="rolled-on", title="Next")
        new["rolled_from"] = None
        newer = dict(new, uid=str(uuid.uuid4()), slug="rolled-again", rolled_from=new["uid"])
        tables["rock"] += [newer, new]  # the Rock it rolled from comes later in the file

    import_file(str(demo), edited(exported, rolled), frozen_clock(now))
    conn = sqlite3.connect(demo)
    try:
        [(linked,)] = conn.execute(
            "SELECT r2.slug FROM rock r1 JOIN rock r2 ON r1.rolled_from_id = r2.id "
            "WHERE r1.slug = 'rolled-again'"
        ).fetchall()
    finally:
        conn.close()
    assert linked == "rolled-on"


def test_parse_export_refuses_infinity_written_as_a_huge_number(demo, exported, now):
    edited(exported, first_row("measurablevalue", value=123456789.5))
    exported.write_text(exported.read_text().replace("123456789.5", "1e999", 1))
    assert "for value, which is not a number" in refused(demo, exported, now)


# ---------------------------------------------------------------------- the -o file


def test_the_file_is_replaced_only_once_complete(tmp_path, monkeypatch):
    target = tmp_path / "backup.json"
    target.write_text("the export of yesterday")

    def broken_rename(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ceodesk_json.os, "replace", broken_rename)
    with pytest.raises(CeodeskError) as caught:
        write_atomically("{}", target)
    assert "could not be written (No space left on device)" in str(caught.value)
    assert target.read_text() == "the export of yesterday"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.json"]


def test_the_file_is_private_and_a_missing_folder_is_refused(tmp_path):
    target = tmp_path / "out.json"
    write_atomically("{}\n", target)
    assert target.read_text() == "{}\n"
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    with pytest.raises(CeodeskError, match="does not exist, so nothing was written"):
        write_atomically("{}", tmp_path / "missing" / "out.json")


def test_control_characters_never_reach_the_terminal_in_an_export(db, now):
    from ceodesk.core.views.capture import add_task

    add_task(db, "Plain title", now)
    with db.session() as session:  # text stored before the cleaning rule, by another tool
        session.execute(
            __import__("sqlalchemy").text("UPDATE task SET notes = :n"),
            {"n": "bell\x07 csi\x9b del\x7f"},
        )
        session.commit()
    text = export_text(db, now)
    assert not any(0x7F <= ord(c) <= 0x9F or (ord(c) < 0x20 and c != "\n") for c in text)
    assert json.loads(text)["tables"]["task"][0]["notes"] == "bell\x07 csi\x9b del\x7f"


def test_parse_export_names_its_source(one_sentence):
    with pytest.raises(InputError) as caught:
        parse_export("{", "backup.json")
    assert str(caught.value).startswith("backup.json is not a ceodesk export")
    assert os.sep not in str(caught.value)


def test_a_stored_rock_linked_to_a_rock_the_import_adds_counts_as_updated(demo, exported, now):
    def relink(tables):
        new = dict(tables["rock"][0], uid=str(uuid.uuid4()), slug="the-one-before")
        new["rolled_from"] = None
        tables["rock"][0]["rolled_from"] = new["uid"]
        tables["rock"].append(new)

    report = import_file(str(demo), edited(exported, relink), frozen_clock(now))
    assert report.counts.by_table["rock"][:2] == (1, 1)
    assert not import_file(str(demo), exported, frozen_clock(now)).counts.changed


def test_a_file_with_no_rows_says_so(demo, tmp_path, now):
    source = tmp_path / "empty.json"
    source.write_text(
        '{"format": "ceodesk", "format_version": 1, "schema_version": 13, "tables": {"task": []}}'
    )
    report = import_file(str(demo), source, frozen_clock(now))
    assert report.line() == f"Nothing to import from {source}: it holds no rows."


def test_text_with_control_characters_is_stored_clean(demo, exported, now):
    edited(exported, first_row("task", title="Board\x1b]52;c;evil\x07 deck"))
    import_file(str(demo), exported, frozen_clock(now))
    conn = sqlite3.connect(demo)
    try:
        titles = [r[0] for r in conn.execute("SELECT title FROM task WHERE title LIKE 'Board%'")]
    finally:
        conn.close()
    assert "Board]52;c;evil deck" in titles
    # The cleaned title is what the file means: importing it again changes nothing.
    assert not import_file(str(demo), exported, frozen_clock(now)).counts.changed


def test_an_import_into_memory_says_it_made_no_copy(exported, now):
    report = import_file(":memory:", exported, frozen_clock(now))
    assert report.counts.changed and report.backup is None
    assert report.line().endswith(
        "; no copy was made (it is not a database file), so it cannot be undone."
    )
