"""The demo company: a believable 25-person company, one module per area.

Dates are relative to the moment the demo is written, so it always looks current.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlmodel import Session, select

from ceodesk.core.demo import large, meetings, people, planner, rocks, scorecard, tasks
from ceodesk.core.domain.settings import seed_defaults
from ceodesk.core.kernel.clock import LocalNow, frozen_clock
from ceodesk.core.kernel.errors import CeodeskError
from ceodesk.core.store.db import open_database, resolve_location
from ceodesk.core.store.models import Setting

COMPANY = "Northwind Analytics"


def build_demo(
    session: Session,
    now: datetime,
    time_zone: str | None = None,
    history: large.HistorySize | None = None,
) -> None:
    """Fill a freshly seeded database with the demo company (``now`` is aware); with
    ``history``, years of it before (``large.LARGE`` is five years)."""
    if time_zone is not None:
        setting = session.get(Setting, "time_zone")
        assert setting is not None
        setting.value = time_zone
    zone_name = session.exec(select(Setting.value).where(Setting.key == "time_zone")).one()
    now_local = LocalNow.at(now, zone_name).local
    staff = people.build(session)
    by_title = tasks.build(session, now_local, staff)
    planner.build(session, now_local, staff, by_title)
    rocks.build(session, now_local, staff, by_title)
    scorecard.build(session, now_local, staff)
    meetings.build(session, now_local, staff)
    if history is not None:
        large.build(session, now_local, staff, history)


def write_demo_database(
    path_or_url: str,
    now: datetime,
    time_zone: str | None = None,
    history: large.HistorySize | None = None,
) -> str:
    """Write the demo company into a new database; refuses a file that already exists.

    ``history`` adds years before it, in the same transaction (``demo --scale large``)."""
    location = resolve_location(path_or_url)
    if location.path is not None and location.path.exists() and location.path.stat().st_size:
        raise CeodeskError(
            f"{location.path} already exists; ceodesk demo writes only into a new file."
        )
    if location.path is not None and not Path(location.path).parent.is_dir():
        raise CeodeskError(f"The folder {location.path.parent} does not exist.")

    def seed(session: Session) -> None:
        seed_defaults(session)
        build_demo(session, now, time_zone, history)

    # The demo is written as of ``now``: its created/updated stamps too.
    db = open_database(path_or_url, seed=seed, clock=frozen_clock(now))
    try:
        with db.session() as session:
            counts = tasks.summary(session)
    finally:
        db.close()
    return f"Wrote the demo company {COMPANY} into {location}: {counts}."
