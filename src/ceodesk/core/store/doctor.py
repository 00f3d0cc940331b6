"""``ceodesk doctor``: where the data is, which schema, whether SQLite finds it sound."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

from ceodesk.core.kernel.errors import CeodeskError, DatabaseCorrupt, DatabaseRefused
from ceodesk.core.store.db import (
    BUSY_TIMEOUT_MS,
    SCHEMA_VERSION,
    Location,
    inspect_sqlite_file,
    make_engine,
    read_only_uri,
    resolve_location,
    sqlite_version,
    storage_error,
)


@dataclass(frozen=True)
class Diagnosis:
    location: str
    schema_version: int
    sqlite_version: str
    integrity: str
    file_bytes: int | None
    wal_bytes: int | None
    rows: dict[str, int]

    @property
    def healthy(self) -> bool:
        return self.integrity.startswith("ok")

    @property
    def _schema(self) -> str:
        return {0: "none yet", -1: "unknown"}.get(self.schema_version, str(self.schema_version))

    def render(self) -> str:
        lines = [
            f"database     {self.location}",
            f"schema       {self._schema} (this ceodesk writes {SCHEMA_VERSION})",
            f"sqlite       {self.sqlite_version}",
            f"integrity    {self.integrity}",
        ]
        if self.file_bytes is not None:
            size = f"{self.file_bytes:,} bytes"
            if self.wal_bytes:
                size += f" (+ {self.wal_bytes:,} bytes in the write-ahead log)"
            lines.append(f"size         {size}")
        width = max(map(len, self.rows), default=0)
        lines.append("rows")
        lines += [f"  {name:<{width}}  {count:>7,}" for name, count in self.rows.items()]
        return "\n".join(lines)


def _size(path: Path) -> int | None:
    return path.stat().st_size if path.exists() else None


def _read_only_sqlite(path: Path) -> sqlite3.Connection:
    """A connection that cannot write: no schema, no migration, no chmod, no -wal made."""
    uri = read_only_uri(path)
    if not path.with_name(path.name + "-wal").exists() and "immutable" not in uri:
        # No write-ahead log: no one is writing, and reading it immutable leaves no
        # -wal or -shm file behind.
        uri += "&immutable=1"
    conn = sqlite3.connect(uri, uri=True)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return conn


def _check_sqlite(path: Path) -> tuple[int, str, dict[str, int]]:
    conn = _read_only_sqlite(path)
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            return version, "; ".join(problems), {}
        present = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        rows = {
            table.name: int(conn.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0])
            for table in SQLModel.metadata.sorted_tables
            if table.name in present
        }
    finally:
        conn.close()
    return version, "ok", rows


def _check_url(location: Location) -> tuple[int, str, dict[str, int]]:
    engine = make_engine(location)
    try:
        with engine.connect() as conn:
            present = set(inspect(conn).get_table_names())
            version = 0
            if "ceodesk_meta" in present:
                value = conn.execute(
                    text("SELECT value FROM ceodesk_meta WHERE key='schema'")
                ).scalar()
                version = int(value) if value is not None else 0
            rows = {
                table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
                for table in SQLModel.metadata.sorted_tables
                if table.name in present
            }
    finally:
        engine.dispose()
    return version, "ok", rows


def diagnose(path_or_url: str) -> Diagnosis:
    """Check a database without writing to it: never creates, migrates or chmods.

    A missing file is an error; an empty file is reported as not set up yet.
    """
    location = resolve_location(path_or_url)
    path = location.path
    if path is not None and not path.exists():
        raise CeodeskError(
            f"There is no database at {location.path} yet; run ceodesk to create one."
        )
    try:
        if path is None:
            version, integrity, rows = _check_url(location)
        elif inspect_sqlite_file(path) is None:
            version, integrity, rows = 0, "ok (an empty file: ceodesk sets it up on first use)", {}
        else:
            version, integrity, rows = _check_sqlite(path)
    except (DBAPIError, sqlite3.Error) as err:
        translated = storage_error(err, location)
        if translated is None:
            raise DatabaseRefused(
                f"ceodesk cannot check {location} ({type(getattr(err, 'orig', err)).__name__})."
            ) from err
        if not isinstance(translated, DatabaseCorrupt):
            raise translated from err
        version, integrity, rows = -1, "damaged: SQLite cannot read the file", {}
    wal = path.with_name(path.name + "-wal") if path else None
    return Diagnosis(
        location=str(location),
        schema_version=version,
        sqlite_version=sqlite_version() if location.is_sqlite else "-",
        integrity=integrity,
        file_bytes=_size(path) if path else None,
        wal_bytes=_size(wal) if wal else None,
        rows=dict(sorted(rows.items())),
    )
