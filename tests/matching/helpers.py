"""Synthetic persons and families for the matching tests, through the services."""

from __future__ import annotations

from wayhome.accounts.models import User
from wayhome.core.fuzzydate import FuzzyDate, Precision
from wayhome.people import services
from wayhome.people.kinship import KinWord
from wayhome.people.models import Person, Sex
from wayhome.people.services import NameData


def year(y: int) -> FuzzyDate:
    return FuzzyDate(Precision.YEAR, y)


def person(actor: User, *names: str, sex: str = Sex.FEMALE, born: int | None = None) -> Person:
    """A person with names given as "Given Family" strings (any script)."""
    data = [NameData(given=n.split(" ")[0], family=" ".join(n.split(" ")[1:])) for n in names]
    return services.person_create(
        actor=actor, names=data, sex=sex, birth=year(born) if born else None
    )


def mother_of(actor: User, mother: Person, *children: Person) -> None:
    for child in children:
        services.relationship_add_in_words(
            actor=actor, person=mother, word=KinWord.MOTHER_OF, other=child
        )
