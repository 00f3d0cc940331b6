"""The Friday review (key 6) driven with the real keys (demo week 2026-W48, now Wed 09:30)."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import TextArea
from textual_plotext import PlotextPlot
from ui_support import FROZEN_NOW, shown_text

from ceodesk.core.domain.reflections import previous_reflection, reflection, saved_update
from ceodesk.core.views.review import weekly_review
from ceodesk.ui.screens.form import FormScreen
from ceodesk.ui.screens.review import LineTable, ReviewScreen, RowsScreen, UpdateScreen
from ceodesk.ui.widgets.vim import RecordTable


def topbar(app) -> str:
    return shown_text(app.screen.query_one("#topbar"))


def lines(app, name: str) -> list[str]:
    table = app.screen.query_one(f"#review-{name}", LineTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def open_review(pilot, week_app) -> None:
    await pilot.press("6")
    await pilot.pause()
    assert isinstance(week_app.screen, ReviewScreen)


async def test_6_opens_this_weeks_review_with_every_panel(week_app) -> None:
    async with week_app.run_test(size=(140, 45)) as pilot:
        await open_review(pilot, week_app)
        assert "Week 48 · 23–29 Nov 2026" in topbar(week_app)
        headline = shown_text(week_app.screen.query_one("#review-headline"))
        assert headline.startswith("Rock time 3h of 9h30 planned")
        scorecard = week_app.screen.query_one("#review-scorecard", RecordTable)
        assert scorecard.row_count == 12 and scorecard.has_focus
        assert any(
            t.startswith("Ran over: Tue 24 Nov 09:00 Weekly leadership")
            for t in lines(week_app, "time")
        )
        assert any("Skipped" in t for t in lines(week_app, "time"))
        assert any("off track 3 weeks" in t for t in lines(week_app, "rocks"))
        assert any(t.startswith("Team to-dos: 67%") for t in lines(week_app, "tasks"))
        assert any("Review board deck draft" in t for t in lines(week_app, "carry"))
        assert any("bottleneck" in t for t in lines(week_app, "people"))


async def test_brackets_step_weeks_and_t_comes_back(week_app) -> None:
    async with week_app.run_test(size=(140, 45)) as pilot:
        await open_review(pilot, week_app)
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert "2026-W47" in topbar(week_app) and "t: back to this week" in topbar(week_app)
        card = week_app.screen.query_one("#review-scorecard").border_title
        assert "11 of 12 on goal (92%)" in card
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert "2026-W49" in topbar(week_app)
        await pilot.press("t")
        await pilot.pause()
        assert "2026-W48" in topbar(week_app) and "back to this week" not in topbar(week_app)


async def test_j_and_k_choose_the_measurable_the_chart_plots(week_app) -> None:
    async with week_app.run_test(size=(140, 45)) as pilot:
        await open_review(pilot, week_app)
        chart = week_app.screen.query_one(PlotextPlot)
        assert chart.border_title.startswith("Revenue invoiced · 13 weeks")
        await pilot.press("j", "j")
        await pilot.pause()
        assert chart.border_title.startswith("Leads · 13 weeks")
        await pilot.press("k")
        await pilot.pause()
        assert chart.border_title.startswith("Net burn")


async def test_enter_on_a_figure_shows_the_rows_it_came_from(week_app) -> None:
    async with week_app.run_test(size=(140, 45)) as pilot:
        await open_review(pilot, week_app)
        await pilot.press("left_square_bracket", "enter")
        await pilot.pause()
        assert isinstance(week_app.screen, RowsScreen)
        shown = " ".join(str(s.render()) for s in week_app.screen.query("Static"))
        assert "Revenue invoiced 2026-W47" in shown
        await pilot.press("escape", "tab", "enter")  # the time panel's first line
        await pilot.pause()
        assert isinstance(week_app.screen, RowsScreen)
        assert week_app.screen.figure == "Total time"
        assert all(r.kind == "block" for r in week_app.screen.rows)


async def test_carry_over_drop_and_undo(week_app) -> None:
    async with week_app.run_test(size=(140, 45)) as pilot:
        await open_review(pilot, week_app)
        first = lines(week_app, "carry")[0]
        title = first.split(" · ")[0]
        await pilot.press("x")
        await pilot.pause()
        assert not any(t.startswith(title) for t in lines(week_app, "carry"))
        await pilot.press("u")
        await pilot.pause()
        assert lines(week_app, "carry")[0] == first


async def test_a_carry_over_is_drawn_as_the_key_is_handled(week_app, monkeypatch) -> None:
    """Dropping a line reads the review again at once, on the event loop: no load left
    running in a thread, the line gone in the frame the key draws."""
    async with week_app.run_test(size=(140, 45)) as pilot:
        await open_review(pilot, week_app)
        screen = week_app.screen
        assert isinstance(screen, ReviewScreen)
        title = lines(week_app, "carry")[0].split(" · ")[0]
        workers: list[str] = []
        run_worker = ReviewScreen.run_worker
        monkeypatch.setattr(
            ReviewScreen,
            "run_worker",
            lambda self, *a, **k: workers.append(k.get("name", "")) or run_worker(self, *a, **k),
        )
        await pilot.press("x")
        assert not screen.load_under_way and workers == []
        assert not any(t.startswith(title) for t in lines(week_app, "carry"))


async def test_carrying_over_a_task_due_after_next_week_is_refused_in_a_sentence(
    week_app,
) -> None:
    """Planned this week, due in three weeks; its time next week is taken and next week
    has no free deep work: `>` says so and changes nothing (moving its due day earlier
    would be wrong)."""
    from datetime import date, time

    from ceodesk.core.domain.planner import add_block, category_by_name
    from ceodesk.core.views.capture import add_task

    db = week_app.db
    task = add_task(db, "Offsite plan due 18 dec", FROZEN_NOW)
    admin = category_by_name(db, "admin").id
    add_block(db, date(2026, 11, 27), time(16), time(17), "Offsite plan", admin, task_id=task.id)
    add_block(db, date(2026, 12, 4), time(16), time(17), "Board dinner", admin)  # its time taken
    async with week_app.run_test(size=(140, 45)) as pilot:
        await open_review(pilot, week_app)
        await pilot.press("tab", "tab", "tab", "tab")
        carry = week_app.screen.query_one("#review-carry", LineTable)
        assert carry.has_focus
        shown = lines(week_app, "carry")
        row = shown.index("Offsite plan · planned Fri 27 Nov 16:00")
        await pilot.press(*["j"] * row)
        assert carry.cursor_row == row
        await pilot.press("greater_than_sign")
        await pilot.pause()
        said = [n.message for n in week_app._notifications]
        assert any("due Fri 18 Dec 2026, after that week" in m for m in said), said
        assert lines(week_app, "carry") == shown  # nothing changed


async def test_carry_over_reschedule_and_next_week(week_app) -> None:
    async with week_app.run_test(size=(140, 45)) as pilot:
        await open_review(pilot, week_app)
        first = weekly_review(week_app.db, "2026-W48", FROZEN_NOW).carry_over[0]
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(week_app.screen, FormScreen)
        await pilot.press(*"dec 9", "enter")
        await pilot.pause()
        assert isinstance(week_app.screen, ReviewScreen)
        after = weekly_review(week_app.db, "2026-W48", FROZEN_NOW).carry_over
        assert first.task_id not in [c.task_id for c in after]
        await pilot.press("greater_than_sign")  # no free deep work next week: due moves on
        await pilot.pause()
        planned = weekly_review(week_app.db, "2026-W49", FROZEN_NOW).carry_over
        moved = next(c for c in planned if c.task_id == after[0].task_id)
        assert moved.due == after[0].due + timedelta(days=7)
        await pilot.press("u")
        await pilot.pause()
        assert lines(week_app, "carry")[0].startswith(after[0].title)


async def test_n_writes_the_reflection_shown_on_next_weeks_planner(week_app) -> None:
    async with week_app.run_test(size=(140, 45)) as pilot:
        await open_review(pilot, week_app)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(week_app.screen, FormScreen)
        await pilot.press(*"Closed Acme", "tab", *"Too many syncs", "tab", *"Hire the VP", "tab")
        await pilot.press(*"change a meeting", "enter", *"Cut Thursday sync", "enter")
        await pilot.pause()
        assert isinstance(week_app.screen, ReviewScreen)
        stored = reflection(week_app.db, "2026-W48")
        assert stored is not None and stored.focus == "Hire the VP"
        assert stored.adjustment_kind == "meeting"
        assert previous_reflection(week_app.db, "2026-W49") == stored
        assert any("Reflection: Hire the VP" in t for t in lines(week_app, "tasks"))


async def test_a_wrong_adjustment_keeps_the_form_open_with_one_sentence(week_app) -> None:
    async with week_app.run_test(size=(140, 45)) as pilot:
        await open_review(pilot, week_app)
        await pilot.press("n", "tab", "tab", "tab", *"pray", "enter", "enter")
        await pilot.pause()
        assert isinstance(week_app.screen, FormScreen)
        assert "Nothing matches “pray”" in str(week_app.screen.query_one("#e-kind").render())
        assert reflection(week_app.db, "2026-W48") is None


async def test_W_drafts_the_ceo_update_to_edit_and_save(week_app) -> None:
    async with week_app.run_test(size=(140, 45)) as pilot:
        await open_review(pilot, week_app)
        await pilot.press("W")
        await pilot.pause()
        assert isinstance(week_app.screen, UpdateScreen)
        area = week_app.screen.query_one(TextArea)
        assert area.text.startswith("# Weekly update · Week 48")
        assert "## Employee shoutouts" in area.text
        area.move_cursor(area.document.end)
        await pilot.press("enter", *"Thanks all!", "ctrl+s")
        await pilot.pause()
        assert isinstance(week_app.screen, ReviewScreen)
        assert saved_update(week_app.db, "2026-W48").rstrip().endswith("Thanks all!")


async def test_m_shows_the_month_at_a_glance(week_app) -> None:
    async with week_app.run_test(size=(140, 45)) as pilot:
        await open_review(pilot, week_app)
        await pilot.press("m")
        await pilot.pause()
        assert "Month at a glance" in topbar(week_app) and "November 2026" in topbar(week_app)
        month = week_app.screen.query_one("#review-month-table", LineTable)
        assert "month of its Thursday" in lines(week_app, "month-table")[0]
        assert month.border_title == "November 2026 vs October 2026"
        assert any(t.startswith("Leads (sum):") for t in lines(week_app, "month-table"))
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert "October 2026" in topbar(week_app)
        await pilot.press("m")
        await pilot.pause()
        assert "Friday review" in topbar(week_app)


async def test_the_review_at_80_by_24_scrolls_to_every_panel(week_app) -> None:
    async with week_app.run_test(size=(80, 24)) as pilot:
        await open_review(pilot, week_app)
        for _ in range(5):  # scorecard -> time, Rocks, tasks, carry over, people
            await pilot.press("tab")
        await pilot.pause()
        focused = week_app.screen.focused
        assert focused is not None and focused.id == "review-people"
        assert focused.region.bottom <= 24  # scrolled into view


async def test_the_palette_and_help_know_the_review(week_app) -> None:
    from ceodesk.ui.commands import palette_entries
    from ceodesk.ui.screens.help import HelpScreen

    async with week_app.run_test(size=(140, 45)) as pilot:
        names = [e.name for e in palette_entries(week_app, week_app.screen)]
        assert "go: Friday review" in names
        await open_review(pilot, week_app)
        names = [e.name for e in palette_entries(week_app, week_app.screen)]
        assert "review: Draft the CEO update" in names
        assert "review: Carry over: drop the task (archive it; undo: u)" in names
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(week_app.screen, HelpScreen)
