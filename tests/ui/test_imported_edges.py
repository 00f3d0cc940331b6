"""What an import accepts opens on every screen: an export at the edges of every rule the
import checks (tests/interop_documents.py), imported into the demo company or into a new
file, shows each screen reached by its key without an error or a crash."""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from demo_files import demo_copy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from interop_documents import (
    MEANINGFUL_BY_KIND,
    Tables,
    at_the_edges,
    export_document,
    mutated,
    with_every_table,
)
from ui_support import FROZEN_NOW

from ceodesk.core.interop.ceodesk_json import import_file
from ceodesk.core.interop.tables import BY_NAME
from ceodesk.core.kernel.clock import frozen_clock
from ceodesk.core.kernel.errors import InputError
from ceodesk.core.store.db import Database, open_database
from ceodesk.ui.app import CeodeskApp
from ceodesk.ui.screens.base import DeskScreen

SCREENS = "1234568"
# A few: each accepted example opens the app (CEODESK_UI_EXAMPLES runs more, to hunt).
EXAMPLES = int(os.environ.get("CEODESK_UI_EXAMPLES", "4"))
_template: dict[str, Any] = {}


def edges_template(tmp_path: Path) -> dict[str, Any]:
    """The demo's export, made once per worker."""
    if not _template:
        demo = demo_copy(tmp_path / "template.db", FROZEN_NOW)
        _template.update(export_document(demo, FROZEN_NOW))
    return json.loads(json.dumps(_template))


def imported(tmp_path: Path, into_demo: bool) -> Path:
    demo = demo_copy(tmp_path / "demo.db", FROZEN_NOW)
    document = export_document(demo, FROZEN_NOW)
    document["tables"] = at_the_edges(with_every_table(document["tables"]))
    source = tmp_path / "edges.json"
    source.write_text(json.dumps(document))
    target = demo if into_demo else tmp_path / "new.db"
    report = import_file(str(target), source, frozen_clock(FROZEN_NOW))
    assert report.counts.changed
    return target


@pytest.mark.parametrize("into_demo", [True, False], ids=["into the demo", "into a new file"])
async def test_an_imported_export_at_the_edges_opens_on_every_screen(tmp_path, into_demo):
    db = open_database(imported(tmp_path, into_demo), clock=frozen_clock(FROZEN_NOW))
    try:
        app = CeodeskApp(db, clock=frozen_clock(FROZEN_NOW))
        app.animation_level = "none"
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            for key in SCREENS:
                await pilot.press(key)
                await pilot.pause()
                while app.screen.is_modal:  # the meeting's start dialog
                    await pilot.press("escape")
                    await pilot.pause()
                shown = [s for s in app.screen_stack if isinstance(s, DeskScreen)]
                assert shown and shown[-1].ready, key
                errors = [n.message for n in app._notifications if n.severity == "error"]
                assert errors == [], (key, errors)
                assert app.unhandled_error is None, (key, app.unhandled_error)
        assert app.unhandled_error is None
        assert app.return_code in (None, 0), app.return_code
    finally:
        db.close()


@st.composite
def meaningful_changes(draw, tables: Tables) -> list[tuple[Any, ...]]:
    """One to three plain fields (no uid, no reference) set to a value of their own kind
    that the domains give a meaning to, or null."""
    names = sorted(
        name
        for name, rows in tables.items()
        if rows and any(f.name != "uid" for f in BY_NAME[name].fields)
    )
    found = []
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(names))
        at = draw(st.integers(0, len(tables[name]) - 1))
        fields = [f for f in BY_NAME[name].fields if f.name != "uid"]
        field = draw(st.sampled_from(fields))
        choices = MEANINGFUL_BY_KIND[field.kind] + ([None] if field.nullable else [])
        found.append(("set", name, at, field.name, draw(st.sampled_from(choices))))
    return found


class Shown(dict):
    """The tables, shown short when hypothesis reports a failing example."""

    def __repr__(self) -> str:
        return "<the demo's tables>"


async def visit_every_screen(db: Database) -> None:
    app = CeodeskApp(db, clock=frozen_clock(FROZEN_NOW))
    app.animation_level = "none"
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        for key in SCREENS:
            await pilot.press(key)
            await pilot.pause()
            while app.screen.is_modal:  # the meeting's start dialog
                await pilot.press("escape")
                await pilot.pause()
            errors = [n.message for n in app._notifications if n.severity == "error"]
            assert errors == [], (key, errors)
            assert app.unhandled_error is None, (key, app.unhandled_error)
    assert app.unhandled_error is None
    assert app.return_code in (None, 0), app.return_code


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_mutated_export_the_import_takes_opens_on_every_screen(data, tmp_path):
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    demo = demo_copy(folder / "demo.db", FROZEN_NOW)
    tables = with_every_table(edges_template(tmp_path)["tables"])
    changes = data.draw(meaningful_changes(Shown(tables)))
    source = folder / "mutated.json"
    source.write_text(json.dumps({**edges_template(tmp_path), "tables": mutated(tables, changes)}))
    try:
        import_file(str(demo), source, frozen_clock(FROZEN_NOW))
    except InputError:
        return  # refused whole: the core tests check that
    db = open_database(demo, clock=frozen_clock(FROZEN_NOW))
    try:
        asyncio.run(visit_every_screen(db))
    finally:
        db.close()
