"""Broken exports, made by hypothesis from a real one: whatever is changed in it (a
field's value or type, a field removed or unknown, a row that is no object, a row twice,
text that is no JSON), an import either works — and then the same file imported again
changes nothing — or is refused with one sentence and the database stays row for row
as it was, with no backup copy left beside it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from demo_files import demo_copy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceodesk.core.interop.ceodesk_json import export_text, import_file
from ceodesk.core.kernel.clock import frozen_clock
from ceodesk.core.kernel.errors import InputError
from ceodesk.core.store.db import open_database

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(
        ["2026-02-30", "2026-11-25", "25:00", "09:30", "2026-11-25T09:30:00+02:00", "abc", ""]
    )
    | st.uuids().map(str),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=4,
)


@st.composite
def mutations(draw, tables: dict[str, list[Any]]) -> list[tuple[Any, ...]]:
    names = sorted(name for name, rows in tables.items() if rows)
    found = []
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(names))
        at = draw(st.integers(0, len(tables[name]) - 1))
        fields = [*sorted(tables[name][at]), "unknown_field"]
        kind = draw(st.sampled_from(["set", "set", "set", "drop", "not an object", "twice"]))
        found.append((kind, name, at, draw(st.sampled_from(fields)), draw(json_values)))
    return found


def mutated(tables: dict[str, list[Any]], changes: list[tuple[Any, ...]]) -> dict[str, Any]:
    tables = json.loads(json.dumps(tables))
    for kind, name, at, field, value in changes:
        rows = tables[name]
        if kind == "set" and isinstance(rows[at], dict):
            rows[at][field] = value
        elif kind == "drop" and isinstance(rows[at], dict):
            rows[at].pop(field, None)
        elif kind == "not an object":
            rows[at] = value
        elif kind == "twice":
            rows.append(rows[at])
    return tables


def rows_of(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def demo(tmp_path, now) -> Path:
    return demo_copy(tmp_path / "demo.db", now)


class Document(dict):
    """The demo's export; shown short when hypothesis reports a failing example."""

    def __repr__(self) -> str:
        return "<the demo's export>"


@pytest.fixture
def document(demo, now) -> Document:
    db = open_database(demo, clock=frozen_clock(now))
    try:
        return Document(json.loads(export_text(db, now)))
    finally:
        db.close()


def sentence_around_values(message: str) -> str:
    """The refusal with the value it quotes left out (a value may hold a full stop)."""
    if "“" in message and "”" in message:
        return message[: message.index("“")] + "…" + message[message.rindex("”") + 1 :]
    return message


def try_import(target: Path, source: Path, text: str, now, one_sentence) -> bool:
    """Import ``text``; True when it was imported, False when refused (and nothing moved)."""
    source.write_text(text)
    before = rows_of(target)
    try:
        import_file(str(target), source, frozen_clock(now))
    except InputError as err:
        assert one_sentence(sentence_around_values(str(err))), str(err)
        assert rows_of(target) == before
        assert list(target.parent.glob("*.bak")) == []
        return False
    return True


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_mutated_export_is_imported_whole_or_refused_whole(
    data, demo, document, tmp_path, now, one_sentence
):
    changes = data.draw(mutations(document["tables"]))
    text = json.dumps({**document, "tables": mutated(document["tables"], changes)})
    source = tmp_path / "mutated.json"
    if try_import(demo, source, text, now, one_sentence):
        for copy in demo.parent.glob("*.bak"):
            copy.unlink()
        before = rows_of(demo)
        again = import_file(str(demo), source, frozen_clock(now))
        assert not again.counts.changed, again.counts.by_table
        assert rows_of(demo) == before


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    header=st.fixed_dictionaries(
        {},
        optional={
            "format": st.sampled_from(["ceodesk", "Ceodesk", ""]) | json_values,
            "format_version": st.sampled_from([1, 2, 0, True]) | json_values,
            "schema_version": st.sampled_from([1, 13, 999, -1]) | json_values,
            "tables": json_values,
        },
    ),
    cut=st.integers(0, 400),
)
def test_a_broken_document_is_refused_and_changes_nothing(
    header, cut, demo, tmp_path, now, one_sentence
):
    text = json.dumps(header)
    source = tmp_path / "broken.json"
    try_import(demo, source, text, now, one_sentence)
    # The same document cut short anywhere is no JSON at all.
    if 0 < cut < len(text):
        assert not try_import(demo, source, text[:cut], now, one_sentence)
