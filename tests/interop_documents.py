"""Exports to import in tests (core and UI): the demo company's, one with a row in every
table, and one at the edges of what every rule allows (importable, unlike conftest)."""

from __future__ import annotations

import copy
import json
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from ceodesk.core.interop.ceodesk_json import export_text
from ceodesk.core.kernel.clock import frozen_clock
from ceodesk.core.store.db import open_database

Tables = dict[str, list[dict[str, Any]]]


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
    numbers, a zone 14 hours ahead, a day from midnight to a minute before it."""
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
    return tables
