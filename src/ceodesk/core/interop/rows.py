"""Every exported table as plain rows (``read_tables``), and plain rows merged into a
database (``merge_tables``), in the form ``tables`` describes.

A merge is one transaction: it is refused whole, with one sentence and nothing written,
at the first value of a wrong kind, a reference to a UUID that is neither among the rows
given nor in the database, or rows that clash with the stored ones. It matches a row by
its UUID (a link, or a value per week, by its key); failing that, by what makes it the
same thing here whatever its UUID (a team's or a category's unique name, a Rock's slug,
the person marked as you, the one 3-year picture, a slot of the ideal week), so a file
imported into a database with its own defaults does not give it a second Leadership
team. Matched rows whose values differ are updated (a matched row keeps its own UUID),
the others are added; nothing is ever deleted. Reading and writing use plain statements
(one ``executemany`` per table), not one ORM object per row: five years of a company
are some 100,000 rows.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from ceodesk.core.interop.rules import ROW_RULES, TABLE_RULES
from ceodesk.core.interop.rules import shown as _shown
from ceodesk.core.interop.tables import REQUIRED, SPECS, Field, TableSpec
from ceodesk.core.kernel.errors import InputError
from ceodesk.core.kernel.text import clean_input, has_controls
from ceodesk.core.store.db import WROTE, Database

Row = dict[str, Any]

# A text column holding JSON that names its own row's local id under a key: a meeting's
# stored minutes. A file holds it without that key; an import puts the local id back.
_OWN_ID_IN_TEXT = {("meeting", "minutes_json"): "meeting_id"}


@dataclass
class MergeCounts:
    """What a merge did, in rows (links and weekly values count as rows)."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    by_table: dict[str, tuple[int, int, int]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged


# ---------------------------------------------------------------------------- export


def _instant_text(value: datetime) -> str:
    # Stored without a zone, meaning UTC (store.models); written with it.
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return aware.isoformat()


def _file_value(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "datetime":
        return _instant_text(value)
    if kind in ("date", "time"):
        return value.isoformat()
    if kind == "float":
        return float(value)
    return value


def _without_own_id(text: str | None, key: str) -> str | None:
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return text  # not JSON after all: kept as it is
    if not isinstance(data, dict) or key not in data:
        return text
    del data[key]
    return json.dumps(data, ensure_ascii=False)


def _with_own_id(text: str | None, key: str, row_id: int) -> str | None:
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return text
    if not isinstance(data, dict):
        return text
    data.pop(key, None)  # only this database's id is right here
    return json.dumps({key: row_id, **data}, ensure_ascii=False)


def _uid_of(by_id: dict[int, str]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else by_id[value]


def _own_id_left_out(key: str) -> Callable[[Any], Any]:
    return lambda value: _without_own_id(value, key)


def _file_value_of(kind: str) -> Callable[[Any], Any]:
    return lambda value: _file_value(kind, value)


def read_tables(db: Database) -> dict[str, list[Row]]:
    """Every exported table's rows, in one read transaction (a consistent snapshot):
    rows with an id in the order they were made, links sorted by their key."""
    tables: dict[str, list[Row]] = {}
    uids: dict[str, dict[int, str]] = {}
    with db.session() as session:
        conn = session.connection()
        for spec in SPECS:
            tables[spec.name] = _read_table(conn, spec, uids)
    return tables


def _read_table(conn: Connection, spec: TableSpec, uids: dict[str, dict[int, str]]) -> list[Row]:
    table = spec.table
    columns = [c for c in table.columns if c.name != "id" or spec.has_id]
    query = select(*columns)
    if spec.has_id:
        query = query.order_by(table.c.id)
    stored = conn.execute(query).all()
    names = [c.name for c in columns]
    if spec.has_id:
        id_at, uid_at = names.index("id"), names.index("uid")
        uids[spec.name] = {row[id_at]: row[uid_at] for row in stored}
    kinds = {f.name: f.kind for f in spec.fields}
    references = {r.column: r for r in spec.references}
    converters: list[tuple[int, str, Callable[[Any], Any]]] = []
    for at, name in enumerate(names):
        if name == "id":
            continue
        if name in references:
            reference = references[name]
            converters.append((at, reference.name, _uid_of(uids[reference.target])))
        elif (spec.name, name) in _OWN_ID_IN_TEXT:
            converters.append((at, name, _own_id_left_out(_OWN_ID_IN_TEXT[(spec.name, name)])))
        else:
            converters.append((at, name, _file_value_of(kinds[name])))
    rows = [{name: convert(row[at]) for at, name, convert in converters} for row in stored]
    if not spec.has_id:
        rows.sort(key=lambda row: tuple(str(row[k]) for k in spec.key))
    return rows


# ---------------------------------------------------------------------------- import

_EXPECTED = {
    "bool": "true or false",
    "int": "a whole number",
    "float": "a number",
    "str": "text",
    "date": "a date like 2026-11-25",
    "time": "a time like 09:30",
    "datetime": "an instant like 2026-11-25T09:30:00+00:00",
}


_SURROGATE = re.compile("[\ud800-\udfff]")


class _Refusal(Exception):
    """A value that does not fit: ``value`` shown (None: it is missing) and what it is not."""

    def __init__(self, value: str | None, is_not: str = "") -> None:
        super().__init__(is_not)
        self.value = value
        self.is_not = is_not

    def about(self, field_name: str) -> str:
        if self.value is None:
            return f"has no value for {field_name}, which it needs"
        return f"has {self.value} for {field_name}, which is not {self.is_not}"


# What a refusal may name a row by (its uid, a setting's key): no sentence end in it.
_NAME = re.compile(r"[\w:-]+")

# A UUID as ceodesk writes it (lower case, with hyphens): taken as it is.
_CANONICAL_UUID = re.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _read_uid(value: Any) -> str:
    if not isinstance(value, str):
        raise _Refusal(_shown(value), "a UUID")
    if _CANONICAL_UUID.fullmatch(value):
        return value
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise _Refusal(_shown(value), "a UUID") from None


def _read_value(spec_field: Field, value: Any) -> Any:
    """A file's value as stored, or a _Refusal saying why it does not fit."""
    kind = spec_field.kind
    if value is None:
        if spec_field.nullable:
            return None
        raise _Refusal(None)
    if kind == "bool":
        if not isinstance(value, bool):
            raise _Refusal(_shown(value), _EXPECTED[kind])
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) >= 2**63:
            raise _Refusal(_shown(value), _EXPECTED[kind])  # beyond SQLite's 64-bit integers too
        return value
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _Refusal(_shown(value), _EXPECTED[kind])
        if abs(value) >= 2**1023 or not math.isfinite(value):  # 1e999 reads as infinity
            raise _Refusal(_shown(value), _EXPECTED[kind])
        return float(value)
    if not isinstance(value, str):
        raise _Refusal(_shown(value), _EXPECTED[kind])
    if _SURROGATE.search(value):  # "\ud800" in JSON: no character, cannot be stored
        raise _Refusal(_shown(value), "valid text")
    if kind == "str":
        if spec_field.name == "uid":
            return _read_uid(value)
        return clean_input(value, multiline=spec_field.multiline) if has_controls(value) else value
    try:
        if kind == "date":
            if len(value) != 10:
                raise ValueError(value)
            return date.fromisoformat(value)
        if kind == "time":
            return time.fromisoformat(value)
        instant = datetime.fromisoformat(value)
    except ValueError:
        raise _Refusal(_shown(value), _EXPECTED[kind]) from None
    return _utc(instant)


def _utc(instant: datetime) -> datetime:
    """An instant as an aware UTC datetime: one without a zone (as SQLite gives them
    back, or in a file) is UTC (store.models)."""
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)


@dataclass
class _Plan:
    """One table's rows, read from the file and matched with the stored ones."""

    inserts: list[Row] = field(default_factory=list)
    updates: list[Row] = field(default_factory=list)  # their key also as "_k_<column>"
    unchanged: int = 0
    # (file uid of the row, column, file uid it names) written after the inserts: a
    # Rock's link to a Rock added by the same import.
    deferred: list[tuple[str, str, str]] = field(default_factory=list)


class _Merge:
    """One merge, table after table: each file uid's local id, for the tables after."""

    def __init__(self, conn: Connection, before_writing: Callable[[], object] | None) -> None:
        self.conn = conn
        self._before_writing = before_writing
        self.local_ids: dict[str, dict[str, int]] = {}  # table -> file uid -> local id
        self.counts = MergeCounts()
        self._field_names: dict[str, frozenset[str]] = {}

    def refuse(self, spec: TableSpec, row: Any, at: int, what: str) -> InputError:
        uid = row.get("uid") if isinstance(row, dict) else None
        if spec.key == ("key",) and isinstance(row, dict):  # a setting: named by its key
            uid = row.get("key")
        if isinstance(uid, str) and len(uid) <= 40 and _NAME.fullmatch(uid):
            named = f"The file's {spec.name} {uid}"
        else:
            named = f"Row {at + 1} of the file's {spec.name} rows"
        return InputError(f"{named} {what}, so nothing was imported.")

    def table(self, spec: TableSpec, rows: list[Any]) -> None:
        stored = self._stored(spec)
        if spec.has_id:
            self.local_ids[spec.name] = {uid: row["id"] for uid, row in stored.items()}
        values = [self._values(spec, row, at) for at, row in enumerate(rows)]
        for rule in ROW_RULES.get(spec.name, ()):
            broken = rule.first_broken(values)
            if broken is not None:
                raise self.refuse(spec, rows[broken[0]], broken[0], broken[1])
        plan = self._match(spec, rows, values, stored)
        try:
            self._write(spec, plan)
        except IntegrityError as err:
            raise InputError(
                f"The file's {spec.name} rows clash with this database's (a name or key "
                "that must be unique would be there twice), so nothing was imported."
            ) from err
        for table_rule in TABLE_RULES.get(spec.name, ()):
            sentence = table_rule(self.conn, values)
            if sentence is not None:
                raise InputError(f"{sentence}, so nothing was imported.")
        added, updated = len(plan.inserts), len(plan.updates)
        self.counts.added += added
        self.counts.updated += updated
        self.counts.unchanged += plan.unchanged
        self.counts.by_table[spec.name] = (added, updated, plan.unchanged)

    def _stored(self, spec: TableSpec) -> dict[Any, Row]:
        """The stored rows by uid (or by key, for a table without an id)."""
        table = spec.table
        result = self.conn.execute(select(table))
        names = list(result.keys())
        rows = [dict(zip(names, row, strict=True)) for row in result]
        instants = [f.name for f in spec.fields if f.kind == "datetime"]
        for row in rows:
            for name in instants:
                if row[name] is not None:
                    row[name] = _utc(row[name])
        if spec.has_id:
            return {row["uid"]: row for row in rows}
        key_columns = [c.name for c in table.primary_key.columns]
        return {tuple(row[c] for c in key_columns): row for row in rows}

    def _known(self, spec: TableSpec) -> frozenset[str]:
        known = self._field_names.get(spec.name)
        if known is None:
            known = self._field_names[spec.name] = frozenset(spec.field_names)
        return known

    def _values(self, spec: TableSpec, row: Any, at: int) -> Row:
        """A file's row as column values (references as local ids, or the file uid for a
        reference within the table itself), or the sentence that refuses it."""
        if not isinstance(row, dict):
            raise self.refuse(spec, row, at, "is not an object of fields")
        unknown = sorted(row.keys() - self._known(spec))
        if unknown:
            raise self.refuse(spec, row, at, f"has a field ceodesk does not know ({unknown[0]})")
        values: Row = {}
        for spec_field in spec.fields:
            given = row.get(spec_field.name, spec_field.default)
            if given is REQUIRED:
                raise self.refuse(spec, row, at, f"has no {spec_field.name}, which it needs")
            try:
                values[spec_field.name] = _read_value(spec_field, given)
            except _Refusal as refusal:
                what = refusal.about(spec_field.name)
                raise self.refuse(spec, row, at, what) from None
        for reference in spec.references:
            given = row.get(reference.name)
            if given is None:
                if not reference.nullable:
                    raise self.refuse(
                        spec, row, at, f"has no value for {reference.name}, which it needs"
                    )
                values[reference.column] = None
                continue
            try:
                target_uid = _read_uid(given)
            except _Refusal as refusal:
                raise self.refuse(spec, row, at, refusal.about(reference.name)) from None
            if reference.target == spec.name:
                values[reference.column] = _SelfReference(target_uid)
                continue
            local = self.local_ids[reference.target].get(target_uid)
            if local is None:
                raise self.refuse(
                    spec,
                    row,
                    at,
                    f"names a {reference.target} ({reference.name} {target_uid}) that is "
                    "neither in the file nor in this database",
                )
            values[reference.column] = local
        return values

    def _match(
        self, spec: TableSpec, rows: list[Any], values: list[Row], stored: dict[Any, Row]
    ) -> _Plan:
        plan = _Plan()
        if not spec.has_id:
            key_columns = [c.name for c in spec.table.primary_key.columns]
            seen: set[tuple[Any, ...]] = set()
            for at, row in enumerate(values):
                key = tuple(row[c] for c in key_columns)
                if key in seen:
                    raise self.refuse(spec, rows[at], at, "is in the file twice")
                seen.add(key)
                self._compare(spec, plan, row, stored.get(key), key_columns)
            return plan
        matched: dict[int, Row] = {}  # position in the file -> the stored row
        claimed: set[int] = set()
        uids_seen: set[str] = set()
        for at, row in enumerate(values):
            if row["uid"] in uids_seen:
                raise self.refuse(spec, rows[at], at, "is in the file twice")
            uids_seen.add(row["uid"])
            if row["uid"] in stored:
                matched[at] = stored[row["uid"]]
                claimed.add(stored[row["uid"]]["id"])
        for columns in spec.same_as:
            free: dict[tuple[Any, ...], Row] = {}
            for stored_row in stored.values():
                key = tuple(stored_row[c] for c in columns)
                if stored_row["id"] not in claimed and _names_one(key):
                    free.setdefault(key, stored_row)
            for at, row in enumerate(values):
                key = tuple(row[c] for c in columns)
                if at in matched or key not in free or not _names_one(key):
                    continue
                stored_row = free.pop(key)
                matched[at] = stored_row
                claimed.add(stored_row["id"])
        ids = self.local_ids[spec.name]
        for at, stored_row in matched.items():
            ids[values[at]["uid"]] = stored_row["id"]
        for at, row in enumerate(values):
            relinked = False  # a stored row linked to a row this import adds: updated
            for column, value in list(row.items()):
                if isinstance(value, _SelfReference):
                    local = ids.get(value.uid)
                    if local is None and value.uid not in uids_seen:
                        raise self.refuse(
                            spec,
                            rows[at],
                            at,
                            f"names a {spec.name} ({column.removesuffix('_id')} {value.uid}) "
                            "that is neither in the file nor in this database",
                        )
                    if local is None:  # a row this import adds: linked once it is there
                        plan.deferred.append((row["uid"], column, value.uid))
                        row[column] = None
                        relinked = True
                    else:
                        row[column] = local
            found = matched.get(at)
            if found is not None:
                row = {**row, "uid": found["uid"], "id": found["id"]}
                for (name, text_column), id_key in _OWN_ID_IN_TEXT.items():
                    if name == spec.name:
                        row[text_column] = _with_own_id(row[text_column], id_key, found["id"])
            self._compare(spec, plan, row, found, ["id"], relinked=relinked)
        return plan

    def _compare(
        self,
        spec: TableSpec,
        plan: _Plan,
        row: Row,
        stored_row: Row | None,
        key_columns: list[str],
        *,
        relinked: bool = False,
    ) -> None:
        if stored_row is None:
            plan.inserts.append(row)
            return
        if not relinked and all(stored_row[c] == v for c, v in row.items()):
            plan.unchanged += 1
            return
        for c in key_columns:
            row[f"_k_{c}"] = row.pop(c) if c == "id" else row[c]
        plan.updates.append(row)

    def _write(self, spec: TableSpec, plan: _Plan) -> None:
        table = spec.table
        if (plan.updates or plan.inserts) and self._before_writing is not None:
            self._before_writing()
            self._before_writing = None
        if plan.updates:
            keys = [c for c in plan.updates[0] if c.startswith("_k_")]
            for columns, rows in _by_columns(plan.updates):
                changed = [c for c in columns if not c.startswith("_k_")]
                statement = update(table).values({c: bindparam(c) for c in changed})
                for k in keys:
                    statement = statement.where(table.c[k.removeprefix("_k_")] == bindparam(k))
                self.conn.execute(statement, rows)
        if plan.inserts:
            for _columns, rows in _by_columns(plan.inserts):
                self.conn.execute(insert(table), rows)
        if not spec.has_id or not plan.inserts:
            return
        ids = self.local_ids[spec.name]
        ids.update(
            {uid: local for uid, local in self.conn.execute(select(table.c.uid, table.c.id))}
        )
        own = [
            (column, key) for (name, column), key in _OWN_ID_IN_TEXT.items() if name == spec.name
        ]
        for column, key in own:
            fixes = [
                {"_k_id": ids[row["uid"]], column: _with_own_id(row[column], key, ids[row["uid"]])}
                for row in plan.inserts
                if row.get(column) is not None
            ]
            if fixes:
                statement = update(table).values({column: bindparam(column)})
                self.conn.execute(statement.where(table.c.id == bindparam("_k_id")), fixes)
        links = [{"_k_id": ids[uid], column: ids[target]} for uid, column, target in plan.deferred]
        for columns, rows in _by_columns(links):
            [column] = [c for c in columns if c != "_k_id"]
            statement = update(table).values({column: bindparam(column)})
            self.conn.execute(statement.where(table.c.id == bindparam("_k_id")), rows)


@dataclass(frozen=True)
class _SelfReference:
    uid: str


def _names_one(key: tuple[Any, ...]) -> bool:
    """A same-as key that names one thing: none of its values empty or false (a person
    not marked as you is not the same as every other)."""
    return all(value is not None and value is not False for value in key)


def _by_columns(rows: list[Row]) -> Iterator[tuple[tuple[str, ...], list[Row]]]:
    """Rows grouped by the columns they set, for one executemany each."""
    groups: dict[tuple[str, ...], list[Row]] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(row)
    yield from groups.items()


def merge_tables(
    db: Database,
    tables: dict[str, list[Any]],
    *,
    before_writing: Callable[[], object] | None = None,
) -> MergeCounts:
    """Merge plain rows (``{table: [row, ...]}``, rows as ``read_tables`` gives them)
    into ``db`` in one transaction; see the module's docstring. ``before_writing`` runs
    under the write lock before the first change, when there is one (a backup copy)."""
    with db.bulk_write() as session:
        merge = _Merge(session.connection(), before_writing)
        for spec in SPECS:
            merge.table(spec, tables.get(spec.name, []))
        session.info[WROTE] = merge.counts.changed
        return merge.counts
