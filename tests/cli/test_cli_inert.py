"""The CLI never prints stored text raw: control characters are shown as symbols."""

from __future__ import annotations

import sqlite3

import pytest

from ceodesk.core.kernel.text import has_controls

pytestmark = pytest.mark.slow

CLIPBOARD = "Probe \x1b]52;c;cm0gLXJmIH4K\x07"  # would put "rm -rf ~" on the clipboard
WINDOW = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J"


def no_commands(output: str) -> bool:
    return not has_controls(output.replace("\n", ""))


def test_add_echoes_and_stores_a_title_without_escape_sequences(run_cli, tmp_path):
    path = tmp_path / "work.db"
    result = run_cli("--db", str(path), "add", f"{CLIPBOARD} {WINDOW}{CLEAR} !i")
    assert result.returncode == 0, result.stderr
    assert no_commands(result.stdout)
    assert "Probe ]52;c;cm0gLXJmIH4K ]0;pwned[2J" in result.stdout
    conn = sqlite3.connect(path)
    try:
        [(title,)] = conn.execute("SELECT title FROM task").fetchall()
    finally:
        conn.close()
    assert not has_controls(title)


def test_kpi_set_shows_an_unknown_name_inert(run_cli, demo_db):
    result = run_cli("--db", str(demo_db), "kpi", "set", f"Leads{WINDOW}", "3")
    assert result.returncode == 2
    assert no_commands(result.stderr)
    assert "␛]0;pwned␇" in result.stderr
    assert result.stdout == ""


def test_kpi_set_prints_a_name_stored_with_escapes_inert(run_cli, demo_db):
    conn = sqlite3.connect(demo_db)  # as another program, or an older ceodesk, stored it
    conn.execute("UPDATE measurable SET name = ? WHERE name = 'Leads'", (f"Leads{CLEAR}",))
    conn.commit()
    conn.close()

    listed = run_cli("--db", str(demo_db), "kpi", "set", "nothing like it", "3")
    assert listed.returncode == 2
    assert no_commands(listed.stderr) and "Leads␛[2J" in listed.stderr

    result = run_cli("--db", str(demo_db), "kpi", "set", "Leads", "42", "--week", "2026-W47")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Leads␛[2J · 2026-W47 · 42 (goal >= 40: on target)\n"
