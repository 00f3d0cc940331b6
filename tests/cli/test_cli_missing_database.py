"""A command that only reads, or only changes what is already there, refuses a database
that is not there: a mistyped ``--db`` gets one sentence naming the path (exit 2), never
an empty desk's output and a stray new file. Commands that capture something new keep
creating the database, as on a first run."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

# Each command that needs a database already there, and the end of its refusal.
NEEDS_A_DATABASE = {
    "review": (["review"], "so there is no review to print"),
    "review --month": (["review", "--month", "2026-11"], "so there is no review to print"),
    "review --format json": (["review", "--format", "json"], "so there is no review to print"),
    "minutes": (["minutes"], "so there are no minutes to print"),
    "minutes --meeting": (["minutes", "--meeting", "3"], "so there are no minutes to print"),
    "todos": (["todos", "--mine", "--overdue"], "so there are no to-dos to list"),
    "update": (["update", "--week", "2026-W48"], "so there is no update to print"),
    "kpi set": (["kpi", "set", "Leads", "42"], "so no value was recorded"),
    "todo done": (["todo", "done", "12"], "so no to-do was marked done"),
    "export": (["export"], "so nothing was exported"),
}


def _made_files(root) -> list:
    return [p for p in root.rglob("*") if p.suffix in (".db", ".db-wal", ".db-shm")]


# A subprocess for one command of each test (the entry point's exit 2); the others run
# in this process (each command's own exit 2 from a subprocess is proven in its file).
IN_A_SUBPROCESS = {"mistyped": "review", "first use": "todos"}


@pytest.mark.parametrize("command", NEEDS_A_DATABASE, ids=str)
def test_a_mistyped_db_is_refused_in_one_sentence_and_no_file_is_made(
    run_cli, run_main, tmp_path, one_sentence, command
):
    words, consequence = NEEDS_A_DATABASE[command]
    missing = tmp_path / "ceodsk.db"
    run = run_cli if command == IN_A_SUBPROCESS["mistyped"] else run_main
    result = run(*words, "--db", str(missing))
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr == f"There is no database at {missing}, {consequence}.\n"
    assert one_sentence(result.stderr)
    assert _made_files(tmp_path) == []


@pytest.mark.parametrize("command", NEEDS_A_DATABASE, ids=str)
def test_before_the_first_use_the_refusal_says_how_to_start(
    run_cli, run_main, cli_env, tmp_path, one_sentence, command
):
    words, consequence = NEEDS_A_DATABASE[command]
    run = run_cli if command == IN_A_SUBPROCESS["first use"] else run_main
    result = run(*words)  # the home is empty: no database in the data folder yet
    default = f"{cli_env['XDG_DATA_HOME']}/ceodesk/ceodesk.db"
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr == (
        f"There is no database at {default} yet, {consequence}: start your desk with "
        'ceodesk add "TEXT" or ceodesk, or look around in ceodesk --demo.\n'
    )
    assert one_sentence(result.stderr)
    assert _made_files(tmp_path) == []


@pytest.mark.parametrize("how", ["--db before the command", "CEODESK_DB", "sqlite URL"])
def test_every_way_of_naming_the_database_is_checked(run_cli, tmp_path, how):
    missing = tmp_path / "nowhere" / "desk.db"
    if how == "CEODESK_DB":
        result = run_cli("todos", env={"CEODESK_DB": str(missing)})
    elif how == "sqlite URL":
        result = run_cli("todos", "--db", f"sqlite:///{missing}")
    else:
        result = run_cli("--db", str(missing), "todos")
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"There is no database at {missing}, so there are no to-dos to list.\n"
    assert _made_files(tmp_path) == []


def test_a_bad_number_is_still_named_before_the_missing_database(run_cli, tmp_path):
    result = run_cli("todo", "done", "twelve", "--db", str(tmp_path / "desk.db"))
    assert result.returncode == 2
    assert result.stderr == "A to-do is named by its number, like 12, not “twelve”.\n"


def test_commands_that_capture_something_new_still_create_the_database(run_cli, tmp_path):
    issue_db = tmp_path / "issues.db"
    result = run_cli("issue", "add", "Support is at capacity", "--db", str(issue_db))
    assert result.returncode == 0, result.stderr
    assert issue_db.exists()
    # ... and the database they made is then read like any other.
    result = run_cli("todos", "--db", str(issue_db))
    assert (result.returncode, result.stdout) == (0, "No open to-dos.\n")
