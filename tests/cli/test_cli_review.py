"""``ceodesk review`` (text, Markdown, JSON; a week or a month) and ``ceodesk update``."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.slow


def test_the_review_prints_the_same_numbers_as_text_markdown_and_json(run_cli, run_main, demo_db):
    text = run_cli("review", "--db", str(demo_db))  # the other formats in this process
    markdown = run_main("review", "--format", "md", "--db", str(demo_db))
    data = run_main("review", "--format", "json", "--db", str(demo_db))
    for result in (text, markdown, data):
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
    review = json.loads(data.stdout)
    assert text.stdout.startswith("Friday review · Week ")
    assert markdown.stdout.startswith("# Friday review · Week ")
    for figure in (
        review["headline"],
        review["scorecard"]["summary"],
        review["time"]["rock_share"]["text"],
        review["tasks"]["todo_text"],
    ):
        assert figure in text.stdout and figure in markdown.stdout
    for title in ("Scorecard", "Time: plan vs. reality", "Rocks", "Carry over"):
        assert title in text.stdout and f"## {title}" in markdown.stdout


def test_a_past_week_and_a_month(run_main, demo_db):
    week = run_main("review", "--week", "2026-W40", "--format", "json", "--db", str(demo_db))
    assert week.returncode == 0, week.stderr
    assert json.loads(week.stdout)["week"] == "2026-W40"
    month = run_main("review", "--month", "2026-11", "--format", "md", "--db", str(demo_db))
    assert month.returncode == 0, month.stderr
    assert month.stdout.startswith("# Month at a glance · November 2026")
    assert "month of its Thursday" in month.stdout  # the rule for weeks across two months
    assert "| Leads | sum |" in month.stdout
    plain = run_main("review", "--month", "2026-11", "--db", str(demo_db))
    assert "November 2026 vs October 2026" in plain.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("review", "--week", "2026-W99"),
        ("review", "--week", "next"),
        ("review", "--month", "2026-13"),
        ("review", "--month", "Nov"),
        ("update", "--week", "2025-W53"),
    ],
)
def test_a_bad_week_or_month_is_one_sentence_and_exit_2(
    run_cli, run_main, demo_db, one_sentence, args
):
    # Through the entry point: one of each command; the others in this process.
    run = run_cli if args[1:] in {("--week", "2026-W99"), ("--week", "2025-W53")} else run_main
    result = run(*args, "--db", str(demo_db))
    assert result.returncode == 2 and result.stdout == ""
    assert one_sentence(result.stderr) and "Traceback" not in result.stderr


def test_update_prints_the_four_sections_in_order_as_markdown(run_cli, demo_db):
    result = run_cli("update", "--db", str(demo_db))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("# Weekly update · Week ")
    titles = ("Company highlights", "Key priorities", "Challenges", "Employee shoutouts")
    positions = [out.index(f"## {t}") for t in titles]
    assert positions == sorted(positions)
    assert "Lunch" not in out  # the demo's personal blocks stay private
