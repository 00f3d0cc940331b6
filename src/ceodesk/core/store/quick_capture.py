"""``ceodesk add`` on a SQLite file without SQLAlchemy: the standard library's sqlite3,
the same quick-add grammar, the same rows (issue 13: capture must be instant).

It does what the normal path (views.capture.add_task in a Database action) does: the
file's checks (a ceodesk file at this schema, writable, sound), ``@person`` among the
active people (Delegate, with a follow-up), ``+rock:slug`` among the Rocks (this
quarter's first; a closed Rock that was carried over means its open copy), no flag and
no owner waits in the Unsorted tray, created/updated stamps and a uid, one undo step
(so ``u`` in the app undoes it) and the change feed's bump, all in one IMMEDIATE
transaction. Anything it is not sure of (a URL, a new file, a file to migrate or to
repair, a SQLite error) returns None and the caller takes the normal path, which says
what is wrong in its one sentence. A file another program keeps locked past the busy
timeout is said here (DatabaseLocked, the store's sentence): the normal path would only
wait as long again.

Importing this module loads neither SQLAlchemy nor SQLModel; tests compare the columns
it writes with the models' and a task added here with one added the normal way.

Never written into damage: what is checked, and what is not. SQLite's whole-file
``PRAGMA quick_check`` reads every page (about 25 ms CPU on the five-year file, growing
with it), so the add checks what it can touch instead, inside its write transaction (the
state checked is the state written into):

- the header: SQLite's, ceodesk's application id, this schema version; a file shorter
  than its header says (truncated) gets the whole-file check;
- every page of the tables it reads or writes and of their indexes: the schema (page 1),
  ``task``, ``undostep``, ``revision``, ``person``, ``rock``, ``setting``
  (``PRAGMA quick_check(table)``);
- the root page of every other table and index, and the first leaf below it;
- the free-page list: a file with free pages gets the whole-file check, since SQLite
  could hand one of them to the new rows, and only a whole-file check can tell that a
  "free" page is not also part of another table; without free pages new pages come from
  the end of the file;
- while writing, SQLite checks each page it loads (``cell_size_check``); a corruption
  error rolls the transaction back.

Any doubt (a check that fails, an error) leaves the file untouched and takes the normal
path, which runs the whole-file check and refuses a damaged file in one sentence. What is
not found here: damage below the first leaf of a table the add neither reads nor writes
(a time block's page in the middle of five years). The add does not write those pages,
so it leaves such damage exactly as it was, and ``ceodesk doctor`` and the other
commands that write (they check the whole file first) still find it;
tests/core/test_quick_capture.py pins both. A SQLite older than 3.33 (no per-table
check) gets the whole-file check.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ceodesk.core.kernel.clock import Clock, LocalNow
from ceodesk.core.kernel.dates import format_day, format_minutes, quarter_key
from ceodesk.core.kernel.errors import DatabaseLocked, InputError
from ceodesk.core.kernel.quickadd import QuickAdd, parse_quick_add
from ceodesk.core.kernel.text import MULTILINE_COLUMNS, clean_input, has_controls
from ceodesk.core.store.sqlite_file import (  # the mark it checks, as store.db writes it
    APPLICATION_ID,  # noqa: F401
    RECORD_TABLE_REVISION,
    SCHEMA_VERSION,
    writable_ceodesk_file,
)

# The schema this path writes is sqlite_file's SCHEMA_VERSION (store.db's too): a file
# at any other version takes the normal path.
BUSY_TIMEOUT_MS = 5000
KEEP_ACTIONS = 500  # store.undo.KEEP_ACTIONS
# The tables the capture reads or writes: every page of these and of their indexes is
# checked before it writes (the others: their root pages; see the module's note).
CHECKED_TABLES = (
    "sqlite_master",
    "task",
    "undostep",
    "revision",
    "tablerevision",
    "person",
    "rock",
    "setting",
)
# The columns written, in the models' order (a test compares them with the models).
TASK_COLUMNS = (
    "id",
    "uid",
    "title",
    "important",
    "urgent",
    "due_date",
    "due_time",
    "estimate_minutes",
    "owner_id",
    "follow_up",
    "tags",
    "notes",
    "done_at",
    "archived_at",
    "created_at",
    "updated_at",
    "rock_id",
    "unsorted",
)
UNDO_COLUMNS = (
    "label",
    "done_at",
    "state",
    "origin",
    "coalesce_key",
    "redo_order",
    "changes",
    "uid",
)
_QUADRANTS = {
    (True, True): "Q1 Do",
    (True, False): "Q2 Schedule",
    (False, True): "Q3 Delegate",
    (False, False): "Q4 Drop",
}


@dataclass(frozen=True)
class Captured:
    """What ``ceodesk add`` prints: the stored task in one line, and whether it waits
    in the Unsorted tray."""

    line: str
    unsorted: bool


# -- SQLite's storage formats, as SQLAlchemy's SQLite dialect writes them ------------------


def _sql_date(value: date | None) -> str | None:
    return None if value is None else f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def _sql_time(value: time | None) -> str | None:
    if value is None:
        return None
    return f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}.{value.microsecond:06d}"


def _sql_datetime(value: datetime | None) -> str | None:
    if value is None:
        return None
    return f"{_sql_date(value.date())} {_sql_time(value.time())}"


def _uuid4() -> str:
    """A random UUID as ``str(uuid.uuid4())`` writes it (version 4, RFC 4122 variant),
    without importing uuid, which loads the platform module (a test compares them)."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    text = raw.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def _image(value: Any) -> Any:
    """A value as the undo log's JSON holds it (store.undo.encode_value)."""
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, time):
        return {"time": value.isoformat()}
    return value


def _stored(column: str, value: str) -> str:
    """store's before-flush cleaning: no control character is ever stored."""
    if not has_controls(value):
        return value
    return clean_input(value, multiline=column in MULTILINE_COLUMNS)


# -- the file's checks -------------------------------------------------------------------------


def _sqlite_path(location: str) -> tuple[Path, bool] | None:
    """The file a plain path names, when this path may write it, and whether its size
    agrees with its header (False: truncated, or caught mid-checkpoint); None otherwise
    (a new file is created the normal way)."""
    plain = writable_ceodesk_file(location)
    if plain is None:
        return None
    return plain.path, _size_agrees(plain.header, plain.size)


def _size_agrees(header: bytes, size: int) -> bool:
    """Whether the file holds at least the pages its header counts. The count is valid
    when the header's version-valid-for number equals its change counter."""
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return False
    if header[92:96] != header[24:28]:
        return False  # a count from an older SQLite: unknown
    return int.from_bytes(header[28:32], "big") * page_size <= size


def _quick_check(conn: sqlite3.Connection, table: str | None = None) -> bool:
    pragma = "PRAGMA quick_check" if table is None else f"PRAGMA quick_check({_name(table)})"
    return [row[0] for row in conn.execute(pragma)] == ["ok"]


def _name(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _sound(conn: sqlite3.Connection, size_agrees: bool) -> bool:
    """Whether the add may write into this file (inside its transaction): the checks
    the module's note lists, and the whole-file check whenever any of them is unsure."""
    if (
        not size_agrees
        or sqlite3.sqlite_version_info < (3, 33, 0)  # quick_check(table) reads it all
        or conn.execute("PRAGMA freelist_count").fetchone()[0]
    ):
        return _quick_check(conn)
    if not all(_quick_check(conn, table) for table in CHECKED_TABLES):
        return False
    try:
        _read_other_roots(conn)
    except sqlite3.Error:
        return _quick_check(conn)  # damage, or a query this SQLite cannot plan
    return True


def _read_other_roots(conn: sqlite3.Connection) -> None:
    """Read the root page (and the first leaf) of every table and index the add does
    not touch; SQLite raises on a page it cannot read."""
    trees = conn.execute(
        "SELECT m.type, m.name, m.tbl_name, "
        "(SELECT i.name FROM pragma_index_info(m.name) AS i WHERE i.seqno = 0) "
        "FROM sqlite_master AS m WHERE m.type IN ('table', 'index') AND m.rootpage > 0"
    ).fetchall()
    for kind, name, table, first_column in trees:
        if table in CHECKED_TABLES:
            continue
        if kind == "table":
            query = f"SELECT 1 FROM {_name(table)} NOT INDEXED LIMIT 1"
        elif first_column is not None:
            query = (
                f"SELECT 1 FROM {_name(table)} INDEXED BY {_name(name)} "
                f"ORDER BY {_name(first_column)} LIMIT 1"
            )
        else:
            raise sqlite3.OperationalError(f"index {name} is on an expression")
        conn.execute(query).fetchall()


def locked_sentence(path: Path) -> str:
    """store.db.storage_error's sentence for a locked file (a test keeps them equal)."""
    return f"{path} is locked by another program, so nothing was changed: try again in a moment."


def _zone(conn: sqlite3.Connection) -> ZoneInfo:
    row = conn.execute("SELECT value FROM setting WHERE key = 'time_zone'").fetchone()
    name = row[0] if row else "UTC"
    if not name or name.startswith("/") or ".." in name:
        return ZoneInfo("UTC")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return ZoneInfo("UTC")


# -- resolving @person and +rock: (domain.people.find_person, domain.rocks.find_rock) ---------


def _find_person(conn: sqlite3.Connection, ref: str) -> tuple[int, str]:
    wanted = ref.strip().lstrip("@").lower()
    for char in ".-_":
        wanted = wanted.replace(char, " ")
    wanted = " ".join(wanted.split())
    if not wanted:
        raise InputError("Name a person after @, like @dana.")
    people = conn.execute("SELECT id, name FROM person WHERE active").fetchall()
    rules = (
        lambda name: name.lower() == wanted,
        lambda name: name.lower().split()[0] == wanted,
        lambda name: name.lower().startswith(wanted),
    )
    for rule in rules:
        matches = [(pid, name) for pid, name in people if name and rule(name)]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            names = ", ".join(sorted(name for _pid, name in matches))
            raise InputError(f"@{ref.lstrip('@')} could be {names}; write more of the name.")
    raise InputError(f"No active team member matches @{ref.lstrip('@')}.")


def _find_rock(conn: sqlite3.Connection, slug: str, quarter: str) -> tuple[int, str]:
    ref = slug.strip().lower().removeprefix("+rock:")
    if not ref:
        raise InputError("Name a Rock after +rock:, like +rock:hire-vp.")
    rows = conn.execute(
        "SELECT id, slug, title, quarter, final_status, rolled_from_id FROM rock ORDER BY id"
    ).fetchall()
    exact = next((r for r in rows if r[1] == ref), None)
    if exact is not None:
        current, seen = exact, {exact[0]}
        while current[4] is not None:  # closed: its first open copy, if it was carried over
            copy = next((r for r in rows if r[5] == current[0]), None)
            if copy is None or copy[0] in seen:
                current = exact
                break
            current = copy
            seen.add(copy[0])
        return current[0], current[2]
    starting_all = [r for r in rows if r[1].startswith(ref)]
    for pool in ([r for r in starting_all if r[3] == quarter], starting_all):
        if len(pool) == 1:
            return pool[0][0], pool[0][2]
        if len(pool) > 1:
            names = sorted(r[1] for r in pool)
            shown = ", ".join(names[:5]) + (" and more" if len(names) > 5 else "")
            raise InputError(f"+rock:{ref} could be {shown}; write more of it.")
    raise InputError(f"There is no Rock +rock:{ref} to link to.")


# -- the capture ---------------------------------------------------------------------------------


def _describe(
    parsed: QuickAdd,
    unsorted: bool,
    owner: str | None,
    follow_up: date | None,
    rock: str | None,
) -> str:
    """The line domain.tasks.TaskView.describe prints for the stored task."""
    parts = ["Unsorted" if unsorted else _QUADRANTS[(parsed.important, parsed.urgent)]]
    parts.append(parsed.title)
    if parsed.due_date:
        due = format_day(parsed.due_date)
        parts.append(f"due {due} {parsed.due_time:%H:%M}" if parsed.due_time else f"due {due}")
    else:
        parts.append("no due date")
    if parsed.estimate_minutes:
        parts.append(f"est {format_minutes(parsed.estimate_minutes)}")
    if owner:
        parts.append(f"delegated to {owner}")
    if follow_up:
        parts.append(f"follow up {format_day(follow_up)}")
    if rock:
        parts.append(f"Rock “{rock}”")
    if parsed.tags:
        parts.append(" ".join(f"#{t}" for t in parsed.tags))
    return " · ".join(parts)


def quick_capture(location: str, text: str, clock: Clock) -> Captured | None:
    """Store a task written in the quick-add grammar, the fast way; None: take the
    normal path. InputError says what is wrong with the text (nothing is stored)."""
    found = _sqlite_path(location)
    if found is None:
        return None
    path, size_agrees = found
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error:
        return None
    try:
        return _capture(conn, path, text, clock, size_agrees)
    except sqlite3.Error:
        return None  # the normal path tries again and names any failure in one sentence
    finally:
        conn.close()


def _capture(
    conn: sqlite3.Connection, path: Path, text: str, clock: Clock, size_agrees: bool
) -> Captured | None:
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA cell_size_check=ON")  # each page read is checked as it loads
    # The checks and the write in one IMMEDIATE transaction: what is checked is what is
    # written into. Leaving without a commit rolls back (nothing written).
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as err:
        if getattr(err, "sqlite_errorname", "").startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            raise DatabaseLocked(locked_sentence(path)) from err
        raise
    try:
        captured = _checked_capture(conn, text, clock, size_agrees)
        if captured is not None:
            conn.execute("COMMIT")
        return captured
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")


def _checked_capture(
    conn: sqlite3.Connection, text: str, clock: Clock, size_agrees: bool
) -> Captured | None:
    if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
        return None  # to migrate (or newer): the normal path
    if not _sound(conn, size_agrees):
        return None  # never written into damage: the normal path refuses it
    if conn.execute("SELECT 1 FROM person WHERE is_me LIMIT 1").fetchone() is None:
        return None  # no "me": the normal path repairs that first
    now = clock()
    local = LocalNow.at(now, _zone(conn))
    parsed = parse_quick_add(text, local.wall)
    owner = _find_person(conn, parsed.owner_ref) if parsed.owner_ref else None
    rock = _find_rock(conn, parsed.rock_ref, quarter_key(local.today)) if parsed.rock_ref else None
    if owner is not None and not parsed.flags_given:
        parsed = replace(parsed, important=False, urgent=True)  # someone else does it: Delegate
    unsorted = not parsed.flags_given and owner is None
    follow_up = None
    if owner is not None:
        today = local.today
        follow_up = (
            max(today, parsed.due_date - timedelta(days=1))
            if parsed.due_date
            else today + timedelta(days=2)
        )
    stamp = now.astimezone(UTC)
    title = _stored("title", parsed.title)
    row: dict[str, Any] = {
        "uid": _uuid4(),
        "title": title,
        "important": parsed.important,
        "urgent": parsed.urgent,
        "due_date": parsed.due_date,
        "due_time": parsed.due_time,
        "estimate_minutes": parsed.estimate_minutes,
        "owner_id": owner[0] if owner else None,
        "follow_up": follow_up,
        "tags": _stored("tags", " ".join(parsed.tags)),
        "notes": "",
        "done_at": None,
        "archived_at": None,
        "created_at": stamp,
        "updated_at": stamp,
        "rock_id": rock[0] if rock else None,
        "unsorted": unsorted,
    }
    origin = _uuid4().replace("-", "")
    _write(conn, row, title, origin, stamp)
    shown = replace(parsed, title=title)
    return Captured(
        _describe(
            shown, unsorted, owner[1] if owner else None, follow_up, rock[1] if rock else None
        ),
        unsorted,
    )


def _write(
    conn: sqlite3.Connection, row: dict[str, Any], title: str, origin: str, stamp: datetime
) -> None:
    """The task, its undo step and the change feed's bump (one transaction, the caller's)."""
    columns = TASK_COLUMNS[1:]
    stored = [_stored_value(row[c]) for c in columns]
    cursor = conn.execute(
        f"INSERT INTO task ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        stored,
    )
    after = {"id": cursor.lastrowid, **row}
    changes = [
        {
            "table": "task",
            "key": [cursor.lastrowid],
            "before": None,
            "after": {c: _image(after[c]) for c in TASK_COLUMNS},
        }
    ]
    # A new action clears what this window could redo; then the step; then forget the
    # oldest beyond the kept number (store.undo.UndoLog.push).
    conn.execute("DELETE FROM undostep WHERE state = 'redo' AND origin = ?", (origin,))
    step = {
        "label": _stored("label", f"Added “{title}”"),
        "done_at": _sql_datetime(stamp),
        "state": "undo",
        "origin": origin,
        "coalesce_key": None,
        "redo_order": 0,
        "changes": json.dumps(changes, allow_nan=False),
        "uid": _uuid4(),
    }
    conn.execute(
        f"INSERT INTO undostep ({', '.join(UNDO_COLUMNS)}) "
        f"VALUES ({', '.join('?' * len(UNDO_COLUMNS))})",
        [step[c] for c in UNDO_COLUMNS],
    )
    oldest_kept = conn.execute(
        "SELECT id FROM undostep WHERE state = 'undo' ORDER BY id DESC LIMIT 1 OFFSET ?",
        (KEEP_ACTIONS - 1,),
    ).fetchone()
    if oldest_kept is not None:
        conn.execute("DELETE FROM undostep WHERE id < ?", (oldest_kept[0],))
    conn.execute("UPDATE revision SET value = value + 1, writer = ? WHERE id = 1", (origin,))
    revision = conn.execute("SELECT value FROM revision WHERE id = 1").fetchone()[0]
    conn.execute(RECORD_TABLE_REVISION, {"name": "task", "revision": revision})


def _stored_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return _sql_datetime(value)
    if isinstance(value, date):
        return _sql_date(value)
    if isinstance(value, time):
        return _sql_time(value)
    if isinstance(value, bool):
        return int(value)
    return value
