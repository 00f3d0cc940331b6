"""Weekly meetings: the agenda, section timers, attendance, segues, headlines, ratings,
cascading messages and the minutes stored when a meeting ends.

A section's timer is its used seconds plus, while it runs, the time since
``running_since``. Only one section runs at a time. Closing the app leaves a running
timer running; on reopening, the time away counts only if the user says so
(``resume(count_away=...)``): the app's last look (``seen_at``) marks where it stopped.
Timer moves are bookkeeping, not user edits: they are not undo steps.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timedelta

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from ceodesk.core.kernel.dates import format_day
from ceodesk.core.kernel.errors import DatabaseReadOnly, InputError
from ceodesk.core.kernel.text import clean_line, one_line
from ceodesk.core.store.db import Database
from ceodesk.core.store.lookups import get_or_refuse
from ceodesk.core.store.models import (
    AgendaSection,
    CascadeMessage,
    Headline,
    Meeting,
    MeetingAttendee,
    MeetingRating,
    MeetingSection,
    Person,
    Segue,
    Team,
)
from ceodesk.core.store.plain import PlainQuery

# (kind, title, minutes): the Level-10-style default, 90 minutes in all.
DEFAULT_AGENDA: tuple[tuple[str, str, int], ...] = (
    ("segue", "Segue", 5),
    ("scorecard", "Scorecard", 5),
    ("rocks", "Rock review", 5),
    ("headlines", "Customer & employee headlines", 5),
    ("todos", "To-do list", 5),
    ("issues", "Issues (IDS)", 60),
    ("conclude", "Conclude", 5),
)
SECTION_KINDS = (*(kind for kind, _, _ in DEFAULT_AGENDA), "custom")
MEETING_MINUTES = 90
LAST_MINUTE = 60  # seconds: a section's timer turns amber inside its last minute
RATING_GOOD = 8  # a rating below this asks for a line of why
LOWEST_RATING, HIGHEST_RATING = 1, 10
HEADLINE_KINDS = ("customer", "employee")
LONGEST_LINE = 200
MAX_SECTION_MINUTES = 240


# ------------------------------------------------------------------ pure rules


def format_clock(seconds: int) -> str:
    """Seconds as a timer shows them: 272 -> "4:32", 3725 -> "1:02:05"."""
    seconds = abs(int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@dataclass(frozen=True)
class TimerState:
    """A section timer: seconds used while paused, and the instant it last started."""

    used_seconds: int = 0
    running_since: datetime | None = None

    @property
    def running(self) -> bool:
        return self.running_since is not None

    def used(self, now: datetime) -> int:
        """Seconds used up to ``now`` (a clock that went back adds nothing)."""
        if self.running_since is None:
            return self.used_seconds
        return self.used_seconds + max(0, int((now - self.running_since).total_seconds()))

    def started(self, now: datetime) -> TimerState:
        return self if self.running else TimerState(self.used_seconds, now)

    def paused(self, now: datetime) -> TimerState:
        return TimerState(self.used(now), None) if self.running else self

    def toggled(self, now: datetime) -> TimerState:
        return self.paused(now) if self.running else self.started(now)

    def resumed(self, now: datetime, seen_at: datetime | None, *, count_away: bool) -> TimerState:
        """After a restart: a paused timer stays paused; a running one keeps running and
        counts the time since ``seen_at`` (the app's last look) only with ``count_away``."""
        if self.running_since is None or count_away:
            return self
        last_look = seen_at if seen_at is not None else self.running_since
        return TimerState(self.used(max(last_look, self.running_since)), now)


@dataclass(frozen=True)
class SectionClock:
    """One section of a running meeting with its timer, as shown at ``now``."""

    position: int
    kind: str
    title: str
    minutes: int  # planned
    used_seconds: int
    running: bool

    @property
    def planned_seconds(self) -> int:
        return self.minutes * 60

    @property
    def remaining_seconds(self) -> int:
        """Negative once over."""
        return self.planned_seconds - self.used_seconds

    @property
    def over_seconds(self) -> int:
        return max(0, self.used_seconds - self.planned_seconds)

    @property
    def phase(self) -> str:
        """ "on_time", "last_minute" (amber) or "over" (red)."""
        if self.used_seconds > self.planned_seconds:
            return "over"
        if self.remaining_seconds <= LAST_MINUTE:
            return "last_minute"
        return "on_time"

    @property
    def timer_text(self) -> str:
        """What the big timer shows: the time left counting down, then "+1:05" over."""
        if self.over_seconds:
            return f"+{format_clock(self.over_seconds)}"
        return format_clock(self.remaining_seconds)

    @property
    def status_text(self) -> str:
        """Words, never colour alone: "4:32 left", "last minute", "1:05 over"."""
        if self.phase == "over":
            return f"{format_clock(self.over_seconds)} over"
        if self.phase == "last_minute":
            return f"last minute: {format_clock(self.remaining_seconds)} left"
        return f"{format_clock(self.remaining_seconds)} left"

    @property
    def used_text(self) -> str:
        """ "4:32 of 5m"."""
        return f"{format_clock(self.used_seconds)} of {self.minutes}m"


def meeting_totals(sections: Sequence[SectionClock]) -> tuple[int, int]:
    """(seconds used, seconds planned) over all sections."""
    return sum(s.used_seconds for s in sections), sum(s.planned_seconds for s in sections)


def rating_average(scores: Sequence[int]) -> float | None:
    """The mean rating to one decimal, None without ratings."""
    return round(sum(scores) / len(scores), 1) if scores else None


def check_rating(score: int | str, why: str = "") -> tuple[int, str]:
    """A rating of 1 to 10, whole; below 8 it needs one line of why."""
    text = str(score).strip()
    if not text.isdigit() or not LOWEST_RATING <= int(text) <= HIGHEST_RATING:
        raise InputError(
            f"A rating is a whole number from {LOWEST_RATING} to {HIGHEST_RATING}, not “{text}”."
        )
    unexplained = f"A rating below {RATING_GOOD} needs one line on why."
    why = clean_line(
        why,
        empty=unexplained if int(text) < RATING_GOOD else None,
        longest=LONGEST_LINE,
        too_long=f"Keep the why to one line of at most {LONGEST_LINE} characters.",
    )
    return int(text), why


def _line(text: str, what: str) -> str:
    return clean_line(
        text,
        empty=f"{what} needs some text.",
        longest=LONGEST_LINE,
        too_long=f"{what} can be at most {LONGEST_LINE} characters long.",
    )


# ------------------------------------------------------------------- storage


@contextmanager
def _bookkeeping(db: Database) -> Iterator[Session]:
    """A write that is not a user edit (timers, the app's last look): no undo step."""
    if db.read_only:
        raise DatabaseReadOnly(f"{db.location} is read-only, so nothing was changed.")
    with db.session(shared=False) as session:  # it commits: never a reading block's
        yield session
        session.commit()


def _meeting(session: Session, meeting_id: int) -> Meeting:
    return get_or_refuse(session, Meeting, meeting_id, "That meeting no longer exists.")


def _running(session: Session, meeting_id: int) -> Meeting:
    meeting = _meeting(session, meeting_id)
    if meeting.ended_at is not None:
        raise InputError("That meeting has ended; its minutes are read-only.")
    return meeting


def _sections(session: Session, meeting_id: int) -> list[MeetingSection]:
    return list(
        session.exec(
            select(MeetingSection)
            .where(MeetingSection.meeting_id == meeting_id)
            .order_by(col(MeetingSection.position))
        )
    )


def _timer(section: MeetingSection) -> TimerState:
    return TimerState(section.used_seconds, section.running_since)


def _store_timer(section: MeetingSection, state: TimerState) -> None:
    section.used_seconds, section.running_since = state.used_seconds, state.running_since


def _pause_all(sections: Sequence[MeetingSection], now: datetime) -> bool:
    """Stop every running section's timer; True when one was running."""
    was_running = False
    for section in sections:
        if section.running_since is not None:
            was_running = True
            _store_timer(section, _timer(section).paused(now))
    return was_running


# -------------------------------------------------------------------- agenda


@dataclass(frozen=True)
class AgendaItem:
    kind: str
    title: str
    minutes: int


def default_agenda() -> tuple[AgendaItem, ...]:
    return tuple(AgendaItem(kind, title, minutes) for kind, title, minutes in DEFAULT_AGENDA)


def agenda(db: Database, team_id: int) -> tuple[AgendaItem, ...]:
    """The team's agenda in order: the default until the team edits it."""
    with db.session() as session:
        return _agenda(session, team_id)


def _agenda(session: Session, team_id: int) -> tuple[AgendaItem, ...]:
    rows = session.exec(
        select(AgendaSection)
        .where(AgendaSection.team_id == team_id)
        .order_by(col(AgendaSection.position))
    ).all()
    if not rows:
        return default_agenda()
    return tuple(AgendaItem(r.kind, r.title, r.minutes) for r in rows)


def check_agenda(items: Sequence[AgendaItem]) -> tuple[AgendaItem, ...]:
    """An agenda has at least one section, each titled, 1 to 240 minutes, a known kind;
    the built-in kinds appear at most once."""
    if not items:
        raise InputError("An agenda needs at least one section.")
    seen: set[str] = set()
    checked = []
    for item in items:
        if item.kind not in SECTION_KINDS:
            raise InputError(f"“{item.kind}” is not a kind of agenda section.")
        if item.kind != "custom" and item.kind in seen:
            raise InputError(f"The agenda has the {item.kind} section twice.")
        seen.add(item.kind)
        if not 1 <= item.minutes <= MAX_SECTION_MINUTES:
            raise InputError(f"A section lasts 1 to {MAX_SECTION_MINUTES} minutes.")
        checked.append(AgendaItem(item.kind, _line(item.title, "A section"), item.minutes))
    return tuple(checked)


def set_agenda(db: Database, team_id: int, items: Sequence[AgendaItem]) -> None:
    """Replace the team's agenda (sections, minutes and order); running meetings keep theirs."""
    checked = check_agenda(items)
    with db.action("Edited the meeting agenda") as session:
        get_or_refuse(session, Team, team_id, "That team no longer exists.")
        for row in session.exec(select(AgendaSection).where(AgendaSection.team_id == team_id)):
            session.delete(row)
        session.flush()
        for position, item in enumerate(checked):
            session.add(
                AgendaSection(
                    team_id=team_id,
                    position=position,
                    kind=item.kind,
                    title=item.title,
                    minutes=item.minutes,
                )
            )


# ------------------------------------------------------------------ meetings


@dataclass(frozen=True)
class MeetingState:
    """A meeting as its screen shows it at ``now``."""

    id: int
    uid: str
    team_id: int
    week: str
    day: date
    started_at: datetime
    ended_at: datetime | None
    facilitator_id: int | None
    scribe_id: int | None
    attendee_ids: tuple[int, ...]
    sections: tuple[SectionClock, ...]
    current: int  # index into sections
    seen_at: datetime | None

    @property
    def ended(self) -> bool:
        return self.ended_at is not None

    @property
    def running(self) -> bool:
        return any(s.running for s in self.sections)

    @property
    def section(self) -> SectionClock:
        return self.sections[self.current]

    @property
    def used_seconds(self) -> int:
        return meeting_totals(self.sections)[0]

    @property
    def planned_seconds(self) -> int:
        return meeting_totals(self.sections)[1]

    @property
    def over_seconds(self) -> int:
        return max(0, self.used_seconds - self.planned_seconds)

    @property
    def total_text(self) -> str:
        """ "23:10 of 90m", with "(4:00 over)" when past the plan."""
        text = f"{format_clock(self.used_seconds)} of {self.planned_seconds // 60}m"
        if self.over_seconds:
            text += f" ({format_clock(self.over_seconds)} over)"
        return text


def state_at(state: MeetingState, read_at: datetime, now: datetime) -> MeetingState:
    """The meeting as it reads at ``now`` when ``state`` was read at ``read_at``: the
    running section has used the seconds between (a clock gone back adds nothing), so a
    ticking timer needs no query."""
    elapsed = max(0, int((now - read_at).total_seconds()))
    if not elapsed or state.ended:
        return state
    sections = tuple(
        replace(s, used_seconds=s.used_seconds + elapsed) if s.running else s
        for s in state.sections
    )
    return replace(state, sections=sections)


def _present(
    attendee_ids: Sequence[int], facilitator_id: int | None, scribe_id: int | None
) -> list[int]:
    """The people present, each once; the facilitator and scribe must be among them."""
    present = list(dict.fromkeys(attendee_ids))
    if not present:
        raise InputError("Pick at least one person who is present.")
    for role, person in (("facilitator", facilitator_id), ("scribe", scribe_id)):
        if person is not None and person not in present:
            raise InputError(f"The {role} must be one of the people present.")
    return present


def open_meeting(db: Database, team_id: int, week: str) -> int | None:
    """The team's meeting of ``week`` that has not ended, if any."""
    with db.session() as session:
        return session.exec(
            select(Meeting.id).where(
                Meeting.team_id == team_id, Meeting.week == week, col(Meeting.ended_at).is_(None)
            )
        ).first()


def start_meeting(
    db: Database,
    team_id: int,
    week: str,
    day: date,
    now: datetime,
    attendee_ids: Sequence[int],
    facilitator_id: int | None = None,
    scribe_id: int | None = None,
) -> int:
    """Start the team's meeting for ``week`` with its agenda; the first section's timer
    runs. Refuses a second open meeting of the same week (resume that one)."""
    present = _present(attendee_ids, facilitator_id, scribe_id)
    if open_meeting(db, team_id, week) is not None:
        raise InputError(f"This team's meeting of {week} is already running: resume it.")
    with db.action("Started the weekly meeting") as session:
        get_or_refuse(session, Team, team_id, "That team no longer exists.")
        for person_id in present:
            get_or_refuse(session, Person, person_id, "One of the people picked no longer exists.")
        meeting = Meeting(
            team_id=team_id,
            week=week,
            day=day,
            started_at=now,
            facilitator_id=facilitator_id,
            scribe_id=scribe_id,
            seen_at=now,
        )
        session.add(meeting)
        session.flush()
        for position, item in enumerate(_agenda(session, team_id)):
            session.add(
                MeetingSection(
                    meeting_id=meeting.id or 0,
                    position=position,
                    kind=item.kind,
                    title=item.title,
                    minutes=item.minutes,
                    running_since=now if position == 0 else None,
                )
            )
        for person_id in present:
            session.add(MeetingAttendee(meeting_id=meeting.id or 0, person_id=person_id))
        for waiting in session.exec(
            select(Headline).where(Headline.team_id == team_id, col(Headline.meeting_id).is_(None))
        ):
            waiting.meeting_id = meeting.id
        session.flush()
        return meeting.id or 0


def meeting_state(db: Database, meeting_id: int, now: datetime) -> MeetingState:
    with db.session() as session:
        meeting = _meeting(session, meeting_id)
        sections = _sections(session, meeting_id)
        attendees = session.exec(
            select(MeetingAttendee.person_id)
            .where(MeetingAttendee.meeting_id == meeting_id)
            .order_by(col(MeetingAttendee.id))
        ).all()
    clocks = tuple(
        SectionClock(
            s.position, s.kind, s.title, s.minutes, _timer(s).used(now), s.running_since is not None
        )
        for s in sections
    )
    return MeetingState(
        id=meeting.id or 0,
        uid=meeting.uid,
        team_id=meeting.team_id,
        week=meeting.week,
        day=meeting.day,
        started_at=meeting.started_at,
        ended_at=meeting.ended_at,
        facilitator_id=meeting.facilitator_id,
        scribe_id=meeting.scribe_id,
        attendee_ids=tuple(attendees),
        sections=clocks,
        current=min(meeting.section, max(0, len(clocks) - 1)),
        seen_at=meeting.seen_at,
    )


def toggle_timer(db: Database, meeting_id: int, now: datetime) -> bool:
    """Pause the running section, or start the current one; True when it now runs."""
    with _bookkeeping(db) as session:
        meeting = _running(session, meeting_id)
        sections = _sections(session, meeting_id)
        running = _pause_all(sections, now)
        if not running and sections:
            current = sections[min(meeting.section, len(sections) - 1)]
            _store_timer(current, _timer(current).started(now))
        meeting.seen_at = now
        return not running


def go_to_section(db: Database, meeting_id: int, position: int, now: datetime) -> int:
    """Make ``position`` the current section (clamped); the timer keeps running (on the
    new section) or stays paused. Returns the new position."""
    with _bookkeeping(db) as session:
        meeting = _running(session, meeting_id)
        sections = _sections(session, meeting_id)
        if not sections:
            return 0
        position = max(0, min(position, len(sections) - 1))
        if _pause_all(sections, now):
            target = sections[position]
            _store_timer(target, _timer(target).started(now))
        meeting.section = position
        meeting.seen_at = now
        return position


def step_section(db: Database, meeting_id: int, step: int, now: datetime) -> int:
    """The next (``step`` 1) or previous (-1) section; see ``go_to_section``."""
    with db.session() as session:
        current = _meeting(session, meeting_id).section
    return go_to_section(db, meeting_id, current + step, now)


def checkpoint(db: Database, meeting_id: int, now: datetime) -> None:
    """The app still shows the meeting at ``now`` (call it on every tick and on close)."""
    with _bookkeeping(db) as session:
        meeting = _meeting(session, meeting_id)
        if meeting.ended_at is None:
            meeting.seen_at = now


def away_seconds(state: MeetingState, now: datetime) -> int:
    """How long a running meeting went unseen (the app was closed or crashed); 0 when
    paused, so there is nothing to ask."""
    if not state.running or state.seen_at is None:
        return 0
    return max(0, int((now - state.seen_at).total_seconds()))


def resume(db: Database, meeting_id: int, now: datetime, *, count_away: bool) -> None:
    """Reopen a meeting after the app was away: a paused timer stays paused; a running
    one counts the time away only with ``count_away``."""
    with _bookkeeping(db) as session:
        meeting = _running(session, meeting_id)
        for section in _sections(session, meeting_id):
            state = _timer(section).resumed(now, meeting.seen_at, count_away=count_away)
            _store_timer(section, state)
        meeting.seen_at = now


def set_people(
    db: Database,
    meeting_id: int,
    attendee_ids: Sequence[int],
    facilitator_id: int | None,
    scribe_id: int | None,
) -> None:
    """Change who is present and who facilitates and scribes."""
    present = _present(attendee_ids, facilitator_id, scribe_id)
    with db.action("Changed who is at the meeting") as session:
        meeting = _running(session, meeting_id)
        meeting.facilitator_id, meeting.scribe_id = facilitator_id, scribe_id
        for row in session.exec(
            select(MeetingAttendee).where(MeetingAttendee.meeting_id == meeting_id)
        ):
            session.delete(row)
        session.flush()
        for person_id in present:
            session.add(MeetingAttendee(meeting_id=meeting_id, person_id=person_id))


# ------------------------------------------------- segue, headlines, ratings, messages


@dataclass(frozen=True)
class SegueLine:
    person_id: int
    person: str
    text: str


@dataclass(frozen=True)
class HeadlineView:
    id: int
    uid: str
    person_id: int
    person: str
    kind: str  # customer, employee
    text: str
    shout_out: bool


@dataclass(frozen=True)
class RatingView:
    person_id: int
    person: str
    score: int
    why: str


@dataclass(frozen=True)
class MessageView:
    id: int
    text: str
    to_whom: str
    by_when: date | None


def _names(session: Session) -> dict[int, str]:
    return {p.id or 0: p.name for p in session.exec(select(Person))}


def set_segue(db: Database, meeting_id: int, person_id: int, text: str) -> None:
    """An attendee's good news (personal and business); empty text removes it."""
    text = clean_line(
        text,
        longest=LONGEST_LINE,
        too_long=f"A segue can be at most {LONGEST_LINE} characters long.",
    )
    with db.action("Noted a segue") as session:
        _running(session, meeting_id)
        row = session.exec(
            select(Segue).where(Segue.meeting_id == meeting_id, Segue.person_id == person_id)
        ).first()
        if not text:
            if row is not None:
                session.delete(row)
            return
        if row is None:
            session.add(Segue(meeting_id=meeting_id, person_id=person_id, text=text))
        else:
            row.text = text


def segues(db: Database, meeting_id: int) -> tuple[SegueLine, ...]:
    with db.session() as session:
        names = _names(session)
        rows = session.exec(
            select(Segue).where(Segue.meeting_id == meeting_id).order_by(col(Segue.id))
        ).all()
        return tuple(SegueLine(r.person_id, names.get(r.person_id, ""), r.text) for r in rows)


def add_headline(
    db: Database,
    meeting_id: int | None,
    person_id: int,
    kind: str,
    text: str,
    *,
    shout_out: bool = False,
    team_id: int | None = None,
) -> int:
    """A headline at a running meeting, or (``meeting_id`` None) for ``team_id``'s next one."""
    if kind not in HEADLINE_KINDS:
        raise InputError("A headline is about a customer or an employee.")
    text = _line(text, "A headline")
    with db.action("Added a headline") as session:
        if meeting_id is not None:
            team_id = _running(session, meeting_id).team_id
        team = get_or_refuse(session, Team, team_id, "That team no longer exists.")
        get_or_refuse(session, Person, person_id, "That team member no longer exists.")
        row = Headline(
            team_id=team.id or 0,
            meeting_id=meeting_id,
            person_id=person_id,
            kind=kind,
            text=text,
            shout_out=shout_out,
        )
        session.add(row)
        session.flush()
        return row.id or 0


def toggle_shout_out(db: Database, headline_id: int) -> bool:
    with db.action("Marked a shout-out") as session:
        row = get_or_refuse(session, Headline, headline_id, "That headline no longer exists.")
        if row.meeting_id is not None:
            _running(session, row.meeting_id)
        row.shout_out = not row.shout_out
        return row.shout_out


def headlines(db: Database, meeting_id: int) -> tuple[HeadlineView, ...]:
    """Customer headlines first, then employee ones, each as told."""
    with db.session() as session:
        names = _names(session)
        rows = session.exec(select(Headline).where(Headline.meeting_id == meeting_id)).all()
    ordered = sorted(rows, key=lambda h: (HEADLINE_KINDS.index(h.kind), h.id or 0))
    return tuple(
        HeadlineView(
            h.id or 0, h.uid, h.person_id, names.get(h.person_id, ""), h.kind, h.text, h.shout_out
        )
        for h in ordered
    )


def set_rating(
    db: Database, meeting_id: int, person_id: int, score: int | str, why: str = ""
) -> int:
    """An attendee rates the meeting 1-10 (again replaces it); below 8 needs a why."""
    value, why = check_rating(score, why)
    with db.action("Rated the meeting") as session:
        _running(session, meeting_id)
        row = session.exec(
            select(MeetingRating).where(
                MeetingRating.meeting_id == meeting_id, MeetingRating.person_id == person_id
            )
        ).first()
        if row is None:
            session.add(
                MeetingRating(meeting_id=meeting_id, person_id=person_id, score=value, why=why)
            )
        else:
            row.score, row.why = value, why
        return value


def ratings(db: Database, meeting_id: int) -> tuple[RatingView, ...]:
    with db.session() as session:
        names = _names(session)
        rows = session.exec(
            select(MeetingRating)
            .where(MeetingRating.meeting_id == meeting_id)
            .order_by(col(MeetingRating.id))
        ).all()
        return tuple(
            RatingView(r.person_id, names.get(r.person_id, ""), r.score, r.why) for r in rows
        )


def add_message(
    db: Database, meeting_id: int, text: str, to_whom: str = "", by_when: date | None = None
) -> int:
    """A cascading message: what to tell whom, by when."""
    text = _line(text, "A cascading message")
    to_whom = one_line(to_whom)
    with db.action("Added a cascading message") as session:
        _running(session, meeting_id)
        row = CascadeMessage(meeting_id=meeting_id, text=text, to_whom=to_whom, by_when=by_when)
        session.add(row)
        session.flush()
        return row.id or 0


def messages(db: Database, meeting_id: int) -> tuple[MessageView, ...]:
    with db.session() as session:
        rows = session.exec(
            select(CascadeMessage)
            .where(CascadeMessage.meeting_id == meeting_id)
            .order_by(col(CascadeMessage.id))
        ).all()
        return tuple(MessageView(r.id or 0, r.text, r.to_whom, r.by_when) for r in rows)


# ------------------------------------------------------------------- minutes


@dataclass(frozen=True)
class MinutesSection:
    title: str
    minutes: int  # planned
    used_seconds: int


@dataclass(frozen=True)
class MinutesAttendee:
    name: str
    role: str = ""  # "facilitator", "scribe", "facilitator and scribe" or ""


@dataclass(frozen=True)
class MinutesMeasurable:
    name: str
    owner: str
    value: str  # "" when none was recorded
    goal: str
    status: str  # a scorecard grade, or "no value"


@dataclass(frozen=True)
class MinutesRock:
    title: str
    owner: str
    status: str  # "On track", "Off track", ...
    at_risk: str = ""  # the reasons, when at risk


@dataclass(frozen=True)
class MinutesHeadline:
    kind: str
    person: str
    text: str
    shout_out: bool = False


@dataclass(frozen=True)
class MinutesTodo:
    title: str
    owner: str
    due: str  # ISO date
    done: bool = False


@dataclass(frozen=True)
class MinutesIssue:
    title: str
    decision: str
    todos: tuple[MinutesTodo, ...] = ()
    review_on: str = ""  # ISO date, when the decision comes back


@dataclass(frozen=True)
class MinutesMessage:
    text: str
    to_whom: str = ""
    by_when: str = ""  # ISO date


@dataclass(frozen=True)
class MinutesRating:
    name: str
    score: int
    why: str = ""


@dataclass(frozen=True)
class Minutes:
    """What a meeting leaves behind; stored as JSON when it ends, printed as Markdown."""

    meeting_id: int
    team: str
    week: str
    day: str  # ISO date, local
    started: str  # "09:00", local
    ended: str  # "10:32", local
    length_minutes: int
    planned_minutes: int
    attendees: tuple[MinutesAttendee, ...] = ()
    sections: tuple[MinutesSection, ...] = ()
    scorecard: tuple[MinutesMeasurable, ...] = ()
    rocks: tuple[MinutesRock, ...] = ()
    headlines: tuple[MinutesHeadline, ...] = ()
    todos: tuple[MinutesTodo, ...] = ()  # reviewed: due by this meeting
    issues_solved: tuple[MinutesIssue, ...] = ()
    messages: tuple[MinutesMessage, ...] = ()
    ratings: tuple[MinutesRating, ...] = ()
    segues: tuple[str, ...] = field(default=())

    @property
    def average(self) -> float | None:
        return rating_average([r.score for r in self.ratings])

    @property
    def todo_rate(self) -> float | None:
        return sum(t.done for t in self.todos) / len(self.todos) if self.todos else None

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Minutes:
        data = json.loads(text)
        parts: dict[str, type] = {
            "attendees": MinutesAttendee,
            "sections": MinutesSection,
            "scorecard": MinutesMeasurable,
            "rocks": MinutesRock,
            "headlines": MinutesHeadline,
            "todos": MinutesTodo,
            "messages": MinutesMessage,
            "ratings": MinutesRating,
        }
        for key, kind in parts.items():
            data[key] = tuple(kind(**item) for item in data.get(key, ()))
        data["issues_solved"] = tuple(
            MinutesIssue(**{**item, "todos": tuple(MinutesTodo(**t) for t in item["todos"])})
            for item in data.get("issues_solved", ())
        )
        data["segues"] = tuple(data.get("segues", ()))
        return cls(**data)


def _cell(text: str) -> str:
    """Text fit for a Markdown table cell: pipes escaped, one line."""
    return one_line(text).replace("|", "\\|") or "—"


def _day(iso: str) -> str:
    return format_day(date.fromisoformat(iso)) if iso else ""


def minutes_markdown(minutes: Minutes) -> str:
    """The minutes as clean Markdown, one section per part of the meeting."""
    m = minutes
    lines = [f"# {m.team} weekly meeting, {_day(m.day)} ({m.week})", ""]
    length = f"{m.length_minutes} minutes of {m.planned_minutes} planned"
    lines.append(f"Held {m.started}–{m.ended}: {length}.")
    if m.average is not None:
        lines.append(f"Average rating {m.average:.1f} from {len(m.ratings)} attendees.")
    lines += ["", "## Attendees", ""]
    lines += [f"- {a.name}" + (f" ({a.role})" if a.role else "") for a in m.attendees] or ["- —"]
    lines += ["", "## Time per section", "", "| Section | Planned | Used |", "|---|---:|---:|"]
    for s in m.sections:
        used = format_clock(s.used_seconds)
        over = " (over)" if s.used_seconds > s.minutes * 60 else ""
        lines.append(f"| {_cell(s.title)} | {s.minutes} min | {used}{over} |")
    if m.segues:
        lines += ["", "## Segue", ""] + [f"- {line}" for line in m.segues]
    lines += ["", "## Scorecard", ""]
    if m.scorecard:
        lines += ["| Measurable | Owner | Value | Goal | Status |", "|---|---|---:|---|---|"]
        lines += [
            f"| {_cell(r.name)} | {_cell(r.owner)} | {_cell(r.value)} | {_cell(r.goal)} "
            f"| {_cell(r.status)} |"
            for r in m.scorecard
        ]
    else:
        lines.append("No measurables.")
    lines += ["", "## Rocks", ""]
    if m.rocks:
        lines += ["| Rock | Owner | Status |", "|---|---|---|"]
        for r in m.rocks:
            status = f"{r.status}, at risk: {r.at_risk}" if r.at_risk else r.status
            lines.append(f"| {_cell(r.title)} | {_cell(r.owner)} | {_cell(status)} |")
    else:
        lines.append("No Rocks.")
    lines += ["", "## Headlines", ""]
    lines += [
        f"- {h.kind.capitalize()}, {h.person}: {h.text}" + (" (shout-out)" if h.shout_out else "")
        for h in m.headlines
    ] or ["No headlines."]
    lines += ["", "## To-dos", ""]
    if m.todos:
        done = sum(t.done for t in m.todos)
        rate = round(100 * (m.todo_rate or 0))
        lines.append(f"{done} of {len(m.todos)} done ({rate}%; the target is 90%).")
        lines.append("")
        lines += [
            f"- [{'x' if t.done else ' '}] {t.title} ({t.owner}, due {_day(t.due)})"
            for t in m.todos
        ]
    else:
        lines.append("No to-dos were due.")
    lines += ["", "## Issues solved", ""]
    if not m.issues_solved:
        lines.append("No issues solved.")
    for issue in m.issues_solved:
        lines += [f"### {issue.title}", "", f"Decision: {issue.decision}"]
        if issue.review_on:
            lines.append(f"Review on {_day(issue.review_on)}.")
        if issue.todos:
            lines.append("")
            lines += [f"- To-do: {t.title} ({t.owner}, due {_day(t.due)})" for t in issue.todos]
        lines.append("")
    if m.issues_solved:
        lines.pop()
    lines += ["", "## Cascading messages", ""]
    lines += [
        f"- {c.text}"
        + (f", to {c.to_whom}" if c.to_whom else "")
        + (f", by {_day(c.by_when)}" if c.by_when else "")
        for c in m.messages
    ] or ["No cascading messages."]
    lines += ["", "## Ratings", ""]
    if m.ratings:
        lines += ["| Attendee | Rating | Why |", "|---|---:|---|"]
        lines += [f"| {_cell(r.name)} | {r.score} | {_cell(r.why)} |" for r in m.ratings]
        lines += ["", f"Average: {m.average:.1f}"]
    else:
        lines.append("No ratings.")
    return "\n".join(lines) + "\n"


def end_meeting(db: Database, meeting_id: int, now: datetime, minutes: Minutes) -> Minutes:
    """End a running meeting: every timer stops and the minutes are stored."""
    with db.action("Ended the weekly meeting") as session:
        meeting = _running(session, meeting_id)
        _pause_all(_sections(session, meeting_id), now)
        meeting.ended_at = now
        meeting.seen_at = now
        stored = replace(minutes, meeting_id=meeting_id)
        meeting.minutes_json = stored.to_json()
        return stored


def stored_minutes(db: Database, meeting_id: int) -> Minutes:
    with db.session() as session:
        meeting = get_or_refuse(session, Meeting, meeting_id, f"There is no meeting {meeting_id}.")
        if meeting.minutes_json is None:
            raise InputError(f"Meeting {meeting_id} has not ended, so it has no minutes yet.")
        return Minutes.from_json(meeting.minutes_json)


def last_ended_meeting(db: Database, team_id: int | None = None) -> int | None:
    """The most recently ended meeting (of a team, or of any)."""
    with db.session() as session:
        query = select(Meeting.id).where(col(Meeting.ended_at).is_not(None))
        if team_id is not None:
            query = query.where(Meeting.team_id == team_id)
        return session.exec(query.order_by(col(Meeting.ended_at).desc())).first()


def ended_meeting_in_week(db: Database, team_id: int, week: str) -> int | None:
    """The team's meeting that ended in ISO ``week`` (the last one held), if any."""
    with db.session() as session:
        return session.exec(
            select(Meeting.id)
            .where(
                Meeting.team_id == team_id,
                Meeting.week == week,
                col(Meeting.ended_at).is_not(None),
            )
            .order_by(col(Meeting.day).desc(), col(Meeting.id).desc())
        ).first()


@dataclass(frozen=True)
class PastMeeting:
    id: int
    week: str
    day: date
    length_minutes: int
    average: float | None


def past_meetings(db: Database, team_id: int) -> tuple[PastMeeting, ...]:
    """The team's ended meetings, newest first, with length and average rating."""
    with db.session() as session:
        rows = session.exec(
            select(Meeting)
            .where(Meeting.team_id == team_id, col(Meeting.ended_at).is_not(None))
            .order_by(col(Meeting.day).desc(), col(Meeting.id).desc())
        ).all()
        scores: dict[int, list[int]] = {}
        for rating in session.exec(select(MeetingRating)):
            scores.setdefault(rating.meeting_id, []).append(rating.score)
    return tuple(
        PastMeeting(
            m.id or 0,
            m.week,
            m.day,
            round(((m.ended_at or m.started_at) - m.started_at).total_seconds() / 60),
            rating_average(scores.get(m.id or 0, [])),
        )
        for m in rows
    )


def rating_trend(past: Sequence[PastMeeting]) -> str:
    """ "up", "down" or "flat": the latest average against the mean of the ones before
    it (up to four); "" with fewer than two rated meetings."""
    rated = [p.average for p in past if p.average is not None]
    if len(rated) < 2:
        return ""
    latest, before = rated[0], rated[1:5]
    mean = sum(before) / len(before)
    if latest > mean + 0.2:
        return "up"
    if latest < mean - 0.2:
        return "down"
    return "flat"


def ended_meeting_times(
    db: Database, team_id: int, before: datetime | None = None
) -> tuple[tuple[date, datetime], ...]:
    """(day, ended_at) of the team's ended meetings, oldest first (for the to-do rules)."""
    with db.session() as session:
        query = select(Meeting).where(
            Meeting.team_id == team_id, col(Meeting.ended_at).is_not(None)
        )
        rows = session.exec(query.order_by(col(Meeting.ended_at))).all()
    return tuple(
        (m.day, m.ended_at)
        for m in rows
        if m.ended_at is not None and (before is None or m.ended_at <= before)
    )


_MEETINGS_OF_WEEK = PlainQuery(
    sa_select(col(Meeting.id)).where(
        col(Meeting.team_id) == bindparam("team_id"), col(Meeting.week) == bindparam("week")
    )
)


def meeting_ids_of_week(db: Database, team_id: int, week: str) -> tuple[int, ...]:
    with db.session() as session:
        found = _MEETINGS_OF_WEEK.rows(session, team_id=team_id, week=week)
        return tuple(i for (i,) in found if i is not None)


def away_text(seconds: int) -> str:
    """ "12 minutes" for the resume question."""
    minutes = round(seconds / 60)
    if minutes < 1:
        return "less than a minute"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def meeting_length(state: MeetingState, now: datetime) -> timedelta:
    return (state.ended_at or now) - state.started_at
