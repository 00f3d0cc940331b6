"""Exports to import in tests (core and UI): the demo company's, one with a row in every
table, and one at the edges of what every rule allows (importable, unlike conftest)."""

from __future__ import annotations

import copy
import json
import sqlite3
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from ceodesk.core.interop.ceodesk_json import export_text
from ceodesk.core.kernel.clock import frozen_clock
from ceodesk.core.store.db import open_database

Tables = dict[str, list[dict[str, Any]]]


# ------------------------------------------------------------- broken exports

# Values of the right kind that mean something, or nothing, in one field or another: the
# domains' words, weeks, quarters, zones, rules, formulas, bounds and one past them, by
# the kind of field they fit (tables.KINDS).
MEANINGFUL_BY_KIND: dict[str, list[Any]] = {
    "str": [
        *("bogus", "", "short", "long", "open", "solved", "on_track", "off_track", "done"),
        *("not_done", "dropped", "customer", "employee", "segue", "custom", "issues"),
        *("number", "percent", "yesno", "duration", "between", ">=", "sum", "last"),
        *("financial", "deep_work", "other", "rock", "re_prioritise", "#4c78a8", "red"),
        *("FREQ=WEEKLY;BYDAY=TU", "FREQ=HOURLY", "FREQ=DAILY;COUNT=3", "RRULE:x"),
        *("2026-W48", "2026-W53", "2026-w48", "2026-Q4", "2026-Q5", "Europe/Berlin"),
        *("Mars/Olympus", "07:00", "23:59", "24:00", "Won / Leads", "Leads +", "x / 0"),
        *('{"a": 1}', "[1, 2]", "null"),
    ],
    "int": [-1, 0, 1, 3, 4, 6, 7, 10, 11, 240, 241, 1440, 1441, 2**31, 2**62],
    "float": [-0.5, 0.0, 1.0, 2.0, 1e12, -1e12, 1e13, 5e-324],
    "bool": [True, False],
    "date": ["0001-01-01", "9999-12-31", "2026-11-24", "2026-11-30", "2027-01-01"],
    "time": ["00:00:00", "23:59:00", "23:59:59.999999", "12:00:00"],
    "datetime": [
        "0001-01-01T00:00:00+00:00",
        "9999-12-31T23:59:59+00:00",
        "2026-11-25T09:29:00+00:00",
        "2030-01-01T00:00:00+14:00",
    ],
}
MEANINGFUL = st.sampled_from(
    [value for kind, values in MEANINGFUL_BY_KIND.items() if kind != "bool" for value in values]
)

json_values = st.recursive(
    st.none()
    | MEANINGFUL
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


# ------------------------------------------------------------- exports that import


def export_document(path: Path, now: datetime) -> dict[str, Any]:
    """The database at ``path`` as a parsed ceodesk export."""
    db = open_database(path, clock=frozen_clock(now))
    try:
        return json.loads(export_text(db, now))
    finally:
        db.close()


def _uid(seed: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"ceodesk-test:{seed}"))


def with_every_table(tables: Tables) -> Tables:
    """``tables`` (a demo export's) with a row in each table the demo leaves empty."""
    tables = copy.deepcopy(tables)
    team = tables["team"][0]["uid"]
    person = tables["person"][0]["uid"]
    meeting = tables["meeting"][0]["uid"]
    added: Tables = {
        "agendasection": [
            {
                "uid": _uid("agenda"),
                "team": team,
                "position": 0,
                "kind": "issues",
                "title": "Issues",
                "minutes": 60,
            }
        ],
        "dismissedproposal": [
            {
                "uid": _uid("dismissed"),
                "team": team,
                "week": "2026-W48",
                "kind": "rock",
                "source_uid": tables["rock"][0]["uid"],
            }
        ],
        "weekreflection": [
            {
                "uid": _uid("reflection"),
                "week": "2026-W47",
                "wins": "Closed the round",
                "lessons": "",
                "focus": "Hiring",
                "adjustment_kind": "delegate",
                "adjustment": "Hand the board deck to Dana",
                "updated_at": "2026-11-21T16:00:00+00:00",
                "ceo_update": "",
            }
        ],
        "deletedoccurrence": [
            {"uid": _uid("deleted"), "occurrence_uid": _uid("occurrence"), "day": "2026-11-24"}
        ],
        "cascademessage": [
            {
                "uid": _uid("cascade"),
                "meeting": meeting,
                "text": "Tell the team",
                "to_whom": "everyone",
                "by_when": "2026-11-27",
            }
        ],
        "segue": [{"uid": _uid("segue"), "meeting": meeting, "person": person, "text": "Hi"}],
    }
    for name, rows in added.items():
        if not tables.get(name):
            tables[name] = rows
    return tables


def _first(rows: list[dict[str, Any]], **wanted: Any) -> dict[str, Any]:
    return next(row for row in rows if all(row.get(k) == v for k, v in wanted.items()))


def at_the_edges(tables: Tables) -> Tables:
    """``tables`` with every table filled and values at the edges of what the import
    takes: the first and last rating, an estimate of 0 and of a whole day, a block in the
    last quarter hour of the day, the top issue rank, a far quarter, huge scorecard
    numbers, a zone 14 hours ahead, a day from midnight to a minute before it, and a few
    states odd but allowed (below)."""
    tables = with_every_table(tables)
    settings = {row["key"]: row for row in tables["setting"]}
    settings["time_zone"]["value"] = "Pacific/Kiritimati"
    settings["day_start"]["value"] = "00:00"
    settings["day_end"]["value"] = "23:59"
    ratings = tables["meetingrating"]
    ratings[0]["score"], ratings[1]["score"] = 1, 10
    tasks = tables["task"]
    tasks[0]["estimate_minutes"], tasks[1]["estimate_minutes"] = 0, 24 * 60
    tasks[2]["due_date"], tasks[2]["due_time"] = None, "23:59:00"
    tasks[3]["due_date"] = "2099-12-31"
    block = tables["timeblock"][-1]
    block["start"], block["end"], block["actual_minutes"] = "23:45:00", "23:59:00", 24 * 60
    tables["idealblock"][0]["weekday"] = 6
    issue = _first(tables["issue"], status="open")
    issue["rank"], issue["term"], issue["source_kind"] = 3, "long", "other"
    tables["rock"][0]["quarter"] = "2099-Q1"
    tables["rock"][1]["final_status"] = "dropped"
    for row in tables["measurablevalue"][:3]:
        row["value"] = -1e12
    tables["measurablevalue"][3]["value"] = 1e12
    goal = tables["measurablegoal"][0]
    goal["operator"], goal["value"], goal["value_high"] = "between", 5.0, 5.0
    measurable = tables["measurable"][0]
    measurable["tolerance"], measurable["combine"] = 1.0, "last"
    tables["category"][0]["colour"] = "#ABCDEF"
    tables["headline"][0]["kind"] = "employee"
    # What the domains allow, and an import keeps: a formula of an archived measurable,
    # minutes that are no JSON, a Rock due at the calendar's end, a running meeting past
    # its last section, the same rank twice.
    formula = next(m for m in tables["measurable"] if m["formula"])
    next(m for m in tables["measurable"] if m["name"] in formula["formula"])["archived"] = True
    tables["meeting"][0]["minutes_json"] = "not JSON"
    tables["rock"][2]["due"] = "9999-12-31"
    running = tables["meeting"][-1]
    running["ended_at"], running["section"] = None, 99
    for open_issue in [i for i in tables["issue"] if i["status"] == "open"][:2]:
        open_issue["rank"] = 1
    return tables


def rows_of(path: Path) -> list[str]:
    """Every row of every table, as SQLite's own dump: "unchanged" means this is equal."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()
