"""SQLModel tables: the one place the stored shape of ceodesk's data is defined.

Every table has an integer ``id`` (short, for people and URLs) and a ``uid`` (a UUID
string, stable across export/import so round trips are idempotent). Instants are aware
datetimes stored as UTC; planning dates are plain local dates.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from sqlmodel import Field, SQLModel

from ceodesk.core.kernel.clock import system_clock


def new_uid() -> str:
    return str(uuid.uuid4())


def utc_now() -> datetime:
    """The instant for created/updated stamps. No rule reads them, so actions that take
    no ``now`` stamp from the clock module; actions given one stamp with it."""
    return system_clock()


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
    created_at: datetime = Field(default_factory=utc_now)


class TeamMember(SQLModel, table=True):
    team_id: int = Field(foreign_key="team.id", primary_key=True, ondelete="CASCADE")
    person_id: int = Field(foreign_key="person.id", primary_key=True, ondelete="CASCADE")


class Category(SQLModel, table=True):
    """A kind of time block (deep work, meetings, ...), with a colour; user-editable."""

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(default_factory=new_uid, unique=True, index=True)
    name: str = Field(unique=True)
    colour: str
    position: int = 0
    archived: bool = False


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
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)
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
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)
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
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)


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


class BigPicture(SQLModel, table=True):
    """The 3-year picture; there is one row, id 1."""

    id: int | None = Field(default=None, primary_key=True)
    horizon: date | None = None
    revenue: str = ""
    profit: str = ""
    measurables: str = ""  # one per line
    picture: str = ""  # a few lines of what it looks like


class CoreValue(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str
    description: str = ""
    position: int = 0


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


# ---------------------------------------------------------------------- change feed


class Revision(SQLModel, table=True):
    """The change feed (added by schema 11): one row (id 1) whose ``value`` every user
    action, undo and redo bumps in its own transaction, and which open database
    (``writer``, its undo origin) made the last change. A window polls this one row to
    learn that another process changed the data."""

    id: int | None = Field(default=None, primary_key=True)
    value: int = 0
    writer: str = ""
