"""Rocks: the quarter's 90-day priorities, their weekly status, milestones and score.

Rules:

- A quarter holds 3 to 7 company Rocks and 3 to 5 individual Rocks per person; outside
  those ranges is a warning, never a refusal. Dropped Rocks do not count.
- A Rock has one owner, belongs to one quarter ("2026-Q4") and is due inside it, on its
  last day unless told otherwise.
- Its status is recorded per ISO week, ``on_track`` or ``off_track``, so history stays
  visible; at the end it is ``done`` or ``not_done``, or it is ``dropped``. A running
  Rock with no week recorded yet shows ``no_update``: it is not assumed on track.
- Quarter score = done / (total - dropped), target 80%; dropped Rocks are left out of it
  and shown separately. The projected score counts running on-track Rocks as done and
  leaves Rocks with no update out (they are counted apart).
- A Rock off track 3 or more weeks running (and not finished) is proposed as an issue.
- Roll-over happens on a quarter's last day or after it: each open Rock is carried
  (copied into a later quarter, the old one marked not done), done, not done or
  dropped, as the user chooses per Rock; nothing is deleted.
- ``+rock:<slug>`` in quick-add names a Rock by its slug: the title's words, lower
  case, joined by "-" (made unique with -2, -3); a unique prefix is enough. A slug of
  a closed Rock that was carried over names its open copy in the quarter asked about.
- A Rock's goal is named only while the goal is not archived.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from ceodesk.core.kernel.dates import (
    format_day,
    normal_week_key,
    quarter_bounds,
    quarter_key,
    shift_quarter,
    shift_week,
    week_key,
    week_monday,
)
from ceodesk.core.kernel.errors import InputError, NotFoundError
from ceodesk.core.kernel.text import clean_title
from ceodesk.core.store.db import UNDO_LABEL, Database
from ceodesk.core.store.lookups import get_or_refuse
from ceodesk.core.store.models import (
    Goal,
    Milestone,
    Person,
    Rock,
    RockWeek,
    Task,
    Team,
    TeamMember,
    TimeBlock,
)
from ceodesk.core.store.plain import PlainQuery, of_ids
from ceodesk.core.store.preferences import LEADERSHIP, local_now

__all__ = [
    "COMPANY_ROCKS",
    "FINAL_STATUSES",
    "NO_UPDATE",
    "OFF_TRACK_WEEKS_TO_PROPOSE",
    "PERSON_ROCKS",
    "ROLL_CHOICES",
    "SCORE_TARGET",
    "SHOWN_STATUSES",
    "STATUSES",
    "STATUS_LABELS",
    "STRIP_WEEKS",
    "WEEKLY_STATUSES",
    "MilestoneView",
    "QuarterView",
    "RockView",
    "RollOver",
    "RollOverPlan",
    "add_milestone",
    "add_rock",
    "consecutive_off_track",
    "delete_milestone",
    "edit_rock",
    "find_rock",
    "finish_rock",
    "quarter_rocks",
    "quarter_score",
    "redate_milestone",
    "rock_view",
    "rocks_by_team",
    "rocks_of_week",
    "roll_over",
    "roll_over_plan",
    "roll_over_quarters",
    "set_week_status",
    "slugify",
    "toggle_milestone",
    "toggle_week_status",
    "unique_slug",
]

STATUSES = ("on_track", "off_track", "done", "not_done", "dropped")
WEEKLY_STATUSES = ("on_track", "off_track")
FINAL_STATUSES = ("done", "not_done", "dropped")
NO_UPDATE = "no_update"  # shown, never stored: running, and no week recorded yet
SHOWN_STATUSES = ("on_track", "off_track", NO_UPDATE, "done", "not_done", "dropped")
ROLL_CHOICES = ("carry", "done", "not_done", "dropped")  # what roll-over does per Rock
STATUS_LABELS = {
    "on_track": "on track",
    "off_track": "off track",
    NO_UPDATE: "no update",
    "done": "done",
    "not_done": "not done",
    "dropped": "dropped",
}
SCORE_TARGET = 0.8
OFF_TRACK_WEEKS_TO_PROPOSE = 3
STRIP_WEEKS = 13
COMPANY_ROCKS = (3, 7)  # aim for this many company Rocks a quarter
PERSON_ROCKS = (3, 5)  # and this many individual Rocks per person
SLUG_MAX = 40  # whole words up to this many characters
LONGEST_TITLE = 200
_SLUG_WORD = re.compile(r"[^\W_]+")
_ROCK_PREFIX = "+rock:"


# ------------------------------------------------------------------------- views


@dataclass(frozen=True)
class MilestoneView:
    id: int
    title: str
    due: date | None
    done: bool


@dataclass(frozen=True)
class RockView:
    """A Rock as shown for one ISO week (``QuarterView.week``)."""

    id: int
    slug: str
    title: str
    owner_id: int
    owner: str
    is_company: bool
    quarter: str
    due: date
    goal_id: int | None  # kept when the goal is archived
    goal: str | None  # the goal's title; None when there is none or it is archived
    team: str | None  # the owner's first non-leadership team by name, else "Leadership"
    status: str  # final status, else this week's, else the last recorded, else no_update
    this_week: str | None  # recorded for the week shown, None if not recorded
    strip: tuple[str | None, ...]  # 13 ISO weeks, oldest first, ending at the week shown
    milestones: tuple[MilestoneView, ...]  # by due date (undated last), then as added
    milestones_done: int
    next_milestone: MilestoneView | None  # the first open one
    off_track_weeks: int  # off track this many weeks running, up to the week shown
    propose_as_issue: bool
    outcome: str
    measure: str
    description: str
    rolled_from_quarter: str | None = None  # the quarter it was rolled over from
    archived_goal: str | None = None  # the title of the archived goal it still links to

    @property
    def progress_text(self) -> str:
        """Milestones done of all: "2/3", or "" without milestones."""
        return f"{self.milestones_done}/{len(self.milestones)}" if self.milestones else ""

    @property
    def finished(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def no_update(self) -> bool:
        """Running, and no weekly status recorded yet (up to the week shown)."""
        return self.status == NO_UPDATE

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class QuarterView:
    quarter: str
    week: str  # this week when it lies in the quarter, else the quarter's last week
    company: tuple[RockView, ...]  # in the order they were added
    individual: tuple[RockView, ...]  # by owner (you first), then as added
    counts: dict[str, int]  # every status in SHOWN_STATUSES (no_update included)
    score: float | None  # done / (total - dropped) over all the quarter's Rocks
    # (done + on track) / (total - dropped - no update): Rocks without an update are
    # neither assumed on track nor off; counts["no_update"] says how many were left out.
    projected_score: float | None
    warnings: tuple[str, ...]

    @property
    def rocks(self) -> tuple[RockView, ...]:
        return self.company + self.individual

    @property
    def total(self) -> int:
        return len(self.company) + len(self.individual)


# ----------------------------------------------------------------- pure rules


def quarter_score(done: int, total: int, dropped: int) -> float | None:
    """Quarter score = done / (total - dropped); None when no Rock counts."""
    counted = total - dropped
    if counted <= 0:
        return None
    return max(0.0, min(1.0, done / counted))


def consecutive_off_track(statuses: Sequence[str | None]) -> int:
    """How many weeks at the end of ``statuses`` (oldest first) are off track in a row;
    an unrecorded week (None) ends the run."""
    run = 0
    for status in reversed(statuses):
        if status != "off_track":
            break
        run += 1
    return run


def slugify(title: str) -> str:
    """A Rock's slug: the title's words in lower case joined by "-", whole words up to
    40 characters ("Hire a VP of Engineering" -> "hire-a-vp-of-engineering")."""
    slug = ""
    # "year's" is one word, not "year-s".
    for word in _SLUG_WORD.findall(title.lower().replace("'", "").replace("’", "")):
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > SLUG_MAX:
            break
        slug = longer
    return slug or "rock"


def _plural(count: int, word: str) -> str:
    if count == 0:
        return f"no {word}s"
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


# ------------------------------------------------------------- loading views


def _week_for(quarter: str, today: date) -> str:
    """The week a quarter is shown at: today's when inside it, else its last week."""
    first, last = quarter_bounds(quarter)
    return week_key(today if first <= today <= last else last)


def _today(db: Database, now: datetime) -> date:
    return local_now(db, now).today


class _RockRow(NamedTuple):
    """What a Rock's view is drawn from of its own row."""

    id: int | None
    slug: str
    title: str
    owner_id: int
    is_company: bool
    quarter: str
    due: date
    goal_id: int | None
    outcome: str
    measure: str
    description: str
    final_status: str | None
    rolled_from_id: int | None


class _MilestoneRow(NamedTuple):
    id: int | None
    rock_id: int
    title: str
    due: date | None
    done_at: datetime | None
    position: int


# The reads of every Rocks redraw (the Rocks screen, the review), built once and read past
# the ORM as plain rows (store.plain).
_ROCKS_IN_QUARTERS = PlainQuery(
    sa_select(*(col(getattr(Rock, name)) for name in _RockRow._fields))
    .where(col(Rock.quarter).in_(bindparam("quarters", expanding=True)))
    .order_by(col(Rock.id))
)
_OWNER_NAMES = of_ids(col(Person.id), col(Person.name))
_GOALS = of_ids(col(Goal.id), col(Goal.title), col(Goal.archived))
_ROLLED_FROM = of_ids(col(Rock.id), col(Rock.quarter))
_STATUSES = of_ids(col(RockWeek.rock_id), col(RockWeek.week), col(RockWeek.status))
_MILESTONES = of_ids(
    *(col(getattr(Milestone, name)) for name in _MilestoneRow._fields), key=col(Milestone.rock_id)
)
_OWNER_TEAMS = PlainQuery(
    sa_select(col(TeamMember.person_id), col(Team.name))
    .join(Team, col(Team.id) == col(TeamMember.team_id))
    .where(col(Team.is_leadership).is_(False))
    .order_by(col(Team.name))
)


def _owner_teams(session: Session) -> dict[int, str]:
    """Person id -> their first team by name that is not the leadership team."""
    teams: dict[int, str] = {}
    for person_id, name in _OWNER_TEAMS.rows(session):
        teams.setdefault(person_id, name)
    return teams


def _milestone_order(m: Milestone | _MilestoneRow) -> tuple:
    return (m.due is None, m.due or date.max, m.position, m.id or 0)


def _milestone_view(m: Milestone | _MilestoneRow) -> MilestoneView:
    return MilestoneView(m.id or 0, m.title, m.due, m.done_at is not None)


def _off_track_run(recorded: dict[str, str], week: str) -> int:
    """Off-track weeks running, ending at ``week`` if recorded, else at the latest
    recorded week before it."""
    known = [k for k in recorded if k <= week]
    if not known:
        return 0
    # Back from there, week by week, while off track: a week not recorded ends the run
    # (consecutive_off_track's rule), so the weeks before the run are never looked at.
    current = week if week in recorded else max(known)
    run = 0
    while recorded.get(current) == "off_track":
        run += 1
        current = shift_week(current, -1)
    return run


def _views(session: Session, rocks: Sequence[Rock], week: str) -> list[RockView]:
    """Rocks as shown at ISO week ``week``, in the given order."""
    return _views_at(session, [(week, rocks)])[0]


def _views_at(
    session: Session, shown: Sequence[tuple[str, Sequence[Rock | _RockRow]]]
) -> list[list[RockView]]:
    """For each (ISO week, Rocks): those Rocks as shown at that week, in the given order.
    What they are drawn from is read once for them all (the review shows a week and the
    one before it)."""
    rocks = [r for _week, some in shown for r in some]
    ids = [r.id for r in rocks if r.id is not None]
    if not ids:
        return [[] for _ in shown]
    people: dict[int, str] = dict(
        _OWNER_NAMES.rows(session, ids=sorted({r.owner_id for r in rocks}))
    )
    goal_ids = sorted({r.goal_id for r in rocks if r.goal_id is not None})
    goals: dict[int, tuple[str, bool]] = (
        {
            goal_id: (title, archived)
            for goal_id, title, archived in _GOALS.rows(session, ids=goal_ids)
        }
        if goal_ids
        else {}
    )
    rolled_ids = sorted({r.rolled_from_id for r in rocks if r.rolled_from_id is not None})
    rolled: dict[int, str] = dict(_ROLLED_FROM.rows(session, ids=rolled_ids)) if rolled_ids else {}
    teams = _owner_teams(session)
    weeks: dict[int, dict[str, str]] = defaultdict(dict)
    for rock_id, week, status in _STATUSES.rows(session, ids=ids):
        weeks[rock_id][week] = status
    milestones: dict[int, list[_MilestoneRow]] = defaultdict(list)
    for row in _MILESTONES.rows(session, ids=ids):
        m = _MilestoneRow._make(row)
        milestones[m.rock_id].append(m)
    plans = {
        rock_id: tuple(_milestone_view(m) for m in sorted(some, key=_milestone_order))
        for rock_id, some in milestones.items()
    }

    def view(rock: Rock | _RockRow, week: str, strip_weeks: Sequence[str]) -> RockView:
        recorded = weeks.get(rock.id or 0, {})
        this_week = recorded.get(week)
        earlier = [k for k in recorded if k <= week]
        last_recorded = recorded[max(earlier)] if earlier else None
        status = rock.final_status or this_week or last_recorded or NO_UPDATE
        goal = goals.get(rock.goal_id) if rock.goal_id is not None else None
        plan = plans.get(rock.id or 0, ())
        off_track = _off_track_run(recorded, week)
        return RockView(
            id=rock.id or 0,
            slug=rock.slug,
            title=rock.title,
            owner_id=rock.owner_id,
            owner=people.get(rock.owner_id, ""),
            is_company=rock.is_company,
            quarter=rock.quarter,
            due=rock.due,
            goal_id=rock.goal_id,
            goal=goal[0] if goal is not None and not goal[1] else None,
            team=teams.get(rock.owner_id, LEADERSHIP),
            status=status,
            this_week=this_week,
            strip=tuple(recorded.get(k) for k in strip_weeks),
            milestones=plan,
            milestones_done=sum(m.done for m in plan),
            next_milestone=next((m for m in plan if not m.done), None),
            off_track_weeks=off_track,
            propose_as_issue=(
                rock.final_status is None and off_track >= OFF_TRACK_WEEKS_TO_PROPOSE
            ),
            outcome=rock.outcome,
            measure=rock.measure,
            description=rock.description,
            rolled_from_quarter=(
                rolled.get(rock.rolled_from_id) if rock.rolled_from_id is not None else None
            ),
            archived_goal=goal[0] if goal is not None and goal[1] else None,
        )

    views = []
    for week, some in shown:
        strip_weeks = [shift_week(week, n - STRIP_WEEKS + 1) for n in range(STRIP_WEEKS)]
        has_ids = any(r.id is not None for r in some)
        views.append([view(rock, week, strip_weeks) for rock in some] if has_ids else [])
    return views


def _view(session: Session, rock: Rock, today: date) -> RockView:
    """One Rock as shown at the week ``today`` falls in (or its quarter's last week)."""
    session.flush()
    return _views(session, [rock], _week_for(rock.quarter, today))[0]


def _owner_order(session: Session) -> dict[int, tuple[bool, str]]:
    """Person id -> sort key: you first, then by name."""
    return {p.id or 0: (not p.is_me, p.name.lower()) for p in session.exec(select(Person))}


def _warnings(company: Sequence[RockView], individual: Sequence[RockView]) -> tuple[str, ...]:
    """Outside 3 to 7 company Rocks, or 3 to 5 individual Rocks per person: warn."""
    warnings = []
    low, high = COMPANY_ROCKS
    counted = [r for r in company if r.status != "dropped"]
    if not low <= len(counted) <= high:
        warnings.append(
            f"The company has {_plural(len(counted), 'Rock')}; aim for {low} to {high}."
        )
    low, high = PERSON_ROCKS
    per_owner: dict[str, int] = defaultdict(int)
    for rock in individual:
        if rock.status != "dropped":
            per_owner[rock.owner] += 1
    for owner, count in sorted(per_owner.items()):
        if not low <= count <= high:
            warnings.append(f"{owner} has {_plural(count, 'Rock')}; aim for {low} to {high}.")
    return tuple(warnings)


def quarter_rocks(db: Database, quarter: str, now: datetime) -> QuarterView:
    """The quarter's Rocks, company and individual, at this week (or its last week when
    the quarter is not the current one), with counts, scores and range warnings."""
    quarter = _quarter(quarter)
    week = _week_for(quarter, _today(db, now))
    with db.session() as session:
        rocks = list(
            session.exec(select(Rock).where(Rock.quarter == quarter).order_by(col(Rock.id)))
        )
        order = _owner_order(session)
        views = _views(session, rocks, week)
    company = tuple(v for v in views if v.is_company)
    individual = tuple(
        sorted((v for v in views if not v.is_company), key=lambda v: (order[v.owner_id], v.id))
    )
    counts = {status: 0 for status in SHOWN_STATUSES}
    for view in views:
        counts[view.status] += 1
    total, done, dropped = len(views), counts["done"], counts["dropped"]
    unknown = counts[NO_UPDATE]
    return QuarterView(
        quarter=quarter,
        week=week,
        company=company,
        individual=individual,
        counts=counts,
        score=quarter_score(done, total, dropped),
        projected_score=quarter_score(done + counts["on_track"], total - unknown, dropped),
        warnings=_warnings(company, individual),
    )


def rocks_by_team(db: Database, quarter: str, now: datetime) -> list[tuple[str, list[RockView]]]:
    """Alignment: each team with its Rocks (a Rock belongs to its owner's team),
    Leadership first, then teams by name; teams without Rocks are left out."""
    view = quarter_rocks(db, quarter, now)
    groups: dict[str, list[RockView]] = defaultdict(list)
    for rock in view.rocks:
        groups[rock.team or LEADERSHIP].append(rock)
    return sorted(groups.items(), key=lambda item: (item[0] != LEADERSHIP, item[0].lower()))


def rock_view(db: Database, rock_id: int, now: datetime) -> RockView:
    """One Rock as shown at this week (or its quarter's last week); views.rock_detail adds
    its tasks and block hours."""
    today = local_now(db, now).today
    with db.session() as session:
        rock = _rock(session, rock_id)
        return _views(session, [rock], _week_for(rock.quarter, today))[0]


def rocks_of_week(db: Database, week: str) -> tuple[RockView, ...]:
    """The Rocks of every quarter ISO week ``week`` overlaps (a week across a quarter's
    start shows the ending quarter's and the new one's), each as shown at that week."""
    return rocks_of_weeks(db, [week])[0]


def _quarters_of(week: str) -> set[str]:
    monday = week_monday(week)
    return {quarter_key(monday), quarter_key(monday + timedelta(days=6))}


def rocks_of_weeks(db: Database, weeks: Sequence[str]) -> list[tuple[RockView, ...]]:
    """``rocks_of_week`` of each of ``weeks``, read in one go."""
    keys = [week_key(week_monday(week)) for week in weeks]
    quarters = {key: _quarters_of(key) for key in keys}
    every = sorted(set().union(*quarters.values()))
    with db.session() as session:
        rocks = [_RockRow._make(row) for row in _ROCKS_IN_QUARTERS.rows(session, quarters=every)]
        shown: list[tuple[str, Sequence[Rock | _RockRow]]] = [
            (key, [r for r in rocks if r.quarter in quarters[key]]) for key in keys
        ]
        return [tuple(views) for views in _views_at(session, shown)]


# -------------------------------------------------------------- lookups, checks


def _quarter(key: str) -> str:
    """A quarter key in its usual spelling ("2026-q4" -> "2026-Q4"); InputError if not one."""
    return quarter_key(quarter_bounds(key)[0])


def _rock(session: Session, rock_id: int) -> Rock:
    return get_or_refuse(session, Rock, rock_id, "That Rock no longer exists.")


def _owner(session: Session, person_id: int, *, new: bool = True) -> Person:
    person = get_or_refuse(session, Person, person_id, "That team member no longer exists.")
    if new and not person.active:
        raise NotFoundError("That team member is not active.")
    return person


def _goal(session: Session, goal_id: int) -> Goal:
    return get_or_refuse(
        session, Goal, goal_id, "That goal no longer exists.", gone=lambda g: g.archived
    )


def _clean_title(title: str, what: str = "A Rock") -> str:
    return clean_title(title, what, longest=LONGEST_TITLE)


def _clean_text(text: str) -> str:
    """Free text: trailing spaces and blank lines around it removed, lines kept."""
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def _due_in_quarter(due: date | None, quarter: str) -> date:
    first, last = quarter_bounds(quarter)
    if due is None:
        return last
    if not first <= due <= last:
        raise InputError(
            f"A {quarter} Rock must be due between {format_day(first)} and {format_day(last)}."
        )
    return due


def unique_slug(session: Session, title: str) -> str:
    """The title's slug, with -2, -3, ... added when another Rock has it (flushed ones)."""
    base = slugify(title)
    taken = set(
        session.exec(select(Rock.slug).where(col(Rock.slug).startswith(base, autoescape=True)))
    )
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _open_copy(session: Session, rock: Rock) -> Rock:
    """A closed Rock that was carried over: its first copy still open, else itself."""
    current, seen = rock, {rock.id}
    while current.final_status is not None:
        copy = session.exec(select(Rock).where(Rock.rolled_from_id == current.id)).first()
        if copy is None or copy.id in seen:
            return rock
        current = copy
        seen.add(copy.id)
    return current


def find_rock(session: Session, slug: str, quarter: str | None = None) -> Rock:
    """The Rock ``+rock:<slug>`` names: the Rock with exactly that slug (in any quarter;
    when it is closed and was carried over, its open copy), else the one Rock whose
    slug starts with it, looking at the given quarter's Rocks before all others.
    None is a NotFoundError, several an InputError naming them.
    """
    ref = slug.strip().lower().removeprefix(_ROCK_PREFIX)
    if not ref:
        raise InputError("Name a Rock after +rock:, like +rock:hire-vp.")
    exact = session.exec(select(Rock).where(Rock.slug == ref)).first()
    if exact is not None:
        return _open_copy(session, exact)
    rocks = list(session.exec(select(Rock).where(col(Rock.slug).startswith(ref, autoescape=True))))
    pools = [[r for r in rocks if r.quarter == quarter], rocks] if quarter else [rocks]
    for pool in pools:
        starting = [r for r in pool if r.slug.startswith(ref)]
        if len(starting) == 1:
            return starting[0]
        if len(starting) > 1:
            names = sorted(r.slug for r in starting)
            shown = ", ".join(names[:5]) + (" and more" if len(names) > 5 else "")
            raise InputError(f"+rock:{ref} could be {shown}; write more of it.")
    raise NotFoundError(f"There is no Rock +rock:{ref} to link to.")


# -------------------------------------------------------------------- Rocks


def add_rock(
    db: Database,
    title: str,
    owner_id: int,
    *,
    is_company: bool,
    quarter: str,
    due: date | None = None,
    goal_id: int | None = None,
    outcome: str = "",
    measure: str = "",
    now: datetime,
) -> RockView:
    """Add a Rock to a quarter, due on the quarter's last day unless ``due`` (inside the
    quarter) is given. Going over 7 company or 5 individual Rocks only warns. The Rock
    returned is shown at the week ``now`` falls in."""
    title = _clean_title(title)
    quarter = _quarter(quarter)
    due = _due_in_quarter(due, quarter)
    today = _today(db, now)
    with db.action(f"Added Rock “{title}”") as session:
        _owner(session, owner_id)
        if goal_id is not None:
            _goal(session, goal_id)
        rock = Rock(
            slug=unique_slug(session, title),
            title=title,
            owner_id=owner_id,
            is_company=is_company,
            quarter=quarter,
            due=due,
            goal_id=goal_id,
            outcome=_clean_text(outcome),
            measure=_clean_text(measure),
        )
        session.add(rock)
        return _view(session, rock, today)


def edit_rock(
    db: Database,
    rock_id: int,
    *,
    title: str,
    owner_id: int,
    is_company: bool,
    due: date | None,
    goal_id: int | None,
    outcome: str,
    measure: str,
    description: str,
    now: datetime,
) -> RockView:
    """Change a Rock's fields; its quarter, slug, weekly history and milestones stay.

    ``due`` None means the quarter's last day. A new owner must be active and a new goal
    not archived; unchanged ones are kept as they are. The Rock returned is shown at the
    week ``now`` falls in.
    """
    title = _clean_title(title)
    today = _today(db, now)
    with db.action(f"Edited Rock “{title}”") as session:
        rock = _rock(session, rock_id)
        if owner_id != rock.owner_id:
            _owner(session, owner_id)
        if goal_id is not None and goal_id != rock.goal_id:
            _goal(session, goal_id)
        rock.due = _due_in_quarter(due, rock.quarter)
        rock.title, rock.owner_id, rock.is_company, rock.goal_id = (
            title,
            owner_id,
            is_company,
            goal_id,
        )
        rock.outcome = _clean_text(outcome)
        rock.measure = _clean_text(measure)
        rock.description = _clean_text(description)
        rock.updated_at = now.astimezone(UTC)
        return _view(session, rock, today)


def _weeks_overlap_quarter(week: str, quarter: str) -> bool:
    first, last = quarter_bounds(quarter)
    monday = week_monday(week)
    return monday <= last and monday + timedelta(days=6) >= first


def _record_week(session: Session, rock: Rock, week: str, status: str) -> None:
    if rock.final_status is not None:
        raise InputError(
            f"“{rock.title}” is {STATUS_LABELS[rock.final_status]}; reopen it to record a week."
        )
    if not _weeks_overlap_quarter(week, rock.quarter):
        raise InputError(f"“{rock.title}” belongs to {rock.quarter}, and {week} lies outside it.")
    row = session.get(RockWeek, (rock.id, week))
    if row is None:
        session.add(RockWeek(rock_id=rock.id or 0, week=week, status=status))
    else:
        row.status = status
    session.info[UNDO_LABEL] = f"Marked “{rock.title}” {STATUS_LABELS[status]} for {week}"


def set_week_status(db: Database, rock_id: int, week: str, status: str) -> None:
    """Record a running Rock's status (on_track or off_track) for one ISO week of its
    quarter; a finished Rock must be reopened first."""
    if status not in WEEKLY_STATUSES:
        raise InputError(f"“{status}” is not a weekly status; use on_track or off_track.")
    week = normal_week_key(week)
    with db.action("Recorded a Rock's week") as session:
        _record_week(session, _rock(session, rock_id), week, status)


def toggle_week_status(db: Database, rock_id: int, now: datetime) -> str:
    """Flip this ISO week's status between on and off track; returns the new one.

    A week not yet recorded counts as on track, so its first toggle records off track,
    except on a Rock with no update at all yet: its first toggle records on track.
    """
    week = week_key(_today(db, now))
    with db.action("Recorded a Rock's week") as session:
        rock = _rock(session, rock_id)
        row = session.get(RockWeek, (rock_id, week))
        if row is None:
            earlier = session.exec(
                select(RockWeek.week).where(RockWeek.rock_id == rock_id, RockWeek.week < week)
            ).first()
            status = "off_track" if earlier is not None else "on_track"
        else:
            status = "on_track" if row.status == "off_track" else "off_track"
        _record_week(session, rock, week, status)
        return status


def finish_rock(db: Database, rock_id: int, final_status: str | None) -> None:
    """Mark a Rock done, not done or dropped; None reopens it. Its weekly history stays."""
    if final_status is not None and final_status not in FINAL_STATUSES:
        raise InputError(f"“{final_status}” is not a final status; use done, not_done or dropped.")
    with db.action("Finished a Rock") as session:
        rock = _rock(session, rock_id)
        if final_status is None:
            session.info[UNDO_LABEL] = f"Reopened “{rock.title}”"
        elif final_status == "dropped":
            session.info[UNDO_LABEL] = f"Dropped “{rock.title}”"
        else:
            session.info[UNDO_LABEL] = f"Marked “{rock.title}” {STATUS_LABELS[final_status]}"
        rock.final_status = final_status
        db.touch(rock)


def _copy(session: Session, old: Rock, quarter: str) -> Rock:
    rock = Rock(
        slug=unique_slug(session, old.title),
        title=old.title,
        owner_id=old.owner_id,
        is_company=old.is_company,
        quarter=quarter,
        due=quarter_bounds(quarter)[1],
        goal_id=old.goal_id,
        outcome=old.outcome,
        measure=old.measure,
        description=old.description,
        rolled_from_id=old.id,
    )
    session.add(rock)
    session.flush()
    for milestone in session.exec(select(Milestone).where(Milestone.rock_id == old.id)):
        if milestone.done_at is None:
            session.add(
                Milestone(rock_id=rock.id or 0, title=milestone.title, position=milestone.position)
            )
    return rock


def _follow(session: Session, old: Rock, new: Rock) -> None:
    """Open tasks and the new quarter's blocks of a rolled-over Rock serve its copy."""
    for task in session.exec(
        select(Task).where(
            Task.rock_id == old.id, col(Task.done_at).is_(None), col(Task.archived_at).is_(None)
        )
    ):
        task.rock_id = new.id
    first = quarter_bounds(new.quarter)[0]
    for block in session.exec(
        select(TimeBlock).where(TimeBlock.rock_id == old.id, TimeBlock.day >= first)
    ):
        block.rock_id = new.id


@dataclass(frozen=True)
class RollOverPlan:
    """What ``R`` offers: the quarter that has ended, the one after it, its open Rocks."""

    source: str
    target: str
    rocks: tuple[RockView, ...]  # the source quarter's open Rocks, company ones first


@dataclass(frozen=True)
class RollOver:
    """What a roll-over did: how many Rocks got each choice (ROLL_CHOICES keys)."""

    source: str
    target: str
    counts: dict[str, int]

    @property
    def summary(self) -> str:
        """What it did, like “2 Rocks carried into 2027-Q1, 1 done, 1 dropped”."""
        parts = []
        if self.counts["carry"]:
            parts.append(f"{_plural(self.counts['carry'], 'Rock')} carried into {self.target}")
        for choice in ROLL_CHOICES[1:]:
            if self.counts[choice]:
                parts.append(f"{self.counts[choice]} {STATUS_LABELS[choice]}")
        return ", ".join(parts)


def roll_over_quarters(shown: str, today: date) -> tuple[str, str]:
    """The quarters ``R`` rolls from and into, seen from quarter ``shown``: the shown
    one into the next once it has reached its last day, else the one before into it."""
    shown = _quarter(shown)
    if today >= quarter_bounds(shown)[1]:
        return shown, shift_quarter(shown, 1)
    return shift_quarter(shown, -1), shown


def _check_ended(quarter: str, today: date) -> None:
    last = quarter_bounds(quarter)[1]
    if today < last:
        raise InputError(
            f"{quarter} runs until {format_day(last)}; roll its Rocks over on that day or after."
        )


def roll_over_plan(db: Database, shown: str, now: datetime) -> RollOverPlan:
    """The roll-over ``R`` offers from quarter ``shown`` (see ``roll_over_quarters``);
    InputError when that quarter has not reached its end or has no open Rock."""
    today = _today(db, now)
    source, target = roll_over_quarters(shown, today)
    _check_ended(source, today)
    rocks = tuple(r for r in quarter_rocks(db, source, now).rocks if not r.finished)
    if not rocks:
        raise InputError(f"{source} has no unfinished Rocks to roll over.")
    return RollOverPlan(source, target, rocks)


def roll_over(
    db: Database,
    from_quarter: str,
    to_quarter: str,
    now: datetime,
    choices: Mapping[int, str] | None = None,
) -> RollOver:
    """Close the open Rocks of ``from_quarter``, which must have reached its last day,
    as chosen per Rock id in ``choices`` (ROLL_CHOICES; None carries every one):

    - ``carry``: copy it into the later ``to_quarter`` (same owner, goal, kind, outcome
      and measure; open milestones without dates; due at the new quarter's end) and mark
      the old one not done; its open tasks and the new quarter's blocks move to the copy;
    - ``done``, ``not_done``, ``dropped``: record that, with no copy.

    Open Rocks left out of ``choices`` stay open. Nothing is deleted; one undo step.
    """
    source, target = _quarter(from_quarter), _quarter(to_quarter)
    if quarter_bounds(target)[0] <= quarter_bounds(source)[0]:
        raise InputError(f"Rocks roll forward; pick a quarter after {source}.")
    _check_ended(source, _today(db, now))
    for choice in (choices or {}).values():
        if choice not in ROLL_CHOICES:
            raise InputError(
                f"“{choice}” is not a roll-over choice; use carry, done, not_done or dropped."
            )
    with db.action("Rolled over Rocks") as session:
        unfinished = list(
            session.exec(
                select(Rock)
                .where(Rock.quarter == source, col(Rock.final_status).is_(None))
                .order_by(col(Rock.id))
            )
        )
        if not unfinished:
            raise InputError(f"{source} has no unfinished Rocks to roll over.")
        if choices is None:
            chosen = {rock.id or 0: "carry" for rock in unfinished}
        else:
            open_ids = {rock.id for rock in unfinished}
            if any(rock_id not in open_ids for rock_id in choices):
                raise InputError(f"A chosen Rock is no longer open in {source}; look again.")
            chosen = dict(choices)
            if not chosen:
                raise InputError("Choose what happens to at least one Rock.")
        counts = {choice: 0 for choice in ROLL_CHOICES}
        for old in unfinished:
            picked = chosen.get(old.id or 0)
            if picked is None:
                continue
            if picked == "carry":
                _follow(session, old, _copy(session, old, target))
            old.final_status = "not_done" if picked == "carry" else picked
            counts[picked] += 1
        result = RollOver(source, target, counts)
        session.info[UNDO_LABEL] = f"Rolled over {source}: {result.summary}"
        return result


# --------------------------------------------------------------- milestones


def _milestone(session: Session, milestone_id: int) -> Milestone:
    return get_or_refuse(session, Milestone, milestone_id, "That milestone no longer exists.")


def add_milestone(db: Database, rock_id: int, title: str, due: date | None) -> MilestoneView:
    """Add a step to a Rock's completion plan."""
    title = _clean_title(title, "A milestone")
    with db.action(f"Added milestone “{title}”") as session:
        _rock(session, rock_id)
        positions = session.exec(select(Milestone.position).where(Milestone.rock_id == rock_id))
        milestone = Milestone(
            rock_id=rock_id, title=title, due=due, position=max(positions, default=-1) + 1
        )
        session.add(milestone)
        session.flush()
        return _milestone_view(milestone)


def toggle_milestone(db: Database, milestone_id: int, now: datetime) -> bool:
    """Tick an open milestone or untick a ticked one; returns whether it is now done."""
    with db.action("Ticked a milestone") as session:
        milestone = _milestone(session, milestone_id)
        if milestone.done_at is None:
            session.info[UNDO_LABEL] = f"Ticked “{milestone.title}”"
            milestone.done_at = now.astimezone(UTC)
        else:
            session.info[UNDO_LABEL] = f"Unticked “{milestone.title}”"
            milestone.done_at = None
        return milestone.done_at is not None


def redate_milestone(db: Database, milestone_id: int, due: date | None) -> None:
    """Give a milestone a new due date, or none."""
    with db.action("Re-dated a milestone") as session:
        milestone = _milestone(session, milestone_id)
        session.info[UNDO_LABEL] = f"Re-dated “{milestone.title}”"
        milestone.due = due


def delete_milestone(db: Database, milestone_id: int) -> str:
    """Delete a milestone (undoable); returns its title."""
    with db.action("Deleted a milestone") as session:
        milestone = _milestone(session, milestone_id)
        session.info[UNDO_LABEL] = f"Deleted milestone “{milestone.title}”"
        session.delete(milestone)
        return milestone.title
