"""People and teams: owners for tasks, Rocks and measurables.

People are never deleted: deactivating one hides them from pickers while history
(tasks they owned, minutes they rated) keeps their name.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from ceodesk.core.kernel.errors import InputError
from ceodesk.core.kernel.text import clean_line, one_line
from ceodesk.core.store.db import Database
from ceodesk.core.store.lookups import get_or_refuse
from ceodesk.core.store.models import Person, Team, TeamMember, saved_id
from ceodesk.core.store.preferences import leadership_team

LONGEST_NAME = 80
LONGEST_TEAM_NAME = 60


@dataclass(frozen=True)
class PersonView:
    id: int
    name: str
    role: str
    is_me: bool
    active: bool
    teams: tuple[str, ...]

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name else ""


def _clean_name(name: str) -> str:
    return clean_line(
        name,
        empty="A team member needs a name.",
        longest=LONGEST_NAME,
        too_long=f"A name can be at most {LONGEST_NAME} characters long.",
    )


def _view(session: Session, person: Person) -> PersonView:
    teams = session.exec(
        select(Team.name)
        .join(TeamMember, col(TeamMember.team_id) == col(Team.id))
        .where(TeamMember.person_id == person.id)
        .order_by(col(Team.is_leadership).desc(), Team.name)
    ).all()
    return PersonView(
        person.id or 0, person.name, person.role, person.is_me, person.active, tuple(teams)
    )


def list_people(db: Database, *, active_only: bool = False) -> list[PersonView]:
    """Everyone, you first, then by name; deactivated people last."""
    with db.session() as session:
        query = select(Person)
        if active_only:
            query = query.where(col(Person.active))
        people = session.exec(query).all()
        people = sorted(people, key=lambda p: (not p.active, not p.is_me, p.name.lower()))
        return [_view(session, p) for p in people]


def _person(session: Session, person_id: int) -> Person:
    return get_or_refuse(session, Person, person_id, "That team member no longer exists.")


def _ensure_unique(session: Session, name: str, except_id: int | None = None) -> None:
    """Active people's names differ in more than case, so @name can tell them apart."""
    clash = session.exec(
        select(Person).where(
            col(Person.active),
            func.lower(Person.name) == name.lower(),
            col(Person.id) != (except_id or -1),
        )
    ).first()
    if clash is not None:
        raise InputError(f"There is already an active team member called {clash.name}.")


def add_person(db: Database, name: str, role: str = "", *, leadership: bool = True) -> PersonView:
    """Add a person (to the Leadership team unless told otherwise)."""
    name = _clean_name(name)
    with db.action(f"Added {name}") as session:
        _ensure_unique(session, name)
        person = Person(name=name, role=one_line(role))
        session.add(person)
        session.flush()
        if leadership:
            session.add(
                TeamMember(team_id=saved_id(leadership_team(session)), person_id=saved_id(person))
            )
            session.flush()
        return _view(session, person)


def rename_person(db: Database, person_id: int, name: str) -> None:
    name = _clean_name(name)
    with db.action(f"Renamed to {name}") as session:
        _ensure_unique(session, name, except_id=person_id)
        _person(session, person_id).name = name


def set_role(db: Database, person_id: int, role: str) -> None:
    with db.action("Changed role") as session:
        _person(session, person_id).role = one_line(role)


def set_active(db: Database, person_id: int, active: bool) -> None:
    """Deactivate (or bring back) a person; you cannot deactivate yourself."""
    with db.session() as session:
        person = _person(session, person_id)
        if person.is_me and not active:
            raise InputError("You cannot deactivate yourself.")
        name = person.name
    with db.action(f"{'Reactivated' if active else 'Deactivated'} {name}") as session:
        if active:
            _ensure_unique(session, name, except_id=person_id)
        _person(session, person_id).active = active


def find_person(session: Session, ref: str) -> Person:
    """Resolve ``@ref`` to one active person.

    Matches, in order: the full name (spaces may be written as ``.``, ``-`` or ``_``),
    the first name, then the start of the first name. No match or several matches is
    an InputError naming the candidates.
    """
    wanted = ref.strip().lstrip("@").lower()
    for char in ".-_":
        wanted = wanted.replace(char, " ")
    wanted = one_line(wanted)
    if not wanted:
        raise InputError("Name a person after @, like @dana.")
    people = session.exec(select(Person).where(col(Person.active))).all()
    rules = (
        lambda p: p.name.lower() == wanted,
        lambda p: p.name.lower().split()[0] == wanted,
        lambda p: p.name.lower().startswith(wanted),
    )
    for rule in rules:
        matches = [p for p in people if p.name and rule(p)]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            names = ", ".join(sorted(p.name for p in matches))
            raise InputError(f"@{ref.lstrip('@')} could be {names}; write more of the name.")
    raise InputError(f"No active team member matches @{ref.lstrip('@')}.")


@dataclass(frozen=True)
class TeamView:
    id: int
    name: str
    is_leadership: bool
    members: int


def _clean_team_name(name: str) -> str:
    return clean_line(
        name,
        empty="A team needs a name.",
        longest=LONGEST_TEAM_NAME,
        too_long=f"A team name can be at most {LONGEST_TEAM_NAME} characters long.",
    )


def list_teams(db: Database) -> list[TeamView]:
    """Every team, Leadership first, with how many people are in it."""
    with db.session() as session:
        teams = session.exec(select(Team).order_by(col(Team.is_leadership).desc(), Team.name))
        views = []
        for team in teams.all():
            members = session.exec(
                select(func.count()).select_from(TeamMember).where(TeamMember.team_id == team.id)
            ).one()
            views.append(TeamView(team.id or 0, team.name, team.is_leadership, members))
        return views


def _team_named(session: Session, name: str) -> Team | None:
    return session.exec(select(Team).where(func.lower(Team.name) == name.lower())).first()


def set_teams(db: Database, person_id: int, teams: str) -> tuple[str, ...]:
    """Put a person in exactly the teams named, comma-separated, in any case.

    A name no team has yet creates that team; an empty text takes the person out of
    every team. Returns the teams the person is now in.
    """
    names = [_clean_team_name(n) for n in teams.split(",") if n.strip()]
    with db.session() as session:
        person_name = _person(session, person_id).name
    with db.action(f"Changed {person_name}'s teams") as session:
        wanted: dict[int, Team] = {}
        for name in names:
            team = _team_named(session, name)
            if team is None:
                team = Team(name=name)
                session.add(team)
                session.flush()
            wanted[team.id or 0] = team
        current = session.exec(select(TeamMember).where(TeamMember.person_id == person_id))
        for membership in current.all():
            if membership.team_id not in wanted:
                session.delete(membership)
            else:
                del wanted[membership.team_id]
        for team_id in wanted:
            session.add(TeamMember(team_id=team_id, person_id=person_id))
        session.flush()
        return _view(session, _person(session, person_id)).teams


def rename_team(db: Database, team_id: int, name: str) -> None:
    """Rename a team; names differ in more than case."""
    name = _clean_team_name(name)
    with db.action(f"Renamed team to {name}") as session:
        team = get_or_refuse(session, Team, team_id, "That team no longer exists.")
        clash = _team_named(session, name)
        if clash is not None and clash.id != team_id:
            raise InputError(f"There is already a team called {clash.name}.")
        team.name = name
