"""User settings and block categories, stored in the database (not in a config file)."""

from __future__ import annotations

import contextlib
import getpass
import os
import re
from datetime import time
from pathlib import Path

from sqlmodel import Session, col, select

from ceodesk.core.kernel.errors import InputError
from ceodesk.core.kernel.text import clean_line
from ceodesk.core.store.db import Database, Repair
from ceodesk.core.store.lookups import get_or_refuse
from ceodesk.core.store.models import (
    Category,
    CategoryKind,
    IdealBlock,
    Person,
    Setting,
    Team,
    TeamMember,
    saved_id,
)
from ceodesk.core.store.preferences import (
    LEADERSHIP,
    CategoryView,
    Settings,
    is_time_zone,
    leadership_team,
    load_settings,
    local_now,
    me,
    parse_clock,
)

# The categories a new database starts with: (name, colour, kind). The user may rename
# them; the kind stays.
DEFAULT_CATEGORIES: tuple[tuple[str, str, CategoryKind], ...] = (
    ("deep work", "#4c78a8", CategoryKind.DEEP_WORK),
    ("meetings", "#f58518", CategoryKind.MEETINGS),
    ("admin", "#9d9d9d", CategoryKind.ADMIN),
    ("strategic planning", "#b279a2", CategoryKind.STRATEGIC_PLANNING),
    ("team collaboration", "#54a24b", CategoryKind.TEAM_COLLABORATION),
    ("people", "#e45756", CategoryKind.PEOPLE),
    ("personal", "#72b7b2", CategoryKind.PERSONAL),
    ("buffer", "#bab0ac", CategoryKind.BUFFER),
)
# The default ideal weekday: (start, end, title, category kind).
DEFAULT_IDEAL_DAY: tuple[tuple[str, str, str, CategoryKind], ...] = (
    ("08:00", "10:00", "Deep work", CategoryKind.DEEP_WORK),
    ("10:00", "11:00", "Meetings", CategoryKind.MEETINGS),
    ("11:00", "12:00", "Admin", CategoryKind.ADMIN),
    ("13:00", "15:00", "Strategic planning", CategoryKind.STRATEGIC_PLANNING),
    ("15:00", "17:00", "Team collaboration", CategoryKind.TEAM_COLLABORATION),
)
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def system_time_zone() -> str:
    """The machine's IANA zone name (TZ, then /etc/localtime, then /etc/timezone), else UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text().strip())
    return next((name for name in candidates if is_time_zone(name)), "UTC")


def _default_my_name() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        return "Me"
    return user.replace(".", " ").replace("_", " ").title() or "Me"


def seed_defaults(session: Session) -> None:
    """What a new database holds: you, a Leadership team, default categories, settings."""
    team = Team(name=LEADERSHIP, is_leadership=True)
    me = Person(name=_default_my_name(), role="CEO", is_me=True)
    session.add_all([team, me])
    session.flush()
    session.add(TeamMember(team_id=saved_id(team), person_id=saved_id(me)))
    for position, (name, colour, kind) in enumerate(DEFAULT_CATEGORIES):
        session.add(Category(name=name, colour=colour, position=position, kind=kind.value))
    for key, value in {
        "time_zone": system_time_zone(),
        "day_start": "07:00",
        "day_end": "19:00",
    }.items():
        session.add(Setting(key=key, value=value))
    session.flush()
    seed_ideal_week(session)


def _lacks_me(session: Session) -> bool:
    return session.exec(select(Person.id).where(col(Person.is_me))).first() is None


def _add_me(session: Session) -> None:
    person = Person(name=_default_my_name(), role="CEO", is_me=True)
    session.add(person)
    session.flush()
    leadership = session.exec(select(Team).where(col(Team.is_leadership))).first()
    if leadership is not None:
        session.add(TeamMember(team_id=saved_id(leadership), person_id=saved_id(person)))


# A database whose "me" is missing (an interrupted setup, another tool) gets one back,
# as a new database has: every screen and `add` start from who "me" is.
ENSURE_ME = Repair("has no person marked as you", _lacks_me, _add_me)


def seed_ideal_week(session: Session) -> None:
    """The default ideal week: the same five blocks every weekday, Monday to Friday."""
    categories: dict[str, int] = {}
    for category in session.exec(
        select(Category).order_by(col(Category.position), col(Category.id))
    ):
        if category.id is not None:
            categories.setdefault(category.kind, category.id)
    for weekday in range(5):
        for start, end, title, kind in DEFAULT_IDEAL_DAY:
            if categories.get(kind) is None:
                continue  # no category of that kind; leave that slot out
            session.add(
                IdealBlock(
                    weekday=weekday,
                    start=time.fromisoformat(start),
                    end=time.fromisoformat(end),
                    title=title,
                    category_id=categories[kind],
                )
            )


def _put(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


def save_settings(
    db: Database, *, my_name: str, time_zone: str, day_start: str, day_end: str
) -> Settings:
    """Validate and store the settings in one action; nothing is stored if any is wrong."""
    name = my_name.strip()
    if not name:
        raise InputError("Your name cannot be empty.")
    zone = time_zone.strip()
    if not is_time_zone(zone):
        raise InputError(f"{zone or 'An empty value'} is not an IANA time zone like Europe/Berlin.")
    start, end = parse_clock(day_start), parse_clock(day_end)
    if start >= end:
        raise InputError("The day must start before it ends.")
    with db.action("Changed settings") as session:
        me(session).name = name
        _put(session, "time_zone", zone)
        _put(session, "day_start", start.strftime("%H:%M"))
        _put(session, "day_end", end.strftime("%H:%M"))
    return load_settings(db)


def list_categories(db: Database, *, include_archived: bool = True) -> list[CategoryView]:
    with db.session() as session:
        query = select(Category).order_by(col(Category.position), col(Category.id))
        if not include_archived:
            query = query.where(col(Category.archived).is_(False))
        return [CategoryView.of(c) for c in session.exec(query)]


def is_colour(text: str) -> bool:
    """A colour as a category stores it: "#4c78a8"."""
    return bool(_HEX.match(text))


def _clean_category(name: str, colour: str) -> tuple[str, str]:
    name = clean_line(name, empty="A category needs a name.").lower()
    if not _HEX.match(colour.strip()):
        raise InputError(f"{colour.strip() or 'An empty value'} is not a colour like #4c78a8.")
    return name, colour.strip().lower()


def _ensure_unique_category(session: Session, name: str, except_id: int | None = None) -> None:
    clash = session.exec(select(Category).where(Category.name == name)).first()
    if clash is not None and clash.id != except_id:
        raise InputError(f"There is already a category called {name}.")


def add_category(db: Database, name: str, colour: str) -> CategoryView:
    """A category the user makes is of kind "other": no planner rule applies to it."""
    name, colour = _clean_category(name, colour)
    with db.action(f"Added category {name}") as session:
        _ensure_unique_category(session, name)
        last = session.exec(select(Category).order_by(col(Category.position).desc())).first()
        category = Category(
            name=name,
            colour=colour,
            position=(last.position + 1) if last else 0,
            kind=CategoryKind.OTHER.value,
        )
        session.add(category)
        session.flush()
        return CategoryView.of(category)


def _category(session: Session, category_id: int) -> Category:
    return get_or_refuse(session, Category, category_id, "That category no longer exists.")


def edit_category(db: Database, category_id: int, name: str, colour: str) -> None:
    """Rename or recolour a category; its kind, and so the rules for it, stay."""
    name, colour = _clean_category(name, colour)
    with db.action(f"Edited category {name}") as session:
        _ensure_unique_category(session, name, except_id=category_id)
        category = _category(session, category_id)
        category.name, category.colour = name, colour


def set_category_archived(db: Database, category_id: int, archived: bool) -> None:
    """Archiving hides a category from new blocks; blocks that use it keep it."""
    with db.session() as session:
        name = _category(session, category_id).name
    verb = "Archived" if archived else "Restored"
    with db.action(f"{verb} category {name}") as session:
        _category(session, category_id).archived = archived


__all__ = [  # read through the store; re-exported for the screens that edit settings
    "LEADERSHIP",
    "CategoryView",
    "Settings",
    "is_time_zone",
    "leadership_team",
    "load_settings",
    "local_now",
    "me",
    "parse_clock",
]
