"""The one place that opens the database: engine, pragmas, sessions, schema versions, backups.

A SQLite file is checked before anything writes to it: a file that is not SQLite, a
SQLite database of another program, or one written by a newer ceodesk is refused with
one sentence and left byte-for-byte untouched. Older schemas are migrated step by step,
each run preceded by a backup copy made with SQLite's backup API.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel

from ceodesk.core import models
from ceodesk.core.errors import CeodeskError, DatabaseRefused
from ceodesk.core.undo import ChangeRecorder, ChangeSet, ConflictError, UndoLog, apply_images

SCHEMA_VERSION = 5
# Marks a SQLite file as ceodesk's (PRAGMA application_id), so another program's
# database is never mistaken for an empty one and migrated.
APPLICATION_ID = 0x0CED35C0
SQLITE_HEADER = b"SQLite format 3\x00"


def _add_week_planner(conn: Connection) -> None:
    """v2: time blocks, recurring series, the ideal week (seeded) and focus tasks."""
    from ceodesk.core.settings import seed_ideal_week  # settings imports this module

    new_tables = ("timeblock", "blockseries", "idealblock", "focustask")
    SQLModel.metadata.create_all(
        conn, tables=[SQLModel.metadata.tables[name] for name in new_tables]
    )
    with Session(bind=conn) as session:
        seed_ideal_week(session)
        session.flush()


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


def _add_series_links(conn: Connection) -> None:
    """v5: a repeating block keeps its task and Rock; deleted occurrences of a series are
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


# version -> step that upgrades a database from version-1 to version. A new database is
# created from the current models directly and stamped SCHEMA_VERSION.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    2: _add_week_planner,
    3: _add_rocks_and_goals,
    4: _add_scorecard,
    5: _add_series_links,
}
# An action may name itself once it has read what it changes: session.info[UNDO_LABEL].
UNDO_LABEL = "ceodesk_undo_label"


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
            return Location(f"sqlite:///{Path(db).expanduser().resolve()}", Path(db).resolve())
        return Location(raw, None)
    path = Path(raw).expanduser().resolve()
    return Location(f"sqlite:///{path}", path)


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin, so DDL
    # is transactional too (the pysqlite recipe in SQLAlchemy's docs).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def make_engine(location: Location) -> Engine:
    """An engine for the location, with ceodesk's pragmas on every SQLite connection."""
    if location.is_sqlite and location.path is None:
        engine = create_engine(
            location.url,
            connect_args={"check_same_thread": False},
            poolclass=StaticPool,
        )
    elif location.is_sqlite:
        engine = create_engine(location.url, connect_args={"check_same_thread": False})
    else:
        engine = create_engine(location.url, pool_pre_ping=True)
    if location.is_sqlite:
        event.listen(engine, "connect", _set_sqlite_pragmas)
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
    if not path.exists() or path.stat().st_size == 0:
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


def backup_sqlite(path: Path, suffix: str) -> Path:
    """Copy a live SQLite file with the backup API; returns the copy's path (mode 0600)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
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
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
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
    engine: Engine, location: Location, seed: Callable[[Session], None] | None
) -> None:
    """Create (and seed, in the same transaction) or migrate the schema."""
    with engine.execution_options(ceodesk_begin="IMMEDIATE").begin() as conn:
        version = _read_version(conn, location)
        if version > SCHEMA_VERSION:
            raise DatabaseRefused(
                f"{location} was written by a newer ceodesk (schema {version}); "
                "upgrade ceodesk to open it."
            )
        if version == 0:
            SQLModel.metadata.create_all(conn)
            if seed is not None:
                with Session(bind=conn) as session:
                    seed(session)
                    session.flush()
            _write_version(conn, location, SCHEMA_VERSION)
            return
    backup = None
    if version < SCHEMA_VERSION and location.path is not None:
        backup = backup_sqlite(location.path, f"v{version}")
    for step in range(version + 1, SCHEMA_VERSION + 1):
        try:
            with engine.execution_options(ceodesk_begin="IMMEDIATE").begin() as conn:
                MIGRATIONS[step](conn)
                _write_version(conn, location, step)
        except Exception as err:
            kept = f"; a backup from before the upgrade is at {backup}" if backup else ""
            raise DatabaseRefused(
                f"{location} could not be upgraded to schema {step} ({err}) and stays at "
                f"schema {step - 1}{kept}."
            ) from err


class Database:
    """An open ceodesk database: sessions, one-transaction user actions, undo and redo."""

    def __init__(self, engine: Engine, location: Location) -> None:
        self.engine = engine
        self.location = location
        self.undo_log = UndoLog()
        self._write_engine = engine.execution_options(ceodesk_begin="IMMEDIATE")

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session for reading; objects stay usable after it closes."""
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def action(self, label: str) -> Iterator[Session]:
        """One user action = one transaction, recorded in the undo log under ``label``."""
        with Session(self._write_engine, expire_on_commit=False) as session:
            recorder = ChangeRecorder(session)
            try:
                yield session
                session.flush()
                changes = recorder.changes
                label = session.info.get(UNDO_LABEL, label)
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                recorder.close()
        if changes:
            self.undo_log.push(ChangeSet(label, changes))

    def _replay(self, change_set: ChangeSet, *, undo: bool) -> None:
        with Session(self._write_engine, expire_on_commit=False) as session:
            apply_images(session, change_set.changes, undo=undo)
            session.commit()

    def undo(self) -> str:
        """Reverse the last action; returns its label."""
        return self._step(undo=True)

    def redo(self) -> str:
        """Do again the last undone action; returns its label."""
        return self._step(undo=False)

    def _step(self, *, undo: bool) -> str:
        log = self.undo_log
        change_set = log.take_undo() if undo else log.take_redo()
        try:
            self._replay(change_set, undo=undo)
        except ConflictError:
            raise  # it can never apply again, so it is dropped
        except BaseException:
            (log.put_back_undo if undo else log.put_back_redo)(change_set)
            raise
        (log.done_undo if undo else log.done_redo)(change_set)
        return change_set.label

    def watcher(self) -> ChangeWatcher:
        return ChangeWatcher(self.location)

    def close(self) -> None:
        self.engine.dispose()


class ChangeWatcher:
    """Tells whether another connection changed the file since the last look.

    Keeps one connection of its own open: ``PRAGMA data_version`` only changes for
    commits made by other connections, which includes other processes.
    """

    def __init__(self, location: Location) -> None:
        self._conn: sqlite3.Connection | None = None
        if location.path is not None:
            self._conn = sqlite3.connect(location.path, check_same_thread=False)
            self._last = self._version()

    def _version(self) -> int:
        assert self._conn is not None
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def changed(self) -> bool:
        if self._conn is None:
            return False
        current = self._version()
        if current != self._last:
            self._last = current
            return True
        return False

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def open_database(
    path_or_url: str | os.PathLike[str],
    *,
    seed: Callable[[Session], None] | None = None,
) -> Database:
    """Open (creating, or migrating after a backup) the database at a path or URL.

    ``seed`` fills a brand-new database with its defaults in the creating transaction;
    it is not part of the undo log.
    """
    location = resolve_location(path_or_url)
    if location.path is not None and inspect_sqlite_file(location.path) is None:
        # A new (or empty) file holds only what ceodesk writes: keep it private.
        _create_private_file(location.path)
        location.path.chmod(0o600)
    engine = make_engine(location)
    try:
        _ensure_schema(engine, location, seed)
    except CeodeskError:
        engine.dispose()
        raise
    except Exception as err:
        engine.dispose()
        raise DatabaseRefused(f"{location} cannot be opened: {err}") from err
    return Database(engine, location)


def sqlite_version() -> str:
    return sqlite3.sqlite_version
