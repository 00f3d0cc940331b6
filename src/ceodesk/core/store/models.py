"""SQLModel tables: the one place the stored shape of ceodesk's data is defined.

Every table with an integer ``id`` (short, for people and URLs) also has a ``uid`` (a
UUID string, stable across export/import and a copy to another database, so round trips
are idempotent); a test keeps it so for every table added later. Tables without an
``id`` have a composite natural key and are identified by their parents' uids plus it:

- ``teammember``: the team's and the person's uids;
- ``focustask``: the day and the task's uid;
- ``goallink``: the cause goal's and the effect goal's uids;
- ``rockweek``: the Rock's uid and the ISO week;
- ``measurablegoal``: the measurable's uid and ``from_week``;
- ``measurablevalue``: the measurable's uid and the ISO week;
- ``setting``: its key.

Rules never key on what a user can rename: a category's ``kind`` (deep work, meetings,
...) stays when its name changes. Instants are aware datetimes stored as UTC; planning
dates are plain local dates.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time
from enum import StrEnum

from sqlmodel import Field, SQLModel


def new_uid() -> str:
    return str(uuid.uuid4())


def saved_id(row: object) -> int:
    """The id of a row the session has flushed (a row not yet flushed has none)."""
    row_id = getattr(row, "id", None)
    if not isinstance(row_id, int):
        raise ValueError(f"{type(row).__name__} has no id until it is flushed")
    return row_id


# What a created/updated stamp holds until the flush sets it from the database's clock
# (store.db stamps every new and every changed row): no model reads the wall clock.
UNSTAMPED = datetime(1970, 1, 1, tzinfo=UTC)


class Setting(SQLModel, table=True):
    """One user setting, stored as text (JSON where structured)."""

    key: str = Field(primary_key=True)
    value: str


class Team(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, index=True)
    name: str = Field(unique=True)
    is_leadership: bool = False


class Person(SQLModel, table=True):
    """Someone in the company. Deactivated people keep their name in history."""

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, index=True)
    name: str
    role: str = ""
    is_me: bool = False
    active: bool = True
    created_at: datetime = Field(default=UNSTAMPED)


class TeamMember(SQLModel, table=True):
    team_id: int = Field(foreign_key="team.id", primary_key=True, ondelete="CASCADE")
    person_id: int = Field(foreign_key="person.id", primary_key=True, ondelete="CASCADE")


class CategoryKind(StrEnum):
    """What a block category is for, whatever the user calls it: the planner's rules
    (deep-work protection, scheduling) look at the kind, never at the name."""

    DEEP_WORK = "deep_work"
    MEETINGS = "meetings"
    ADMIN = "admin"
    STRATEGIC_PLANNING = "strategic_planning"
    TEAM_COLLABORATION = "team_collaboration"
    PEOPLE = "people"
    PERSONAL = "personal"
    BUFFER = "buffer"
    OTHER = "other"  # every category the user makes


class Category(SQLModel, table=True):
    """A category of time blocks (deep work, meetings, ...), with a colour; the user may
    rename it, its ``kind`` stays."""

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, index=True)
    name: str = Field(unique=True)
    colour: str
    position: int = 0
    archived: bool = False
    # Added by schema 9 (ALTER TABLE appends it, so it stays the last column here too).
    kind: str = CategoryKind.OTHER.value


class Task(SQLModel, table=True):
    """A task. Its Eisenhower quadrant is derived from ``important`` and ``urgent``."""

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, index=True)
    title: str
    important: bool = False
    urgent: bool = False
    due_date: date | None = Field(default=None, index=True)
    due_time: time | None = None
    estimate_minutes: int | None = None
    owner_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    follow_up: date | None = None
    tags: str = ""  # space-separated, lower case
    notes: str = ""
    done_at: datetime | None = Field(default=None, index=True)
    archived_at: datetime | None = None  # archived tasks are hidden, not deleted
    created_at: datetime = Field(default=UNSTAMPED)
    updated_at: datetime = Field(default=UNSTAMPED)
    # Added by schema 3 (ALTER TABLE appends it, so it stays the last column here too).
    rock_id: int | None = Field(
        default=None, foreign_key="rock.id", ondelete="SET NULL", index=True
    )
    # Added by schema 7: captured with neither flag and not yet filed in a quadrant, so it
    # waits in the unsorted tray (Drop is a decision, not a default).
    unsorted: bool = False


class TimeBlock(SQLModel, table=True):
    """A planned stretch of one local day, in wall-clock time, with what really happened.

    ``actual_minutes`` is None until recorded; ``skipped`` means it did not happen.
    Blocks of a recurring series carry its id and one row per occurrence day.
    """

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, index=True)
    day: date = Field(index=True)
    start: time
    end: time
    title: str
    category_id: int = Field(foreign_key="category.id")
    task_id: int | None = Field(default=None, foreign_key="task.id", ondelete="SET NULL")
    series_id: int | None = Field(
        default=None, foreign_key="blockseries.id", ondelete="SET NULL", index=True
    )
    fixed: bool = False  # imported calendar events are not moved by the planner
    actual_minutes: int | None = None
    skipped: bool = False
    created_at: datetime = Field(default=UNSTAMPED)
    updated_at: datetime = Field(default=UNSTAMPED)
    # Added by schema 3 (ALTER TABLE appends it, so it stays the last column here too).
    rock_id: int | None = Field(
        default=None, foreign_key="rock.id", ondelete="SET NULL", index=True
    )


class BlockSeries(SQLModel, table=True):
    """A recurring block: an RFC 5545 rule expanded in the user's zone at wall-clock time."""

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, index=True)
    title: str
    category_id: int = Field(foreign_key="category.id")
    rule: str  # e.g. "FREQ=WEEKLY;BYDAY=TU"
    start: time
    end: time
    starts_on: date
    ends_on: date | None = None
    # Added by schema 8 (ALTER TABLE appends them, so they stay the last columns here too):
    # the task and Rock every occurrence serves.
    task_id: int | None = Field(default=None, foreign_key="task.id", ondelete="SET NULL")
    rock_id: int | None = Field(default=None, foreign_key="rock.id", ondelete="SET NULL")


class DeletedOccurrence(SQLModel, table=True):
    """An occurrence of a repeating block the user deleted, so it is not written again.

    Keyed by the occurrence's stable uid (derived from the series and the day). Added by
    schema 8; before it these were "deleted_occurrence:<uid>" settings.
    """

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, index=True)
    occurrence_uid: str = Field(unique=True, index=True)
    day: date


class IdealBlock(SQLModel, table=True):
    """One block of the ideal-week template (weekday 0 = Monday)."""

    id: int | None = Field(default=None, primary_key=True)
    weekday: int
    start: time
    end: time
    title: str
    category_id: int = Field(foreign_key="category.id")
    # Added by schema 9 (ALTER TABLE appends it, so it stays the last column here too).
    uid: str = Field(default_factory=new_uid, unique=True, index=True)


class FocusTask(SQLModel, table=True):
    """A task pinned as one of a day's (one or two) focus tasks."""

    day: date = Field(primary_key=True)
    task_id: int = Field(foreign_key="task.id", primary_key=True, ondelete="CASCADE")
    position: int = 0


# ------------------------------------------------------------ big picture and Rocks


class Goal(SQLModel, table=True):
    """A 1-year goal (a strategic objective), optionally in a balanced-scorecard perspective."""

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, index=True)
    title: str
    measurable: str = ""
    due: date | None = None
    perspective: str | None = None  # financial, customer, internal process, learning and growth
    position: int = 0
    archived: bool = False


class GoalLink(SQLModel, table=True):
    """A strategy-map arrow: reaching ``cause`` helps reach ``effect``."""

    cause_id: int = Field(foreign_key="goal.id", primary_key=True, ondelete="CASCADE")
    effect_id: int = Field(foreign_key="goal.id", primary_key=True, ondelete="CASCADE")


class Rock(SQLModel, table=True):
    """A 90-day priority with one owner, in one quarter ("2026-Q4").

    ``final_status`` is None while it runs, then "done", "not_done" or "dropped".
    """

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, index=True)
    slug: str = Field(unique=True)  # for +rock:<slug> in quick-add
    title: str
    owner_id: int = Field(foreign_key="person.id")
    is_company: bool = False
    quarter: str = Field(index=True)
    due: date
    goal_id: int | None = Field(default=None, foreign_key="goal.id", ondelete="SET NULL")
    outcome: str = ""  # SMART: the specific outcome
    measure: str = ""  # the measure of done
    description: str = ""
    final_status: str | None = None
    rolled_from_id: int | None = Field(default=None, foreign_key="rock.id", ondelete="SET NULL")
    created_at: datetime = Field(default=UNSTAMPED)
    updated_at: datetime = Field(default=UNSTAMPED)


class RockWeek(SQLModel, table=True):
    """A Rock's status as recorded for one ISO week ("2026-W48")."""

    rock_id: int = Field(foreign_key="rock.id", primary_key=True, ondelete="CASCADE")
    week: str = Field(primary_key=True)
    status: str  # on_track, off_track


class Milestone(SQLModel, table=True):
    """One step of a Rock's completion plan."""

    id: int | None = Field(default=None, primary_key=True)
    rock_id: int = Field(foreign_key="rock.id", ondelete="CASCADE", index=True)
    title: str
    due: date | None = None
    done_at: datetime | None = None
    position: int = 0
    # Added by schema 9 (ALTER TABLE appends it, so it stays the last column here too).
    uid: str = Field(default_factory=new_uid, unique=True, index=True)


class BigPicture(SQLModel, table=True):
    """The 3-year picture; there is one row, id 1."""

    id: int | None = Field(default=None, primary_key=True)
    horizon: date | None = None
    revenue: str = ""
    profit: str = ""
    measurables: str = ""  # one per line
    picture: str = ""  # a few lines of what it looks like
    # Added by schema 9 (ALTER TABLE appends it, so it stays the last column here too).
    uid: str = Field(default_factory=new_uid, unique=True, index=True)


class CoreValue(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str
    description: str = ""
    position: int = 0
    # Added by schema 9 (ALTER TABLE appends it, so it stays the last column here too).
    uid: str = Field(default_factory=new_uid, unique=True, index=True)


# ----------------------------------------------------------------------- scorecard


class Measurable(SQLModel, table=True):
    """A weekly number on the scorecard with one owner, a unit and a goal (MeasurableGoal).

    ``unit`` is number, currency, percent, yesno or duration (minutes). A ``formula``
    ("won / leads") makes it computed from other measurables, never typed.
    """

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, index=True)
    name: str
    owner_id: int = Field(foreign_key="person.id")
    team_id: int | None = Field(default=None, foreign_key="team.id", ondelete="SET NULL")
    unit: str = "number"
    perspective: str | None = None  # financial, customer, internal process, learning and growth
    leading: bool = False
    goal_id: int | None = Field(default=None, foreign_key="goal.id", ondelete="SET NULL")
    definition: str = ""  # how it is counted
    formula: str | None = None
    tolerance: float | None = None  # a fraction of the goal, e.g. 0.1
    position: int = 0
    archived: bool = False
    # How its weeks combine into one number (sum, average, last). Added by schema 6.
    combine: str = "sum"


class MeasurableGoal(SQLModel, table=True):
    """A measurable's goal from ISO week ``from_week`` on, until a later row replaces it."""

    measurable_id: int = Field(foreign_key="measurable.id", primary_key=True, ondelete="CASCADE")
    from_week: str = Field(primary_key=True)
    operator: str  # >=, <=, =, >, <, between
    value: float
    value_high: float | None = None  # the upper bound of "between"


class MeasurableValue(SQLModel, table=True):
    """A measurable's value for one ISO week ("2026-W48")."""

    measurable_id: int = Field(foreign_key="measurable.id", primary_key=True, ondelete="CASCADE")
    week: str = Field(primary_key=True)
    value: float


# ------------------------------------------------------------------------ undo log


class UndoStep(SQLModel, table=True):
    """One user action in the undo log (added by schema 5): its label, when, and the
    before/after image of every row it changed, as JSON keyed by table name.

    ``state`` is "undo" (can be undone) or "redo" (was undone, can be redone).
    ``origin`` tells which open database did it (or last undid it), so each window
    undoes its own actions first; ``coalesce_key`` lets repeated nudges of the same
    rows merge into one step.
    """

    id: int | None = Field(default=None, primary_key=True)
    label: str
    done_at: datetime
    state: str = Field(default="undo", index=True)
    origin: str = ""
    coalesce_key: str | None = None
    redo_order: int = 0
    changes: str  # JSON: [{"table", "key", "before", "after"}]
    # Added by schema 9 (ALTER TABLE appends it, so it stays the last column here too).
    uid: str = Field(default_factory=new_uid, unique=True, index=True)


# ------------------------------------------------------------ weekly meeting (schema 10)


class Issue(SQLModel, table=True):
    """An item on a team's issues list. ``term`` is "short" (this quarter) or "long";
    ``status`` open, solved or dropped; ``rank`` 1-3 while it is one of the top 3.
    ``source_kind`` and ``source_uid`` name what it was raised from (a Rock, a
    measurable, a to-do, a decision to review, a headline), when anything."""

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, index=True)
    team_id: int = Field(foreign_key="team.id", ondelete="CASCADE", index=True)
    title: str
    notes: str = ""  # discussion notes (multi-line)
    owner_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    raised_by_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    raised_at: datetime
    term: str = "short"
    status: str = Field(default="open", index=True)
    rank: int | None = None
    source_kind: str | None = None  # rock, measurable, todo, decision, headline
    source_uid: str | None = Field(default=None, index=True)
    closed_at: datetime | None = None
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id", ondelete="SET NULL")


class Todo(SQLModel, table=True):
    """A team to-do: one owner, due within about a week, done or not."""

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, index=True)
    team_id: int = Field(foreign_key="team.id", ondelete="CASCADE", index=True)
    title: str
    owner_id: int = Field(foreign_key="person.id")
    due: date = Field(index=True)
    done_at: datetime | None = Field(default=None, index=True)  # indexed since schema 14
    created_at: datetime
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id", ondelete="SET NULL")
    issue_id: int | None = Field(default=None, foreign_key="issue.id", ondelete="SET NULL")


class Meeting(SQLModel, table=True):
    """One weekly meeting of a team. While it runs, ``section`` is the current agenda
    position and ``seen_at`` the last instant the app showed it (for resuming)."""

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, index=True)
    team_id: int = Field(foreign_key="team.id", ondelete="CASCADE", index=True)
    week: str = Field(index=True)  # ISO week, "2026-W49"
    day: date  # the local day it was held
    started_at: datetime
    ended_at: datetime | None = None
    facilitator_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    scribe_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    section: int = 0
    seen_at: datetime | None = None
    minutes_json: str | None = None  # the minutes, stored when it ends


class MeetingSection(SQLModel, table=True):
    """One agenda section of a meeting as it ran, with its timer: seconds used while
    paused, plus the time since ``running_since`` while it runs."""

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, index=True)
    meeting_id: int = Field(foreign_key="meeting.id", ondelete="CASCADE", index=True)
    position: int
    kind: str  # segue, scorecard, rocks, headlines, todos, issues, conclude, custom
    title: str
    minutes: int
    used_seconds: int = 0
    running_since: datetime | None = None


class AgendaSection(SQLModel, table=True):
    """One section of a team's meeting agenda (the default one until edited)."""

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, index=True)
    team_id: int = Field(foreign_key="team.id", ondelete="CASCADE", index=True)
    position: int
    kind: str
    title: str
    minutes: int


class MeetingAttendee(SQLModel, table=True):
    """Someone present at a meeting."""

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, index=True)
    meeting_id: int = Field(foreign_key="meeting.id", ondelete="CASCADE", index=True)
    person_id: int = Field(foreign_key="person.id")


class Segue(SQLModel, table=True):
    """An attendee's line of good news at the start of a meeting."""

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, index=True)
    meeting_id: int = Field(foreign_key="meeting.id", ondelete="CASCADE", index=True)
    person_id: int = Field(foreign_key="person.id")
    text: str


class Headline(SQLModel, table=True):
    """A customer or employee headline for a team's meeting (noted during the week, taken
    up when the meeting starts); a shout-out feeds the CEO update."""

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, index=True)
    team_id: int = Field(foreign_key="team.id", ondelete="CASCADE", index=True)
    # None until the team's next meeting starts and takes it up.
    meeting_id: int | None = Field(
        default=None, foreign_key="meeting.id", ondelete="CASCADE", index=True
    )
    person_id: int = Field(foreign_key="person.id")
    kind: str  # customer, employee
    text: str
    shout_out: bool = False


class MeetingRating(SQLModel, table=True):
    """An attendee's rating of a meeting, 1-10; below 8 carries a line of why."""

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, index=True)
    meeting_id: int = Field(foreign_key="meeting.id", ondelete="CASCADE", index=True)
    person_id: int = Field(foreign_key="person.id")
    score: int
    why: str = ""


class Decision(SQLModel, table=True):
    """The one-line decision that solved an issue; it may come back on ``review_on``."""

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, index=True)
    team_id: int = Field(foreign_key="team.id", ondelete="CASCADE", index=True)
    issue_id: int | None = Field(default=None, foreign_key="issue.id", ondelete="SET NULL")
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id", ondelete="SET NULL")
    text: str
    decided_at: datetime
    review_on: date | None = None


class CascadeMessage(SQLModel, table=True):
    """What to tell whom, by when, decided at a meeting's conclusion."""

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, index=True)
    meeting_id: int = Field(foreign_key="meeting.id", ondelete="CASCADE", index=True)
    text: str
    to_whom: str = ""
    by_when: date | None = None


class DismissedProposal(SQLModel, table=True):
    """A proposed issue the team dismissed for one ISO week."""

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, index=True)
    team_id: int = Field(foreign_key="team.id", ondelete="CASCADE", index=True)
    week: str
    kind: str
    source_uid: str


# ---------------------------------------------------------------------- change feed


class Revision(SQLModel, table=True):
    """The change feed (added by schema 11): one row (id 1) whose ``value`` every user
    action, undo and redo bumps in its own transaction, and which open database
    (``writer``, its undo origin) made the last change. A window polls this one row to
    learn that another process changed the data."""

    id: int | None = Field(default=None, primary_key=True)
    value: int = 0
    writer: str = ""
    uid: str = Field(default_factory=new_uid, unique=True, index=True)


class TableRevision(SQLModel, table=True):
    """Which tables the change feed's writes wrote (added by schema 15): per table, the
    feed's ``value`` after the last write to it (``"*"``: a write whose tables could not
    be told). A window that sees another program's write reads again only what read
    those tables."""

    name: str = Field(primary_key=True)
    revision: int = 0


# ------------------------------------------------------------- weekly reflection


class WeekReflection(SQLModel, table=True):
    """The Friday review's reflection on one ISO week (added by schema 12): wins, lessons,
    next week's focus and the adjustment to make (``adjustment_kind`` one of
    re_prioritise, delegate, meeting, time_blocks, or "" for none), and the weekly CEO
    update as the user edited it before saving."""

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, index=True)
    week: str = Field(unique=True, index=True)  # "2026-W48"
    wins: str = ""
    lessons: str = ""
    focus: str = ""  # next week's focus
    adjustment_kind: str = ""
    adjustment: str = ""
    updated_at: datetime = Field(default=UNSTAMPED)
    ceo_update: str = ""  # the weekly CEO update as edited and saved (Markdown)
