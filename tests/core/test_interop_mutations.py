"""Broken exports, made by hypothesis from a real one with a row in every table: whatever
is changed in it (a field's value or type, a value of the right kind the domains give a
meaning to or none — a status, a week, a rule, a bound and one past it —, a field removed
or unknown, a row that is no object, a row twice, text that is no JSON), an import either
works — and then the same file imported again changes nothing — or is refused with one
sentence and the database stays row for row as it was, with no backup copy left beside
it. (tests/ui/test_imported_edges.py opens what an import takes on every screen.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from demo_files import demo_copy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from interop_documents import json_values, mutated, mutations, rows_of, with_every_table

from ceodesk.core.interop.ceodesk_json import export_text, import_file
from ceodesk.core.kernel.clock import frozen_clock
from ceodesk.core.kernel.errors import InputError
from ceodesk.core.store.db import open_database


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
        document = json.loads(export_text(db, now))
        return Document({**document, "tables": with_every_table(document["tables"])})
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
