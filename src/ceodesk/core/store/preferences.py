"""The user's preferences and identity as every domain reads them: the time zone, the
planner's day, who "me" is, the leadership team, the block categories.

Editing them (with their rules) is the settings domain's; reading is here, below the
domains, so that no domain needs another to know the user's today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from ceodesk.core.kernel.clock import Clock, LocalNow
from ceodesk.core.kernel.errors import NotFoundError
from ceodesk.core.store.db import Database
from ceodesk.core.store.models import Category, CategoryKind, Person, Setting, Team
from ceodesk.core.store.plain import PlainQuery

# The settings as read, and their parsing, need no ORM (store.rows): re-exported here.
from ceodesk.core.store.rows import Settings, settings_of
from ceodesk.core.store.rows import is_time_zone as is_time_zone
from ceodesk.core.store.rows import parse_clock as parse_clock

LEADERSHIP = "Leadership"


@dataclass(frozen=True)
class CategoryView:
    id: int
    name: str
    colour: str
    archived: bool
    kind: str = CategoryKind.OTHER.value  # what the planner's rules see; renaming keeps it

    @classmethod
    def of(cls, category: Category) -> CategoryView:
        return cls(
            category.id or 0, category.name, category.colour, category.archived, category.kind
        )


def _get(session: Session, key: str, default: str) -> str:
    row = session.get(Setting, key)
    return row.value if row else default


def me(session: Session) -> Person:
    person = session.exec(select(Person).where(col(Person.is_me))).first()
    if person is None:
        raise NotFoundError("This database has no person marked as you.")
    return person


# Read on every screen's load: one query for the three settings (three gets were a query
# each), and your name; built once and read past the ORM as plain rows (store.plain).
_SETTINGS = PlainQuery(
    sa_select(col(Setting.key), col(Setting.value)).where(
        col(Setting.key).in_(("time_zone", "day_start", "day_end"))
    )
)
_MY_NAME = PlainQuery(sa_select(col(Person.name)).where(col(Person.is_me)).limit(1))
_PERSON_NAMES = PlainQuery(sa_select(col(Person.id), col(Person.name)))


def person_names(session: Session) -> dict[int, str]:
    """Everyone's name (former team members too), by id."""
    return {person_id or 0: name for person_id, name in _PERSON_NAMES.rows(session)}


def load_settings(db: Database) -> Settings:
    with db.session() as session:
        stored = dict(_SETTINGS.rows(session))
        mine = _MY_NAME.rows(session)
    if not mine:
        raise NotFoundError("This database has no person marked as you.")
    return settings_of(mine[0][0], stored)


def local_now(db: Database, when: datetime | Clock) -> LocalNow:
    """``when`` (an aware instant, or a clock to read) in the user's time zone: the one way
    to get the user's today, this week and this quarter."""
    return LocalNow.at(when, load_settings(db).zone)


def leadership_team(session: Session) -> Team:
    """The team whose weekly meeting is the leadership meeting. With none marked (a file
    edited by hand), the team named Leadership becomes it, else one is made: making a
    second team of that name would break the names' uniqueness and crash the screen."""
    team = session.exec(select(Team).where(col(Team.is_leadership))).first()
    if team is None:
        team = session.exec(select(Team).where(col(Team.name) == LEADERSHIP)).first()
        if team is None:
            team = Team(name=LEADERSHIP)
        team.is_leadership = True
        session.add(team)
        session.flush()
    return team
