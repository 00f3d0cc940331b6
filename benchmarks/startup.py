"""How fast ceodesk starts, measured against a baseline in the same run; prints ratios.

    python benchmarks/startup.py             # median of 5 runs per row
    python benchmarks/startup.py --runs 9

Rows (baseline -> ceodesk):

- first screen, headless: a bare Textual ``App`` showing one ``Static`` -> ``CeodeskApp``
  on the demo company, both started in-process with ``App.run_test()``; timed from
  constructing the app until its first screen is mounted (imports already paid).
- cold import: ``python -c "import textual.app"`` -> ``python -c "import ceodesk.ui.app"``.
- quick capture: ``python -c pass`` -> ``python -m ceodesk add --db TMP "Benchmark task fri"``.
- Tasks board: ``SELECT count(*) FROM task`` -> ``task_board(db, now)``, on the demo
  company plus 2,000 extra tasks.
- Week plan: ``SELECT count(*) FROM timeblock`` -> ``week_plan(db, week, now)`` for the
  demo's current week (about 30 blocks, focus tasks and a recurring meeting): what the
  week screen does on every redraw.

A script, not a test: nothing is asserted. Ratios travel between machines better than
milliseconds do.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import text
from sqlmodel import select
from textual.app import App, ComposeResult
from textual.widgets import Static

from ceodesk.core.demo import write_demo_database
from ceodesk.core.domain.planner import week_plan
from ceodesk.core.domain.tasks import task_board
from ceodesk.core.kernel.clock import frozen_clock
from ceodesk.core.kernel.dates import week_key
from ceodesk.core.store.db import Database, open_database
from ceodesk.core.store.models import Person, Task
from ceodesk.ui.app import CeodeskApp

# The same Wednesday the screenshots use, so the demo company looks the same each run.
NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
EXTRA_TASKS = 2_000


@dataclass(frozen=True)
class Row:
    what: str
    baseline: str
    ceodesk: str
    baseline_seconds: float
    ceodesk_seconds: float

    @property
    def ratio(self) -> float:
        return self.ceodesk_seconds / self.baseline_seconds


def median_seconds(run_once: Callable[[], float], runs: int) -> float:
    return statistics.median(run_once() for _ in range(runs))


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


# -- first screen, headless --------------------------------------------------------------


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("Hello")


async def seconds_to_first_screen(make_app: Callable[[], tuple[App[None], Callable[[], None]]]):
    start = time.perf_counter()
    app, cleanup = make_app()
    try:
        # run_test() returns once the app is ready: its first screen composed and mounted.
        async with app.run_test(size=(140, 40)):
            elapsed = time.perf_counter() - start
    finally:
        cleanup()
    return elapsed


async def first_screen_row(demo_path: Path, runs: int) -> Row:
    def bare() -> tuple[App[None], Callable[[], None]]:
        return BareApp(), lambda: None

    def ceodesk() -> tuple[App[None], Callable[[], None]]:
        db = open_database(demo_path)
        return CeodeskApp(db, clock=frozen_clock(NOW)), db.close

    bare_times: list[float] = []
    ceodesk_times: list[float] = []
    for _ in range(runs):  # interleaved, so drift in machine load hits both alike
        bare_times.append(await seconds_to_first_screen(bare))
        ceodesk_times.append(await seconds_to_first_screen(ceodesk))
    return Row(
        "first screen, headless (in-process)",
        "bare App + Static",
        "CeodeskApp, demo data",
        statistics.median(bare_times),
        statistics.median(ceodesk_times),
    )


# -- subprocesses ------------------------------------------------------------------------


def run_python(args: Sequence[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=True,
    )


def subprocess_row(
    what: str,
    baseline: tuple[str, Sequence[str]],
    ceodesk: tuple[str, Sequence[str]],
    env: dict[str, str],
    runs: int,
) -> Row:
    base_times: list[float] = []
    desk_times: list[float] = []
    for _ in range(runs):
        base_times.append(timed(lambda: run_python(baseline[1], env)))
        desk_times.append(timed(lambda: run_python(ceodesk[1], env)))
    return Row(
        what,
        baseline[0],
        ceodesk[0],
        statistics.median(base_times),
        statistics.median(desk_times),
    )


def imports_textual(add_args: Sequence[str], env: dict[str, str]) -> bool:
    """Whether ``ceodesk add`` imports textual, read from ``python -X importtime``."""
    result = run_python(["-X", "importtime", *add_args], env)
    modules = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    return any(name == "textual" or name.startswith("textual.") for name in modules)


# -- the Tasks board ---------------------------------------------------------------------


def add_extra_tasks(db: Database, count: int) -> None:
    """Spread ``count`` tasks over every quadrant, owner, due date and state."""
    today = NOW.date()
    with db.session() as session:
        people = [p.id for p in session.exec(select(Person)).all()]
        tasks = []
        for i in range(count):
            topic = ("board", "hiring", "sales")[i % 3]
            due: date | None = today + timedelta(days=i % 40 - 10) if i % 3 else None
            tasks.append(
                Task(
                    title=f"Extra benchmark task {i} about the {topic}",
                    important=i % 2 == 0,
                    urgent=i % 5 < 2,
                    due_date=due,
                    estimate_minutes=(30, 60, 120, None)[i % 4],
                    owner_id=people[i % len(people)] if i % 4 == 0 else None,
                    tags=("board", "ops", "", "sales people")[i % 4],
                    done_at=NOW - timedelta(days=i % 10) if i % 7 == 0 else None,
                    archived_at=NOW if i % 50 == 0 else None,
                )
            )
        session.add_all(tasks)
        session.commit()


def task_board_row(db: Database, runs: int) -> Row:
    def count_tasks() -> None:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM task")).scalar_one()

    def build_board() -> None:
        task_board(db, NOW)

    build_board()  # warm the connection pool and SQLite's page cache for both
    count_tasks()
    return Row(
        f"Tasks board, demo + {EXTRA_TASKS:,} tasks",
        "SELECT count(*) FROM task",
        "task_board(db, now)",
        median_seconds(lambda: timed(count_tasks), runs),
        median_seconds(lambda: timed(build_board), runs),
    )


def week_plan_row(db: Database, runs: int) -> Row:
    week = week_key(NOW.date())

    def count_blocks() -> None:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM timeblock")).scalar_one()

    def build_week() -> None:
        week_plan(db, week, NOW)

    build_week()  # the first call writes the week's recurring occurrences
    count_blocks()
    return Row(
        "Week plan, demo week",
        "SELECT count(*) FROM timeblock",
        "week_plan(db, week, now)",
        median_seconds(lambda: timed(count_blocks), runs),
        median_seconds(lambda: timed(build_week), runs),
    )


# -- output ------------------------------------------------------------------------------


def milliseconds(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms" if seconds >= 0.001 else f"{seconds * 1e6:,.0f} µs"


def print_table(rows: Sequence[Row]) -> None:
    header = ("what", "baseline", "ceodesk", "ratio")
    base_ms = [milliseconds(row.baseline_seconds) for row in rows]
    desk_ms = [milliseconds(row.ceodesk_seconds) for row in rows]
    base_w, desk_w = max(map(len, base_ms)), max(map(len, desk_ms))
    cells = [
        (
            row.what,
            f"{base:>{base_w}}  {row.baseline}",
            f"{desk:>{desk_w}}  {row.ceodesk}",
            f"{row.ratio:,.1f}x",
        )
        for row, base, desk in zip(rows, base_ms, desk_ms, strict=True)
    ]
    widths = [max(len(line[i]) for line in (header, *cells)) for i in range(len(header))]
    for line in (header, tuple("-" * w for w in widths), *cells):
        *left, ratio = (cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        print("  ".join([*left, ratio.strip().rjust(widths[-1])]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    args = parser.parse_args()
    runs = max(1, args.runs)

    print(
        f"ceodesk start-up benchmark · Python {sys.version.split()[0]} · "
        f"median of {runs} runs · ratio = ceodesk / baseline"
    )
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="ceodesk-bench-") as folder:
        demo_path = Path(folder) / "demo.db"
        write_demo_database(str(demo_path), NOW, time_zone="UTC")
        rows.append(asyncio.run(first_screen_row(demo_path, runs)))

        # A user's environment, but with a home in the scratch folder and UTC.
        env = {**os.environ, "TZ": "UTC", "HOME": folder, "XDG_DATA_HOME": f"{folder}/data"}
        env.pop("CEODESK_DB", None)
        rows.append(
            subprocess_row(
                "cold import (subprocess)",
                ("import textual.app", ["-c", "import textual.app"]),
                ("import ceodesk.ui.app", ["-c", "import ceodesk.ui.app"]),
                env,
                runs,
            )
        )
        add_db = str(Path(folder) / "add.db")
        add_args = ["-m", "ceodesk", "add", "--db", add_db, "Benchmark task fri"]
        textual_in_add = imports_textual(add_args, env)  # also creates the database
        rows.append(
            subprocess_row(
                "quick capture (subprocess)",
                ("python -c pass", ["-c", "pass"]),
                ('ceodesk add "Benchmark task fri"', add_args),
                env,
                runs,
            )
        )

        board_path = Path(folder) / "board.db"
        write_demo_database(str(board_path), NOW, time_zone="UTC")
        db = open_database(board_path)
        try:
            rows.append(week_plan_row(db, runs))
            add_extra_tasks(db, EXTRA_TASKS)
            rows.append(task_board_row(db, runs))
        finally:
            db.close()

    print()
    print_table(rows)
    print()
    print(f"textual imported by `ceodesk add`: {'yes' if textual_in_add else 'no'}")


if __name__ == "__main__":
    main()
