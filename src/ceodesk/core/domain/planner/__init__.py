"""The week planner: time blocks on a local day, planned against what really happened.

Rules:

- A block lies inside one local day, in wall-clock time in the user's zone: it ends
  after it starts and never crosses midnight (split it into one block per day).
- Overlaps are allowed and flagged; touching blocks (one ends 10:00, the next starts
  10:00) do not overlap. Deep work is protected: a meeting placed over a deep-work
  block needs confirmation. Rules see a category's kind (deep work, meetings, ...),
  never its name, so they hold after the user renames one.
- Planned vs. actual: planned time is calendar time, each minute once: where blocks
  overlap, a minute counts for the block placed inside the other (a task scheduled into
  deep work counts its hour, the deep work the rest); Rock and task shares are the
  minutes covered by blocks serving a Rock or a task; actual time counts recorded
  blocks (a skipped block counts 0); the difference compares recorded blocks only, so
  blocks still ahead do not read as a shortfall.
- Recurring blocks are RFC 5545 rules expanded in the user's zone at the same
  wall-clock time on every day, across DST changes. Each occurrence is a stored block
  (one per series and day) with an id derived from the series and the day, written
  when its week is first shown; a deleted occurrence leaves a DeletedOccurrence row so
  it stays deleted. A series carries its task and Rock to every occurrence; it can be
  changed or ended from one occurrence on ("this and following"), which ends it the day
  before and starts a new series there.
- A week counts as empty when it holds no blocks besides recurring and imported ones:
  only then can the ideal week be applied or another week copied into it.

Parts: ``common`` (limits, view objects, lookups, blocks as views), ``repeat`` (the repeat
grammar), ``recurrence`` (series and occurrences), ``blocks`` (add/edit/move/resize/delete,
actuals), ``slots`` (free slots, scheduling a task), ``template`` (ideal week, copy, carry
over), ``focus`` (focus tasks), ``plan`` (the week plan), ``views`` (the view objects and
the pure rules composing them from plain rows, with no ORM). Import from this package; a
part imports its siblings directly.

The package loads a part when one of its names is first asked for (PEP 562): the week
screen's first frame needs only ``views``, which loads no ORM (issue 13).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ceodesk.core.domain.planner.blocks import (
        PAST_MIDNIGHT,
        add_block,
        delete_block,
        done_as_planned,
        edit_block,
        move_block,
        parse_actual,
        record_actual,
        resize_block,
    )
    from ceodesk.core.domain.planner.common import (
        DAY_MINUTES,
        DEEP_WORK,
        FIXED,
        MEETINGS,
        SAME_DAY,
        SHORTEST_BLOCK_MINUTES,
        block_rocks,
        category_by_name,
        category_rows,
    )
    from ceodesk.core.domain.planner.focus import (
        toggle_focus,
    )
    from ceodesk.core.domain.planner.plan import (
        RecordedTime,
        planned_rock_minutes,
        recorded_time,
        week_plan,
    )
    from ceodesk.core.domain.planner.recurrence import (
        SERIES_WEEKS_AHEAD,
        SHOWN_OCCURRENCES,
        add_series,
        delete_series,
        edit_series_from,
        end_series,
        make_repeating,
        write_occurrences,
    )
    from ceodesk.core.domain.planner.repeat import (
        REPEAT_CHOICES,
        parse_repeat,
        repeat_label,
        repeat_of,
        repeat_rule,
    )
    from ceodesk.core.domain.planner.slots import (
        DEFAULT_SESSION_MINUTES,
        GRID_MINUTES,
        LONGEST_SESSION_MINUTES,
        NO_DEEP_WORK_LEFT,
        SHORTEST_SESSION_MINUTES,
        AlreadyScheduled,
        Scheduled,
        free_slot,
        schedule_task,
        scheduled_times,
    )
    from ceodesk.core.domain.planner.template import (
        Carried,
        apply_ideal_week,
        carried_due,
        carry_over,
        carry_task,
        copy_week,
        save_ideal_week,
        unfinished_linked_tasks,
    )
    from ceodesk.core.domain.planner.views import (
        KEEP,
        BlockView,
        CategoryTotal,
        DayView,
        DeepWorkConflict,
        FocusView,
        Keep,
        WeekPlan,
        counted_minutes,
        covered_minutes,
        occurrence_uid,
        occurrences,
        overlapping_ids,
    )

# name -> the part that defines it
_PARTS = {
    "BlockView": "views",
    "category_rows": "common",
    "CategoryTotal": "views",
    "DayView": "views",
    "DeepWorkConflict": "views",
    "FocusView": "views",
    "KEEP": "views",
    "Keep": "views",
    "WeekPlan": "views",
    "counted_minutes": "views",
    "covered_minutes": "views",
    "occurrence_uid": "views",
    "occurrences": "views",
    "overlapping_ids": "views",
    "PAST_MIDNIGHT": "blocks",
    "add_block": "blocks",
    "delete_block": "blocks",
    "done_as_planned": "blocks",
    "edit_block": "blocks",
    "move_block": "blocks",
    "parse_actual": "blocks",
    "record_actual": "blocks",
    "resize_block": "blocks",
    "DAY_MINUTES": "common",
    "DEEP_WORK": "common",
    "FIXED": "common",
    "MEETINGS": "common",
    "SAME_DAY": "common",
    "SHORTEST_BLOCK_MINUTES": "common",
    "block_rocks": "common",
    "category_by_name": "common",
    "toggle_focus": "focus",
    "RecordedTime": "plan",
    "planned_rock_minutes": "plan",
    "recorded_time": "plan",
    "week_plan": "plan",
    "SERIES_WEEKS_AHEAD": "recurrence",
    "SHOWN_OCCURRENCES": "recurrence",
    "add_series": "recurrence",
    "delete_series": "recurrence",
    "edit_series_from": "recurrence",
    "end_series": "recurrence",
    "make_repeating": "recurrence",
    "write_occurrences": "recurrence",
    "REPEAT_CHOICES": "repeat",
    "parse_repeat": "repeat",
    "repeat_label": "repeat",
    "repeat_of": "repeat",
    "repeat_rule": "repeat",
    "AlreadyScheduled": "slots",
    "DEFAULT_SESSION_MINUTES": "slots",
    "GRID_MINUTES": "slots",
    "LONGEST_SESSION_MINUTES": "slots",
    "NO_DEEP_WORK_LEFT": "slots",
    "SHORTEST_SESSION_MINUTES": "slots",
    "Scheduled": "slots",
    "free_slot": "slots",
    "schedule_task": "slots",
    "scheduled_times": "slots",
    "apply_ideal_week": "template",
    "Carried": "template",
    "carried_due": "template",
    "carry_over": "template",
    "carry_task": "template",
    "copy_week": "template",
    "save_ideal_week": "template",
    "unfinished_linked_tasks": "template",
}

__all__ = [
    "DAY_MINUTES",
    "DEEP_WORK",
    "DEFAULT_SESSION_MINUTES",
    "FIXED",
    "GRID_MINUTES",
    "KEEP",
    "LONGEST_SESSION_MINUTES",
    "MEETINGS",
    "NO_DEEP_WORK_LEFT",
    "PAST_MIDNIGHT",
    "REPEAT_CHOICES",
    "SAME_DAY",
    "SERIES_WEEKS_AHEAD",
    "SHORTEST_BLOCK_MINUTES",
    "SHORTEST_SESSION_MINUTES",
    "SHOWN_OCCURRENCES",
    "AlreadyScheduled",
    "BlockView",
    "Carried",
    "CategoryTotal",
    "DayView",
    "DeepWorkConflict",
    "FocusView",
    "Keep",
    "RecordedTime",
    "Scheduled",
    "WeekPlan",
    "add_block",
    "add_series",
    "apply_ideal_week",
    "block_rocks",
    "carried_due",
    "carry_over",
    "carry_task",
    "category_by_name",
    "category_rows",
    "copy_week",
    "counted_minutes",
    "covered_minutes",
    "delete_block",
    "delete_series",
    "done_as_planned",
    "edit_block",
    "edit_series_from",
    "end_series",
    "free_slot",
    "make_repeating",
    "move_block",
    "occurrence_uid",
    "occurrences",
    "overlapping_ids",
    "parse_actual",
    "parse_repeat",
    "planned_rock_minutes",
    "record_actual",
    "recorded_time",
    "repeat_label",
    "repeat_of",
    "repeat_rule",
    "resize_block",
    "save_ideal_week",
    "schedule_task",
    "scheduled_times",
    "toggle_focus",
    "unfinished_linked_tasks",
    "week_plan",
    "write_occurrences",
]


def __getattr__(name: str) -> Any:
    part = _PARTS.get(name)
    if part is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{part}"), name)
    globals()[name] = value  # asked once: a plain attribute from then on
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
