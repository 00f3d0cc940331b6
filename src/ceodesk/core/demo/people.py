"""Demo people: a 25-person company with a leadership team of five."""

from __future__ import annotations

from sqlmodel import Session, col, select

from ceodesk.core.domain.settings import leadership_team
from ceodesk.core.store.models import Person, Team, TeamMember, saved_id

CEO = ("Alex Morgan", "CEO")
LEADERS = (
    ("Dana Whitfield", "COO"),
    ("Jordan Reyes", "VP Sales"),
    ("Priya Natarajan", "CTO"),
    ("Sam Okafor", "CFO"),
)
TEAMS: dict[str, tuple[tuple[str, str], ...]] = {
    "Sales": (
        ("Jordan Reyes", "VP Sales"),
        ("Lena Fischer", "Account Executive"),
        ("Marcus Bell", "Account Executive"),
        ("Aisha Khan", "Sales Development Rep"),
        ("Tom Becker", "Sales Development Rep"),
    ),
    "Engineering": (
        ("Priya Natarajan", "CTO"),
        ("Ravi Menon", "Engineering Manager"),
        ("Chloe Dubois", "Senior Engineer"),
        ("Felix Wagner", "Senior Engineer"),
        ("Nina Petrova", "Engineer"),
        ("Omar Haddad", "Engineer"),
        ("Grace Liu", "Data Engineer"),
        ("Ben Carter", "Product Designer"),
        ("Hannah Scott", "Product Manager"),
    ),
    "Customer Success": (
        ("Dana Whitfield", "COO"),
        ("Carlos Romero", "Customer Success Lead"),
        ("Emily Nguyen", "Customer Success Manager"),
        ("Jonas Berg", "Support Engineer"),
        ("Sofia Rossi", "Implementation Specialist"),
    ),
    "Operations": (
        ("Sam Okafor", "CFO"),
        ("Maya Lindqvist", "Office Manager"),
        ("Leo Martin", "Finance Associate"),
        ("Zoe Adams", "People & Talent Partner"),
        ("Iris Cohen", "Recruiter"),
    ),
}


def build(session: Session) -> dict[str, Person]:
    """Create the company; returns people by first name (lower case)."""
    me = session.exec(select(Person).where(col(Person.is_me))).one()
    me.name, me.role = CEO
    staff: dict[str, Person] = {"alex": me}
    leadership = leadership_team(session)
    for name, role in LEADERS:
        person = Person(name=name, role=role)
        session.add(person)
        session.flush()
        session.add(TeamMember(team_id=saved_id(leadership), person_id=saved_id(person)))
        staff[name.split()[0].lower()] = person
    for team_name, members in TEAMS.items():
        team = Team(name=team_name)
        session.add(team)
        session.flush()
        for name, role in members:
            key = name.split()[0].lower()
            if key not in staff:
                staff[key] = Person(name=name, role=role)
                session.add(staff[key])
                session.flush()
            session.add(TeamMember(team_id=saved_id(team), person_id=saved_id(staff[key])))
    # One former employee: deactivated people keep their name in history.
    staff["kevin"] = Person(name="Kevin Shaw", role="Account Executive", active=False)
    session.add(staff["kevin"])
    session.flush()
    return staff
