"""The one place that opens the database: engine, pragmas, sessions, schema versions, backups.

A SQLite file is checked before anything writes to it: a file that is not SQLite, a
SQLite database of another program, or one written by a newer ceodesk is refused with
one sentence and left byte-for-byte untouched. Older schemas are migrated step by step,
each run preceded by a backup copy made with SQLite's backup API.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, Index, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel

from ceodesk.core.kernel.clock import Clock, system_clock
from ceodesk.core.kernel.errors import (
    CeodeskError,
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseReadOnly,
    DatabaseRefused,
    StorageError,
)
from ceodesk.core.kernel.text import clean_stored_text
from ceodesk.core.store import models  # registers the tables on SQLModel.metadata
from ceodesk.core.store.changes import EVERY_TABLE, WRITTEN, ChangeStamps, Kept
from ceodesk.core.store.undo import (
    CONFLICT,
    ChangeRecorder,
    ChangeSet,
    ConflictError,
    RowChange,
    UndoLog,
    apply_images,
)

# The execution option that carries a database's clock to every session and connection
# made from its engine (the migrations' and the planner's own sessions too).
CLOCK_OPTION = "ceodesk_clock"


def _clock_of(session: Session) -> Clock | None:
    bind = session.get_bind()
    clock = bind.get_execution_options().get(CLOCK_OPTION)
    return clock if callable(clock) else None


def stamp_rows(session: Session, _context: Any = None, _instances: Any = None) -> None:
    """Before a flush: new rows get their created/updated stamps and changed rows their
    updated stamp, from the database's injected clock (never the wall clock directly)."""
    clock = _clock_of(session)
    if clock is None:
        return  # not a ceodesk database's session (nothing of ours is written)
    now = clock()
    for row in session.new:
        for name in ("created_at", "updated_at"):
            if getattr(row, name, None) == models.UNSTAMPED:
                setattr(row, name, now)
    for row in session.dirty:
        if not hasattr(row, "updated_at") or not session.is_modified(row):
            continue
        history = inspect(row).attrs.updated_at.history
        if not history.has_changes() or row.updated_at == models.UNSTAMPED:
            row.updated_at = now


# Every session, Database's or not (a migration's, the planner's bookkeeping), is stamped.
event.listen(Session, "before_flush", stamp_rows)

# The schema version and the mark of a ceodesk file live where the sqlite3-only paths
# read them without loading SQLAlchemy (bump SCHEMA_VERSION there with a migration).
from ceodesk.core.store.sqlite_file import (  # noqa: E402
    APPLICATION_ID,
    FEED_TABLES,
    RECORD_TABLE_REVISION,
    SCHEMA_VERSION,
    SQLITE_HEADER,
)

# How long a write waits for another program's lock before it gives up with a sentence.
BUSY_TIMEOUT_MS = 5000


# The ideal weekday a v2 database was seeded with: (start, end, title, category). Frozen:
# a migration describes the past, so later changes to the defaults (domain.settings) do not
# change what upgrading an old file writes.
_V2_IDEAL_DAY: tuple[tuple[str, str, str, str], ...] = (
    ("08:00", "10:00", "Deep work", "deep work"),
    ("10:00", "11:00", "Meetings", "meetings"),
    ("11:00", "12:00", "Admin", "admin"),
    ("13:00", "15:00", "Strategic planning", "strategic planning"),
    ("15:00", "17:00", "Team collaboration", "team collaboration"),
)


def _add_week_planner(conn: Connection) -> None:
    """v2: time blocks, recurring series, the ideal week (seeded) and focus tasks."""
    new_tables = ("timeblock", "blockseries", "idealblock", "focustask")
    SQLModel.metadata.create_all(
        conn, tables=[SQLModel.metadata.tables[name] for name in new_tables]
    )
    # Plain SQL on the category table as schema 1 left it: the current model may have
    # columns a later step adds.
    categories: dict[str, int] = {
        name: category_id
        for name, category_id in conn.exec_driver_sql("SELECT name, id FROM category")
    }
    ideal = SQLModel.metadata.tables["idealblock"]
    for weekday in range(5):
        for start, end, title, name in _V2_IDEAL_DAY:
            if name not in categories:
                continue  # the user renamed or removed it; leave that slot out
            conn.execute(
                ideal.insert().values(
                    uid=models.new_uid(),
                    weekday=weekday,
                    start=time.fromisoformat(start),
                    end=time.fromisoformat(end),
                    title=title,
                    category_id=categories[name],
                )
            )


def _add_rocks_and_goals(conn: Connection) -> None:
    """v3: Rocks with weekly status and milestones, goals, the big picture, core values;
    tasks and time blocks may link to a Rock."""
    new_tables = ("goal", "goallink", "rock", "rockweek", "milestone", "bigpicture", "corevalue")
    SQLModel.metadata.create_all(
        conn, tables=[SQLModel.metadata.tables[name] for name in new_tables]
    )
    for table in ("task", "timeblock"):
        # Step 2 creates timeblock from the current model, so it may have the column already.
        if "rock_id" not in {c["name"] for c in inspect(conn).get_columns(table)}:
            conn.exec_driver_sql(
                f"ALTER TABLE {table} ADD COLUMN rock_id INTEGER "
                "REFERENCES rock(id) ON DELETE SET NULL"
            )
        conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS ix_{table}_rock_id ON {table} (rock_id)")


def _add_scorecard(conn: Connection) -> None:
    """v4: the scorecard's measurables, their goals by effective week and weekly values."""
    new_tables = ("measurable", "measurablegoal", "measurablevalue")
    SQLModel.metadata.create_all(
        conn, tables=[SQLModel.metadata.tables[name] for name in new_tables]
    )


def _add_undo_log(conn: Connection) -> None:
    """v5: the undo log is stored, so undo survives a restart."""
    SQLModel.metadata.create_all(conn, tables=[SQLModel.metadata.tables["undostep"]])


def _add_combine_rule(conn: Connection) -> None:
    """v6: each measurable says how its weeks combine (sum, average, last); existing ones
    get the default of their unit (percent, yes/no, duration and formulas average)."""
    # Step 4 creates measurable from the current model, so it may have the column already.
    if "combine" not in {c["name"] for c in inspect(conn).get_columns("measurable")}:
        conn.exec_driver_sql(
            "ALTER TABLE measurable ADD COLUMN combine VARCHAR NOT NULL DEFAULT 'sum'"
        )
    conn.exec_driver_sql(
        "UPDATE measurable SET combine = 'average' "
        "WHERE unit IN ('percent', 'yesno', 'duration') OR formula IS NOT NULL"
    )


def _add_unsorted_tray(conn: Connection) -> None:
    """v7: a task may wait unsorted; every task stored before counts as sorted."""
    if "unsorted" not in {c["name"] for c in inspect(conn).get_columns("task")}:
        conn.exec_driver_sql("ALTER TABLE task ADD COLUMN unsorted BOOLEAN NOT NULL DEFAULT FALSE")


def _add_series_links(conn: Connection) -> None:
    """v8: a repeating block keeps its task and Rock; deleted occurrences of a series are
    rows of their own instead of "deleted_occurrence:<uid>" settings."""
    columns = {c["name"] for c in inspect(conn).get_columns("blockseries")}
    for column, target in (("task_id", "task"), ("rock_id", "rock")):
        if column not in columns:
            conn.exec_driver_sql(
                f"ALTER TABLE blockseries ADD COLUMN {column} INTEGER "
                f"REFERENCES {target}(id) ON DELETE SET NULL"
            )
    SQLModel.metadata.create_all(conn, tables=[SQLModel.metadata.tables["deletedoccurrence"]])
    markers = conn.exec_driver_sql(
        "SELECT key, value FROM setting WHERE key LIKE 'deleted_occurrence:%'"
    ).all()
    for key, day in markers:
        conn.exec_driver_sql(
            "INSERT OR IGNORE INTO deletedoccurrence (uid, occurrence_uid, day) VALUES (?, ?, ?)",
            (models.new_uid(), key.removeprefix("deleted_occurrence:"), day),
        )
    conn.exec_driver_sql("DELETE FROM setting WHERE key LIKE 'deleted_occurrence:%'")


# Tables that had an integer id but no uid before schema 9.
_V9_UID_TABLES = ("idealblock", "milestone", "bigpicture", "corevalue", "undostep")
# The kinds of the default categories, by the names schema 1 gave them.
_V9_DEFAULT_KINDS = {
    "deep work": "deep_work",
    "meetings": "meetings",
    "admin": "admin",
    "strategic planning": "strategic_planning",
    "team collaboration": "team_collaboration",
    "people": "people",
    "personal": "personal",
    "buffer": "buffer",
}


def _add_stable_ids_and_kinds(conn: Connection) -> None:
    """v9: every row with an id gets a uid (a fresh UUID for each existing row); each
    category gets a kind, taken from the default category names (any other is "other"),
    so renaming a category no longer changes the rules that apply to it."""
    for table in _V9_UID_TABLES:
        # Earlier steps create these tables from the current model, so a table made by
        # one may have the column, and its index, already.
        if "uid" not in {c["name"] for c in inspect(conn).get_columns(table)}:
            # SQLite cannot add a UNIQUE column: add it, fill it, then index it.
            conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN uid VARCHAR NOT NULL DEFAULT ''")
            ids = [row[0] for row in conn.exec_driver_sql(f"SELECT id FROM {table}")]
            for row_id in ids:
                conn.exec_driver_sql(
                    f"UPDATE {table} SET uid = ? WHERE id = ?", (models.new_uid(), row_id)
                )
        conn.exec_driver_sql(f"CREATE UNIQUE INDEX IF NOT EXISTS ix_{table}_uid ON {table} (uid)")
    if "kind" not in {c["name"] for c in inspect(conn).get_columns("category")}:
        conn.exec_driver_sql(
            "ALTER TABLE category ADD COLUMN kind VARCHAR NOT NULL DEFAULT 'other'"
        )
    for name, kind in _V9_DEFAULT_KINDS.items():
        conn.exec_driver_sql("UPDATE category SET kind = ? WHERE name = ?", (kind, name))


# The weekly meeting's tables (issue 11), in the order their foreign keys need.
MEETING_TABLES = (
    "meeting",
    "issue",
    "todo",
    "meetingsection",
    "agendasection",
    "meetingattendee",
    "segue",
    "headline",
    "meetingrating",
    "decision",
    "cascademessage",
    "dismissedproposal",
)


def _add_weekly_meeting(conn: Connection) -> None:
    """v10: the weekly meeting: issues, to-dos, meetings with their sections' timers,
    agendas, attendance, segues, headlines, ratings, decisions, cascading messages and
    dismissed proposals."""
    SQLModel.metadata.create_all(
        conn, tables=[SQLModel.metadata.tables[name] for name in MEETING_TABLES]
    )


def _add_revision(conn: Connection) -> None:
    """v11: the change feed, one row every write bumps (see Database.revision)."""
    SQLModel.metadata.create_all(conn, tables=[SQLModel.metadata.tables["revision"]])
    _seed_revision(conn)


def _seed_revision(conn: Connection) -> None:
    if conn.execute(text("SELECT COUNT(*) FROM revision WHERE id = 1")).scalar_one() == 0:
        conn.execute(
            text("INSERT INTO revision (id, value, writer, uid) VALUES (1, 0, '', :uid)"),
            {"uid": models.new_uid()},
        )


def _add_week_reflection(conn: Connection) -> None:
    """v12: the Friday review's reflection, one row per ISO week."""
    SQLModel.metadata.create_all(conn, tables=[SQLModel.metadata.tables["weekreflection"]])


def _add_table_revisions(conn: Connection) -> None:
    """v15: which tables the change feed's writes wrote (see Database._bump_revision)."""
    SQLModel.metadata.create_all(conn, tables=[SQLModel.metadata.tables["tablerevision"]])


# Columns the screens look rows up by, beyond the foreign keys (the scorecard's and the
# Rocks' values of one week).
QUERIED_COLUMNS = (("measurablevalue", "week"), ("rockweek", "week"))


def _index_foreign_keys() -> list[Index]:
    """An index on every foreign key (and queried column) that no index or primary key
    leads with: reading a Rock's tasks, undoing a delete (which looks for rows still
    linked) and a week's values then cost the same with five years of history. Tables
    added later get theirs too, from the models, when they are created."""
    added = []
    for table in SQLModel.metadata.tables.values():
        led = {index_columns[0] for index_columns in _index_columns(table)}
        wanted = [fk.parent for fk in table.foreign_keys]
        wanted += [table.c[c] for t, c in QUERIED_COLUMNS if t == table.name]
        for column in sorted(wanted, key=lambda c: c.name):
            if column.name not in led:
                added.append(Index(f"ix_{table.name}_{column.name}", column))
                led.add(column.name)
    return added


def _index_columns(table: Any) -> list[list[str]]:
    found = [[c.name for c in index.columns] for index in table.indexes]
    found.append([c.name for c in table.primary_key.columns])
    return [columns for columns in found if columns]


FOREIGN_KEY_INDEXES = _index_foreign_keys()


def _add_foreign_key_indexes(conn: Connection) -> None:
    """v13: foreign keys and the week columns are indexed (issue 13)."""
    for index in FOREIGN_KEY_INDEXES:
        index.create(conn, checkfirst=True)


def _add_todo_done_index(conn: Connection) -> None:
    """v14: open to-dos (everyone's, in the review's people panel) are read by an index
    on done_at, not by a scan of every to-do ever made (issue 13)."""
    for index in SQLModel.metadata.tables["todo"].indexes:
        if [column.name for column in index.columns] == ["done_at"]:
            index.create(conn, checkfirst=True)


# version -> step that upgrades a database from version-1 to version. A new database is
# created from the current models directly and stamped SCHEMA_VERSION.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    2: _add_week_planner,
    3: _add_rocks_and_goals,
    4: _add_scorecard,
    5: _add_undo_log,
    6: _add_combine_rule,
    7: _add_unsorted_tray,
    8: _add_series_links,
    9: _add_stable_ids_and_kinds,
    10: _add_weekly_meeting,
    11: _add_revision,
    12: _add_week_reflection,
    13: _add_foreign_key_indexes,
    14: _add_todo_done_index,
    15: _add_table_revisions,
}
# An action may name itself once it has read what it changes: session.info[UNDO_LABEL].
UNDO_LABEL = "ceodesk_undo_label"
# A bulk write (Database.bulk_write) that changed rows says so: session.info[WROTE].
WROTE = "ceodesk_wrote_rows"


@dataclass(frozen=True)
class Location:
    """Where the data lives: a SQLAlchemy URL and, for a SQLite file, its path."""

    url: str
    path: Path | None

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    def __str__(self) -> str:
        return str(self.path) if self.path else make_url(self.url).render_as_string()


def resolve_location(path_or_url: str | os.PathLike[str]) -> Location:
    """A plain path (or ``:memory:``) means a SQLite file; anything with ``://`` is a URL."""
    raw = os.fspath(path_or_url)
    if not raw.strip():
        raise DatabaseRefused("The database path is empty: name a file or a database URL.")
    if raw == ":memory:":
        return Location("sqlite://", None)
    if "://" in raw:
        try:
            url = make_url(raw)
        except ArgumentError as err:
            raise DatabaseRefused(f"{raw!r} is neither a file path nor a database URL.") from err
        if url.get_backend_name() == "sqlite":
            db = url.database
            if not db or db == ":memory:":
                return Location("sqlite://", None)
            path = _expand(db)
            return Location(f"sqlite:///{path}", path)
        return Location(raw, None)
    path = _expand(raw)
    return Location(f"sqlite:///{path}", path)


def _expand(raw: str) -> Path:
    try:
        return Path(raw).expanduser().resolve()
    except RuntimeError as err:  # "~nobody-here/x.db": no such user's home
        user = raw.split("/", 1)[0]
        raise DatabaseRefused(f"{user} names no known user's home folder.") from err


def sqlite_error_name(err: BaseException) -> str:
    """SQLite's result code name ("SQLITE_BUSY") of a driver or SQLAlchemy error, or ""."""
    orig = getattr(err, "orig", err)
    return str(getattr(orig, "sqlite_errorname", "") or "")


def storage_error(err: BaseException, where: object) -> StorageError | None:
    """The one sentence for a SQLite failure a user can meet, or None for other errors.

    SQLAlchemy's own text (with its "Background on this error" link) is never shown.
    """
    name = sqlite_error_name(err)
    message = str(getattr(err, "orig", err)).lower()
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in message:
        return DatabaseLocked(
            f"{where} is locked by another program, so nothing was changed: try again in a moment."
        )
    if name.startswith("SQLITE_READONLY") or "readonly database" in message:
        return DatabaseReadOnly(f"{where} is read-only, so nothing was changed.")
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in message:
        return DatabaseCorrupt(
            f"{where} is damaged (SQLite reports a corrupt page), so nothing was changed: "
            "restore it from a backup."
        )
    if name.startswith("SQLITE_CANTOPEN"):
        return StorageError(f"{where} cannot be opened: its folder may be missing or not writable.")
    if name.startswith("SQLITE_FULL"):
        return StorageError(f"{where} could not be written because the disk is full.")
    if name.startswith("SQLITE_IOERR"):
        return StorageError(f"{where} could not be read or written (a disk error).")
    return None


@contextmanager
def storage_errors(where: object) -> Iterator[None]:
    """Turn SQLite failures inside the block into ceodesk's one-sentence errors."""
    try:
        yield
    except (DBAPIError, sqlite3.Error) as err:
        translated = storage_error(err, where)
        if translated is None:
            raise
        raise translated from err


def is_writable(path: Path) -> bool:
    """Whether ceodesk may write the file at ``path`` and the files beside it.

    A file (or folder) without any write permission bit counts as read-only even for a
    user (root) the system would let write it: the owner marked it so.
    """
    target = path if path.exists() else path.parent
    folder = target if target.is_dir() else target.parent
    for item in {target, folder} if path.exists() else {folder}:
        while not item.exists():
            item = item.parent
        if not os.access(item, os.W_OK) or not item.stat().st_mode & 0o222:
            return False
    return True


def _refuse_flush(_session: Session, _context: Any, _instances: Any) -> None:
    raise AssertionError("a read changed a stored row: reads inside db.reading() write nothing")


def _sqlite_pragmas(*, busy_timeout_ms: int, read_only: bool) -> Callable[[Any, Any], None]:
    def set_pragmas(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin, so DDL
        # is transactional too (the pysqlite recipe in SQLAlchemy's docs).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        if not read_only:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    return set_pragmas


def read_only_uri(path: Path) -> str:
    """A SQLite URI that opens ``path`` for reading only.

    In a folder nobody can write, SQLite cannot make the shared-memory file a reader of
    a WAL database needs; with no write-ahead log there, the file is opened immutable.
    """
    uri = f"file:{quote(str(path))}?mode=ro"
    wal = path.with_name(path.name + "-wal")
    if not is_writable(path.parent) and not (wal.exists() and wal.stat().st_size):
        uri += "&immutable=1"
    return uri


def _read_only_url(path: Path) -> str:
    return f"sqlite:///{read_only_uri(path)}&uri=true"


def make_engine(
    location: Location, *, read_only: bool = False, busy_timeout_ms: int = BUSY_TIMEOUT_MS
) -> Engine:
    """An engine for the location, with ceodesk's pragmas on every SQLite connection.

    A read-only engine opens the file with SQLite's ``mode=ro``: nothing can write it.
    """
    try:
        if location.is_sqlite and location.path is None:
            engine = create_engine(
                location.url,
                connect_args={"check_same_thread": False},
                poolclass=StaticPool,
            )
        elif location.is_sqlite:
            url = _read_only_url(location.path) if read_only and location.path else location.url
            engine = create_engine(url, connect_args={"check_same_thread": False})
        else:
            engine = create_engine(location.url, pool_pre_ping=True)
    except NoSuchModuleError as err:
        raise DatabaseRefused(
            f"{location} is not a database ceodesk can open: give a file path or a "
            "database URL such as postgresql://host/name."
        ) from err
    except ImportError as err:
        raise DatabaseRefused(
            f"ceodesk cannot reach {location}: its Python driver ({err.name or 'module'}) "
            "is not installed."
        ) from err
    if location.is_sqlite:
        pragmas = _sqlite_pragmas(busy_timeout_ms=busy_timeout_ms, read_only=read_only)
        event.listen(engine, "connect", pragmas)
        event.listen(engine, "begin", _begin_sqlite)
    return engine


def _begin_sqlite(conn: Connection) -> None:
    # A user action takes the write lock up front (IMMEDIATE): a deferred transaction
    # that reads, then writes, can hit SQLITE_BUSY without waiting for busy_timeout.
    mode = conn.get_execution_options().get("ceodesk_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def _refuse(path: Path, why: str) -> DatabaseRefused:
    return DatabaseRefused(f"{path} {why}, and was left untouched.")


def _header_numbers(header: bytes) -> tuple[int, int, int]:
    """(schema cookie, user_version, application_id) from a SQLite file header."""

    def number(offset: int) -> int:
        return int.from_bytes(header[offset : offset + 4], "big")

    return number(40), number(60), number(68)


def _verdict(path: Path, schema_cookie: int, version: int, app_id: int) -> int | None:
    if app_id == 0 and schema_cookie == 0:
        return None
    if app_id != APPLICATION_ID:
        raise _refuse(path, "is a SQLite database of another program, not a ceodesk one")
    if version > SCHEMA_VERSION:
        raise _refuse(
            path,
            f"was written by a newer ceodesk (schema {version}, this one knows up to "
            f"{SCHEMA_VERSION}): upgrade ceodesk to open it",
        )
    return version


def inspect_sqlite_file(path: Path) -> int | None:
    """The schema version of an existing ceodesk file, None for a new or empty file.

    Reads only the 100-byte header, so a refused file gets no -wal or -shm beside it;
    a read-only connection is used only when a write-ahead log may hold a newer header.
    Raises DatabaseRefused for anything ceodesk must not open.
    """
    if path.is_dir():
        raise DatabaseRefused(f"{path} is a folder, not a database file.")
    if not path.exists():
        return None
    if not stat.S_ISREG(path.stat().st_mode):
        # A FIFO or a device would block or never end: refuse before opening it.
        raise DatabaseRefused(f"{path} is not a regular file, so ceodesk does not open it.")
    if path.stat().st_size == 0:
        return None
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as err:
        raise DatabaseRefused(f"{path} cannot be read ({err.strerror}).") from err
    if not header.startswith(SQLITE_HEADER) or len(header) < 100:
        raise _refuse(path, "is not a ceodesk database (it is not a SQLite file)")
    wal = path.with_name(path.name + "-wal")
    if not (wal.exists() and wal.stat().st_size):
        return _verdict(path, *_header_numbers(header))
    try:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
        try:
            cookie = conn.execute("PRAGMA schema_version").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as err:
        raise _refuse(path, f"is not a readable SQLite database ({err})") from err
    return _verdict(path, cookie, version, app_id)


def backup_sqlite(path: Path, suffix: str, clock: Clock = system_clock) -> Path:
    """Copy a live SQLite file with the backup API; returns the copy's path (mode 0600).
    ``clock`` names the copy (the database's clock when a migration makes it)."""
    stamp = clock().strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.name}.{suffix}-{stamp}.bak")
    _create_private_file(target)
    source = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
    dest = sqlite3.connect(target)
    try:
        source.backup(dest)
    finally:
        dest.close()
        source.close()
    return target


def _create_private_file(path: Path) -> None:
    """Create ``path`` (mode 0600) and any missing folders above it (mode 0700)."""
    missing = [folder for folder in (path.parent, *path.parent.parents) if not folder.exists()]
    try:
        for folder in reversed(missing):
            folder.mkdir(mode=0o700)
            folder.chmod(0o700)  # mkdir's mode is masked by the umask; this one is not
    except FileExistsError:
        pass  # made by another process meanwhile
    except OSError as err:
        raise DatabaseRefused(
            f"The folder {path.parent} cannot be created ({err.strerror})."
        ) from err
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)


def _read_version(conn: Connection, location: Location) -> int:
    if location.is_sqlite:
        return int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())
    conn.exec_driver_sql(
        "CREATE TABLE IF NOT EXISTS ceodesk_meta (key VARCHAR PRIMARY KEY, value VARCHAR)"
    )
    value = conn.execute(text("SELECT value FROM ceodesk_meta WHERE key='schema'")).scalar()
    return int(value) if value is not None else 0


def _write_version(conn: Connection, location: Location, version: int) -> None:
    if location.is_sqlite:
        conn.exec_driver_sql(f"PRAGMA user_version={int(version)}")
        conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
        return
    conn.execute(text("DELETE FROM ceodesk_meta WHERE key='schema'"))
    conn.execute(text("INSERT INTO ceodesk_meta VALUES ('schema', :v)"), {"v": str(version)})


def _ensure_schema(
    engine: Engine,
    location: Location,
    seed: Callable[[Session], None] | None,
    *,
    read_only: bool = False,
) -> None:
    """Create (and seed, in the same transaction) or migrate the schema."""
    if location.is_sqlite:
        # Reading the version takes no lock, so a file another program is writing opens.
        with engine.connect() as conn:
            version = _read_version(conn, location)
        if version == SCHEMA_VERSION:
            return
        if read_only and version < SCHEMA_VERSION:
            what = "has no ceodesk schema yet" if version == 0 else f"uses schema {version}"
            raise DatabaseReadOnly(
                f"{location} {what} and is read-only, so ceodesk cannot set it up: make "
                "the file and its folder writable, then open it again."
            )
    with engine.execution_options(ceodesk_begin="IMMEDIATE").begin() as conn:
        version = _read_version(conn, location)
        if version > SCHEMA_VERSION:
            raise DatabaseRefused(
                f"{location} was written by a newer ceodesk (schema {version}); "
                "upgrade ceodesk to open it."
            )
        if version == 0:
            SQLModel.metadata.create_all(conn)
            _seed_revision(conn)
            if seed is not None:
                with Session(bind=conn) as session:
                    seed(session)
                    session.flush()
            _write_version(conn, location, SCHEMA_VERSION)
            return
    backup = None
    if version < SCHEMA_VERSION and location.path is not None:
        clock = engine.get_execution_options().get(CLOCK_OPTION, system_clock)
        backup = backup_sqlite(location.path, f"v{version}", clock)
    for step in range(version + 1, SCHEMA_VERSION + 1):
        if step not in MIGRATIONS:
            continue  # a number left free for a step merged from another branch
        try:
            with engine.execution_options(ceodesk_begin="IMMEDIATE").begin() as conn:
                MIGRATIONS[step](conn)
                _write_version(conn, location, step)
        except Exception as err:
            kept = f"; a backup from before the upgrade is at {backup}" if backup else ""
            cause = storage_error(err, "the file")
            why = f" ({str(cause).split(',')[0]})" if cause else ""
            raise DatabaseRefused(
                f"{location} could not be upgraded to schema {step}{why} and stays at "
                f"schema {step - 1}{kept}."
            ) from err


@dataclass(frozen=True)
class Repair:
    """Something a database must hold that an older or damaged setup may lack."""

    problem: str  # how the database falls short, e.g. "has no person marked as you"
    needed: Callable[[Session], bool]
    fix: Callable[[Session], None]


class Database:
    """An open ceodesk database: sessions, one-transaction user actions, undo and redo."""

    def __init__(
        self,
        engine: Engine,
        location: Location,
        *,
        read_only: bool = False,
        clock: Clock = system_clock,
    ) -> None:
        # Created/updated stamps, undo step times and backup names come from this clock.
        self.clock = clock
        engine.update_execution_options(**{CLOCK_OPTION: clock})
        self.engine = engine
        self.location = location
        self.read_only = read_only
        # Which tables this process wrote, for reads kept until they change (Kept).
        self.changes = ChangeStamps()
        self.changes.watch(engine)
        # Checks kept until what they read changes (the week's recurring blocks written).
        self.checks = Kept()
        # This open database's own actions are undone first (see UndoLog).
        self.undo_log = UndoLog(origin=uuid.uuid4().hex)
        self._write_engine = engine.execution_options(ceodesk_begin="IMMEDIATE")
        self._coalesce_key: str | None = None
        # An in-memory database is one SQLite connection (StaticPool) that a screen's
        # load in a worker thread and a write on the event loop could use at once:
        # they take turns. A file gives each session a connection of its own (SQLite
        # in WAL mode lets a reader and the writer work side by side).
        self._turns = threading.RLock() if location.is_sqlite and location.path is None else None
        # The change feed's value as of this database's last write or last look at it
        # (see ChangeWatcher): a screen drawn at this revision shows current data.
        self.revision = self._read_revision()
        # The rows (model, key) this database's last write changed, with the revision
        # it moved the change feed to: a screen drawn just before it can read those
        # rows again instead of everything (see ``changed_at``).
        self._last_changed: tuple[int, tuple[tuple[type, tuple[Any, ...]], ...]] | None = None
        # The session a ``reading()`` block shares with every read inside it, per thread.
        self._shared = threading.local()

    def changed_at(self, revision: int) -> tuple[tuple[type, tuple[Any, ...]], ...] | None:
        """The rows (model, key) the write that moved the change feed to ``revision``
        changed, when it was this database's last write (an action, an undo or a redo);
        None when that is not known."""
        if self._last_changed is None or self._last_changed[0] != revision:
            return None
        return self._last_changed[1]

    def _changed(self, revision: int, changes: Iterable[RowChange]) -> None:
        self._last_changed = (revision, tuple((c.model, c.key) for c in changes))

    @property
    def origin(self) -> str:
        """Who this open database is in the change feed and the undo log."""
        return self.undo_log.origin

    def _one_at_a_time(self) -> AbstractContextManager[object]:
        """Held while a session or connection of this database is in use (see _turns)."""
        return self._turns if self._turns is not None else nullcontext()

    def _read_revision(self) -> int:
        with self._one_at_a_time(), storage_errors(self.location), self.engine.connect() as conn:
            value = conn.execute(text("SELECT value FROM revision WHERE id = 1")).scalar()
        return int(value or 0)

    def _bump_revision(self, session: Session) -> int:
        """Move the change feed on, in the transaction of the write it announces, and
        say which tables that write wrote (TableRevision)."""
        session.execute(
            text("UPDATE revision SET value = value + 1, writer = :writer WHERE id = 1"),
            {"writer": self.origin},
        )
        value = int(session.execute(text("SELECT value FROM revision WHERE id = 1")).scalar() or 0)
        written = session.connection().info.get(WRITTEN, set()) - FEED_TABLES
        if written:
            session.execute(
                text(RECORD_TABLE_REVISION),
                [{"name": name, "revision": value} for name in sorted(written)],
            )
        return value

    def _moved_to(self, revision: int) -> None:
        """This database's write moved the feed to ``revision``. When another program's
        write came in between, unseen by the poll, nothing kept from before holds."""
        if revision != self.revision + 1:
            self.changes.everything_changed()
        self.revision = revision

    def _new_session(self, engine: Engine) -> Session:
        session = Session(engine, expire_on_commit=False)
        # No control character is ever stored (core/text.py): text stays inert.
        event.listen(session, "before_flush", clean_stored_text)
        # A write committed: the reads of a reading() block after it must see it.
        event.listen(session, "after_commit", self._after_write)
        return session

    def _refuse_if_read_only(self) -> None:
        if self.read_only:
            raise DatabaseReadOnly(f"{self.location} is read-only, so nothing was changed.")

    @contextmanager
    def session(self, *, shared: bool = True) -> Iterator[Session]:
        """A session for reading; objects stay usable after it closes. Inside a
        ``reading()`` block it is that block's session (unless not ``shared``: a session
        of its own, for a block that commits)."""
        reading = self._reading_session() if shared else None
        if reading is not None:
            with storage_errors(self.location):
                yield reading
            return
        with (
            self._one_at_a_time(),
            storage_errors(self.location),
            self._new_session(self.engine) as session,
        ):
            yield session

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Every read inside shares one session and one transaction: a screen's load
        reads one snapshot of the database, with one BEGIN for its dozens of reads
        instead of one each (issue 13). A write inside (the planner's recurring blocks)
        ends that transaction after it commits, so the reads after it see what it wrote.
        Nothing is ever flushed from the shared session: a read changes no row.

        An in-memory database is one connection that a write would need while the
        block held it, so there each read keeps a session of its own."""
        if self._turns is not None or self._reading_session() is not None:
            yield
            return
        with self.session() as session:
            session.autoflush = False
            event.listen(session, "before_flush", _refuse_flush)
            self._shared.session = session
            try:
                yield
            finally:
                self._shared.session = None

    def _reading_session(self) -> Session | None:
        return getattr(self._shared, "session", None)

    def _after_write(self, _session: Session) -> None:
        """A write committed: a reading block of this thread starts a new snapshot."""
        reading = self._reading_session()
        if reading is not None:
            reading.expunge_all()  # its objects stay as they are, as after a close
            reading.rollback()

    def touch(self, row: Any) -> None:
        """Stamp ``row`` as changed by the running action, at this database's clock: an
        action that happens to change nothing else is still one step to undo."""
        row.updated_at = self.clock()

    @contextmanager
    def coalescing(self, key: str) -> Iterator[None]:
        """Actions run inside merge into one undo step while they repeat on the same rows
        (moving a block five times with shift+arrows is undone in one step)."""
        previous, self._coalesce_key = self._coalesce_key, key
        try:
            yield
        finally:
            self._coalesce_key = previous

    @contextmanager
    def action(self, label: str) -> Iterator[Session]:
        """One user action = one transaction, recorded in the undo log under ``label``."""
        self._refuse_if_read_only()
        with self._one_at_a_time(), storage_errors(self.location), self._write(label) as session:
            yield session

    @contextmanager
    def bookkeeping(self, *, announce: bool = True) -> Iterator[Session]:
        """A write that is no user action (recurring blocks written when a week is first
        shown): one transaction under the write lock, with no undo step. With ``announce``
        the change feed moves when it wrote anything, so other screens and programs see it."""
        self._refuse_if_read_only()
        with (
            self._one_at_a_time(),
            storage_errors(self.location),
            self._write(None, announce=announce) as session,
        ):
            yield session

    @contextmanager
    def _write(self, label: str | None, *, announce: bool = True) -> Iterator[Session]:
        """One transaction under the write lock; what it changed is one undo step under
        ``label`` (none without one), and the change feed moves (unless not ``announce``)."""
        with self._new_session(self._write_engine) as session:
            recorder = ChangeRecorder(session)
            try:
                yield session
                session.flush()
                changes = recorder.changes
                revision = None
                if changes and label is not None:
                    label = session.info.get(UNDO_LABEL, label)
                    self.undo_log.push(
                        session, ChangeSet(label, changes), self.clock(), self._coalesce_key
                    )
                if changes and announce:
                    revision = self._bump_revision(session)
                session.commit()
                if revision is not None:
                    self._moved_to(revision)
                    self._changed(revision, changes)
            except BaseException:
                session.rollback()
                raise
            finally:
                recorder.close()

    @contextmanager
    def bulk_write(self) -> Iterator[Session]:
        """A write of many rows with plain statements (an import): one transaction under
        the write lock and no undo step (too big for the log; the caller keeps a backup
        copy instead). The change feed moves when the block sets ``session.info[WROTE]``."""
        self._refuse_if_read_only()
        with (
            self._one_at_a_time(),
            storage_errors(self.location),
            self._new_session(self._write_engine) as session,
        ):
            try:
                yield session
                revision = self._bump_revision(session) if session.info.get(WROTE) else None
                session.commit()
                if revision is not None:
                    self._moved_to(revision)
            except BaseException:
                session.rollback()
                raise

    def undo(self) -> str:
        """Reverse the last action; returns its label."""
        return self._step(undo=True)

    def redo(self) -> str:
        """Do again the last undone action; returns its label."""
        return self._step(undo=False)

    def _step(self, *, undo: bool) -> str:
        self._refuse_if_read_only()
        with (
            self._one_at_a_time(),
            storage_errors(self.location),
            self._new_session(self._write_engine) as session,
        ):
            step = self.undo_log.take(session, undo=undo)
            try:
                apply_images(session, step.changes, undo=undo)
                self.undo_log.done(session, step, undo=undo)
                revision = self._bump_revision(session)
                session.commit()
                self._moved_to(revision)
                self._changed(revision, step.changes)
            except (ConflictError, IntegrityError):
                # A row it writes or links to changed or went: it can never apply again,
                # so it is dropped.
                session.rollback()
                self.undo_log.drop(session, step)
                session.commit()
                raise ConflictError(CONFLICT) from None
            return step.label

    def check_integrity(self) -> None:
        """Refuse (DatabaseCorrupt) a SQLite file whose quick integrity check fails."""
        if not self.location.is_sqlite:
            return
        with self._one_at_a_time(), storage_errors(self.location), self.engine.connect() as conn:
            problems = [row[0] for row in conn.exec_driver_sql("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise DatabaseCorrupt(
                f"{self.location} fails SQLite's integrity check, so nothing was written: "
                "run ceodesk doctor and restore it from a backup."
            )

    def repair(self, repair: Repair) -> None:
        """Complete the database as ``repair`` says, when it is needed and allowed."""
        with self.session() as session:
            if not repair.needed(session):
                return
        if self.read_only:
            raise DatabaseReadOnly(
                f"{self.location} {repair.problem} and is read-only, so ceodesk cannot repair it."
            )
        with (
            self._one_at_a_time(),
            storage_errors(self.location),
            self._new_session(self._write_engine) as session,
        ):
            if repair.needed(session):
                repair.fix(session)
                revision = self._bump_revision(session)
                session.commit()
                self._moved_to(revision)

    def watcher(self) -> ChangeWatcher:
        return ChangeWatcher(self.location, read_only=self.read_only)

    def close(self) -> None:
        with self._one_at_a_time():  # after a load still running in a thread
            self.engine.dispose()


@dataclass(frozen=True)
class Change:
    """The change feed moved: to ``revision``, last written by ``writer`` (an origin)."""

    revision: int
    writer: str


class ChangeWatcher:
    """Looks at the change feed's one row: one tiny query, on a connection of its own
    (a SQLite file) so it never meets a session of the app's engine.

    An in-memory database has no other writer, so it is never looked at.
    """

    def __init__(self, location: Location, *, read_only: bool = False) -> None:
        self._conn: sqlite3.Connection | None = None
        self._engine: Engine | None = None
        if location.path is not None:
            uri = read_only_uri(location.path) if read_only else location.path
            self._conn = sqlite3.connect(uri, uri=read_only, check_same_thread=False)
            self._conn.isolation_level = None  # autocommit: every look sees the newest commit
            self._data_version = self._file_version()
        elif not location.is_sqlite:
            self._engine = make_engine(location, read_only=read_only)

    def latest(self) -> Change | None:
        """The feed's current revision and writer (None when there is nothing to watch)."""
        query = "SELECT value, writer FROM revision WHERE id = 1"
        try:
            if self._conn is not None:
                row = self._conn.execute(query).fetchone()
            elif self._engine is not None:
                with self._engine.connect() as conn:
                    row = conn.execute(text(query)).first()
            else:
                return None
        except (sqlite3.Error, DBAPIError):
            return None  # busy or gone for a moment: the next look will tell
        return Change(int(row[0]), str(row[1])) if row is not None else None

    def tables_since(self, revision: int) -> frozenset[str] | None:
        """The tables the feed's writes after ``revision`` wrote; None when that cannot
        be told (a write whose tables were not known, or none recorded)."""
        query = "SELECT name FROM tablerevision WHERE revision > :revision"
        try:
            if self._conn is not None:
                rows = self._conn.execute(query, {"revision": revision}).fetchall()
            elif self._engine is not None:
                with self._engine.connect() as conn:
                    rows = list(conn.execute(text(query), {"revision": revision}))
            else:
                return None
        except (sqlite3.Error, DBAPIError):
            return None
        tables = frozenset(str(row[0]) for row in rows)
        return tables if tables and EVERY_TABLE not in tables else None

    def _file_version(self) -> int:
        assert self._conn is not None
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def changed(self) -> bool:
        """Whether any other connection wrote the file since the last call (bookkeeping
        writes that announce nothing in the feed included)."""
        if self._conn is None:
            return False
        current = self._file_version()
        if current != self._data_version:
            self._data_version = current
            return True
        return False

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def open_database(
    path_or_url: str | os.PathLike[str],
    *,
    seed: Callable[[Session], None] | None = None,
    repair: Repair | None = None,
    check_integrity: bool = False,
    read_only: bool = False,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    clock: Clock = system_clock,
) -> Database:
    """Open (creating, or migrating after a backup) the database at a path or URL.

    ``seed`` fills a brand-new database with its defaults in the creating transaction;
    it is not part of the undo log. ``repair`` completes a database that lacks what a
    new one gets. A file that cannot be written
    opens read-only (``Database.read_only``); ``check_integrity`` refuses a damaged file.
    ``clock`` stamps rows, undo steps and backup names (the CLI and the app pass theirs).
    """
    location = resolve_location(path_or_url)
    if location.path is not None:
        version = inspect_sqlite_file(location.path)
        read_only = read_only or not is_writable(location.path)
        if version is None and read_only:
            raise DatabaseReadOnly(
                f"{location} is read-only, so ceodesk cannot create its database there."
            )
        if version is None:
            # A new (or empty) file holds only what ceodesk writes: keep it private.
            _create_private_file(location.path)
            location.path.chmod(0o600)
    engine = make_engine(location, read_only=read_only, busy_timeout_ms=busy_timeout_ms)
    engine.update_execution_options(**{CLOCK_OPTION: clock})
    try:
        with storage_errors(location):
            _ensure_schema(engine, location, seed, read_only=read_only)
        database = Database(engine, location, read_only=read_only, clock=clock)
        if check_integrity:
            database.check_integrity()
        if repair is not None:
            database.repair(repair)
    except CeodeskError:
        engine.dispose()
        raise
    except ImportError as err:
        engine.dispose()
        raise DatabaseRefused(
            f"ceodesk cannot reach {location}: its Python driver ({err.name or 'module'}) "
            "is not installed."
        ) from err
    except DBAPIError as err:
        engine.dispose()
        raise DatabaseRefused(
            f"ceodesk cannot open {location} ({type(err.orig).__name__})."
        ) from err
    return database


def sqlite_version() -> str:
    return sqlite3.sqlite_version
