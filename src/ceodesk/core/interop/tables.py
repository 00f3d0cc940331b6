"""Which tables an export holds, and how a row of each is written in one.

Every table of ``store.models`` that holds the user's data is exported, whole. Left
out, on purpose (``LEFT_OUT``):

- ``undostep``, the undo log: the actions of one database, as before/after images keyed
  by that database's integer ids; another database cannot undo them, and an import is
  not one of them (it keeps a backup copy instead);
- ``revision``, the change feed: how often this database was written and by which open
  window, which says nothing about the data.

A row is written by its fields, without the integer ``id`` (local to one database):

- a table with an ``id`` has a ``uid`` (a UUID) that names the row in the file and in
  every database it is imported into;
- a reference (a foreign key, ``owner_id``) is written without its ``_id`` (``owner``) and
  holds the UUID of the row it names, or null;
- a table without an ``id`` (a link such as ``teammember``, or a value per week such as
  ``measurablevalue``) is named by its key: the UUIDs of the rows it links plus its own
  key columns (``rockweek``: the Rock and the week);
- values are JSON's own (strings, numbers, true/false, null); dates are ``2026-11-25``,
  times ``09:30:00``, instants ISO 8601 in UTC (``2026-11-25T09:30:00+00:00``).

A table added to the models later is exported as soon as it exists (a test keeps every
table either exported or in ``LEFT_OUT`` with its reason).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Table
from sqlmodel import SQLModel

from ceodesk.core.store import models  # registers the tables on SQLModel.metadata

assert models  # imported for its tables

LEFT_OUT = {
    "undostep": "the undo log: actions of one database, keyed by its local ids",
    "revision": "the change feed: a counter of writes, no data",
    "tablerevision": "the change feed: which tables its writes wrote, no data",
}

# A field's value kind in a file: what JSON value it holds, and how it is checked.
KINDS = ("bool", "int", "float", "str", "date", "time", "datetime")

# Checked in this order: a datetime is a date, a bool an int.
_KINDS_BY_TYPE = (
    (bool, "bool"),
    (datetime, "datetime"),
    (date, "date"),
    (time, "time"),
    (int, "int"),
    (float, "float"),
    (str, "str"),
)

# A missing field with no default of its own (a non-null column with no default).
REQUIRED = object()


@dataclass(frozen=True)
class Field:
    """A column written as it is."""

    name: str  # the column's and the field's name
    kind: str  # one of KINDS
    nullable: bool
    default: Any  # the value a file without the field gets, or REQUIRED
    multiline: bool = False  # text that may keep line breaks (stored text rules)


@dataclass(frozen=True)
class Reference:
    """A foreign key, written as the UUID of the row it names."""

    name: str  # the field: the column without its "_id" ("owner")
    column: str  # "owner_id"
    target: str  # the table it names ("person")
    nullable: bool


@dataclass(frozen=True)
class TableSpec:
    name: str
    table: Table
    fields: tuple[Field, ...]  # the plain columns (with uid), in the table's order
    references: tuple[Reference, ...]
    # The fields that name a row: ("uid",), or a link's references and key columns.
    key: tuple[str, ...]
    # Column tuples by which a file's row is the same as a stored row with another uid
    # (a team's unique name, the one "me", the one big picture): see rows.py.
    same_as: tuple[tuple[str, ...], ...] = ()

    @property
    def has_id(self) -> bool:
        return "id" in self.table.c

    @property
    def field_names(self) -> tuple[str, ...]:
        """Every field of a row, in the order it is written."""
        order = {c.name: i for i, c in enumerate(self.table.columns)}
        named = [(f.name, f.name) for f in self.fields]
        named += [(r.column, r.name) for r in self.references]
        return tuple(name for column, name in sorted(named, key=lambda p: order[p[0]]))


def _kind(column: Any) -> str:
    python_type = getattr(column.type, "impl", column.type).python_type
    for kind_type, kind in _KINDS_BY_TYPE:
        if issubclass(python_type, kind_type):
            return kind
    raise TypeError(f"{column.table.name}.{column.name} has a type exports do not know")


def _default(column: Any) -> Any:
    if column.default is not None and column.default.is_scalar:
        return column.default.arg
    return None if column.nullable else REQUIRED


# Rows that are the same thing whatever their uid, beyond unique columns: the person
# marked as you, the one 3-year picture, a slot of the ideal week.
_SAME_AS = {
    "person": (("is_me",),),
    "bigpicture": ((),),
    "idealblock": (("weekday", "start", "end", "category_id"),),
}


def _spec(table: Table) -> TableSpec:
    from ceodesk.core.kernel.text import MULTILINE_COLUMNS

    fields: list[Field] = []
    references: list[Reference] = []
    for column in table.columns:
        if column.name == "id":
            continue
        foreign = list(column.foreign_keys)
        if foreign:
            target = foreign[0].column
            assert target.name == "id" and "uid" in target.table.c, column
            references.append(
                Reference(
                    column.name.removesuffix("_id"),
                    column.name,
                    target.table.name,
                    bool(column.nullable),
                )
            )
        else:
            multiline = column.name in MULTILINE_COLUMNS or (table.name, column.name) == (
                "setting",
                "value",
            )
            fields.append(
                Field(
                    column.name, _kind(column), bool(column.nullable), _default(column), multiline
                )
            )
    if "id" in table.c:
        key: tuple[str, ...] = ("uid",)
    else:
        by_column = {r.column: r.name for r in references}
        key = tuple(by_column.get(c.name, c.name) for c in table.primary_key.columns)
    unique = tuple(
        (c.name,) for c in table.columns if c.unique and c.name not in ("uid", "id")
    ) + tuple(
        tuple(c.name for c in index.columns)
        for index in table.indexes
        if index.unique and [c.name for c in index.columns] != ["uid"]
    )
    spec = TableSpec(
        table.name,
        table,
        tuple(fields),
        tuple(references),
        key,
        unique + _SAME_AS.get(table.name, ()),
    )
    names = spec.field_names
    assert len(set(names)) == len(names), f"{table.name}: a reference's name is a column's"
    return spec


def _specs() -> tuple[TableSpec, ...]:
    # Parents before the rows that name them (a Rock's own link to the Rock it rolled
    # from is the one reference within a table; rows.py writes it last).
    return tuple(
        _spec(table) for table in SQLModel.metadata.sorted_tables if table.name not in LEFT_OUT
    )


SPECS = _specs()
BY_NAME = {spec.name: spec for spec in SPECS}
