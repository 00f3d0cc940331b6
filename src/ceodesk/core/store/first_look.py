"""A first look at a SQLite file without SQLAlchemy: what the app's first frame shows,
read with the standard library's sqlite3 while the ORM is still loading (issue 13).

``open_first_look`` opens the file read-only, and only a file it is sure of: a plain
path to a regular, writable ceodesk file at exactly this schema. Anything else (no file
yet, a URL, a schema older or newer, a read-only file, a file that is not a database,
any sqlite3 error) returns None, and the caller opens the Database the normal way, with
its checks and its one-sentence errors. The reads return plain rows (store.rows); the
rules that compose them are the domain's, the same ones the ORM path uses.

All reads happen in one read transaction: they see one moment of the file, and the
change feed's revision of that moment. Importing this module loads neither SQLAlchemy,
SQLModel nor pydantic; a test checks every table and column it reads against the models.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Collection, Iterator
from datetime import date, time
from pathlib import Path
from types import TracebackType
from urllib.parse import quote

from ceodesk.core.store.rows import (
    BlockRow,
    CategoryRow,
    FocusRow,
    ReflectionRow,
    SeriesRow,
    Settings,
    TaskRow,
    WeekRows,
    settings_of,
)
from ceodesk.core.store.sqlite_file import APPLICATION_ID, SCHEMA_VERSION, writable_ceodesk_file

# table -> the columns read from it (a test checks each against the models).
BLOCK_COLUMNS = (
    "id",
    "day",
    "start",
    "end",
    "title",
    "category_id",
    "task_id",
    "series_id",
    "fixed",
    "actual_minutes",
    "skipped",
    "rock_id",
)
SERIES_COLUMNS = (
    "id",
    "uid",
    "title",
    "category_id",
    "rule",
    "start",
    "end",
    "starts_on",
    "ends_on",
    "task_id",
    "rock_id",
)
REFLECTION_COLUMNS = ("week", "wins", "lessons", "focus", "adjustment_kind", "adjustment")
READS: dict[str, tuple[str, ...]] = {
    "setting": ("key", "value"),
    "person": ("name", "is_me"),
    "timeblock": (*BLOCK_COLUMNS, "uid"),
    "category": ("id", "name", "colour", "kind", "position"),
    "task": ("id", "title", "done_at", "rock_id", "archived_at"),
    "rock": ("id", "title"),
    "blockseries": SERIES_COLUMNS,
    "deletedoccurrence": ("occurrence_uid",),
    "focustask": ("day", "task_id", "position"),
    "weekreflection": REFLECTION_COLUMNS,
    "revision": ("id", "value"),
}
SETTING_KEYS = ("time_zone", "day_start", "day_end")


def _columns(names: tuple[str, ...], table: str = "") -> str:
    prefix = f"{table}." if table else ""
    return ", ".join(f'{prefix}"{name}"' for name in names)


# -- SQLite's storage formats, as SQLAlchemy's SQLite dialect writes them ------------------


def _date(value: str) -> date:
    return date.fromisoformat(value)


def _time(value: str) -> time:
    return time.fromisoformat(value)


def _sql_date(value: date) -> str:
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def _marks(values: Collection[object]) -> str:
    return ", ".join("?" * len(values))


# -- the file's checks -------------------------------------------------------------------------


def _sure_path(location: str) -> Path | None:
    """The file a plain path names, when a first look may read it; None otherwise (a
    file at another schema version is opened the normal way too, see open_first_look)."""
    plain = writable_ceodesk_file(location)
    return None if plain is None else plain.path


def open_first_look(location: str) -> FirstLook | None:
    """A first look at the ceodesk file at ``location``, or None when it is not sure of
    it (see the module's docstring). Use it as a context manager: it closes the file."""
    path = _sure_path(location)
    if path is None:
        return None
    try:
        conn = sqlite3.connect(
            f"file:{quote(str(path))}?mode=ro", uri=True, isolation_level=None, timeout=1.0
        )
    except sqlite3.Error:
        return None
    try:
        conn.execute("BEGIN")  # one snapshot for every read
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    except sqlite3.Error:
        conn.close()
        return None
    if version != SCHEMA_VERSION or app_id != APPLICATION_ID:
        conn.close()
        return None  # to migrate, or newer: the normal path upgrades or refuses it
    return FirstLook(conn, path)


class FirstLook:
    """Reads of a ceodesk file at this schema, in one read transaction (plain rows).

    Every method may raise sqlite3.Error; the caller then takes the normal path.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path

    def __enter__(self) -> FirstLook:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):  # only a read to end: nothing was written
            self._conn.execute("COMMIT")
        self._conn.close()

    def _rows(self, query: str, parameters: Collection[object] = ()) -> Iterator[tuple]:
        yield from self._conn.execute(query, tuple(parameters))

    # -- settings and the change feed ----------------------------------------------

    def settings(self) -> Settings | None:
        """The settings (as store.preferences.load_settings reads them), None when no
        person is marked as you (the normal path repairs that first). A stored setting
        that does not parse raises InputError, as it does there."""
        me = self._conn.execute("SELECT name FROM person WHERE is_me LIMIT 1").fetchone()
        if me is None:
            return None
        stored = dict(
            self._rows(
                f"SELECT key, value FROM setting WHERE key IN ({_marks(SETTING_KEYS)})",
                SETTING_KEYS,
            )
        )
        return settings_of(me[0], stored)

    def revision(self) -> int:
        """The change feed's value (store.db.Database.revision)."""
        row = self._conn.execute("SELECT value FROM revision WHERE id = 1").fetchone()
        return int(row[0] or 0) if row else 0

    # -- repeating blocks: what recurrence._ensure_occurrences would look at -------

    def series_between(self, first: date, last: date) -> list[SeriesRow]:
        """The series that may have occurrences from ``first`` to ``last``."""
        query = (
            f"SELECT {_columns(SERIES_COLUMNS)} FROM blockseries "
            "WHERE starts_on <= ? AND (ends_on IS NULL OR ends_on >= ?)"
        )
        return [
            SeriesRow(
                id=row[0],
                uid=row[1],
                title=row[2],
                category_id=row[3],
                rule=row[4],
                start=_time(row[5]),
                end=_time(row[6]),
                starts_on=_date(row[7]),
                ends_on=_date(row[8]) if row[8] is not None else None,
                task_id=row[9],
                rock_id=row[10],
            )
            for row in self._rows(query, (_sql_date(last), _sql_date(first)))
        ]

    def stored_occurrences(self, uids: Collection[str]) -> dict[str, int | None]:
        """uid -> series id of the stored blocks among ``uids``."""
        if not uids:
            return {}
        query = f"SELECT uid, series_id FROM timeblock WHERE uid IN ({_marks(uids)})"
        return dict(self._rows(query, uids))

    def deleted_occurrences(self, uids: Collection[str]) -> list[str]:
        if not uids:
            return []
        query = (
            f"SELECT occurrence_uid FROM deletedoccurrence WHERE occurrence_uid IN ({_marks(uids)})"
        )
        return [row[0] for row in self._rows(query, uids)]

    def shown_records(self, prefix: str) -> list[str]:
        """The keys of the settings recording weeks of a series written when shown."""
        # The same LIKE as SQLAlchemy's startswith (recurrence._stale_shown).
        return [
            row[0]
            for row in self._rows("SELECT key FROM setting WHERE key LIKE ?", (prefix + "%",))
        ]

    def series_uids(self) -> list[str]:
        return [row[0] for row in self._rows("SELECT uid FROM blockseries")]

    # -- the week ------------------------------------------------------------------

    def week_rows(self, first: date, last: date) -> WeekRows:
        """What the week plan of the days ``first`` to ``last`` is composed from
        (planner.plan.week_rows reads the same through the ORM)."""
        span = (_sql_date(first), _sql_date(last))
        blocks = tuple(
            BlockRow(
                id=row[0],
                day=_date(row[1]),
                start=_time(row[2]),
                end=_time(row[3]),
                title=row[4],
                category_id=row[5],
                task_id=row[6],
                series_id=row[7],
                fixed=bool(row[8]),
                actual_minutes=row[9],
                skipped=bool(row[10]),
                rock_id=row[11],
            )
            for row in self._rows(
                f"SELECT {_columns(BLOCK_COLUMNS)} FROM timeblock "
                'WHERE day >= ? AND day <= ? ORDER BY day, start, "end", id',
                span,
            )
        )
        categories = tuple(
            CategoryRow(*row)
            for row in self._rows(
                "SELECT id, name, colour, kind FROM category ORDER BY position, id"
            )
        )
        task_ids = sorted({b.task_id for b in blocks if b.task_id is not None})
        tasks = (
            {
                row[0]: TaskRow(row[0], row[1], row[2] is not None, row[3])
                for row in self._rows(
                    "SELECT id, title, done_at, rock_id FROM task "
                    f"WHERE id IN ({_marks(task_ids)})",
                    task_ids,
                )
            }
            if task_ids
            else {}
        )
        # The Rock each block serves: its own, else its task's (planner.views.rocks_served).
        served = {b.rock_id if b.rock_id is not None else _task_rock(tasks, b) for b in blocks}
        rock_ids = sorted(r for r in served if r is not None)
        rock_titles = (
            dict(
                self._rows(f"SELECT id, title FROM rock WHERE id IN ({_marks(rock_ids)})", rock_ids)
            )
            if rock_ids
            else {}
        )
        series_ids = sorted({b.series_id for b in blocks if b.series_id is not None})
        rules = (
            dict(
                self._rows(
                    f"SELECT id, rule FROM blockseries WHERE id IN ({_marks(series_ids)})",
                    series_ids,
                )
            )
            if series_ids
            else {}
        )
        focus = tuple(
            FocusRow(_date(row[0]), row[1], row[2], row[3] is not None)
            for row in self._rows(
                "SELECT focustask.day, task.id, task.title, task.done_at FROM focustask "
                "JOIN task ON task.id = focustask.task_id "
                "WHERE focustask.day >= ? AND focustask.day <= ? AND task.archived_at IS NULL "
                "ORDER BY focustask.day, focustask.position, focustask.task_id",
                span,
            )
        )
        return WeekRows(blocks, categories, tasks, rock_titles, rules, focus)

    def reflection(self, week: str) -> ReflectionRow | None:
        """The ``weekreflection`` row of ISO week ``week`` (a normal key), if any."""
        row = self._conn.execute(
            f"SELECT {_columns(REFLECTION_COLUMNS)} FROM weekreflection WHERE week = ?",
            (week,),
        ).fetchone()
        return ReflectionRow(*row) if row is not None else None


def _task_rock(tasks: dict[int, TaskRow], block: BlockRow) -> int | None:
    task = tasks.get(block.task_id) if block.task_id is not None else None
    return task.rock_id if task is not None else None
