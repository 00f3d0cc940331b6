"""Queries read with the DB-API cursor itself (store/plain.py, issue 13): each gives the
rows SQLAlchemy gives for the same select, dates and times and flags and NULLs alike;
its statement is still seen by the change stamps (a kept read made with one is read
again when its table changes) and by whoever counts statements."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from demo_files import demo_copy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, bindparam, create_engine, event
from sqlalchemy import select as sa_select
from sqlmodel import Session, SQLModel, col

from ceodesk.core.domain.scorecard import views as scorecard_views
from ceodesk.core.kernel.clock import frozen_clock
from ceodesk.core.kernel.dates import week_key
from ceodesk.core.store.changes import Kept
from ceodesk.core.store.db import open_database
from ceodesk.core.store.models import Task, TimeBlock
from ceodesk.core.store.plain import PlainQuery, of_ids
from ceodesk.core.store.preferences import _PERSON_NAMES
from ceodesk.core.views import review
from ceodesk.core.views.capture import add_task


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    engine = create_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


def core_rows(session: Session, query: PlainQuery, **params: object) -> list[tuple[object, ...]]:
    return [tuple(row) for row in session.connection().execute(query.query, params)]


# Aware, as the model's datetime columns take them; in any zone (stored as UTC).
zones = st.sampled_from(
    [UTC, timezone(timedelta(hours=-5)), timezone(timedelta(hours=5, minutes=30))]
)
moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=zones
)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1))
tasks = st.builds(
    Task,
    title=st.text(min_size=1, max_size=20),
    important=st.booleans(),
    urgent=st.booleans(),
    unsorted=st.booleans(),
    due_date=st.none() | days,
    owner_id=st.none() | st.integers(1, 3),
    follow_up=st.none() | days,
    done_at=st.none() | moments,
    archived_at=st.none() | moments,
    created_at=moments,
    updated_at=moments,
    estimate_minutes=st.none() | st.integers(0, 600),
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(tasks, max_size=12),
    moment=moments,
    review_day=days,
    first=days,
    planned=st.lists(st.integers(1, 15), max_size=4),
)
def test_the_reviews_task_query_reads_what_sqlalchemy_reads(
    engine, rows, moment, review_day, first, planned
) -> None:
    with Session(engine) as session:
        session.add_all(rows)
        session.flush()
        params = {
            "moment": moment,
            "review_day": review_day,
            "done_from": moment - timedelta(days=3),
            "done_to": moment + timedelta(days=5),
            "first_day": first,
            "last_day": first + timedelta(days=6),
            "planned": planned,  # an empty list among them
        }
        plain = review._REVIEW_TASKS.rows(session, **params)
        assert plain == core_rows(session, review._REVIEW_TASKS, **params)
        for row in plain:  # typed as SQLAlchemy types them, not as SQLite stores them
            assert all(isinstance(v, bool) for v in row[2:5])
            assert row[8] is None or isinstance(row[8], datetime)
        session.rollback()


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    blocks=st.lists(
        st.builds(
            TimeBlock,
            day=days,
            start=st.times(max_value=time(11, 59)),
            end=st.times(min_value=time(12, 0)),
            title=st.text(min_size=1, max_size=10),
            actual_minutes=st.none() | st.integers(0, 900),
            skipped=st.booleans(),
            category_id=st.integers(1, 3),
        ),
        max_size=8,
    ),
    first=days,
)
def test_times_and_dates_read_back_as_through_sqlalchemy(engine, blocks, first) -> None:
    query = PlainQuery(
        sa_select(
            col(TimeBlock.day),
            col(TimeBlock.start),
            col(TimeBlock.end),
            col(TimeBlock.actual_minutes),
            col(TimeBlock.skipped),
        )
        .where(col(TimeBlock.day) >= bindparam("first"))
        .order_by(col(TimeBlock.day), col(TimeBlock.start))
    )
    with Session(engine) as session:
        session.add_all(blocks)
        session.flush()
        plain = query.rows(session, first=first)
        assert plain == core_rows(session, query, first=first)
        session.rollback()


def test_the_scorecards_queries_read_what_sqlalchemy_reads(tmp_path) -> None:
    now = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
    db = open_database(demo_copy(tmp_path / "demo.db", now), clock=frozen_clock(now))
    queries = {
        "_ALL_MEASURABLES": {},
        "_VALUES_IN_WEEKS": {"weeks": ["2026-W46", "2026-W47", "2026-W48"]},
        "_VALUES_OF": {"ids": [1, 2, 3], "first": "2026-W40", "last": "2026-W48"},
        "_ALL_GOALS": {},
        "_GOALS_OF": {"ids": [2, 4]},
        "_GOAL_TITLES": {},
        "names": {},
    }
    with db.session() as session:
        for name, params in queries.items():
            query = getattr(scorecard_views, name) if name != "names" else _PERSON_NAMES
            plain = query.rows(session, **params)
            assert plain, name  # the demo has rows of each
            assert plain == core_rows(session, query, **params), name
            # An empty list matches nothing, as SQLAlchemy has it.
            for key, value in params.items():
                if isinstance(value, list):
                    assert query.rows(session, **{**params, key: []}) == [], name
    db.close()


def test_a_value_written_into_the_query_and_one_rendered_at_run_time(engine) -> None:
    given_here = PlainQuery(sa_select(col(Task.title)).where(col(Task.title) == "Call Dana"))
    rendered = PlainQuery(
        sa_select(col(Task.title)).where(
            col(Task.title) == bindparam("title", literal_execute=True)
        )
    )
    with Session(engine) as session:
        session.add_all([Task(title="Call Dana"), Task(title="Email Sam")])
        session.flush()
        assert given_here.rows(session) == [("Call Dana",)]
        assert rendered.rows(session, title="Email Sam") == [("Email Sam",)]
        session.rollback()


def test_rows_of_ids_by_their_own_key_or_another_and_a_condition(engine) -> None:
    by_id = of_ids(col(Task.id), col(Task.title))
    by_owner = of_ids(col(Task.title), key=col(Task.owner_id), where=[col(Task.urgent)])
    with Session(engine) as session:
        tasks = [
            Task(title="Call Dana", owner_id=1, urgent=True),
            Task(title="Email Sam", owner_id=1),
            Task(title="Book flights", owner_id=2, urgent=True),
        ]
        session.add_all(tasks)
        session.flush()
        first, _, third = (t.id for t in tasks)
        assert sorted(by_id.rows(session, ids=[first, third])) == [
            (first, "Call Dana"),
            (third, "Book flights"),
        ]
        assert by_owner.rows(session, ids=[1]) == [("Call Dana",)]
        assert by_owner.rows(session, ids=[]) == []
        session.rollback()


def test_a_kept_read_made_with_one_is_read_again_when_its_table_changes(db, now) -> None:
    titles = PlainQuery(sa_select(col(Task.title)).order_by(col(Task.id)))
    kept, reads, statements = Kept(), [], []

    @event.listens_for(db.engine, "before_cursor_execute")
    def count(*_args: object) -> None:
        statements.append(1)

    def read() -> list[str]:
        reads.append(1)
        with db.session() as session:
            return [title for (title,) in titles.rows(session)]

    assert kept.get(db.changes.now(), "titles", (), read) == []
    assert kept.get(db.changes.now(), "titles", (), read) == []
    assert len(reads) == 1
    assert statements  # its SELECT was seen
    add_task(db, "Call Dana", now)
    assert kept.get(db.changes.now(), "titles", (), read) == ["Call Dana"]
    assert len(reads) == 2
    event.remove(db.engine, "before_cursor_execute", count)


def test_the_review_reads_a_tasks_moments_in_utc(db, now) -> None:
    """Stored as UTC and read back aware, as the review compares them."""
    add_task(db, "Call Dana fri", now)
    week = week_key(now.date())
    span = review.week_span(week, UTC)
    found = review._review_tasks(db, week, span, now.date(), now, [])
    assert [t.title for t in found] == ["Call Dana"]
    assert found[0].created_at == now
    assert found[0].created_at.tzinfo is not None
