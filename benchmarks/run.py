"""ceodesk's speed at any size, as ratios against baselines measured in the same run.

    python benchmarks/run.py                  # median of 5 runs per figure
    python benchmarks/run.py --runs 9 --json results.json
    python benchmarks/run.py --skip-large     # the demo company only (quick)
    python benchmarks/run.py --only screens,memory   # some of the parts

Prints a table and writes the figures as JSON. Each figure is the median of repeated
runs, and every baseline is measured in the same run, interleaved with what it is
compared with, so machine load hits both alike. A script, not a test: nothing is
asserted. The databases are the demo company and ``ceodesk demo --scale large`` (five
years of it), both written as of the same frozen Wednesday.

Figures:

- first frame with data: a real terminal (a pseudo-terminal, 140x45) from starting
  ``python`` until the first screen has drawn its data and the frame is written; baseline
  a bare Textual app showing one Static, started the same way.
- ``ceodesk add``: the shell command on a copy of each database; baselines ``python -c
  "import sqlmodel"`` and ``python -c pass``.
- screen switch: CPU time from the key to the screen redrawn with its data (it is stale,
  every table counting as changed: the worst case of another program's write, one whose
  tables cannot be told), per screen; and with nothing changed; and the review after a
  change made in the app on another screen (a scorecard value, a Rock's status, a task
  done) or in another window on the same file (a task added), which reads again only
  the panels whose tables that change wrote.
- keystroke to repaint: CPU time of a cursor move (down, then up) on each screen,
  carrying a task over on the review, completing a task,
  clearing a scorecard value and undoing it, saving a scorecard value.
- the measuring's floor: the same for a key bound to nothing (Pilot's press, the waits
  for the app to settle and the app's own handling of a key): part of every figure above.
- memory: resident size after 10 and after 100 screen switches that redraw.
- one week's review on the large database.
- JSON export and import on the large database, against SQLite's own dump of it
  (``iterdump()`` to a file) and running that dump into a new file.

The in-process figures run headless under Textual's Pilot and count CPU seconds of the
whole process (threads included), which a shared machine disturbs less than wall time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import gc
import json
import os
import pty
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

# The Wednesday the screenshots use, so each run sees the same company.
NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
SIZE = (140, 45)
NO_KEY = "f12"  # bound on no screen
SRC = Path(__file__).resolve().parent.parent / "src"


@dataclass
class Figure:
    what: str
    value: float  # seconds, or MiB for memory
    unit: str  # "ms" or "MiB"
    baseline: str = ""
    baseline_value: float | None = None
    runs: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        if not self.baseline_value:
            return None
        return self.value / self.baseline_value


def median(values: list[float]) -> float:
    return statistics.median(values)


# Installed, ceodesk runs from compiled bytecode, as the libraries it is measured against
# (textual, sqlmodel) do; from the source tree with PYTHONDONTWRITEBYTECODE set it would
# compile every module on every start. Children cache their bytecode here, outside the tree.
BYTECODE = Path(tempfile.gettempdir()) / "ceodesk-benchmark-bytecode"


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(BYTECODE)
    env["TERM"] = "xterm-256color"
    env.pop("CEODESK_DB", None)
    return env


# -- first frame in a real terminal -------------------------------------------------------

FIRST_FRAME = r"""
import os, sys
ready_fd = int(sys.argv[2])

def ready():
    os.write(ready_fd, b"ready\n")

if sys.argv[1] == "bare":
    from textual.app import App
    from textual.widgets import Static

    class Bare(App):
        def compose(self):
            yield Static("Hello")

        def on_mount(self):
            self.call_after_refresh(self.done)

        def done(self):
            ready()
            self.exit()

    Bare().run()
else:
    # Started the way the `ceodesk` command starts the app (cli.run_tui: the first look,
    # then the database opened after the first frame), with a frozen clock and a signal.
    from datetime import datetime
    from ceodesk.cli import run_tui
    from ceodesk.core.kernel.clock import frozen_clock
    from ceodesk.ui.app import CeodeskApp

    clock = frozen_clock(datetime.fromisoformat(sys.argv[4]))

    import inspect, pathlib

    class Timed(CeodeskApp):
        # Its own file is "<string>": the stylesheet is found beside the real app.
        CSS_PATH = str(pathlib.Path(inspect.getfile(CeodeskApp)).parent / CeodeskApp.CSS_PATH)

        def on_mount(self):
            super().on_mount()
            self._timing = self.set_interval(0.002, self.check)

        def check(self):
            screen = self.screen
            # The week screen has drawn its data (its first load is over).
            drawn = getattr(screen, "drawn_revision", None) == self.revision
            if drawn and not screen.load_under_way:
                self._timing.stop()
                self.call_after_refresh(self.done)

        def done(self):
            ready()
            self.exit()

    raise SystemExit(run_tui(sys.argv[3], clock, app_class=Timed))
"""


def first_frame_seconds(kind: str, db_path: Path | None) -> float:
    """Seconds from starting python in a 140x45 pseudo-terminal to its first frame."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    read_end, write_end = os.pipe()
    args = [sys.executable, "-c", FIRST_FRAME, kind, str(write_end)]
    if db_path is not None:
        args += [str(db_path), NOW.isoformat()]
    start = time.perf_counter()
    child = subprocess.Popen(
        args,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        pass_fds=(write_end,),
        env=child_env(),
        start_new_session=True,
    )
    os.close(slave)
    os.close(write_end)
    elapsed = None
    output = b""
    try:
        while elapsed is None:
            readable, _, _ = select.select([master, read_end], [], [], 60)
            if not readable:
                raise RuntimeError(f"no first frame from {kind} within a minute")
            if master in readable:
                with contextlib.suppress(OSError):  # drained; its end kept for a failure
                    output = (output + os.read(master, 65536))[-4000:]
            if read_end in readable:
                if os.read(read_end, 64):
                    elapsed = time.perf_counter() - start
                else:
                    shown = output.decode(errors="replace")
                    raise RuntimeError(f"{kind} exited before its first frame:\n{shown}")
        while child.poll() is None:  # let it restore the terminal and exit
            if select.select([master], [], [], 0.05)[0]:
                try:
                    os.read(master, 65536)
                except OSError:
                    break
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        os.close(master)
        os.close(read_end)
    return elapsed


def first_frame_figures(demo: Path, large: Path | None, runs: int) -> list[Figure]:
    targets = [("demo", demo)] + ([("large", large)] if large else [])
    bare: list[float] = []
    desk: dict[str, list[float]] = {name: [] for name, _ in targets}
    first_frame_seconds("bare", None)  # unmeasured: the bytecode cached, the files read
    first_frame_seconds("desk", demo)
    for _ in range(runs):
        bare.append(first_frame_seconds("bare", None))
        for name, path in targets:
            desk[name].append(first_frame_seconds("desk", path))
    return [
        Figure(
            f"first frame with data ({name})",
            median(times),
            "ms",
            "bare Textual app + Static",
            median(bare),
            times,
        )
        for name, times in desk.items()
    ]


# -- ceodesk add --------------------------------------------------------------------------


def run_seconds(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, *args],
        env=child_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=True,
    )
    return time.perf_counter() - start


def capture_figures(demo: Path, large: Path | None, runs: int, folder: Path) -> list[Figure]:
    targets = [("demo", demo)] + ([("large", large)] if large else [])
    copies = {}
    for name, path in targets:
        copies[name] = folder / f"add-{name}.db"
        shutil.copy(path, copies[name])
    base: dict[str, list[float]] = {"sqlmodel": [], "pass": []}
    adds: dict[str, list[float]] = {name: [] for name, _ in targets}
    for n in range(runs):
        base["sqlmodel"].append(run_seconds(["-c", "import sqlmodel"]))
        base["pass"].append(run_seconds(["-c", "pass"]))
        for name, copy in copies.items():
            text = f"Benchmark capture {n} fri 30m !i"
            adds[name].append(run_seconds(["-m", "ceodesk", "add", "--db", str(copy), text]))
    figures = []
    for name, times in adds.items():
        figures.append(
            Figure(
                f"ceodesk add ({name})",
                median(times),
                "ms",
                'python -c "import sqlmodel"',
                median(base["sqlmodel"]),
                times,
            )
        )
        figures.append(
            Figure(
                f"ceodesk add ({name})", median(times), "ms", "python -c pass", median(base["pass"])
            )
        )
    return figures


# -- in the app: switches, keystrokes, memory ----------------------------------------------


def rss_mib() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


async def settled(pilot) -> None:
    """Until every worker has finished (a screen's load in its thread, then its show on
    the event loop) and the screen has repainted: a screen's data comes in a worker."""
    for _ in range(100):
        running = [worker for worker in pilot.app.workers if not worker.is_finished]
        await asyncio.gather(*(worker.wait() for worker in running), return_exceptions=True)
        await pilot.pause()
        if all(worker.is_finished for worker in pilot.app.workers):
            return
    raise RuntimeError("the app keeps starting workers: nothing settles")


async def cpu_seconds(pilot, *keys: str) -> float:
    """CPU time (all threads) from pressing ``keys`` until the app has handled them, any
    load they set off has finished and the screen has repainted."""
    start = time.process_time()
    await pilot.press(*keys)
    await settled(pilot)
    return time.process_time() - start


async def in_app(db_path: Path, work: Callable[[object, object], Awaitable[None]]) -> None:
    from ceodesk.core.kernel.clock import frozen_clock
    from ceodesk.core.store.db import open_database
    from ceodesk.ui.app import CeodeskApp

    db = open_database(db_path, clock=frozen_clock(NOW))
    app = CeodeskApp(db, clock=frozen_clock(NOW))
    app.animation_level = "none"
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settled(pilot)
            await work(app, pilot)
    finally:
        db.close()


def screen_keys() -> dict[str, str]:
    from ceodesk.ui.app import CeodeskApp

    keys = {}
    for binding in CeodeskApp.BINDINGS:
        action = getattr(binding, "action", "")
        if action.startswith("go('"):
            keys[action.removeprefix("go('").removesuffix("')")] = binding.key
    return keys


async def dismiss_dialog(app, pilot) -> None:
    """The meeting screen with no meeting running opens its start dialog (timed as
    part of the switch); closed before the next key, so keys reach the screens."""
    while app.screen.is_modal:
        await pilot.press("escape")
        await settled(pilot)


def make_stale(app) -> None:
    """The worst case of another program's write, one whose tables cannot be told: every
    screen redraws when next shown, and reads every table again."""
    for screen in app.screen_stack:
        screen.drawn_revision = None
    for stack in app._screen_stacks.values():
        for screen in stack:
            screen.drawn_revision = None
    app.db.changes.everything_changed()


async def ui_figures_for(db_path: Path, runs: int) -> dict[str, list[float]]:
    """CPU seconds per figure name, ``runs`` samples each."""
    from ceodesk.core.kernel.clock import frozen_clock
    from ceodesk.core.store.db import open_database
    from ceodesk.core.views.capture import add_task

    samples: dict[str, list[float]] = {}
    keys = screen_keys()

    def add(name: str, seconds: float) -> None:
        samples.setdefault(name, []).append(seconds)

    async def work(app, pilot) -> None:
        for key in keys.values():  # every screen drawn once
            await pilot.press(key)
            await settled(pilot)
            await dismiss_dialog(app, pilot)
        modes = list(keys)
        for sample in range(runs):
            # Down, then up: each move is a real one (a cursor held at the end of a short
            # list by repeated downs would move nowhere, and cost nothing).
            move = "down" if sample % 2 == 0 else "up"
            for index, mode in enumerate(modes):
                previous = modes[index - 1]
                await pilot.press(keys[previous])
                await settled(pilot)
                await dismiss_dialog(app, pilot)
                make_stale(app)
                add(f"switch to {mode}, redrawing", await cpu_seconds(pilot, keys[mode]))
                await dismiss_dialog(app, pilot)
                await pilot.press(keys[previous])
                await settled(pilot)
                await dismiss_dialog(app, pilot)
                add(f"switch to {mode}, nothing changed", await cpu_seconds(pilot, keys[mode]))
                await dismiss_dialog(app, pilot)
                add(f"cursor move on {mode}", await cpu_seconds(pilot, move))
                # The floor under every figure: Pilot's press and the waits for the app
                # to settle, and the app's own handling of a key that does nothing.
                add(
                    "a key bound to nothing (the measuring's floor)",
                    await cpu_seconds(pilot, NO_KEY),
                )
        # The review after a change made in the app (the Friday flow: values typed on the
        # scorecard, Rocks updated, tasks done, then the review): it reads again only the
        # panels whose tables the change wrote. Each change is undone after.
        changes = {
            "a value saved on the scorecard": ("scorecard", ["e", "4", "2", "enter", "escape"]),
            "a Rock's status set": ("rocks", ["space"]),
            "a task completed": ("tasks", ["x"]),
        }
        if "review" in keys:
            for name, (mode, typed) in changes.items():
                if mode not in keys:
                    continue
                for _ in range(runs):
                    await pilot.press(keys[mode])
                    await settled(pilot)
                    for key in typed:
                        await pilot.press(key)
                        await settled(pilot)
                    add(f"switch to review after {name}", await cpu_seconds(pilot, keys["review"]))
                    await pilot.press(keys[mode])
                    await settled(pilot)
                    await pilot.press("u")
                    await settled(pilot)
        if "review" in keys and "week" in keys:
            # Another window on the same file adds a task due Friday (the review shows
            # it); the poll sees the feed move and the tables it wrote, the week on
            # screen redraws, then the review is shown. The other window undoes it after.
            other = open_database(db_path, clock=frozen_clock(NOW))
            try:
                for _ in range(runs):
                    await pilot.press(keys["week"])
                    await settled(pilot)
                    add_task(other, "Call the auditor fri", NOW)
                    app.check_for_changes()  # the poll, once a second
                    await settled(pilot)
                    add(
                        "switch to review after another window added a task",
                        await cpu_seconds(pilot, keys["review"]),
                    )
                    other.undo()
                    app.check_for_changes()
                    await settled(pilot)
            finally:
                other.close()
        if "review" in keys:
            await pilot.press(keys["review"])
            await settled(pilot)
            for _ in range(runs):
                # Its first carry-over line: a block next week, else due a week later.
                add(
                    "carry a task over on the review (>)",
                    await cpu_seconds(pilot, "greater_than_sign"),
                )
                await pilot.press("u")
                await settled(pilot)
        if "tasks" in keys:
            await pilot.press(keys["tasks"])
            await settled(pilot)
            for _ in range(runs):
                add("complete a task (x)", await cpu_seconds(pilot, "x"))
                add("undo (u)", await cpu_seconds(pilot, "u"))
        if "scorecard" in keys:
            await pilot.press(keys["scorecard"])
            await settled(pilot)
            for _ in range(runs):
                add("clear a scorecard value (x)", await cpu_seconds(pilot, "x"))
                await pilot.press("u")
                await settled(pilot)
                await pilot.press("e")
                await settled(pilot)
                await pilot.press(*"42")
                add("save a scorecard value (enter)", await cpu_seconds(pilot, "enter"))
                await pilot.press("escape")
                await settled(pilot)
                await pilot.press("u")
                await settled(pilot)

    await in_app(db_path, work)
    return samples


def ui_samples(db_path: Path, runs: int) -> dict[str, list[float]]:
    """``ui_figures_for`` in a fresh process, as the app runs: one database a process,
    so neither's objects (or garbage collections) weigh on the other's figures. Each
    figure's first sample in the process is a warm-up, left out (a first save or a
    first completion pays for code and caches the ones after it find ready)."""
    code = (
        "import asyncio, json, sys; sys.path.insert(0, sys.argv[1]); import run; "
        "print(json.dumps(asyncio.run(run.ui_figures_for(run.Path(sys.argv[2]), "
        "int(sys.argv[3])))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(Path(__file__).parent), str(db_path), str(runs + 1)],
        env=child_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    return {name: times[1:] for name, times in json.loads(out[-1]).items()}


# The in-app samples are taken in this many rounds, the demo's and the large file's in
# turn: the machine's speed drifts over minutes, and a ratio of two figures measured one
# after the other would carry that drift.
UI_ROUNDS = 3


def ui_figures(demo: Path, large: Path | None, runs: int) -> list[Figure]:
    demo_samples: dict[str, list[float]] = {}
    large_samples: dict[str, list[float]] = {}
    rounds = max(1, min(UI_ROUNDS, runs))
    for index in range(rounds):
        chunk = runs // rounds + (1 if index < runs % rounds else 0)
        for path, samples in ((demo, demo_samples), (large, large_samples)):
            if path is None:
                continue
            for name, times in ui_samples(path, chunk).items():
                samples.setdefault(name, []).extend(times)
    figures = []
    for name, times in demo_samples.items():
        if name in large_samples:
            figures.append(
                Figure(
                    f"{name} (large)",
                    median(large_samples[name]),
                    "ms",
                    "the same on the demo",
                    median(times),
                    large_samples[name],
                )
            )
        else:
            figures.append(Figure(f"{name} (demo)", median(times), "ms", runs=times))
    return figures


async def memory_over_switches(db_path: Path) -> tuple[float, float]:
    result: list[float] = []

    async def work(app, pilot) -> None:
        modes = list(screen_keys().values())
        for count in range(1, 101):
            make_stale(app)
            await pilot.press(modes[count % len(modes)])
            await settled(pilot)
            await dismiss_dialog(app, pilot)
            if count in (10, 100):
                gc.collect()
                result.append(rss_mib())

    await in_app(db_path, work)
    return result[0], result[1]


def memory_figure(path: Path, name: str) -> Figure:
    # In a fresh process, so the other figures' garbage does not count.
    code = (
        "import asyncio, sys; sys.path.insert(0, sys.argv[1]); import run; "
        "print(*asyncio.run(run.memory_over_switches(run.Path(sys.argv[2]))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(Path(__file__).parent), str(path)],
        env=child_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    after_10, after_100 = float(out[-2]), float(out[-1])
    return Figure(f"memory after 100 switches ({name})", after_100, "MiB", "after 10", after_10)


# -- the Friday review ----------------------------------------------------------------------


def review_figure(large: Path, runs: int) -> tuple[Figure | None, str]:
    """One ISO week's Friday review (views.review.weekly_review) on the large database."""
    from ceodesk.core.kernel.clock import frozen_clock
    from ceodesk.core.kernel.dates import week_key
    from ceodesk.core.store.db import open_database
    from ceodesk.core.views.review import weekly_review

    db = open_database(large, clock=frozen_clock(NOW))
    week = week_key(NOW.date())
    try:
        weekly_review(db, week, NOW)  # the week's recurring blocks written once, as shown
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            weekly_review(db, week, NOW)
            times.append(time.perf_counter() - start)
    finally:
        db.close()
    return Figure("one week's review (large), weekly_review()", median(times), "ms"), ""


# -- JSON export and import ----------------------------------------------------------------


def export_figures(large: Path, runs: int, folder: Path) -> list[Figure]:
    """``ceodesk export --format json -o FILE`` and ``ceodesk import FILE`` into a new file
    (core.interop, in-process, wall time) on the large database; baselines, interleaved:
    the standard library's ``iterdump()`` of the same file written to a file, and
    ``sqlite3`` running that dump script into a new file."""
    import sqlite3

    from ceodesk.core.interop.ceodesk_json import export_text, import_file, write_atomically
    from ceodesk.core.kernel.clock import frozen_clock
    from ceodesk.core.store.db import open_database

    clock = frozen_clock(NOW)
    exported, dumped = folder / "export.json", folder / "dump.sql"
    times: dict[str, list[float]] = {"export": [], "dump": [], "import": [], "script": []}

    def timed(name: str, work: Callable[[], object]) -> None:
        start = time.perf_counter()
        work()
        times[name].append(time.perf_counter() - start)

    def export() -> None:
        db = open_database(large, clock=clock)
        try:
            write_atomically(export_text(db, NOW), exported)
        finally:
            db.close()

    def dump() -> None:
        conn = sqlite3.connect(large)
        try:
            with dumped.open("w") as out:
                for line in conn.iterdump():
                    out.write(f"{line}\n")
        finally:
            conn.close()

    def fresh(name: str) -> Path:
        path = folder / name
        for leftover in (path, path.with_name(path.name + "-wal")):
            leftover.unlink(missing_ok=True)
        return path

    def run_script() -> None:
        conn = sqlite3.connect(fresh("from-dump.db"))
        try:
            conn.executescript(dumped.read_text())
        finally:
            conn.close()

    export(), dump()  # unmeasured: the files cached, the modules loaded
    for _ in range(runs):
        timed("export", export)
        timed("dump", dump)
        timed("import", lambda: import_file(str(fresh("imported.db")), exported, clock))
        timed("script", run_script)
    return [
        Figure(
            "JSON export (large), ceodesk export -o",
            median(times["export"]),
            "ms",
            "sqlite3 iterdump() to a file",
            median(times["dump"]),
            times["export"],
        ),
        Figure(
            "JSON import into a new file (large)",
            median(times["import"]),
            "ms",
            "sqlite3 running that dump",
            median(times["script"]),
            times["import"],
        ),
    ]


# -- the table -------------------------------------------------------------------------------


def show(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    return f"{value * 1000:.0f} ms" if unit == "ms" else f"{value:.1f} MiB"


def table(figures: list[Figure]) -> str:
    lines = ["| figure | value | baseline (same run) | ratio |", "|---|---|---|---|"]
    for f in figures:
        base = f"{f.baseline} {show(f.baseline_value, f.unit)}".strip()
        ratio = "" if f.ratio is None else f"{f.ratio:.2f}x"
        if f.unit == "MiB" and f.baseline_value is not None:
            ratio = f"+{f.value - f.baseline_value:.1f} MiB"
        lines.append(f"| {f.what} | {show(f.value, f.unit)} | {base} | {ratio} |")
    return "\n".join(lines)


def write_databases(folder: Path, skip_large: bool) -> tuple[Path, Path | None]:
    from ceodesk.core.demo import write_demo_database
    from ceodesk.core.demo.large import LARGE

    demo = folder / "demo.db"
    write_demo_database(str(demo), NOW, time_zone="UTC")
    if skip_large:
        return demo, None
    large = folder / "large.db"
    write_demo_database(str(large), NOW, time_zone="UTC", history=LARGE)
    return demo, large


PARTS = ("start-up", "add", "screens", "memory", "review", "export")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    parser.add_argument(
        "--json", type=Path, help="where to write the figures (default: a temp file)"
    )
    parser.add_argument("--skip-large", action="store_true", help="the demo company only")
    parser.add_argument(
        "--only",
        default=",".join(PARTS),
        help=f"comma-separated parts to measure, of {', '.join(PARTS)} (default: all)",
    )
    args = parser.parse_args()
    parts = set(args.only.split(","))
    if unknown := parts - set(PARTS):
        parser.error(f"no such part: {', '.join(sorted(unknown))}")
    sys.path.insert(0, str(SRC))
    notes = [f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, {args.runs} runs each"]
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="ceodesk-bench-") as name:
        folder = Path(name)
        demo, large = write_databases(folder, args.skip_large)
        if "start-up" in parts:
            print("start-up ...", file=sys.stderr)
            figures += first_frame_figures(demo, large, args.runs)
        if "add" in parts:
            print("ceodesk add ...", file=sys.stderr)
            figures += capture_figures(demo, large, args.runs, folder)
        if "screens" in parts:
            print("screens ...", file=sys.stderr)
            figures += ui_figures(demo, large, args.runs)
        if "memory" in parts:
            print("memory ...", file=sys.stderr)
            figures.append(memory_figure(demo, "demo"))
            if large:
                figures.append(memory_figure(large, "large"))
        if "review" in parts and large:
            review, note = review_figure(large, args.runs)
            if review:
                figures.append(review)
            if note:
                notes.append(note)
        if "export" in parts and large:
            print("export and import ...", file=sys.stderr)
            figures += export_figures(large, args.runs, folder)
    print(table(figures))
    for note in notes:
        print(f"\n{note}")
    out = args.json or Path(tempfile.gettempdir()) / "ceodesk-benchmarks.json"
    payload = {
        "notes": notes,
        "figures": [{**asdict(f), "ratio": f.ratio} for f in figures],
    }
    out.write_text(json.dumps(payload, indent=2))
    print(f"\nFigures written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
