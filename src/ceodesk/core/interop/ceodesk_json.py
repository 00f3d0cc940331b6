"""The JSON export of everything the user owns, and its import (``ceodesk export --format
json``, ``ceodesk import FILE --from ceodesk``).

The document::

    {
    "format": "ceodesk",
    "format_version": 1,
    "schema_version": 13,
    "exported_at": "2026-11-25T09:30:00+00:00",
    "tables": {
    "person": [
    {"uid": "…", "name": "Alex Rivera", "role": "CEO", "is_me": true, ...},
    ...

one row per line, tables in the order their references need (``tables.py`` says what
each row holds and which tables are left out). The same data gives the same bytes: rows
in a fixed order, fields in the table's order, nothing but ``exported_at`` from the
clock. ``format_version`` changes when a reader of version 1 could no longer read the
document; a newer one is refused, as is a document of a newer schema.

An import reads the whole file first (a file that is not a ceodesk export is refused
before any database is opened), then merges it in one transaction (``rows.py``). It
is not a step of the undo log (tens of thousands of rows): before it changes anything
in an existing database file, a copy of the file is made with SQLite's backup API, as
before a migration, and the report says where. A new database file takes the export
as it is, without the defaults a new database gets (the file brings its own), so an
export imported into a new file exports the same document again.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ceodesk.core.interop.rows import MergeCounts, merge_tables, read_tables
from ceodesk.core.interop.tables import BY_NAME
from ceodesk.core.kernel.clock import Clock
from ceodesk.core.kernel.errors import CeodeskError, InputError
from ceodesk.core.store.db import (
    SCHEMA_VERSION,
    Database,
    backup_sqlite,
    inspect_sqlite_file,
    open_database,
    resolve_location,
)

FORMAT = "ceodesk"
FORMAT_VERSION = 1

# JSON escapes C0 controls itself; DEL and the C1 controls are escaped too, so the
# document never holds a character a terminal could read as a command.
_UNSAFE = re.compile("[\x7f-\x9f]")


def _escape_unsafe(text: str) -> str:
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def export_text(db: Database, now: datetime) -> str:
    """The whole database as a ceodesk JSON document, exported at ``now``."""
    tables = read_tables(db)
    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_version": SCHEMA_VERSION,
        "exported_at": now.isoformat(),
    }
    lines = ["{"]
    lines += [f"{json.dumps(k)}: {json.dumps(v)}," for k, v in header.items()]
    lines.append('"tables": {')
    names = list(tables)
    for at, name in enumerate(names):
        rows = tables[name]
        end = "," if at < len(names) - 1 else ""
        if not rows:
            lines.append(f"{json.dumps(name)}: []{end}")
            continue
        lines.append(f"{json.dumps(name)}: [")
        encoded = [json.dumps(row, ensure_ascii=False, allow_nan=False) for row in rows]
        lines.append(",\n".join(encoded))
        lines.append(f"]{end}")
    lines += ["}", "}"]
    return _escape_unsafe("\n".join(lines)) + "\n"


def write_atomically(text: str, target: Path) -> None:
    """Write ``text`` to ``target`` through a temporary file beside it, renamed over it
    once complete: a failure leaves the old file (or none), never half of one. The file
    is readable by its owner only (it holds everything)."""
    folder = target.parent
    if not folder.is_dir():
        raise CeodeskError(f"The folder {folder} does not exist, so nothing was written.")
    if target.is_dir():
        raise CeodeskError(f"{target} is a folder, so nothing was written.")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as err:
        raise CeodeskError(f"{folder} cannot be written ({err.strerror}), so nothing was.") from err
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except OSError as err:
        Path(temporary).unlink(missing_ok=True)
        raise CeodeskError(
            f"{target} could not be written ({err.strerror}), so it was left as it was."
        ) from err
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------------------- import


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def parse_export(text: str, source: str) -> dict[str, list[Any]]:
    """The tables of a ceodesk JSON document, or an InputError saying why it is not one
    this ceodesk can import (``source`` names it in the sentence)."""
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as err:
        raise InputError(
            f"{source} is not a ceodesk export: it is not JSON (line {err.lineno}, "
            f"column {err.colno})."
        ) from None
    except (ValueError, RecursionError):
        raise InputError(f"{source} is not a ceodesk export: it is not plain JSON.") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InputError(
            f"{source} is not a ceodesk export: it lacks the header "
            '"format": "ceodesk" that ceodesk export writes.'
        )
    version = document.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InputError(f"{source} has no valid format_version, so it was not imported.")
    if version > FORMAT_VERSION:
        raise InputError(
            f"{source} was written by a newer ceodesk (export format {version}, this one "
            f"reads up to {FORMAT_VERSION}): upgrade ceodesk to import it."
        )
    schema = document.get("schema_version")
    if isinstance(schema, bool) or not isinstance(schema, int) or schema < 1:
        raise InputError(f"{source} has no valid schema_version, so it was not imported.")
    if schema > SCHEMA_VERSION:
        raise InputError(
            f"{source} was written by a newer ceodesk (schema {schema}, this one knows up "
            f"to {SCHEMA_VERSION}): upgrade ceodesk to import it."
        )
    tables = document.get("tables")
    if not isinstance(tables, dict):
        raise InputError(f"{source} has no tables object, so it was not imported.")
    for name, rows in tables.items():
        if name not in BY_NAME:
            shown = json.dumps(name, ensure_ascii=False)[:40]
            raise InputError(
                f"{source} holds a table ceodesk does not know ({shown}), so it was not imported."
            )
        if not isinstance(rows, list):
            raise InputError(f"{source} has no list of rows for {name}, so it was not imported.")
    return tables


def read_export(path: Path) -> dict[str, list[Any]]:
    """The tables of the ceodesk JSON document at ``path`` (see ``parse_export``)."""
    if path.is_dir():
        raise InputError(f"{path} is a folder, not an export file.")
    if not path.exists():
        raise InputError(f"{path} does not exist.")
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise InputError(f"{path} cannot be read ({err.strerror}).") from err
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path} is not a ceodesk export: it is not UTF-8 text.") from None
    return parse_export(text, str(path))


@dataclass(frozen=True)
class ImportReport:
    source: str
    counts: MergeCounts
    backup: Path | None  # the copy of the database from before, when one was made
    new_file: bool = False  # the import created the database file

    def line(self) -> str:
        """What the import did, in one line."""
        c = self.counts
        if not c.total:
            return f"Nothing to import from {self.source}: it holds no rows."
        if not c.changed:
            return (
                f"Nothing to import from {self.source}: its {c.total:,} rows are all "
                "in the database already (0 added, 0 updated)."
            )
        if self.backup is not None:
            kept = f"; the database as it was is in {self.backup}"
        elif self.new_file:
            kept = ""
        else:  # a database server: its own backups are the way back
            kept = "; no copy was made (it is not a database file), so it cannot be undone"
        return (
            f"Imported {self.source}: {c.added:,} added, {c.updated:,} updated, "
            f"{c.unchanged:,} unchanged{kept}."
        )


def import_file(location: str, source: Path, clock: Clock) -> ImportReport:
    """Import the ceodesk JSON document at ``source`` into the database at ``location``
    (a path or URL; created when it does not exist yet), as the module docstring says."""
    tables = read_export(source)
    from ceodesk.core.domain.settings import ENSURE_ME, seed_defaults

    path = resolve_location(location).path
    existed = path is not None and path.exists()
    fresh = path is not None and inspect_sqlite_file(path) is None
    if fresh:
        db = open_database(location, clock=clock)  # the file brings the defaults
    else:
        db = open_database(
            location, seed=seed_defaults, repair=ENSURE_ME, check_integrity=True, clock=clock
        )
    made: list[Path] = []

    def keep_a_copy() -> None:
        if path is not None and not fresh:
            made.append(backup_sqlite(path, "before-import", clock))

    done = False
    try:
        try:
            counts = merge_tables(db, tables, before_writing=keep_a_copy)
        except BaseException:
            for copy in made:  # nothing changed: the copy would only confuse
                copy.unlink(missing_ok=True)
            raise
        if fresh:
            db.repair(ENSURE_ME)  # a file without a person marked as you gets one
        done = True
    finally:
        db.close()
        if fresh and not existed and not done and path is not None:
            for leftover in (path, *(path.with_name(path.name + x) for x in ("-wal", "-shm"))):
                leftover.unlink(missing_ok=True)  # refused: no empty database left behind
    return ImportReport(str(source), counts, made[0] if made else None, new_file=fresh)
