"""The team's lists outside the meeting: the issues list, the to-dos, the decisions log,
past meetings and the agenda, and ``i`` on a Rock or a measurable.

``i`` raises an issue that links back to what it came from (the Rock's or the
measurable's uid); a second ``i`` finds that issue still open and adds nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlmodel import col, select

from ceodesk.core.domain import issues, meetings, todos
from ceodesk.core.domain.issues import DecisionView, IssueView
from ceodesk.core.domain.meetings import AgendaItem, PastMeeting
from ceodesk.core.domain.people import TeamView, find_person, list_teams
from ceodesk.core.domain.scorecard import scorecard
from ceodesk.core.domain.settings import local_now
from ceodesk.core.domain.todos import TodoView
from ceodesk.core.kernel.dates import parse_day, shift_week
from ceodesk.core.kernel.errors import InputError, NotFoundError
from ceodesk.core.store.db import Database
from ceodesk.core.store.models import Measurable, Person, Rock
from ceodesk.core.views import meeting as flow
from ceodesk.core.views import proposals as proposing
from ceodesk.core.views.meeting import DecisionEntry
from ceodesk.core.views.rock_detail import rock_detail

# ------------------------------------------------------------------ teams


def teams(db: Database) -> tuple[TeamView, ...]:
    """Every team, Leadership first."""
    return tuple(list_teams(db))


def team_after(db: Database, team_id: int, step: int = 1) -> TeamView:
    """The next (or previous) team in the list, wrapping round."""
    found = teams(db)
    ids = [t.id for t in found]
    index = ids.index(team_id) if team_id in ids else 0
    return found[(index + step) % len(found)]


def team_name(db: Database, team_id: int) -> str:
    return next((t.name for t in teams(db) if t.id == team_id), "")


def my_id(db: Database) -> int | None:
    with db.session() as session:
        return session.exec(select(Person.id).where(col(Person.is_me))).first()


# --------------------------------------------------------- raising with i


@dataclass(frozen=True)
class Raised:
    issue: IssueView
    added: bool  # False: it was on the list already, nothing was added

    @property
    def sentence(self) -> str:
        """What the notification says."""
        if self.added:
            return f"Added to the issues list: {self.issue.title}"
        return f"Already on the issues list: {self.issue.title}"


def _raise(
    db: Database,
    team_id: int,
    kind: str,
    uid: str,
    title: str,
    owner_id: int | None,
    now: datetime,
) -> Raised:
    found = issues.open_issue_from(db, team_id, uid)
    if found is not None:
        return Raised(found, added=False)
    made = flow.drop_to_issues(
        db,
        team_id,
        title,
        now,
        source_kind=kind,
        source_uid=uid,
        owner_id=owner_id,
        raised_by_id=my_id(db),
    )
    return Raised(made, added=True)


def raise_rock(db: Database, rock_id: int, now: datetime) -> Raised:
    """``i`` on a Rock: a short-term issue on the leadership team's list, titled by why
    it matters ("Hire VP Sales: off track 3 weeks"), owned by the Rock's owner."""
    rock = rock_detail(db, rock_id, now).rock
    risks = proposing.rock_risks(db, [rock], now).get(rock.id, ())
    uid = proposing._uids(db, Rock, [rock.id])[rock.id]
    title = proposing.rock_issue_title(rock, risks)
    return _raise(db, flow.default_team(db), "rock", uid, title, rock.owner_id, now)


def raise_measurable(db: Database, measurable_id: int, week: str, now: datetime) -> Raised:
    """``i`` on a measurable: an issue on its team's list (Leadership when it has none),
    prefilled "Leads off goal 3 weeks: 35 vs >= 40" from the weeks up to ``week``."""
    this_week = local_now(db, now).week
    rows = scorecard(db, week, open_week=this_week).rows
    row = next((r for r in rows if r.id == measurable_id), None)
    if row is None:
        raise NotFoundError("That measurable no longer exists.")
    with db.session() as session:
        stored = session.get(Measurable, measurable_id)
        team_id = stored.team_id if stored and stored.team_id else flow.default_team(db)
        uid = stored.uid if stored else ""
    title = proposing.measurable_issue_title(row)
    return _raise(db, team_id, "measurable", uid, title, row.owner_id, now)


# ------------------------------------------------------------ issues list


def edit_issue(db: Database, issue_id: int, title: str, owner: str | int | None) -> None:
    """Rename an issue and give it an owner: a person's id, a name as after @, or
    None / empty for none."""
    owner_id = owner if isinstance(owner, int) else None
    if isinstance(owner, str) and owner.strip():
        with db.session() as session:
            owner_id = find_person(session, owner.strip()).id
    issues.edit_issue(db, issue_id, title, owner_id)


def toggle_term(db: Database, issue_id: int) -> str:
    """Long-term to short-term and back; returns the new term."""
    term = "short" if issues.issue(db, issue_id).long_term else "long"
    issues.set_term(db, issue_id, term)
    return term


# ----------------------------------------------------------------- to-dos


def team_todos(
    db: Database,
    team_id: int | None,
    now: datetime,
    *,
    mine: bool = False,
    overdue: bool = False,
    include_done: bool = False,
) -> tuple[TodoView, ...]:
    """The team's to-dos (every team's with None), by due date: only yours with ``mine``."""
    owner = my_id(db) if mine else None
    if mine and owner is None:
        return ()
    return todos.todos(
        db,
        local_now(db, now).today,
        team_id=team_id,
        owner_id=owner,
        overdue_only=overdue,
        include_done=include_done,
    )


def my_open_todos(db: Database, now: datetime) -> tuple[TodoView, ...]:
    """Your own open to-dos, of every team (the Tasks screen's panel)."""
    return team_todos(db, None, now, mine=True)


def toggle_todo(db: Database, todo_id: int, now: datetime) -> TodoView:
    return todos.toggle_done(db, todo_id, now, local_now(db, now).today)


# -------------------------------------------------------------- decisions


def decisions_log(
    db: Database, team_id: int | None, now: datetime, search: str = ""
) -> tuple[DecisionEntry, ...]:
    """Every decision, newest first, with its issue and to-dos; ``search`` matches the
    decision, its issue or one of its to-dos."""
    entries = flow.decisions_log(db, team_id, now)
    wanted = search.strip().lower()
    if not wanted:
        return entries
    return tuple(
        e
        for e in entries
        if wanted
        in " ".join([e.decision.text, e.decision.issue or "", *(t.title for t in e.todos)]).lower()
    )


def set_review_date(
    db: Database, decision_id: int, when: str | date | None, now: datetime
) -> date | None:
    """A decision's review date: a date, or a date phrase ("in 12 weeks", "mar 1",
    "2027-03-01"); None or empty text clears it. Returns the date set."""
    here = local_now(db, now)
    review_on = parse_day(when, here.wall) if isinstance(when, str) else when
    issues.set_review_on(db, decision_id, review_on, here.today)
    return review_on


def decision(db: Database, decision_id: int) -> DecisionView:
    found = [d for d in issues.decisions(db) if d.id == decision_id]
    if not found:
        raise NotFoundError("That decision no longer exists.")
    return found[0]


# ----------------------------------------------------------- past meetings


@dataclass(frozen=True)
class PastMeetings:
    team: str
    meetings: tuple[PastMeeting, ...]  # newest first
    trend: str  # "up", "down", "flat" or ""
    averages: tuple[float | None, ...]  # oldest first, for the chart


def past_meetings(db: Database, team_id: int) -> PastMeetings:
    """The team's ended meetings with length and rating, and how the rating is trending."""
    held = meetings.past_meetings(db, team_id)
    return PastMeetings(
        team_name(db, team_id),
        held,
        meetings.rating_trend(held),
        tuple(m.average for m in reversed(held)),
    )


# ----------------------------------------------------------------- agenda


def parse_minutes(text: str | int) -> int:
    """A section's minutes: a whole number, or as typed ("5", "5m")."""
    if isinstance(text, int):
        return text
    cleaned = text.strip().lower().removesuffix("min").removesuffix("m").strip()
    if not cleaned.isdigit():
        raise InputError(f"“{text.strip()}” is not a number of minutes, like 5.")
    return int(cleaned)


def agenda_total(items: Sequence[AgendaItem]) -> int:
    return sum(i.minutes for i in items)


def _named(title: str) -> str:
    if not title.strip():
        raise InputError("A section needs a name.")
    return title


def _store(db: Database, team_id: int, items: Sequence[AgendaItem]) -> tuple[AgendaItem, ...]:
    meetings.set_agenda(db, team_id, items)
    return meetings.agenda(db, team_id)


def edit_section(
    db: Database, team_id: int, position: int, title: str, minutes: int | str
) -> tuple[AgendaItem, ...]:
    """Rename a section and change its minutes (a refusal stores nothing)."""
    items = list(meetings.agenda(db, team_id))
    if not 0 <= position < len(items):
        raise NotFoundError("That section is no longer on the agenda.")
    items[position] = replace(items[position], title=_named(title), minutes=parse_minutes(minutes))
    return _store(db, team_id, items)


def add_section(
    db: Database, team_id: int, position: int, title: str, minutes: int | str
) -> tuple[AgendaItem, ...]:
    """A section of your own (kind "custom") inserted at ``position``."""
    items = list(meetings.agenda(db, team_id))
    item = AgendaItem("custom", _named(title), parse_minutes(minutes))
    items.insert(max(0, min(position, len(items))), item)
    return _store(db, team_id, items)


def remove_section(db: Database, team_id: int, position: int) -> tuple[AgendaItem, ...]:
    items = list(meetings.agenda(db, team_id))
    if not 0 <= position < len(items):
        raise NotFoundError("That section is no longer on the agenda.")
    del items[position]
    if not items:
        raise InputError("An agenda needs at least one section.")
    return _store(db, team_id, items)


def move_section(db: Database, team_id: int, position: int, step: int) -> int:
    """Move a section up (-1) or down (+1); returns where it is now (at an end it stays)."""
    items = list(meetings.agenda(db, team_id))
    if not 0 <= position < len(items):
        raise NotFoundError("That section is no longer on the agenda.")
    target = max(0, min(len(items) - 1, position + step))
    if target != position:
        items.insert(target, items.pop(position))
        _store(db, team_id, items)
    return target


def reset_agenda(db: Database, team_id: int) -> tuple[AgendaItem, ...]:
    """Back to the default agenda (Segue 5 ... Conclude 5, 90 minutes)."""
    return _store(db, team_id, meetings.default_agenda())


def last_week(db: Database, now: datetime) -> str:
    return shift_week(local_now(db, now).week, -1)
