"""The weekly CEO update: what the CEO tells the company, drafted from the week's review.

Four sections, in this order:

1. Company highlights: the week's wins (from the reflection), Rocks done, milestones
   done and KPIs that improved.
2. Key priorities: next week's focus (from the reflection) and the company Rocks still
   running, those off track first.
3. Challenges: what is off track, openly: Rocks off track, KPIs off target.
4. Employee shoutouts: the week's headlines marked as shout-outs, and the people behind
   the Rocks and milestones completed this week.

Private items never appear: the update is built from Rocks, the scorecard, headlines and
the reflection only, never from tasks or time blocks (personal ones included). A draft
the user edited and saved replaces the computed one (``update_text``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, or_, select

from ceodesk.core.domain.reflections import reflection, saved_update
from ceodesk.core.domain.rocks import rocks_of_week
from ceodesk.core.kernel.dates import normal_week_key
from ceodesk.core.store.db import Database
from ceodesk.core.store.models import Headline, Meeting, Person
from ceodesk.core.views.review import Review, weekly_review

SECTIONS = ("Company highlights", "Key priorities", "Challenges", "Employee shoutouts")


@dataclass(frozen=True)
class UpdateSection:
    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class CeoUpdate:
    week: str
    title: str  # "Week 48 · 23-29 Nov 2026"
    sections: tuple[UpdateSection, ...]  # always the four SECTIONS, in order


def _shout_outs(db: Database, week: str, is_current: bool) -> list[str]:
    """Shout-out headlines of the week's meetings, and for this week also those noted
    for the next meeting and not yet taken up."""
    with db.session() as session:
        meeting_ids = select(Meeting.id).where(Meeting.week == week)
        in_meeting = col(Headline.meeting_id).in_(meeting_ids.scalar_subquery())
        of_week = or_(in_meeting, col(Headline.meeting_id).is_(None)) if is_current else in_meeting
        query = select(Headline).where(col(Headline.shout_out), of_week)
        rows = list(session.exec(query.order_by(col(Headline.id))))
        people = {h.person_id for h in rows}
        names = dict(
            session.exec(select(Person.id, Person.name).where(col(Person.id).in_(people))).all()
        )
    return [f"{h.text} (from {names.get(h.person_id, 'someone')})" for h in rows]


def ceo_update(db: Database, week: str, now: datetime, review: Review | None = None) -> CeoUpdate:
    """The update for ISO week ``week``, drafted from its review and reflection."""
    review = review or weekly_review(db, week, now)
    week = review.week
    reflected = reflection(db, week)
    rocks = review.rocks
    kpis = review.scorecard.lines

    highlights: list[str] = []
    if reflected and reflected.wins:
        highlights += [line for line in reflected.wins.splitlines() if line]
    highlights += [f"Rock done: {r.title} ({r.owner})" for r in rocks.rocks_done]
    highlights += [f"Milestone: {r.text}" for r in rocks.milestones_done]
    highlights += [
        f"{k.name} improved to {k.value_text} ({k.change_text} vs last week)"
        for k in kpis
        if k.trend > 0
    ]
    if review.scorecard.with_value:
        highlights.append(f"Scorecard: {review.scorecard.summary}")

    priorities: list[str] = []
    if reflected and reflected.focus:
        priorities += [f"Focus next week: {line}" for line in reflected.focus.splitlines() if line]
    company = [r for r in rocks_of_week(db, week) if r.is_company and not r.finished]
    company.sort(key=lambda r: (r.status != "off_track", r.due, r.id))
    priorities += [f"{r.title} ({r.owner}, {r.status_label})" for r in company]

    challenges: list[str] = []
    seen: set[int] = set()
    for line in (*rocks.off_track_long, *rocks.changes, *rocks.off_track_no_hours):
        if line.id in seen or line.status == "on_track":
            continue
        seen.add(line.id)
        challenges.append(line.text)
    challenges += [
        f"{k.name}: {k.value_text} vs {k.goal_text} ({k.grade}"
        + (f", {k.streak_text})" if k.streak_text else ")")
        for k in kpis
        if k.grade in ("off target", "slightly behind")
    ]

    shout = _shout_outs(db, week, review.is_current)
    people: list[str] = []
    for line in (*rocks.rocks_done, *rocks.milestones_done):
        if line.owner and line.owner not in people:
            people.append(line.owner)
    if people:
        shout.append("Thank you for Rocks and milestones completed: " + ", ".join(people))

    return CeoUpdate(
        week=week,
        title=review.title,
        sections=(
            UpdateSection(SECTIONS[0], tuple(highlights) or ("A steady week.",)),
            UpdateSection(SECTIONS[1], tuple(priorities) or ("No company Rocks running.",)),
            UpdateSection(SECTIONS[2], tuple(challenges) or ("Nothing off track.",)),
            UpdateSection(SECTIONS[3], tuple(shout) or ("No shout-outs this week.",)),
        ),
    )


def update_markdown(update: CeoUpdate) -> str:
    lines = [f"# Weekly update · {update.title}"]
    for section in update.sections:
        lines += ["", f"## {section.title}", ""]
        lines += [f"- {line}" for line in section.lines]
    return "\n".join(lines) + "\n"


def update_text(db: Database, week: str, now: datetime, review: Review | None = None) -> str:
    """The week's update as Markdown: the saved edit when there is one, else the draft
    (drafted from ``review`` when the caller has the week's review already)."""
    saved = saved_update(db, normal_week_key(week))
    return saved or update_markdown(ceo_update(db, week, now, review))
