"""The review screen (key 6) at any size of history (issue 13): its redraw after another
program wrote issues the same queries and loads the same stored rows with years of old
tasks, to-dos and time blocks as without them. Counted, never timed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from read_counts import reads
from sqlmodel import Session, col, select
from test_change_feed import add_history, desk_on
from test_large_history import drawn
from textual.widgets import TextArea
from ui_support import FROZEN_NOW

from ceodesk.core.demo import write_demo_database
from ceodesk.core.domain.settings import leadership_team
from ceodesk.core.store.db import open_database
from ceodesk.core.store.models import Person, Todo
from ceodesk.core.views.capture import add_task
from ceodesk.ui.screens.review import ReviewScreen, UpdateScreen


def add_old_todos(path: Path, count: int) -> None:
    """``count`` of the leadership team's to-dos, due and done three years ago."""
    db = open_database(path)
    try:
        with Session(db.engine) as session:
            me = session.exec(select(Person).where(col(Person.is_me))).first()
            team = leadership_team(session)
            assert me is not None and me.id is not None and team.id is not None
            long_ago = FROZEN_NOW - timedelta(days=3 * 365)
            for n in range(count):
                when = long_ago + timedelta(hours=n)
                session.add(
                    Todo(
                        team_id=team.id,
                        title=f"Old to-do {n}",
                        owner_id=me.id,
                        due=when.date(),
                        done_at=when,
                        created_at=when,
                    )
                )
            session.commit()
    finally:
        db.close()


async def redraw_reads(path: Path) -> tuple[dict[str, int], list[str]]:
    """What the review screen's redraw reads after another program added a task, and
    the headline it then shows."""
    app = desk_on(path)
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            await pilot.press("6")
            screen = await drawn(pilot, app, "review")
            assert isinstance(screen, ReviewScreen)
            other = open_database(path)
            try:
                add_task(other, "Written while the review is open !iu", FROZEN_NOW)
            finally:
                other.close()
            with reads(app.db) as seen:
                app.check_for_changes()  # what the poll does every second
                await drawn(pilot, app, "review")
            assert screen.data is not None
            review = screen.data.review
            return seen, [review.headline, review.tasks.overdue.label]
    finally:
        app.db.close()


async def test_a_review_redraw_reads_the_same_with_years_of_old_history(tmp_path) -> None:
    demo = tmp_path / "demo.db"
    write_demo_database(str(demo), FROZEN_NOW, time_zone="UTC")
    older = tmp_path / "older.db"
    write_demo_database(str(older), FROZEN_NOW, time_zone="UTC")
    add_history(older, 1500)  # tasks done and time blocks, three years ago
    add_old_todos(older, 1500)
    small, shown = await redraw_reads(demo)
    large, shown_large = await redraw_reads(older)
    assert small["queries"] > 0 and small["rows"] > 0
    assert large == small
    assert shown_large == shown


async def test_W_drafts_the_update_from_the_review_on_screen(week_app, monkeypatch) -> None:
    """The draft comes from the review already shown: pressing W reads and computes no
    second review on the event loop."""
    from ceodesk.core.views import ceo_update

    async with week_app.run_test(size=(140, 45)) as pilot:
        await pilot.press("6")
        screen = await drawn(pilot, week_app, "review")
        reviews: list[str] = []
        original = ceo_update.weekly_review

        def counted_review(*args, **kwargs):
            reviews.append(args[1])
            return original(*args, **kwargs)

        monkeypatch.setattr(ceo_update, "weekly_review", counted_review)
        await pilot.press("W")
        await pilot.pause()
        assert isinstance(week_app.screen, UpdateScreen)
        area = week_app.screen.query_one(TextArea)
        assert screen.data is not None
        expected = ceo_update.update_text(week_app.db, "2026-W48", FROZEN_NOW, screen.data.review)
        assert area.text == expected
        assert area.text.startswith("# Weekly update · Week 48")
        assert reviews == []
