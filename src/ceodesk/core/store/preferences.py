"""The user's preferences and identity as every domain reads them: the time zone, the
planner's day, who "me" is, the leadership team, the block categories.

Editing them (with their rules) is the settings domain's; reading is here, below the
domains, so that no domain needs another to know the user's today.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session, col, select

from ceodesk.core.kernel.clock import Clock, LocalNow
from ceodesk.core.kernel.errors import InputError, NotFoundError
from ceodesk.core.store.db import Database
from ceodesk.core.store.models import Category, CategoryKind, Person, Setting, Team

LEADERSHIP = "Leadership"
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


@dataclass(frozen=True)
class Settings:
    my_name: str
    time_zone: str
    day_start: time
    day_end: time

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


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


def is_time_zone(name: str) -> bool:
    if not name or name.startswith("/") or ".." in name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "Europe" is a folder, not a zone
        return False
    return True


def _get(session: Session, key: str, default: str) -> str:
    row = session.get(Setting, key)
    return row.value if row else default


def me(session: Session) -> Person:
    person = session.exec(select(Person).where(col(Person.is_me))).first()
    if person is None:
        raise NotFoundError("This database has no person marked as you.")
    return person


def parse_clock(text: str) -> time:
    """'7:00' or '07:30' -> a time of day; anything else is an InputError."""
    match = _CLOCK.match(text.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise InputError(f"{text.strip() or 'An empty value'} is not a time of day like 07:00.")
    return time(int(match[1]), int(match[2]))


def load_settings(db: Database) -> Settings:
    with db.session() as session:
        zone = _get(session, "time_zone", "UTC")
        return Settings(
            my_name=me(session).name,
            time_zone=zone if is_time_zone(zone) else "UTC",
            day_start=parse_clock(_get(session, "day_start", "07:00")),
            day_end=parse_clock(_get(session, "day_end", "19:00")),
        )


def local_now(db: Database, when: datetime | Clock) -> LocalNow:
    """``when`` (an aware instant, or a clock to read) in the user's time zone: the one way
    to get the user's today, this week and this quarter."""
    return LocalNow.at(when, load_settings(db).zone)


def leadership_team(session: Session) -> Team:
    team = session.exec(select(Team).where(col(Team.is_leadership))).first()
    if team is None:
        team = Team(name=LEADERSHIP, is_leadership=True)
        session.add(team)
        session.flush()
    return team
