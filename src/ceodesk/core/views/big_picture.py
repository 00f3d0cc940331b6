"""The big picture and the strategy map: the goals (domain.goals) with this quarter's Rocks
(domain.rocks) under them; Rocks without a goal and goals without a Rock are called out."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from ceodesk.core.domain.goals import PERSPECTIVES, GoalView, goal_views, strategy
from ceodesk.core.domain.rocks import RockView, quarter_rocks
from ceodesk.core.store.db import Database

__all__ = ["BigPictureView", "GoalView", "big_picture"]


@dataclass(frozen=True)
class BigPictureView:
    horizon: date | None
    revenue: str
    profit: str
    measurables: tuple[str, ...]
    picture: str
    core_values: tuple[tuple[str, str], ...]  # (name, description)
    goals: tuple[GoalView[RockView], ...]  # by position
    rocks_without_goal: tuple[RockView, ...]  # this quarter
    goals_without_rocks: tuple[GoalView[RockView], ...]  # no Rock this quarter
    # Every perspective in PERSPECTIVES order, then None (no perspective); all five keys.
    by_perspective: dict[str | None, tuple[GoalView[RockView], ...]]


def big_picture(db: Database, quarter: str, now: datetime) -> BigPictureView:
    """The 3-year picture, core values and 1-year goals with the quarter's Rocks under
    them; Rocks without a goal and goals without a Rock this quarter are called out."""
    rocks = quarter_rocks(db, quarter, now).rocks
    stored = strategy(db)
    by_goal: dict[int, list[RockView]] = defaultdict(list)
    for rock in rocks:
        if rock.goal_id is not None:
            by_goal[rock.goal_id].append(rock)
    views = goal_views(stored.goals, stored.links, by_goal)
    active = {g.id for g in views}
    by_perspective: dict[str | None, tuple[GoalView[RockView], ...]] = {
        key: tuple(g for g in views if g.perspective == key) for key in (*PERSPECTIVES, None)
    }
    picture = stored.picture
    return BigPictureView(
        horizon=picture.horizon,
        revenue=picture.revenue,
        profit=picture.profit,
        measurables=stored.measurables,
        picture=picture.picture,
        core_values=stored.core_values,
        goals=tuple(views),
        rocks_without_goal=tuple(r for r in rocks if r.goal_id not in active),
        goals_without_rocks=tuple(g for g in views if not g.rocks),
        by_perspective=by_perspective,
    )
