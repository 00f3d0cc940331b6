"""A team's issues list, its top 3, the decisions that solve issues, and dismissed proposals.

Open issues are short-term (this quarter) or long-term. The top 3 are ranked 1-3 by
the team ("mark next", again to unmark, reorder); the rest follow short-term first,
oldest first. Solving an issue records a one-line decision, which may carry a
"review on" date: on that date it comes back as a proposed issue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from ceodesk.core.kernel.errors import InputError
from ceodesk.core.kernel.text import clean_line
from ceodesk.core.store.db import Database
from ceodesk.core.store.lookups import get_or_refuse
from ceodesk.core.store.models import Decision, DismissedProposal, Issue, Person, Team

TERMS = ("short", "long")
STATUSES = ("open", "solved", "dropped")
TOP = 3
LONGEST_TITLE = 200
SOURCE_KINDS = ("rock", "measurable", "todo", "decision", "headline", "segue", "other")


# ------------------------------------------------------------------ grammar


@dataclass(frozen=True)
class IssueText:
    title: str
    owner_ref: str | None  # "dana" from "@dana", resolved by the caller
    term: str


def parse_issue(text: str) -> IssueText:
    """ "Support is at capacity @dana #long" -> title, owner, term.

    ``@name`` names one owner; ``#long`` (or ``#short``, the default) is the term. Any
    other ``#word`` is refused, so a typo never hides in the title.
    """
    words, owner, term = [], None, "short"
    for word in text.split():
        if word in {"@", "#"}:
            what = "a person after @, like @dana" if word == "@" else "#long or #short"
            raise InputError(f"Write {what}.")
        if word.startswith("@"):
            if owner is not None:
                raise InputError(f"Give one owner, not two (“@{owner}” and “{word}”).")
            owner = word[1:]
        elif word.startswith("#"):
            wanted = word[1:].lower()
            if wanted not in TERMS:
                raise InputError(f"“{word}” is not a term: write #long, or #short (the default).")
            term = wanted
        else:
            words.append(word)
    return IssueText(clean_title(" ".join(words)), owner, term)


def clean_title(title: str) -> str:
    return clean_line(
        title,
        empty="An issue needs a few words saying what it is.",
        longest=LONGEST_TITLE,
        too_long=f"An issue can be at most {LONGEST_TITLE} characters long.",
    )


# ------------------------------------------------------------------ top 3


def toggle_top(top: Sequence[int], issue_id: int) -> tuple[int, ...]:
    """Mark ``issue_id`` as the next of the top 3, or unmark it when it is one of them
    (those after it move up). A full top 3 refuses another."""
    current = tuple(dict.fromkeys(top))
    if issue_id in current:
        return tuple(i for i in current if i != issue_id)
    if len(current) >= TOP:
        raise InputError(f"The top {TOP} are chosen: unmark one before marking another.")
    return (*current, issue_id)


def reorder_top(top: Sequence[int], issue_id: int, step: int) -> tuple[int, ...]:
    """Move ``issue_id`` up (-1) or down (+1) within the top 3; at an end it stays."""
    current = list(dict.fromkeys(top))
    if issue_id not in current:
        raise InputError("Only an issue in the top 3 can be moved up or down; mark it with r.")
    index = current.index(issue_id)
    target = max(0, min(len(current) - 1, index + step))
    current.insert(target, current.pop(index))
    return tuple(current)


# ------------------------------------------------------------------ views


@dataclass(frozen=True)
class IssueView:
    id: int
    uid: str
    team_id: int
    title: str
    notes: str
    owner_id: int | None
    owner: str | None
    raised_by: str | None
    raised_at: datetime
    term: str
    status: str
    rank: int | None  # 1-3 in the top 3
    source_kind: str | None
    source_uid: str | None

    @property
    def long_term(self) -> bool:
        return self.term == "long"


@dataclass(frozen=True)
class DecisionView:
    id: int
    uid: str
    team_id: int
    issue_id: int | None
    issue: str | None  # the issue's title
    meeting_id: int | None
    text: str
    decided_at: datetime
    review_on: date | None


def issue_order(issue: IssueView) -> tuple:
    """Top 3 by rank, then short-term before long-term, oldest first."""
    return (
        issue.rank is None,
        issue.rank or 0,
        TERMS.index(issue.term) if issue.term in TERMS else 0,
        issue.raised_at,
        issue.id,
    )


def _view(issue: Issue, names: dict[int, str]) -> IssueView:
    return IssueView(
        id=issue.id or 0,
        uid=issue.uid,
        team_id=issue.team_id,
        title=issue.title,
        notes=issue.notes,
        owner_id=issue.owner_id,
        owner=names.get(issue.owner_id) if issue.owner_id is not None else None,
        raised_by=names.get(issue.raised_by_id) if issue.raised_by_id is not None else None,
        raised_at=issue.raised_at,
        term=issue.term,
        status=issue.status,
        rank=issue.rank,
        source_kind=issue.source_kind,
        source_uid=issue.source_uid,
    )


def _names(session: Session) -> dict[int, str]:
    return {p.id or 0: p.name for p in session.exec(select(Person))}


def open_issues(db: Database, team_id: int) -> tuple[IssueView, ...]:
    """The team's open issues: the top 3 first, then short-term, then long-term."""
    with db.session() as session:
        names = _names(session)
        rows = session.exec(
            select(Issue).where(Issue.team_id == team_id, Issue.status == "open")
        ).all()
        views = [_view(i, names) for i in rows]
    return tuple(sorted(views, key=issue_order))


def issue(db: Database, issue_id: int) -> IssueView:
    with db.session() as session:
        return _view(_issue(session, issue_id), _names(session))


def issues_solved_in(db: Database, meeting_id: int) -> tuple[IssueView, ...]:
    with db.session() as session:
        names = _names(session)
        rows = session.exec(
            select(Issue)
            .where(Issue.meeting_id == meeting_id, Issue.status == "solved")
            .order_by(col(Issue.closed_at), col(Issue.id))
        ).all()
        return tuple(_view(i, names) for i in rows)


def open_sources(db: Database, team_id: int) -> set[str]:
    """Uids of what the team's open issues were raised from (so it is not proposed again)."""
    with db.session() as session:
        return {
            uid
            for uid in session.exec(
                select(Issue.source_uid).where(
                    Issue.team_id == team_id,
                    Issue.status == "open",
                    col(Issue.source_uid).is_not(None),
                )
            )
            if uid
        }


def raised_sources(db: Database, team_id: int, kind: str) -> set[str]:
    """Uids of ``kind`` that any issue of the team (open or closed) was raised from."""
    with db.session() as session:
        return {
            uid
            for uid in session.exec(
                select(Issue.source_uid).where(Issue.team_id == team_id, Issue.source_kind == kind)
            )
            if uid
        }


# ----------------------------------------------------------------- actions


def _issue(session: Session, issue_id: int) -> Issue:
    return get_or_refuse(session, Issue, issue_id, "That issue no longer exists.")


def _open(session: Session, issue_id: int) -> Issue:
    row = _issue(session, issue_id)
    if row.status != "open":
        raise InputError(f"“{row.title}” is already {row.status}.")
    return row


def create_issue(
    session: Session,
    team_id: int,
    title: str,
    now: datetime,
    *,
    owner_id: int | None = None,
    raised_by_id: int | None = None,
    term: str = "short",
    source_kind: str | None = None,
    source_uid: str | None = None,
    notes: str = "",
) -> Issue:
    """Add an issue inside an action already running (see ``add_issue``)."""
    title = clean_title(title)
    if term not in TERMS:
        raise InputError("An issue is short-term or long-term.")
    if source_kind is not None and source_kind not in SOURCE_KINDS:
        raise InputError(f"An issue cannot come from “{source_kind}”.")
    get_or_refuse(session, Team, team_id, "That team no longer exists.")
    for person_id in (owner_id, raised_by_id):
        if person_id is not None:
            get_or_refuse(session, Person, person_id, "That team member no longer exists.")
    row = Issue(
        team_id=team_id,
        title=title,
        notes=notes.strip(),
        owner_id=owner_id,
        raised_by_id=raised_by_id,
        raised_at=now,
        term=term,
        source_kind=source_kind,
        source_uid=source_uid,
    )
    session.add(row)
    session.flush()
    return row


def add_issue(
    db: Database,
    team_id: int,
    title: str,
    now: datetime,
    *,
    owner_id: int | None = None,
    raised_by_id: int | None = None,
    term: str = "short",
    source_kind: str | None = None,
    source_uid: str | None = None,
    notes: str = "",
) -> IssueView:
    with db.action("Added an issue") as session:
        row = create_issue(
            session,
            team_id,
            title,
            now,
            owner_id=owner_id,
            raised_by_id=raised_by_id,
            term=term,
            source_kind=source_kind,
            source_uid=source_uid,
            notes=notes,
        )
        return _view(row, _names(session))


def _top(session: Session, team_id: int) -> list[Issue]:
    return list(
        session.exec(
            select(Issue)
            .where(Issue.team_id == team_id, Issue.status == "open", col(Issue.rank).is_not(None))
            .order_by(col(Issue.rank))
        )
    )


def _store_top(session: Session, team_id: int, order: Sequence[int]) -> None:
    for row in _top(session, team_id):
        row.rank = None
    session.flush()
    for rank, issue_id in enumerate(order, start=1):
        _issue(session, issue_id).rank = rank


def mark_top(db: Database, issue_id: int) -> int | None:
    """``r``: the issue becomes the next of the top 3, or leaves it. Returns its rank."""
    with db.action("Changed the top 3") as session:
        row = _open(session, issue_id)
        order = toggle_top([i.id or 0 for i in _top(session, row.team_id)], issue_id)
        _store_top(session, row.team_id, order)
        return order.index(issue_id) + 1 if issue_id in order else None


def move_top(db: Database, issue_id: int, step: int) -> int:
    """shift+up/down: move an issue within the top 3; returns its new rank."""
    with db.action("Reordered the top 3") as session:
        row = _open(session, issue_id)
        order = reorder_top([i.id or 0 for i in _top(session, row.team_id)], issue_id, step)
        _store_top(session, row.team_id, order)
        return order.index(issue_id) + 1


def _close(session: Session, row: Issue, status: str, now: datetime) -> None:
    team_id, had_rank = row.team_id, row.rank is not None
    row.status, row.closed_at, row.rank = status, now, None
    session.flush()
    if had_rank:
        _store_top(session, team_id, [i.id or 0 for i in _top(session, team_id)])


def drop_issue(db: Database, issue_id: int, now: datetime) -> str:
    """``x``: the issue leaves the list as dropped; returns its title."""
    with db.action("Dropped an issue") as session:
        row = _open(session, issue_id)
        _close(session, row, "dropped", now)
        return row.title


def set_term(db: Database, issue_id: int, term: str) -> None:
    """``l``: move to the long-term list (or back); it leaves the top 3."""
    if term not in TERMS:
        raise InputError("An issue is short-term or long-term.")
    with db.action(
        "Moved an issue to the long-term list" if term == "long" else "Moved an issue"
    ) as session:
        row = _open(session, issue_id)
        row.term = term
        if term == "long" and row.rank is not None:
            row.rank = None
            session.flush()
            _store_top(session, row.team_id, [i.id or 0 for i in _top(session, row.team_id)])


def set_notes(db: Database, issue_id: int, notes: str) -> None:
    """Discussion notes (several lines)."""
    with db.action("Noted the discussion") as session:
        _issue(session, issue_id).notes = notes.strip()


def edit_issue(db: Database, issue_id: int, title: str, owner_id: int | None) -> None:
    title = clean_title(title)
    with db.action("Edited an issue") as session:
        row = _issue(session, issue_id)
        if owner_id is not None:
            get_or_refuse(session, Person, owner_id, "That team member no longer exists.")
        row.title, row.owner_id = title, owner_id


def check_decision(text: str) -> str:
    return clean_line(
        text,
        empty="Solving an issue needs a one-line decision.",
        longest=LONGEST_TITLE,
        too_long=f"Keep the decision to one line of at most {LONGEST_TITLE} characters.",
    )


def record_solution(
    session: Session,
    issue_id: int,
    decision: str,
    now: datetime,
    *,
    meeting_id: int | None = None,
    review_on: date | None = None,
) -> Decision:
    """Inside a running action: the issue is solved by ``decision`` (one line)."""
    text = check_decision(decision)
    row = _open(session, issue_id)
    _close(session, row, "solved", now)
    row.meeting_id = meeting_id
    decided = Decision(
        team_id=row.team_id,
        issue_id=row.id,
        meeting_id=meeting_id,
        text=text,
        decided_at=now,
        review_on=review_on,
    )
    session.add(decided)
    session.flush()
    return decided


def _decision_view(row: Decision, titles: dict[int, str]) -> DecisionView:
    return DecisionView(
        id=row.id or 0,
        uid=row.uid,
        team_id=row.team_id,
        issue_id=row.issue_id,
        issue=titles.get(row.issue_id) if row.issue_id is not None else None,
        meeting_id=row.meeting_id,
        text=row.text,
        decided_at=row.decided_at,
        review_on=row.review_on,
    )


def decisions(
    db: Database, team_id: int | None = None, *, search: str = "", meeting_id: int | None = None
) -> tuple[DecisionView, ...]:
    """The decisions log, newest first; ``search`` matches the decision or its issue."""
    with db.session() as session:
        query = select(Decision)
        if team_id is not None:
            query = query.where(Decision.team_id == team_id)
        if meeting_id is not None:
            query = query.where(Decision.meeting_id == meeting_id)
        rows = session.exec(
            query.order_by(col(Decision.decided_at).desc(), col(Decision.id).desc())
        ).all()
        titles = {i.id or 0: i.title for i in session.exec(select(Issue))}
    views = [_decision_view(r, titles) for r in rows]
    wanted = search.strip().lower()
    if wanted:
        views = [v for v in views if wanted in f"{v.text} {v.issue or ''}".lower()]
    return tuple(views)


def is_due_for_review(review_on: date | None, today: date) -> bool:
    """A decision comes back on its review date (and stays until raised or dismissed)."""
    return review_on is not None and review_on <= today


def decisions_due_for_review(db: Database, team_id: int, today: date) -> tuple[DecisionView, ...]:
    """Decisions whose review date has come and that were not raised as an issue yet."""
    raised = raised_sources(db, team_id, "decision")
    return tuple(
        d
        for d in decisions(db, team_id)
        if is_due_for_review(d.review_on, today) and d.uid not in raised
    )


def set_review_on(db: Database, decision_id: int, review_on: date | None, today: date) -> None:
    """A decision's "review on" date (None: no review): on it, the decision comes back
    as a proposed issue. The date lies after today, so setting it never proposes at once."""
    if review_on is not None and review_on <= today:
        raise InputError("A decision's review date lies after today.")
    with db.action("Set a decision's review date" if review_on else "Cleared a review date") as s:
        row = get_or_refuse(s, Decision, decision_id, "That decision no longer exists.")
        row.review_on = review_on


def open_issue_from(db: Database, team_id: int, source_uid: str) -> IssueView | None:
    """The team's open issue raised from ``source_uid`` (a Rock, a measurable, ...), if any."""
    with db.session() as session:
        row = session.exec(
            select(Issue).where(
                Issue.team_id == team_id, Issue.status == "open", Issue.source_uid == source_uid
            )
        ).first()
        return _view(row, _names(session)) if row is not None else None


# --------------------------------------------------------------- dismissals


def dismiss(db: Database, team_id: int, week: str, kind: str, source_uid: str) -> None:
    """A proposed issue stays dismissed for the rest of ``week``."""
    with db.action("Dismissed a proposed issue") as session:
        exists = session.exec(
            select(DismissedProposal).where(
                DismissedProposal.team_id == team_id,
                DismissedProposal.week == week,
                DismissedProposal.kind == kind,
                DismissedProposal.source_uid == source_uid,
            )
        ).first()
        if exists is None:
            session.add(
                DismissedProposal(team_id=team_id, week=week, kind=kind, source_uid=source_uid)
            )


def dismissed(db: Database, team_id: int, week: str) -> set[tuple[str, str]]:
    """(kind, source uid) of the proposals dismissed in ``week``."""
    with db.session() as session:
        rows = session.exec(
            select(DismissedProposal).where(
                DismissedProposal.team_id == team_id, DismissedProposal.week == week
            )
        ).all()
        return {(r.kind, r.source_uid) for r in rows}
