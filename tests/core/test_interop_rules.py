"""An import refuses a value of the right kind that means nothing here (core/interop/
rules.py): one rule after the other, a real export with one value made meaningless is
refused with one sentence naming the table, the field and what it may hold, and the
database stays row for row as it was. The same export at the edges of every rule is
taken."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from demo_files import demo_copy
from interop_documents import Tables, at_the_edges, export_document, rows_of, with_every_table

from ceodesk.core.interop.ceodesk_json import import_file
from ceodesk.core.kernel.clock import frozen_clock
from ceodesk.core.kernel.errors import InputError


@pytest.fixture
def demo(tmp_path, now) -> Path:
    return demo_copy(tmp_path / "demo.db", now)


@pytest.fixture
def document(demo, now) -> dict[str, Any]:
    document = export_document(demo, now)
    document["tables"] = with_every_table(document["tables"])
    return document


def setting(key: str) -> Callable[[dict[str, Any]], bool]:
    return lambda row: row["key"] == key


def where(**wanted: Any) -> Callable[[dict[str, Any]], bool]:
    return lambda row: all(row.get(k) == v for k, v in wanted.items())


def second_person_as_me(tables: Tables) -> None:
    next(p for p in tables["person"] if not p["is_me"])["is_me"] = True


def second_leadership_team(tables: Tables) -> None:
    next(t for t in tables["team"] if not t["is_leadership"])["is_leadership"] = True


def no_leadership_team(tables: Tables) -> None:
    # The team named Leadership no longer marked: a screen asking for the leadership
    # team would make one, and that name is taken.
    next(t for t in tables["team"] if t["is_leadership"])["is_leadership"] = False


def no_one_as_me(tables: Tables) -> None:
    next(p for p in tables["person"] if p["is_me"])["is_me"] = False


def goal_loop(tables: Tables) -> None:
    link = tables["goallink"][0]
    tables["goallink"].append({"cause": link["effect"], "effect": link["cause"]})


def self_link(tables: Tables) -> None:
    tables["goallink"][0]["effect"] = tables["goallink"][0]["cause"]


def day_ending_before_it_starts(tables: Tables) -> None:
    next(row for row in tables["setting"] if row["key"] == "day_end")["value"] = "06:00"


def formula_of_no_measurable(tables: Tables) -> None:
    next(m for m in tables["measurable"] if m["formula"])["formula"] = "Bogus / Nothing"


def formula_not_parsing(tables: Tables) -> None:
    next(m for m in tables["measurable"] if m["formula"])["formula"] = "Won / "


def block_ending_before_it_starts(tables: Tables) -> None:
    block = tables["timeblock"][0]
    block["start"], block["end"] = "10:00:00", "09:00:00"


def skipped_with_a_time(tables: Tables) -> None:
    block = tables["timeblock"][0]
    block["skipped"], block["actual_minutes"] = True, 30


def series_ending_before_it_starts(tables: Tables) -> None:
    tables["blockseries"][0]["ends_on"] = "2000-01-01"


def between_without_upper(tables: Tables) -> None:
    goal = tables["measurablegoal"][0]
    goal["operator"], goal["value_high"] = "between", None


def between_upside_down(tables: Tables) -> None:
    goal = tables["measurablegoal"][0]
    goal["operator"], goal["value"], goal["value_high"] = "between", 10.0, 5.0


def meeting_ending_before_it_starts(tables: Tables) -> None:
    tables["meeting"][0]["ended_at"] = "2000-01-01T00:00:00+00:00"


def me_inactive(tables: Tables) -> None:
    next(p for p in tables["person"] if p["is_me"])["active"] = False


# (table, the row changed, its new values) or (table, a change of the tables), and the
# words the refusal must hold besides the table's and the field's name.
SET = [
    ("setting", setting("time_zone"), {"value": "Mars/Olympus"}, "IANA time zone"),
    ("setting", setting("day_start"), {"value": "25:00"}, "time of day"),
    ("category", None, {"kind": "bogus"}, "deep_work"),
    ("category", None, {"colour": "red"}, "colour like #4c78a8"),
    ("task", None, {"estimate_minutes": -5}, "minutes from 0 to 1440"),
    ("task", None, {"estimate_minutes": 1441}, "minutes from 0 to 1440"),
    ("timeblock", None, {"actual_minutes": -1}, "minutes from 0 to 1440"),
    ("blockseries", None, {"rule": "FREQ=HOURLY"}, "repeat rule"),
    ("blockseries", None, {"rule": "every day"}, "repeat rule"),
    ("blockseries", None, {"start": "11:00:00", "end": "10:00:00"}, "after its start"),
    ("idealblock", None, {"weekday": 7}, "weekday from 0 (Monday) to 6 (Sunday)"),
    ("idealblock", None, {"start": "10:00:00", "end": "10:00:00"}, "after its start"),
    ("focustask", None, {"position": -1}, "position from 0"),
    ("goal", None, {"perspective": "bogus"}, "learning and growth"),
    ("rock", None, {"quarter": "2026-Q5"}, "quarter like 2026-Q4"),
    ("rock", None, {"quarter": "2026-q4"}, "quarter like 2026-Q4"),
    ("rock", None, {"final_status": "bogus"}, "not_done"),
    ("rockweek", None, {"week": "2026-W60"}, "ISO week like 2026-W48"),
    ("rockweek", None, {"status": "bogus"}, "on_track or off_track"),
    ("measurable", None, {"unit": "bogus"}, "yesno"),
    ("measurable", None, {"combine": "median"}, "sum, average or last"),
    ("measurable", None, {"perspective": "bogus"}, "financial"),
    ("measurable", None, {"tolerance": 2.0}, "share of the goal"),
    ("measurable", None, {"tolerance": -0.5}, "share of the goal"),
    ("measurablegoal", None, {"operator": "~"}, "between"),
    ("measurablegoal", None, {"from_week": "2026-48"}, "ISO week"),
    ("measurablegoal", None, {"value": 1e13}, "no larger than a trillion"),
    ("measurablevalue", None, {"week": "2026-w48"}, "ISO week"),
    ("measurablevalue", None, {"value": -1e15}, "no larger than a trillion"),
    ("issue", None, {"term": "medium"}, "short or long"),
    ("issue", None, {"status": "bogus"}, "open, solved or dropped"),
    ("issue", None, {"rank": 4}, "rank from 1 to 3"),
    ("issue", None, {"rank": 0}, "rank from 1 to 3"),
    ("issue", None, {"source_kind": "bogus"}, "headline"),
    ("meeting", None, {"week": "W49"}, "ISO week"),
    ("meeting", None, {"section": -1}, "agenda position"),
    ("meetingsection", None, {"kind": "bogus"}, "custom"),
    ("meetingsection", None, {"minutes": 0}, "minutes from 1 to 240"),
    ("meetingsection", None, {"used_seconds": -1}, "seconds from 0"),
    ("agendasection", None, {"kind": "bogus"}, "custom"),
    ("agendasection", None, {"minutes": 241}, "minutes from 1 to 240"),
    ("headline", None, {"kind": "partner"}, "customer or employee"),
    ("meetingrating", None, {"score": 11}, "rating from 1 to 10"),
    ("meetingrating", None, {"score": 0}, "rating from 1 to 10"),
    ("dismissedproposal", None, {"week": "last week"}, "ISO week"),
    ("weekreflection", None, {"week": "2026-W00"}, "ISO week"),
    ("weekreflection", None, {"adjustment_kind": "bogus"}, "time_blocks"),
    # A title or name with no words: a row no screen could show or pick.
    ("task", None, {"title": "   "}, "needs some words"),
    ("timeblock", None, {"title": ""}, "needs some words"),
    ("person", None, {"name": " \t "}, "needs some words"),
    ("team", None, {"name": ""}, "needs some words"),
    ("rock", None, {"title": "\n"}, "needs some words"),
    ("milestone", None, {"title": ""}, "needs some words"),
    ("measurable", None, {"name": "  "}, "needs some words"),
    ("issue", None, {"title": ""}, "needs some words"),
    ("todo", None, {"title": ""}, "needs some words"),
    ("goal", None, {"title": " "}, "needs some words"),
    ("headline", None, {"text": ""}, "needs some words"),
    # A slug that +rock: in quick-add could never name.
    ("rock", None, {"slug": "Hire a VP"}, "lower case joined by"),
    ("rock", None, {"slug": "hire--vp"}, "lower case joined by"),
    ("rock", None, {"slug": ""}, "lower case joined by"),
]
CHANGES = [
    ("person", second_person_as_me, "2 people as you"),
    ("person", me_inactive, "marked as you"),
    ("person", no_one_as_me, "no person marked as you"),
    ("team", second_leadership_team, "2 leadership teams"),
    ("team", no_leadership_team, "no leadership team"),
    ("goallink", goal_loop, "loop of goals"),
    ("goallink", self_link, "same goal as its cause and its effect"),
    ("setting", day_ending_before_it_starts, "day must start before it ends"),
    ("measurable", formula_of_no_measurable, "formula"),
    ("measurable", formula_not_parsing, "formula"),
    ("timeblock", block_ending_before_it_starts, "after its start"),
    ("timeblock", skipped_with_a_time, "skipped block"),
    ("blockseries", series_ending_before_it_starts, "before its starts_on"),
    ("measurablegoal", between_without_upper, "value_high"),
    ("measurablegoal", between_upside_down, "below its value"),
    ("meeting", meeting_ending_before_it_starts, "before its started_at"),
]


def refused(demo: Path, source: Path, document: dict[str, Any], now, one_sentence) -> str:
    source.write_text(json.dumps(document))
    before = rows_of(demo)
    with pytest.raises(InputError) as refusal:
        import_file(str(demo), source, frozen_clock(now))
    message = str(refusal.value)
    assert rows_of(demo) == before
    assert list(demo.parent.glob("*.bak")) == []
    assert message.endswith(", so nothing was imported."), message
    assert one_sentence(message.replace("“", "").replace("”", "")), message
    return message


@pytest.mark.parametrize(
    ("table", "which", "values", "words"),
    SET,
    ids=[f"{t}.{'+'.join(v)}={'+'.join(map(str, v.values()))}" for t, _w, v, _x in SET],
)
def test_a_value_outside_the_domain_is_refused_whole(
    table, which, values, words, demo, document, tmp_path, now, one_sentence
):
    rows = document["tables"][table]
    row = next(r for r in rows if which is None or which(r))
    row.update(values)
    message = refused(demo, tmp_path / "meaningless.json", document, now, one_sentence)
    assert table in message and any(field in message for field in values), message
    assert words in message, message


@pytest.mark.parametrize(
    ("table", "change", "words"), CHANGES, ids=[change.__name__ for _t, change, _w in CHANGES]
)
def test_rows_that_break_a_rule_together_are_refused_whole(
    table, change, words, demo, document, tmp_path, now, one_sentence
):
    change(document["tables"])
    message = refused(demo, tmp_path / "meaningless.json", document, now, one_sentence)
    assert table in message, message
    assert words in message, message


def test_a_second_person_marked_as_you_in_the_database_is_refused(
    demo, document, tmp_path, now, one_sentence
):
    # The file's own "you" is matched with the database's; another stored person the
    # file marks as you would make two.
    tables = document["tables"]
    me = next(p for p in tables["person"] if p["is_me"])
    me["is_me"] = False
    other = next(p for p in tables["person"] if not p["is_me"] and p is not me)
    other["is_me"] = True
    tables["person"] = [p for p in tables["person"] if p is not me]
    me_uid = me["uid"]
    for rows in tables.values():
        for row in rows:
            for field, value in list(row.items()):
                if value == me_uid:
                    row[field] = other["uid"]
    # The stored "you" keeps is_me (the file no longer names it): two would be marked.
    message = refused(demo, tmp_path / "two.json", document, now, one_sentence)
    assert "people as you" in message, message


def test_an_export_at_the_edges_of_every_rule_is_imported(demo, document, tmp_path, now):
    source = tmp_path / "edges.json"
    source.write_text(json.dumps({**document, "tables": at_the_edges(document["tables"])}))
    report = import_file(str(tmp_path / "new.db"), source, frozen_clock(now))
    assert report.counts.added == sum(len(rows) for rows in document["tables"].values())
    again = import_file(str(demo), source, frozen_clock(now))
    assert again.counts.changed


def test_a_formula_of_an_archived_measurable_is_imported(demo, document, tmp_path, now):
    # Archiving a measurable a formula uses is allowed, so an export can hold one.
    tables = document["tables"]
    formula = next(m for m in tables["measurable"] if m["formula"])
    used = next(m for m in tables["measurable"] if m["name"] in formula["formula"])
    used["archived"] = True
    source = tmp_path / "archived.json"
    source.write_text(json.dumps(document))
    report = import_file(str(demo), source, frozen_clock(now))
    assert report.counts.updated == 1
