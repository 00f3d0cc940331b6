"""The big picture and the strategy map: the 3-year picture, core values, 1-year goals.

Rules:

- One 3-year picture (a horizon date, revenue, profit, measurables, a few lines of what
  it looks like) heads the company's goals; core values (a few words each) head the screen.
- A 1-year goal has a measurable and a due date, and may sit in a balanced-scorecard
  perspective: financial, customer, internal process, learning and growth (top to
  bottom of a strategy map).
- Goals link cause -> effect (training -> better service -> satisfaction -> revenue);
  a goal cannot lead to itself, and a link that would close a loop is refused.
- Rocks serve goals: the big picture calls out this quarter's Rocks without a goal and
  goals without any Rock this quarter.
- Archiving a goal hides it (undoable); its Rocks then count as without a goal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from sqlmodel import Session, col, select

from ceodesk.core.kernel.errors import InputError, NotFoundError
from ceodesk.core.kernel.perspectives import PERSPECTIVES, perspective_named
from ceodesk.core.kernel.text import clean_title, one_line
from ceodesk.core.store.db import UNDO_LABEL, Database
from ceodesk.core.store.lookups import get_or_refuse
from ceodesk.core.store.models import BigPicture, CoreValue, Goal, GoalLink

__all__ = [
    "PERSPECTIVES",
    "GoalView",
    "Strategy",
    "add_goal",
    "archive_goal",
    "edit_goal",
    "goal_views",
    "link_goals",
    "save_big_picture",
    "set_core_values",
    "strategy",
    "unlink_goals",
]

BIG_PICTURE_ID = 1
LONGEST_TITLE = 200


R = TypeVar("R")  # what a goal's Rocks are shown as (views.big_picture: RockView)


@dataclass(frozen=True)
class GoalView(Generic[R]):
    id: int
    title: str
    measurable: str
    due: date | None
    perspective: str | None
    rocks: tuple[R, ...]  # this quarter's Rocks serving it
    causes: tuple[int, ...]  # ids of the goals that lead to it
    effects: tuple[int, ...]  # ids of the goals it leads to
    measurables: tuple[str, ...] = ()  # scorecard measurables tracking it (none yet)


@dataclass(frozen=True)
class Strategy:
    """What is stored of the strategy, read in one go (views.big_picture adds the Rocks)."""

    picture: BigPicture
    measurables: tuple[str, ...]  # the 3-year picture's measurables, one per line
    core_values: tuple[tuple[str, str], ...]  # (name, description), by position
    goals: tuple[Goal, ...]  # the active (not archived) goals, by position
    links: tuple[GoalLink, ...]  # every cause -> effect link


# ------------------------------------------------------------------- cleaning


def _clean_title(title: str) -> str:
    return clean_title(title, "A goal", longest=LONGEST_TITLE)


def _lines(text: str) -> list[str]:
    return [one_line(line) for line in text.splitlines() if line.strip()]


# ---------------------------------------------------------------------- views


def _links(session: Session) -> list[GoalLink]:
    return list(session.exec(select(GoalLink)))


def goal_views(
    goals: Sequence[Goal], links: Sequence[GoalLink], rocks: Mapping[int, Sequence[R]]
) -> list[GoalView[R]]:
    """Goals as shown, with their links among the goals shown and ``rocks`` by goal id."""
    shown = {g.id for g in goals}
    causes: dict[int, list[int]] = defaultdict(list)
    effects: dict[int, list[int]] = defaultdict(list)
    for link in links:
        if link.cause_id in shown and link.effect_id in shown:
            causes[link.effect_id].append(link.cause_id)
            effects[link.cause_id].append(link.effect_id)
    order = {g.id: n for n, g in enumerate(goals)}

    def by_position(ids: list[int]) -> tuple[int, ...]:
        return tuple(sorted(ids, key=order.__getitem__))

    return [
        GoalView(
            id=goal.id or 0,
            title=goal.title,
            measurable=goal.measurable,
            due=goal.due,
            perspective=goal.perspective,
            rocks=tuple(rocks.get(goal.id or 0, ())),
            causes=by_position(causes[goal.id or 0]),
            effects=by_position(effects[goal.id or 0]),
        )
        for goal in goals
    ]


def strategy(db: Database) -> Strategy:
    """The 3-year picture, core values, active goals and their links."""
    with db.session() as session:
        picture = session.get(BigPicture, BIG_PICTURE_ID) or BigPicture(id=BIG_PICTURE_ID)
        values = session.exec(
            select(CoreValue).order_by(col(CoreValue.position), col(CoreValue.id))
        ).all()
        goals = session.exec(
            select(Goal)
            .where(col(Goal.archived).is_(False))
            .order_by(col(Goal.position), col(Goal.id))
        ).all()
        links = _links(session)
    return Strategy(
        picture=picture,
        measurables=tuple(_lines(picture.measurables)),
        core_values=tuple((v.name, v.description) for v in values),
        goals=tuple(goals),
        links=tuple(links),
    )


# -------------------------------------------------------------------- changes


def save_big_picture(
    db: Database,
    *,
    horizon: date | None,
    revenue: str,
    profit: str,
    measurables: str,
    picture: str,
) -> None:
    """Store the 3-year picture; ``measurables`` is one per line (blank lines dropped)."""
    with db.action("Saved the big picture") as session:
        row = session.get(BigPicture, BIG_PICTURE_ID)
        if row is None:
            row = BigPicture(id=BIG_PICTURE_ID)
            session.add(row)
        row.horizon = horizon
        row.revenue = one_line(revenue)
        row.profit = one_line(profit)
        row.measurables = "\n".join(_lines(measurables))
        row.picture = "\n".join(line.rstrip() for line in picture.strip().splitlines())


def _goal(session: Session, goal_id: int) -> Goal:
    return get_or_refuse(
        session, Goal, goal_id, "That goal no longer exists.", gone=lambda g: g.archived
    )


def add_goal(
    db: Database,
    title: str,
    *,
    measurable: str = "",
    due: date | None = None,
    perspective: str | None = None,
) -> GoalView[object]:
    """Add a 1-year goal after the others; ``perspective`` is one of PERSPECTIVES or None."""
    title = _clean_title(title)
    stored_perspective = perspective_named(perspective)
    with db.action(f"Added goal “{title}”") as session:
        positions = session.exec(select(Goal.position))
        goal = Goal(
            title=title,
            measurable=one_line(measurable),
            due=due,
            perspective=stored_perspective,
            position=max(positions, default=-1) + 1,
        )
        session.add(goal)
        session.flush()
        return goal_views([goal], [], {})[0]


def edit_goal(
    db: Database,
    goal_id: int,
    *,
    title: str,
    measurable: str,
    due: date | None,
    perspective: str | None,
) -> None:
    """Change a goal's title, measurable, due date and perspective; its links stay."""
    title = _clean_title(title)
    stored_perspective = perspective_named(perspective)
    with db.action(f"Edited goal “{title}”") as session:
        goal = _goal(session, goal_id)
        goal.title, goal.measurable, goal.due = title, one_line(measurable), due
        goal.perspective = stored_perspective


def archive_goal(db: Database, goal_id: int) -> str:
    """Hide a goal (undoable); its Rocks keep the link but count as without a goal.
    Returns its title."""
    with db.action("Archived a goal") as session:
        goal = _goal(session, goal_id)
        session.info[UNDO_LABEL] = f"Archived goal “{goal.title}”"
        goal.archived = True
        return goal.title


def _leads_to(links: Sequence[GoalLink], start: int, target: int) -> bool:
    """Whether following cause -> effect links from ``start`` reaches ``target``."""
    effects: dict[int, list[int]] = defaultdict(list)
    for link in links:
        effects[link.cause_id].append(link.effect_id)
    seen, stack = {start}, [start]
    while stack:
        for effect in effects[stack.pop()]:
            if effect == target:
                return True
            if effect not in seen:
                seen.add(effect)
                stack.append(effect)
    return False


def link_goals(db: Database, cause_id: int, effect_id: int) -> None:
    """Draw a strategy-map arrow: reaching ``cause`` helps reach ``effect``.

    A goal cannot lead to itself, and an arrow that would close a loop is refused;
    an arrow that is already there stays as it is.
    """
    with db.action("Linked goals") as session:
        cause, effect = _goal(session, cause_id), _goal(session, effect_id)
        if cause_id == effect_id:
            raise InputError("A goal cannot lead to itself.")
        session.info[UNDO_LABEL] = f"Linked “{cause.title}” to “{effect.title}”"
        if session.get(GoalLink, (cause_id, effect_id)) is not None:
            return
        if _leads_to(_links(session), effect_id, cause_id):
            raise InputError(f"Linking “{cause.title}” to “{effect.title}” would make a loop.")
        session.add(GoalLink(cause_id=cause_id, effect_id=effect_id))


def unlink_goals(db: Database, cause_id: int, effect_id: int) -> None:
    """Remove a strategy-map arrow."""
    with db.action("Unlinked goals") as session:
        cause, effect = _goal(session, cause_id), _goal(session, effect_id)
        link = session.get(GoalLink, (cause_id, effect_id))
        if link is None:
            raise NotFoundError(f"“{cause.title}” does not lead to “{effect.title}”.")
        session.info[UNDO_LABEL] = f"Unlinked “{cause.title}” from “{effect.title}”"
        session.delete(link)


def set_core_values(db: Database, values: Sequence[tuple[str, str]]) -> None:
    """Replace the core values with ``values`` (name, description), in order.

    Rows with neither a name nor a description are skipped; a description without a
    name is an InputError.
    """
    cleaned: list[tuple[str, str]] = []
    for name, description in values:
        name, description = one_line(name), one_line(description)
        if not name and description:
            raise InputError("A core value needs a name.")
        if name:
            cleaned.append((name, description))
    with db.action("Changed the core values") as session:
        existing = list(
            session.exec(select(CoreValue).order_by(col(CoreValue.position), col(CoreValue.id)))
        )
        for position, (name, description) in enumerate(cleaned):
            if position < len(existing):
                row = existing[position]
                row.name, row.description, row.position = name, description, position
            else:
                session.add(CoreValue(name=name, description=description, position=position))
        for row in existing[len(cleaned) :]:
            session.delete(row)
