"""``ceodesk export --format json`` and ``ceodesk import FILE --from ceodesk`` as a user
runs them: everything out, back in a new file, again with nothing to do, and every
mistake one sentence on stderr with exit code 2 and the database as it was."""

from __future__ import annotations

import json
import sqlite3
import uuid

import pytest

pytestmark = pytest.mark.slow


def rows_of(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def without_stamp(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith('"exported_at"'))


@pytest.fixture
def exported(run_main, demo_db, tmp_path):
    """The demo exported with -o, in this process (the next test runs export as a
    subprocess and compares the two)."""
    target = tmp_path / "desk.json"
    result = run_main("export", "--format", "json", "-o", str(target), "--db", str(demo_db))
    assert result.returncode == 0, result.stderr
    assert (result.stdout, result.stderr) == ("", "")
    return target


def test_export_prints_everything_as_json_on_stdout(run_cli, demo_db, exported):
    result = run_cli("--db", str(demo_db), "export")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert document["format"] == "ceodesk" and document["format_version"] == 1
    assert {"task", "timeblock", "rock", "measurablevalue", "meeting"} <= set(document["tables"])
    assert "undostep" not in document["tables"]
    # -o wrote the same document, readable by its owner only.
    assert without_stamp(exported.read_text()) == without_stamp(result.stdout)
    assert oct(exported.stat().st_mode & 0o777) == "0o600"


def test_import_into_a_new_file_then_again_then_the_same_export(run_cli, exported, tmp_path):
    copy = tmp_path / "copy.db"
    first = run_cli("import", str(exported), "--db", str(copy))
    assert first.returncode == 0, first.stderr
    assert first.stderr == ""
    assert first.stdout.startswith(f"Imported {exported}: ")
    assert " added, 0 updated, 0 unchanged." in first.stdout
    assert first.stdout.count("\n") == 1
    again = run_cli("import", str(exported), "--from", "ceodesk", "--db", str(copy))
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(f"Nothing to import from {exported}: its ")
    back = run_cli("export", "--db", str(copy))
    assert without_stamp(back.stdout) == without_stamp(exported.read_text())


def test_an_import_that_changes_the_database_says_where_the_copy_from_before_is(
    run_cli, demo_db, exported
):
    document = json.loads(exported.read_text())
    document["tables"]["task"][0]["title"] = "Changed in the other desk"
    document["tables"]["task"].append(
        dict(document["tables"]["task"][1], uid=str(uuid.uuid4()), title="A new task")
    )
    exported.write_text(json.dumps(document))
    result = run_cli("import", str(exported), "--db", str(demo_db))
    assert result.returncode == 0, result.stderr
    assert ": 1 added, 1 updated, " in result.stdout
    [backup] = demo_db.parent.glob("demo.db.before-import-*.bak")
    assert f"the database as it was is in {backup}." in result.stdout
    titles = [r for r in rows_of(backup) if "Changed in the other desk" in r]
    assert titles == []  # the copy is from before


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (None, "does not exist."),
        ("{not json", "is not a ceodesk export: it is not JSON (line 1, column 2)."),
        (
            '{"tasks": []}',
            'is not a ceodesk export: it lacks the header "format": "ceodesk" that '
            "ceodesk export writes.",
        ),
        (
            '{"format": "ceodesk", "format_version": 7, "schema_version": 1, "tables": {}}',
            "was written by a newer ceodesk (export format 7, this one reads up to 1): "
            "upgrade ceodesk to import it.",
        ),
    ],
)
def test_a_bad_file_is_one_sentence_and_exit_2(
    run_cli, run_main, demo_db, tmp_path, one_sentence, content, says
):
    source = tmp_path / "in.json"
    if content is not None:
        source.write_text(content)
    before = rows_of(demo_db)
    run = run_cli if content is None else run_main  # one through the entry point
    result = run("import", str(source), "--db", str(demo_db))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"{source} {says}\n"
    assert one_sentence(result.stderr)
    assert "Traceback" not in result.stderr
    assert rows_of(demo_db) == before


def test_a_bad_row_names_itself_and_nothing_is_imported(run_cli, demo_db, exported, one_sentence):
    document = json.loads(exported.read_text())
    task = document["tables"]["task"][3]
    task["estimate_minutes"] = "abc"
    document["tables"]["task"][0]["title"] = "A change before the bad row"
    exported.write_text(json.dumps(document))
    before = rows_of(demo_db)
    result = run_cli("import", str(exported), "--db", str(demo_db))
    assert result.returncode == 2
    assert result.stderr == (
        f'The file\'s task {task["uid"]} has “"abc"” for estimate_minutes, which is not '
        "a whole number, so nothing was imported.\n"
    )
    assert one_sentence(result.stderr)
    assert rows_of(demo_db) == before
    assert list(demo_db.parent.glob("*.bak")) == []


def test_a_refused_import_into_a_new_file_leaves_no_file(run_cli, exported, tmp_path):
    exported.write_text(exported.read_text().replace('"due_date": "', '"due_date": "x', 1))
    target = tmp_path / "new.db"
    result = run_cli("import", str(exported), "--db", str(target))
    assert result.returncode == 2
    assert "which is not a date like 2026-11-25, so nothing was imported." in result.stderr
    assert not target.exists()


def test_export_to_a_missing_folder_is_refused(run_cli, demo_db, tmp_path, one_sentence):
    target = tmp_path / "missing" / "desk.json"
    result = run_cli("export", "-o", str(target), "--db", str(demo_db))
    assert result.returncode == 2
    assert result.stderr == f"The folder {target.parent} does not exist, so nothing was written.\n"
    assert one_sentence(result.stderr)


@pytest.mark.parametrize(
    "args",
    [
        ("export", "--format", "md"),
        ("export", "--format", "ics"),
        ("import", "x.json", "--from", "taskwarrior"),
        ("import", "x.json", "--from", "csv"),
    ],
)
def test_formats_not_built_yet_are_not_offered(run_cli, run_main, demo_db, args):
    run = run_cli if args[0] == "export" and args[2] == "md" else run_main
    result = run(*args, "--db", str(demo_db))
    assert result.returncode == 2
    assert "invalid choice" in result.stderr
    assert "json" in result.stderr or "ceodesk" in result.stderr


def test_a_meaningless_value_names_its_row_and_what_is_allowed(
    run_cli, demo_db, exported, one_sentence
):
    document = json.loads(exported.read_text())
    issue = document["tables"]["issue"][0]
    issue["term"] = "medium"
    exported.write_text(json.dumps(document))
    before = rows_of(demo_db)
    result = run_cli("import", str(exported), "--db", str(demo_db))
    assert result.returncode == 2
    assert result.stderr == (
        f'The file\'s issue {issue["uid"]} has “"medium"” for term, which is not one of '
        "short or long, so nothing was imported.\n"
    )
    assert one_sentence(result.stderr.replace("“", "").replace("”", ""))
    assert rows_of(demo_db) == before
    assert list(demo_db.parent.glob("*.bak")) == []


@pytest.mark.parametrize("how", ["--db", "CEODESK_DB", "the default place"])
def test_export_of_a_database_that_is_not_there_is_refused_and_makes_none(
    run_cli, cli_env, tmp_path, one_sentence, how
):
    missing = tmp_path / "nowhere" / "desk.db" if how != "--db" else tmp_path / "desk.db"
    target = tmp_path / "out.json"
    if how == "--db":
        result = run_cli("export", "-o", str(target), "--db", str(missing))
    elif how == "CEODESK_DB":
        missing.parent.mkdir()
        result = run_cli("export", "-o", str(target), env={"CEODESK_DB": str(missing)})
    else:
        result = run_cli("export", "-o", str(target))  # the home is empty
        missing = None
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("There is no database at ")
    if missing is None:  # the first use: it says how to begin (test_cli_missing_database)
        assert " yet, so nothing was exported: start your desk with " in result.stderr
    else:
        assert result.stderr.endswith(", so nothing was exported.\n")
    assert one_sentence(result.stderr)
    if missing is not None:
        assert str(missing) in result.stderr
        assert not missing.exists()
    assert not target.exists()
    # Nothing was made anywhere under the user's home or the test's folder.
    made = [p for p in tmp_path.rglob("*") if p.suffix in (".db", ".db-wal", ".db-shm")]
    assert made == []
