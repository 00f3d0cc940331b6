"""Command line: argument parsing and dispatch. Imports the TUI only when opening it."""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ceodesk import __version__
from ceodesk.core.kernel.clock import Clock, system_clock
from ceodesk.core.kernel.errors import CeodeskError
from ceodesk.core.kernel.text import inert
from ceodesk.locations import DB_ENV, database_location

if TYPE_CHECKING:
    import argparse

    from ceodesk.core.store.db import Database
    from ceodesk.ui.app import CeodeskApp


def _parser() -> argparse.ArgumentParser:
    import argparse  # here: a plain `ceodesk add` never builds the parser (_plain_add)

    # --db may stand before or after the subcommand: each level knows it, and a
    # subcommand's value is only set when given (SUPPRESS), so neither hides the other.
    db_option = argparse.ArgumentParser(add_help=False)
    db_option.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        default=argparse.SUPPRESS,
        help="database file or SQLAlchemy URL (default: $CEODESK_DB, then your data folder)",
    )
    parser = argparse.ArgumentParser(
        prog="ceodesk",
        parents=[db_option],
        description="A keyboard-driven desk for a CEO's week. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"ceodesk {__version__}")
    parser.add_argument(
        "--demo", action="store_true", help="open the app on a fresh temporary demo company"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    add = commands.add_parser(
        "add",
        parents=[db_option],
        help='capture a task: ceodesk add "Prep board deck fri 2h !i @dana"',
        description="Capture a task with the quick-add grammar and print how it was stored.",
    )
    add.add_argument("text", nargs="+", help='the task, e.g. "Call Dana tomorrow 3pm !iu 30m"')
    demo = commands.add_parser(
        "demo",
        parents=[db_option],
        help="write a demo company into a new database file (needs --db PATH)",
        description="Write a believable demo company into a new database file and exit.",
    )
    demo.add_argument(
        "--scale",
        choices=("normal", "large"),
        default="normal",
        help="large: five years of history (10,000 tasks, 260 meetings, ...), for speed tests",
    )
    kpi = commands.add_parser(
        "kpi",
        parents=[db_option],
        help="record scorecard values: ceodesk kpi set Leads 42",
        description="Work with the scorecard's weekly measurables from the shell.",
    )
    kpi_commands = kpi.add_subparsers(dest="kpi_command", metavar="ACTION", required=True)
    kpi_set = kpi_commands.add_parser(
        "set",
        parents=[db_option],
        help="record a measurable's value for a week",
        description="Record a measurable's value for an ISO week (default: this week) and "
        "print it against its goal.",
    )
    kpi_set.add_argument(
        "name", metavar="NAME", help="the measurable, any case; a unique start is enough"
    )
    kpi_set.add_argument(
        "value", metavar="VALUE", help="in the measurable's unit: 42, 12k, $12,000, 38%%, y, 1h30"
    )
    kpi_set.add_argument(
        "--week", metavar="WEEK", help="the ISO week, like 2026-W48 (default: this week)"
    )
    commands.add_parser(
        "doctor",
        parents=[db_option],
        help="check the database: path, schema version, integrity, sizes",
        description="Print the database path, schema version, SQLite version, integrity "
        "check and row counts.",
    )
    _meeting_commands(commands, db_option)
    _review_commands(commands, db_option)
    _interop_commands(commands, db_option)
    return parser


def _interop_commands(commands, db_option: argparse.ArgumentParser) -> None:
    """Everything out as one file, and back in (core/interop)."""
    export = commands.add_parser(
        "export",
        parents=[db_option],
        help="write everything in the database as one JSON file",
        description="Write everything you keep in ceodesk (tasks, time blocks, Rocks, "
        "scorecard, meetings, ...) as one JSON document, each row keyed by its UUID, to "
        "stdout or to a file. The undo log is not part of it.",
    )
    export.add_argument(
        "--format",
        choices=("json",),
        default="json",
        help="json: everything, for a backup or another ceodesk (default)",
    )
    export.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE (replaced whole, only once complete) instead of stdout",
    )
    imported = commands.add_parser(
        "import",
        parents=[db_option],
        help="merge a ceodesk JSON export in (it keeps a copy of the database first)",
        description="Merge a file written by `ceodesk export` into the database, in one "
        "transaction: rows are matched by their UUID, new ones added, changed ones "
        "updated, nothing deleted. It is not undone with u: before it changes an "
        "existing database file it saves a copy beside it and says where. A database "
        "file that does not exist yet is created from the export alone.",
    )
    imported.add_argument("file", metavar="FILE", help="the export to read")
    imported.add_argument(
        "--from",
        dest="source_format",
        choices=("ceodesk",),
        default="ceodesk",
        help="what wrote FILE: ceodesk (`ceodesk export --format json`, the default)",
    )


def _review_commands(commands, db_option: argparse.ArgumentParser) -> None:
    """The Friday review and the weekly CEO update from the shell."""
    review = commands.add_parser(
        "review",
        parents=[db_option],
        help="print the weekly (or monthly) review",
        description="Print the Friday review of an ISO week (default: this week), or the "
        "month at a glance with --month.",
    )
    which = review.add_mutually_exclusive_group()
    which.add_argument("--week", metavar="WEEK", help="the ISO week, like 2026-W48")
    which.add_argument("--month", metavar="MONTH", help="the month, like 2026-11")
    review.add_argument(
        "--format",
        choices=("text", "md", "json"),
        default="text",
        help="text for the terminal (default), md for Markdown, json for scripts",
    )
    update = commands.add_parser(
        "update",
        parents=[db_option],
        help="print the weekly CEO update as Markdown",
        description="Print the weekly CEO update of an ISO week (default: this week) as "
        "Markdown: the saved edit when there is one, else the draft.",
    )
    update.add_argument("--week", metavar="WEEK", help="the ISO week, like 2026-W48")


def _meeting_commands(commands, db_option: argparse.ArgumentParser) -> None:
    """The weekly meeting's lists from the shell: issues, to-dos, minutes."""
    issue = commands.add_parser(
        "issue",
        parents=[db_option],
        help='raise an issue: ceodesk issue add "Support is at capacity @dana #long"',
        description="Work with the leadership team's issues list from the shell.",
    )
    issue_commands = issue.add_subparsers(dest="issue_command", metavar="ACTION", required=True)
    issue_add = issue_commands.add_parser(
        "add",
        parents=[db_option],
        help="add an issue (@owner, #long for the long-term list)",
        description="Add an issue to the leadership team's list and print how it was stored.",
    )
    issue_add.add_argument("text", nargs="+", help='the issue, e.g. "Churn is up @sam #long"')
    todos = commands.add_parser(
        "todos",
        parents=[db_option],
        help="list the team's open to-dos",
        description="List the open to-dos of every team, by due date.",
    )
    todos.add_argument("--mine", action="store_true", help="only the to-dos you own")
    todos.add_argument("--overdue", action="store_true", help="only the overdue ones")
    todo = commands.add_parser(
        "todo",
        parents=[db_option],
        help="mark a to-do done: ceodesk todo done 12",
        description="Work with one to-do from the shell.",
    )
    todo_commands = todo.add_subparsers(dest="todo_command", metavar="ACTION", required=True)
    todo_done = todo_commands.add_parser(
        "done", parents=[db_option], help="mark a to-do done", description="Mark a to-do done."
    )
    todo_done.add_argument("id", metavar="ID", help="the to-do's number, as `ceodesk todos` shows")
    minutes = commands.add_parser(
        "minutes",
        parents=[db_option],
        help="print a meeting's minutes as Markdown",
        description="Print the minutes of the last meeting (or of --meeting ID) as Markdown.",
    )
    which = minutes.add_mutually_exclusive_group()
    which.add_argument("--meeting", metavar="ID", help="the meeting's number")
    which.add_argument("--last", action="store_true", help="the last meeting that ended (default)")


def _open(args: argparse.Namespace, *, to_write: bool = False) -> Database:
    return _open_location(database_location(getattr(args, "db", None)), to_write=to_write)


def _open_location(
    location: str, *, to_write: bool = False, clock: Clock = system_clock
) -> Database:
    # Imported here so --help and --version do not load the database libraries.
    from ceodesk.core.domain.settings import ENSURE_ME, seed_defaults
    from ceodesk.core.store.db import open_database

    # A command that writes first checks the file is sound: never write into damage.
    return open_database(
        location, seed=seed_defaults, repair=ENSURE_ME, check_integrity=to_write, clock=clock
    )


def _with_db(args: argparse.Namespace, work, *, to_write: bool = False, missing: str = ""):
    """Open the database, run ``work(db)`` and close it again, also when ``work`` fails.

    With ``missing`` (the refusal's end, "so nothing was exported"), a database file that
    is not there is refused instead of created: the command only reads, or only changes
    what is already there, so a mistyped --db must not make an empty desk.
    """
    if missing:
        _refuse_a_missing_database(args, missing)
    db = _open(args, to_write=to_write)
    try:
        return work(db)
    finally:
        db.close()


def _refuse_a_missing_database(args: argparse.Namespace, consequence: str) -> None:
    from ceodesk.core.store.db import resolve_location

    named = getattr(args, "db", None) or os.environ.get(DB_ENV)
    path = resolve_location(database_location(getattr(args, "db", None))).path
    if path is None or path.exists():
        return
    if named:
        raise CeodeskError(f"There is no database at {path}, {consequence}.")
    raise CeodeskError(  # the first use, at the default place: say how to begin
        f"There is no database at {path} yet, {consequence}: start your desk with "
        'ceodesk add "TEXT" or ceodesk, or look around in ceodesk --demo.'
    )


def _number(text: str, what: str, example: int) -> int:
    """A record named on the command line by its number, with or without a leading #."""
    number = text.strip().lstrip("#")
    if not number.isdigit() or len(number) > 9:
        raise CeodeskError(f"{what} is named by its number, like {example}, not “{text}”.")
    return int(number)


def _check_text_arguments(args: argparse.Namespace) -> None:
    """Text that is not valid UTF-8 (a terminal in another encoding) is refused up front."""
    for name, value in vars(args).items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and name != "db":
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError as err:
                    raise CeodeskError(
                        "The text given is not valid UTF-8: set the terminal to UTF-8 "
                        "and type it again."
                    ) from err


def _cmd_add(args: argparse.Namespace) -> int:
    from ceodesk.core.store.quick_capture import quick_capture

    text = " ".join(args.text)
    # A SQLite file at this schema: stored with sqlite3, without loading SQLAlchemy.
    task = quick_capture(database_location(getattr(args, "db", None)), text, system_clock)
    if task is None:  # a URL, a new file, one to migrate or repair: the normal path
        from ceodesk.core.views.capture import add_task

        task = _with_db(args, lambda db: add_task(db, text, system_clock()), to_write=True)
        line = task.describe()
    else:
        line = task.line
    print(inert(line))  # stored text never drives the terminal
    if task.unsorted:
        print("It waits in Unsorted until you sort it: Tasks screen (2), m then 1-4.")
    return 0


def _cmd_kpi(args: argparse.Namespace) -> int:
    from ceodesk.core.domain.scorecard import find_measurable, record_value, scorecard
    from ceodesk.core.domain.settings import local_now
    from ceodesk.core.kernel.dates import normal_week_key

    def record(db: Database):
        measurable_id = find_measurable(db, args.name)
        week = local_now(db, system_clock).week if args.week is None else normal_week_key(args.week)
        record_value(db, measurable_id, week, args.value)
        [row] = [r for r in scorecard(db, week, weeks=1).rows if r.id == measurable_id]
        return week, row

    week, row = _with_db(args, record, to_write=True, missing="so no value was recorded")
    cell = row.cells[-1]
    print(inert(f"{row.name} · {week} · {cell.formatted} (goal {row.goal_text}: {cell.grade})"))
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from ceodesk.core.demo import write_demo_database

    target = getattr(args, "db", None)
    if not target:
        raise CeodeskError(
            "ceodesk demo needs --db PATH: it writes into a new file, never into your own data."
        )
    history = None
    if args.scale == "large":
        from ceodesk.core.demo.large import LARGE

        history = LARGE
    summary = write_demo_database(target, system_clock(), history=history)
    print(inert(str(summary), keep_lines=True))
    return 0


def _cmd_doctor(args: argparse.Namespace) -> int:
    from ceodesk.core.store.doctor import diagnose

    report = diagnose(database_location(getattr(args, "db", None)))
    print(inert(report.render(), keep_lines=True))
    return 0 if report.healthy else 1


def _cmd_issue(args: argparse.Namespace) -> int:
    from ceodesk.core.views.meeting import add_issue_text

    issue = _with_db(
        args, lambda db: add_issue_text(db, " ".join(args.text), system_clock()), to_write=True
    )
    term = "long-term" if issue.long_term else "short-term"
    owner = f", owner {issue.owner}" if issue.owner else ""
    print(inert(f"Issue #{issue.id} ({term}{owner}): {issue.title}"))
    return 0


def _cmd_todos(args: argparse.Namespace) -> int:
    from ceodesk.core.domain.settings import local_now, me
    from ceodesk.core.domain.todos import todos

    def open_todos(db: Database):
        today = local_now(db, system_clock()).today
        owner = None
        if args.mine:
            with db.session() as session:
                owner = me(session).id
        return todos(db, today, owner_id=owner, overdue_only=args.overdue)

    found = _with_db(args, open_todos, missing="so there are no to-dos to list")
    if not found:
        print("No open to-dos." if not args.overdue else "No overdue to-dos.")
    for item in found:
        print(inert(item.describe()))
    return 0


def _cmd_todo(args: argparse.Namespace) -> int:
    from ceodesk.core.domain.settings import local_now
    from ceodesk.core.domain.todos import set_done

    todo_id = _number(args.id, "A to-do", 12)

    def mark_done(db: Database):
        now = system_clock()
        return set_done(db, todo_id, True, now, local_now(db, now).today)

    item = _with_db(args, mark_done, to_write=True, missing="so no to-do was marked done")
    print(inert(f"Done: {item.describe()}"))
    return 0


def _cmd_minutes(args: argparse.Namespace) -> int:
    from ceodesk.core.views.meeting import minutes_markdown

    meeting_id = None if args.meeting is None else _number(args.meeting, "A meeting", 3)
    text = _with_db(
        args,
        lambda db: minutes_markdown(db, meeting_id),
        missing="so there are no minutes to print",
    )
    print(inert(text, keep_lines=True), end="")
    return 0


def _week_of(db: Database, week: str | None, now) -> str:
    from ceodesk.core.domain.settings import local_now
    from ceodesk.core.kernel.dates import normal_week_key

    return local_now(db, now).week if week is None else normal_week_key(week)


def _cmd_review(args: argparse.Namespace) -> int:
    from ceodesk.core.views import review as flow

    now = system_clock()

    def build(db: Database):
        if args.month is not None:
            return flow.monthly_review(db, args.month, now)
        return flow.weekly_review(db, _week_of(db, args.week, now), now)

    found = _with_db(args, build, missing="so there is no review to print")
    if args.format == "json":
        print(inert(flow.review_json(found), keep_lines=True), end="")
    elif args.format == "md":
        markdown = (
            flow.month_markdown(found)
            if isinstance(found, flow.MonthReview)
            else flow.review_markdown(found)
        )
        print(inert(markdown, keep_lines=True), end="")
    else:
        _print_review_text(found)
    return 0


_GRADE_STYLES = {
    "exceeds": "bold green",
    "on target": "green",
    "slightly behind": "yellow",
    "off target": "bold red",
}


def _print_review_text(found) -> None:
    """The review as rich text: the same lines as the Markdown, with headings and colour."""
    from rich.console import Console
    from rich.text import Text

    from ceodesk.core.views import review as flow

    console = Console(highlight=False)
    if isinstance(found, flow.MonthReview):
        console.print(Text(inert(f"Month at a glance · {found.title}"), style="bold"))
        sections = flow.month_sections(found)
    else:
        console.print(Text(inert(f"Friday review · {found.title} ({found.week})"), style="bold"))
        console.print(Text(inert(found.headline), style="bold cyan"))
        sections = flow.review_sections(found)
    for section in sections:
        console.print()
        console.print(Text(inert(section.title), style="bold underline"))
        for line in section.lines:
            text = Text("  " + inert(line))
            for word, style in _GRADE_STYLES.items():
                text.highlight_words([f"({word})"], style=style)
            console.print(text)


def _cmd_update(args: argparse.Namespace) -> int:
    from ceodesk.core.views.ceo_update import update_text

    now = system_clock()
    text = _with_db(
        args,
        lambda db: update_text(db, _week_of(db, args.week, now), now),
        missing="so there is no update to print",
    )
    print(inert(text, keep_lines=True), end="")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from ceodesk.core.interop.ceodesk_json import export_text, write_atomically

    now = system_clock()
    text = _with_db(args, lambda db: export_text(db, now), missing="so nothing was exported")
    if args.output is None:
        print(text, end="")  # control characters are escaped in the JSON itself
    else:
        write_atomically(text, Path(args.output).expanduser())
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from ceodesk.core.interop.ceodesk_json import import_file

    location = database_location(getattr(args, "db", None))
    report = import_file(location, Path(args.file).expanduser(), system_clock)
    print(inert(report.line()))
    return 0


def _open_app(args: argparse.Namespace) -> int:
    with _EndedBySignals() as ending:
        try:
            return ending.status(_run_the_app(args, ending.app))
        except _Ended:  # before the app ran: every with and finally on the way ran
            return ending.status(0)


def _run_the_app(args: argparse.Namespace, app_class: type[CeodeskApp]) -> int:
    from ceodesk.ui.app import run_app

    if args.demo:
        import tempfile

        from ceodesk.core.demo import write_demo_database
        from ceodesk.core.store.db import open_database

        with tempfile.TemporaryDirectory(prefix="ceodesk-demo-") as folder:
            path = Path(folder) / "demo.db"
            write_demo_database(str(path), system_clock())
            db = open_database(path, clock=system_clock)
            try:
                return run_app(db, app_class=app_class)  # 1 after a crash: never 0
            finally:
                db.close()
    return run_tui(database_location(getattr(args, "db", None)), app_class=app_class)


class _Ended(BaseException):
    """SIGHUP or SIGTERM while the app's event loop was not running (the demo being
    written, the database opening): unwinds as KeyboardInterrupt does."""


class _EndedBySignals:
    """While ``ceodesk`` opens and runs the app, SIGHUP (its terminal closed) and SIGTERM
    end it as q does: the app exits on its event loop (the terminal restored), then the
    database is closed and the --demo folder removed as after q; everything saved was
    committed by its own action. The status is that of a program stopped by the signal,
    128 + its number, as a shell reports it: neither 0 nor a crash's 1.

    ``app`` is the app class run_app builds, knowing the app while it runs. Outside its
    event loop a signal raises _Ended, and once the app has run one changes nothing: the
    closing steps finish.
    """

    def __init__(self) -> None:
        from ceodesk.ui.app import CeodeskApp

        self.signum: int | None = None
        self._running: CeodeskApp | None = None
        self._ran = False
        ending = self

        class Ended(CeodeskApp):
            __module__ = CeodeskApp.__module__  # its CSS_PATH is found beside CeodeskApp

            def run(self, *args, **kwargs):
                ending._running = self
                try:
                    return super().run(*args, **kwargs)
                finally:
                    ending._running, ending._ran = None, True

        Ended.__name__ = Ended.__qualname__ = CeodeskApp.__name__
        self.app: type[CeodeskApp] = Ended
        self._before: dict[int, object] = {}

    def __enter__(self) -> _EndedBySignals:
        import signal

        for name in ("SIGHUP", "SIGTERM"):  # no SIGHUP on Windows
            if not hasattr(signal, name):
                continue
            signum = getattr(signal, name)
            self._before[signum] = signal.signal(signum, self._end)
        return self

    def __exit__(self, *exc: object) -> None:
        import signal

        for signum, handler in self._before.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]

    def _end(self, signum: int, frame: object) -> None:
        import asyncio  # loaded by then: the app runs on it

        self.signum = self.signum or signum
        if _terminal_gone():
            _write_nowhere()
            if self._running is not None:
                _keep_output_flowing(getattr(self._running, "_driver", None))
        if self._ran:
            return
        app = self._running
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if app is None or loop is None:
            raise _Ended
        loop.call_soon_threadsafe(app.exit)

    def status(self, status: int) -> int:
        return status if self.signum is None else 128 + self.signum


def _terminal_gone() -> bool:
    """The terminal was closed: it answers EIO (a file or a pipe answers ENOTTY)."""
    import errno

    try:
        import termios
    except ImportError:  # Windows: no terminal to hang up
        return False
    try:
        termios.tcgetattr(2)  # Textual draws on stderr
    except termios.error as err:
        return err.args[0] == errno.EIO
    except (OSError, ValueError):
        return False
    return False


def _write_nowhere() -> None:
    """After a hang-up: output goes to the null device, so the app's last frames and its
    terminal restoring cost nothing, and no write fails (Textual's writer thread would end
    on the first, and the app then wait on it). Textual's SIGCONT handler, which the
    hang-up also sends, would start drawing anew: it is left out."""
    import signal

    if hasattr(signal, "SIGCONT"):
        signal.signal(signal.SIGCONT, signal.SIG_DFL)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        for fd in (1, 2):
            os.dup2(devnull, fd)
    finally:
        os.close(devnull)


def _keep_output_flowing(driver: object) -> None:
    """After a hang-up: should Textual's writer thread have ended already (its write to
    the closed terminal failed before the hang-up was seen), what the app writes next
    would wait on its full queue for good, and the app never end (seen: a ceodesk left
    running at 62% CPU half an hour after its terminal closed). A watcher thread waits
    for the writer to end, then drops what the app writes and drains what waits.
    Relies on textual.drivers._writer_thread (``_writer_thread``, ``write``, ``_queue``)."""
    import threading
    import time

    writer = getattr(driver, "_writer_thread", None)
    queue = getattr(writer, "_queue", None)
    if not isinstance(writer, threading.Thread) or queue is None:
        return

    def watch() -> None:
        deadline = time.monotonic() + 30
        while writer.is_alive():
            if time.monotonic() > deadline:
                return  # it writes to the null device: nothing to do
            time.sleep(0.05)
        writer.write = lambda text: None  # type: ignore[attr-defined]
        while True:  # a daemon: ends with the process
            queue.get()

    threading.Thread(target=watch, name="ceodesk-hangup-drain", daemon=True).start()


def run_tui(
    location: str, clock: Clock = system_clock, app_class: type[CeodeskApp] | None = None
) -> int:
    """The app on the database at ``location``, as ``ceodesk`` opens it.

    A SQLite file the first look is sure of draws its first frame from that look, and
    the database (the ORM) opens after it, in a thread; anything else opens the database
    first, as before, with its checks and one-sentence errors (issue 13). ``clock`` and
    ``app_class`` are for the benchmark (a frozen clock, a signal when drawn).
    """
    from ceodesk.core.views.first_look import first_look
    from ceodesk.ui.app import run_app

    look = first_look(location, clock)
    if look is None:
        from ceodesk.core.store.db import resolve_location

        path = resolve_location(location).path
        # A file made now (the first use, or a mistyped --db) says so on the empty desk.
        welcome = new_desk_welcome(path) if path is not None and not path.exists() else None
        db = _open_location(location, clock=clock)
        try:
            return run_app(db, clock=clock, app_class=app_class, welcome=welcome)
        finally:
            db.close()
    return run_app(
        first_look=look,
        opener=lambda: _open_location(location, clock=clock),
        clock=clock,
        app_class=app_class,
    )


def new_desk_welcome(path: Path) -> str:
    return (
        f"A new, empty desk at {path}: n adds to the screen you are on and ? lists the "
        "keys; ceodesk --demo opens a demo company to look around."
    )


COMMANDS = {
    "add": _cmd_add,
    "demo": _cmd_demo,
    "doctor": _cmd_doctor,
    "kpi": _cmd_kpi,
    "issue": _cmd_issue,
    "todos": _cmd_todos,
    "todo": _cmd_todo,
    "minutes": _cmd_minutes,
    "review": _cmd_review,
    "update": _cmd_update,
    "export": _cmd_export,
    "import": _cmd_import,
}


# A reader that went away (`ceodesk todos | head -1`) ends the program quietly with the
# status of a tool stopped by SIGPIPE (128 + 13), as a shell's pipefail expects.
OUTPUT_CLOSED = 141


def main(argv: Sequence[str] | None = None) -> int:
    try:
        try:
            return _run(argv)
        finally:
            sys.stdout.flush()  # a reader gone shows here, not in Python's exit
    except BrokenPipeError:
        _stop_writing_output()
        return OUTPUT_CLOSED


def _stop_writing_output() -> None:
    """Point stdout at the null device, so Python's own flush at exit has nothing to
    complain about."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # stdout is no file (a test's capture): there is nothing left to flush


def _plain_add(argv: Sequence[str]) -> argparse.Namespace | None:
    """``ceodesk [--db PATH] add [--db PATH] WORDS...`` read without argparse: building
    the whole parser costs more than storing the task (issue 13: capture is instant).
    Anything else (another option, a word starting with "-", no words) returns None for
    argparse to read; a test keeps the two readings equal."""
    from types import SimpleNamespace

    words = list(argv)
    found: dict[str, str] = {}

    def take_db() -> None:
        if len(words) >= 2 and words[0] == "--db" and not words[1].startswith("-"):
            found["db"] = words[1]  # the subcommand's --db wins, as in argparse
            del words[:2]

    take_db()
    if not words or words[0] != "add":
        return None
    del words[0]
    take_db()
    if not words or any(word.startswith("-") for word in words):
        return None
    return SimpleNamespace(demo=False, command="add", text=words, **found)  # type: ignore[return-value]


def _run(argv: Sequence[str] | None) -> int:
    given = sys.argv[1:] if argv is None else argv
    args = _plain_add(given) or _parser().parse_args(given)
    try:
        _check_text_arguments(args)
        return COMMANDS.get(args.command, _open_app)(args)
    except CeodeskError as err:
        print(inert(str(err)), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        raise  # the reader of the output went away: main stops quietly
    except OSError as err:
        print(inert(f"ceodesk could not finish: {err.strerror or err}."), file=sys.stderr)
        return 1
    except Exception as err:
        # A database failure the store did not name: one sentence, never SQLAlchemy's text.
        from ceodesk.core.store.db import storage_error

        if not (isinstance(err, sqlite3.Error) or type(err).__module__.startswith("sqlalchemy")):
            raise
        known = storage_error(err, "The database")
        print(known or "The database could not finish that; nothing was changed.", file=sys.stderr)
        return 2 if known else 1


if __name__ == "__main__":
    raise SystemExit(main())
