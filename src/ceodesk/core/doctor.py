"""``ceodesk doctor``: where the data is, which schema, whether SQLite finds it sound."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlmodel import SQLModel

from ceodesk.core.db import SCHEMA_VERSION, open_database, resolve_location, sqlite_version
from ceodesk.core.errors import CeodeskError


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
        return self.integrity == "ok"

    def render(self) -> str:
        lines = [
            f"database     {self.location}",
            f"schema       {self.schema_version} (this ceodesk writes {SCHEMA_VERSION})",
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


def diagnose(path_or_url: str) -> Diagnosis:
    """Check a database; a missing file is an error, never created by looking at it."""
    location = resolve_location(path_or_url)
    if location.path is not None and not location.path.exists():
        raise CeodeskError(
            f"There is no database at {location.path} yet; run ceodesk to create one."
        )
    db = open_database(path_or_url)
    try:
        with db.engine.connect() as conn:
            if location.is_sqlite:
                version = int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())
                problems = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check")]
                integrity = "; ".join(problems)
            else:
                version = SCHEMA_VERSION
                integrity = "ok"
            rows = {
                table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
                for table in SQLModel.metadata.sorted_tables
            }
    finally:
        db.close()
    wal = location.path.with_name(location.path.name + "-wal") if location.path else None
    return Diagnosis(
        location=str(location),
        schema_version=version,
        sqlite_version=sqlite_version() if location.is_sqlite else "-",
        integrity=integrity,
        file_bytes=_size(location.path) if location.path else None,
        wal_bytes=_size(wal) if wal else None,
        rows=dict(sorted(rows.items())),
    )
