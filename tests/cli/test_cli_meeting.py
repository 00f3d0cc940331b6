"""``ceodesk issue add``, ``todos``, ``todo done`` and ``minutes`` from the shell."""

from __future__ import annotations

import sqlite3

import pytest

pytestmark = pytest.mark.slow


def _issues(path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT i.title, i.term, p.name FROM issue i LEFT JOIN person p ON p.id = i.owner_id"
            " WHERE i.status = 'open' ORDER BY i.id"
        ).fetchall()
    finally:
        conn.close()


def test_issue_add_reads_owner_and_term(run_cli, demo_db):
    result = run_cli("issue", "add", "Support is at capacity @dana #long", "--db", str(demo_db))
    assert result.returncode == 0, result.stderr
    assert "(long-term, owner Dana Whitfield): Support is at capacity" in result.stdout
    assert _issues(demo_db)[-1] == ("Support is at capacity", "long", "Dana Whitfield")


@pytest.mark.parametrize(
    "text", ["@dana #long", "Churn @nobody", "Churn @dana @sam", "Churn #later", "Churn @"]
)
def test_bad_issue_text_is_one_sentence_and_exit_2(run_cli, run_main, demo_db, one_sentence, text):
    before = _issues(demo_db)
    run = run_cli if text == "@dana #long" else run_main  # one through the entry point
    result = run("issue", "add", text, "--db", str(demo_db))
    assert result.returncode == 2 and result.stdout == ""
    assert one_sentence(result.stderr) and "Traceback" not in result.stderr
    assert _issues(demo_db) == before


def test_todos_lists_mine_and_overdue_and_todo_done_completes_one(run_cli, run_main, demo_db):
    # todos and todo done through the entry point; the other listings in this process.
    listed = run_cli("todos", "--db", str(demo_db))
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert len(lines) >= 5 and all(line.startswith("#") and "[ ]" in line for line in lines)
    overdue = run_main("todos", "--overdue", "--db", str(demo_db)).stdout.splitlines()
    assert overdue and all("overdue" in line for line in overdue)
    mine = run_main("todos", "--mine", "--db", str(demo_db)).stdout.splitlines()
    assert mine == ["No open to-dos."] or all("Alex Morgan" in line for line in mine)
    number = lines[0].split()[0].lstrip("#")
    done = run_cli("todo", "done", number, "--db", str(demo_db))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Done: #{number} [x] ") and "done)" in done.stdout
    after = run_main("todos", "--db", str(demo_db)).stdout.splitlines()
    assert len(after) == len(lines) - 1


@pytest.mark.parametrize("ref", ["999", "abc"])
def test_todo_done_refuses_an_unknown_number(run_cli, run_main, demo_db, one_sentence, ref):
    run = run_cli if ref == "999" else run_main  # one through the entry point
    result = run("todo", "done", ref, "--db", str(demo_db))
    assert result.returncode == 2 and one_sentence(result.stderr)


def test_minutes_prints_the_last_meeting_as_markdown(run_cli, run_main, demo_db):
    last = run_cli("minutes", "--last", "--db", str(demo_db))  # the others in this process
    assert last.returncode == 0, last.stderr
    assert last.stdout.startswith("# Leadership weekly meeting, ")
    for heading in ("## Attendees", "## Time per section", "## Issues solved", "## Ratings"):
        assert heading in last.stdout
    assert run_main("minutes", "--db", str(demo_db)).stdout == last.stdout
    first = run_main("minutes", "--meeting", "1", "--db", str(demo_db))
    assert first.returncode == 0 and first.stdout != last.stdout


def test_minutes_of_an_unknown_meeting_is_one_sentence(run_cli, run_main, demo_db, one_sentence):
    result = run_cli("minutes", "--meeting", "99", "--db", str(demo_db))
    assert result.returncode == 2 and one_sentence(result.stderr)
    fresh = run_main("minutes", "--db", str(demo_db.parent / "new.db"))
    assert fresh.returncode == 2 and one_sentence(fresh.stderr)


def test_stored_text_prints_inert(run_cli, demo_db):
    result = run_cli("issue", "add", "Evil \x1b]0;pwned\x07 title", "--db", str(demo_db))
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    conn = sqlite3.connect(demo_db)
    conn.execute("UPDATE todo SET title = 'Bad \x1b[2J one', done_at = NULL WHERE id = 1")
    conn.commit()
    conn.close()
    listed = run_cli("todos", "--db", str(demo_db))
    assert "\x1b" not in listed.stdout and "␛[2J" in listed.stdout
