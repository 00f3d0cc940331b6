"""The weekly CEO update: four sections in order, shout-outs, the saved edit, no private items."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from ceodesk.core.domain.meetings import add_headline
from ceodesk.core.domain.people import add_person, list_people
from ceodesk.core.domain.planner import add_block, record_actual
from ceodesk.core.domain.reflections import save_reflection, save_update, saved_update
from ceodesk.core.domain.rocks import add_milestone, add_rock, set_week_status, toggle_milestone
from ceodesk.core.domain.settings import list_categories
from ceodesk.core.domain.tasks import toggle_done
from ceodesk.core.views.capture import add_task
from ceodesk.core.views.ceo_update import SECTIONS, ceo_update, update_markdown, update_text
from ceodesk.core.views.meeting import default_team

W48 = "2026-W48"
FRIDAY = datetime(2026, 11, 27, 16, tzinfo=UTC)


@pytest.fixture
def me(db) -> int:
    return list_people(db)[0].id


def test_the_four_sections_come_in_order_even_on_an_empty_week(db):
    update = ceo_update(db, W48, FRIDAY)
    assert tuple(s.title for s in update.sections) == SECTIONS
    text = update_markdown(update)
    positions = [text.index(f"## {title}") for title in SECTIONS]
    assert positions == sorted(positions)
    assert "Nothing off track." in text


def test_the_update_draws_on_the_reflection_rocks_and_shout_outs(db, me):
    dana = add_person(db, "Dana Whitfield").id
    launch = add_rock(db, "Launch the API", dana, is_company=True, quarter="2026-Q4", now=FRIDAY)
    late = add_rock(db, "Open Berlin", me, is_company=True, quarter="2026-Q4", now=FRIDAY)
    set_week_status(db, late.id, "2026-W47", "on_track")
    set_week_status(db, late.id, W48, "off_track")
    step = add_milestone(db, launch.id, "Beta shipped", None)
    toggle_milestone(db, step.id, FRIDAY)
    add_headline(
        db,
        None,
        dana,
        "employee",
        "Nina fixed the export",
        shout_out=True,
        team_id=default_team(db),
    )
    add_headline(db, None, dana, "customer", "Acme renewed", team_id=default_team(db))
    save_reflection(db, W48, wins="Signed Acme", focus="Hire the VP", now=FRIDAY)
    sections = {s.title: s.lines for s in ceo_update(db, W48, FRIDAY).sections}
    assert "Signed Acme" in sections["Company highlights"]
    assert any("Beta shipped" in line for line in sections["Company highlights"])
    assert sections["Key priorities"][0] == "Focus next week: Hire the VP"
    assert sections["Key priorities"][1].startswith("Open Berlin")  # off track first
    assert any("Open Berlin" in line for line in sections["Challenges"])
    assert "Nina fixed the export (from Dana Whitfield)" in sections["Employee shoutouts"]
    assert not any("Acme renewed" in line for line in sections["Employee shoutouts"])
    assert any("Dana Whitfield" in line for line in sections["Employee shoutouts"][1:])


def test_private_items_never_appear(db, me):
    personal = next(c.id for c in list_categories(db) if c.kind == "personal")
    dentist = add_block(db, date(2026, 11, 24), time(8), time(9), "Dentist Dr Kim", personal)
    record_actual(db, dentist.id, 60)
    rock = add_rock(db, "Ship v2", me, is_company=True, quarter="2026-Q4", now=FRIDAY)
    gift = add_task(db, f"Buy anniversary gift #personal +rock:{rock.slug} !i", FRIDAY)
    toggle_done(db, gift.id, FRIDAY)
    save_reflection(db, W48, wins="Shipped the beta", now=FRIDAY)
    text = update_text(db, W48, FRIDAY)
    assert "Shipped the beta" in text
    assert "Dentist" not in text and "anniversary" not in text


def test_a_saved_edit_replaces_the_draft_and_undo_brings_the_draft_back(db):
    draft = update_text(db, W48, FRIDAY)
    save_update(db, W48, "# Our week\n\nWe shipped.", FRIDAY)
    assert update_text(db, W48, FRIDAY) == "# Our week\n\nWe shipped.\n"
    assert saved_update(db, "2026-w48") == "# Our week\n\nWe shipped.\n"
    db.undo()
    assert update_text(db, W48, FRIDAY) == draft
