"""Calibration of the in-application score on cases caseworkers meet.

A relative's request says "born 2014" or "about 4" for a child last seen years ago, so a
birth year a few years off is common for the right child; a full name agreeing must then
still outweigh a given name alone with the right year. And two family names that share
their ending but not their root (Эльмурзаева, Бекмурзаева: the root is the family, the
ending is shared by thousands) must not count as agreeing. All persons are synthetic.
"""

from __future__ import annotations

import datetime as dt

from tests.matching.helpers import person, year
from tests.tracing import helpers as tracing
from wayhome.accounts.models import User
from wayhome.core.fuzzydate import FuzzyDate
from wayhome.linkage.model import NAME_LEVELS
from wayhome.matching.requests import request_candidates
from wayhome.matching.selectors import candidates_for
from wayhome.people import services
from wayhome.people.models import Person, PersonName, Sex
from wayhome.people.services import NameData

SAME_ONE = NAME_LEVELS.index("one token same")


def registered(
    actor: User, given: str, patronymic: str, family: str, born: int, sex: str = Sex.FEMALE
) -> Person:
    name = NameData(given=given, patronymic=patronymic, family=family)
    return services.person_create(actor=actor, names=[name], sex=sex, birth=year(born))


def given_name_namesakes(actor: User, given: str, born: int, sex: str = Sex.FEMALE) -> None:
    """Five children with the same given name and the reported year, other families."""
    for family in ("Кадырова", "Мусаева", "Умарова", "Гайсултанова", "Хасбулатова"):
        person(actor, f"{given} {family}", sex=sex, born=born)


def test_a_full_name_three_years_off_beats_a_given_name_with_the_year(caseworker: User) -> None:
    aisha = registered(caseworker, "Аиша", "Исламовна", "Эльмурзаева", 2017)
    given_name_namesakes(caseworker, "Аиша", 2014)
    found = candidates_for(caseworker, names=["Aisha Elmurzaeva"], sex="F", birth=year(2014))
    assert found[0].person == aisha
    assert found[0].score > max(c.score for c in found[1:])


def test_a_family_name_differing_in_its_root_does_not_agree(caseworker: User) -> None:
    aisha = registered(caseworker, "Аиша", "Исламовна", "Эльмурзаева", 2017)
    other = person(caseworker, "Аиша Бекмурзаева", born=2017)
    unrelated = person(caseworker, "Аиша Кадырова", born=2017)
    found = {c.person: c for c in candidates_for(caseworker, names=["Aisha Elmurzaeva"], sex="F")}
    assert found[aisha].score > 0.9
    assert found[other].vector[0] == found[unrelated].vector[0] == SAME_ONE
    assert found[other].score < 0.5
    assert found[other].score < found[aisha].score / 10


def test_a_spelling_variant_or_typo_of_the_family_name_still_agrees(caseworker: User) -> None:
    variant = person(caseworker, "Аишат Махомедова", born=2015)
    found = candidates_for(caseworker, names=["Aishat Magomedova"], sex="F", birth=year(2015))
    assert [c.person for c in found][:1] == [variant]
    assert found[0].score > 0.9
    typo = candidates_for(caseworker, names=["Aishat Mahomedowa"], sex="F", birth=year(2015))
    assert typo[0].person == variant
    assert typo[0].score > 0.9


def test_a_boy_whose_age_was_guessed(caseworker: User) -> None:
    """A guessed "about 4" in March 2019 (born 2014-2015) for a boy registered as born 2012."""
    magomed = registered(caseworker, "Магомед", "Русланович", "Дудаев", 2012, Sex.MALE)
    given_name_namesakes(caseworker, "Магомед", 2015, Sex.MALE)
    about_four = FuzzyDate.about_age(4, dt.date(2019, 3, 10))
    found = candidates_for(caseworker, names=["Magomed Dudayev"], sex="M", birth=about_four)
    assert found[0].person == magomed


def test_a_sister_born_the_reported_year_does_not_outrank_the_child(caseworker: User) -> None:
    hava = person(caseworker, "Хава Эльмурзаева", born=2013)
    sister = person(caseworker, "Аиша Эльмурзаева", born=2016)
    found = candidates_for(caseworker, names=["Khava Elmurzaeva"], sex="F", birth=year(2016))
    assert [c.person for c in found][:2] == [hava, sister]
    assert found[0].weight > found[1].weight + 4  # sixteen times the odds


def test_a_root_differing_family_name_for_a_man(caseworker: User) -> None:
    right = person(caseworker, "Ибрагим Сайдуллаев", sex=Sex.MALE, born=1985)
    wrong = person(caseworker, "Ибрагим Абдуллаев", sex=Sex.MALE, born=1988)
    found = candidates_for(
        caseworker, names=["Ibragim Saidullaev"], sex="M", birth=FuzzyDate.parse("1988")
    )
    assert [c.person for c in found][:2] == [right, wrong]
    assert found[1].vector[0] == SAME_ONE
    assert found[0].weight > found[1].weight + 4


def test_a_request_lists_the_child_registered_with_another_year(caseworker: User) -> None:
    aisha = registered(caseworker, "Аиша", "Исламовна", "Эльмурзаева", 2017)
    given_name_namesakes(caseworker, "Аиша", 2014)
    sought = person(caseworker, "Aisha Elmurzaeva", born=2014)
    request = tracing.tracing_request(caseworker, [sought])
    (result,) = request_candidates(caseworker, request)
    assert [c.person for c in result.candidates][:1] == [aisha]


def test_a_maiden_name_alone_agreeing_counts_as_one_name_part(caseworker: User) -> None:
    """A name of one token (a maiden name recorded alone) agreeing with one token of the
    sought name is one part agreeing, not two: it must not outrank the sought woman."""
    aishat = registered(caseworker, "Айшат", "Мурадовна", "Омарова", 1995)
    born_omarova = services.person_create(
        actor=caseworker,
        names=[
            NameData(given="Хадижат", patronymic="Исламовна", family="Бекмурзаева"),
            NameData(family="Омарова", kind=PersonName.Kind.MAIDEN),
        ],
        sex=Sex.FEMALE,
        birth=year(1988),
    )
    found = {c.person: c for c in candidates_for(caseworker, names=["Aishat Omarova"], sex="F")}
    assert found[born_omarova].vector[0] == SAME_ONE
    assert found[born_omarova].score < 0.5
    assert found[aishat].score > 0.9


def test_sisters_of_the_sought_woman_are_not_taken_for_her(caseworker: User) -> None:
    """Sisters share their patronymic and family name: with the given names unlike, the
    name is no evidence that a sister is the sought woman, whatever her birth year."""
    aishat = registered(caseworker, "Айшат", "Мурадовна", "Омарова", 1995)
    sisters = [
        registered(caseworker, given, "Мурадовна", "Омарова", born)
        for given, born in (("Хадижат", 1996), ("Зайнаб", 1991), ("Халима", 2009))
    ]
    found = {
        c.person: c for c in candidates_for(caseworker, names=["Айшат Мурадовна Омарова"], sex="F")
    }
    assert found[aishat].score > 0.9
    for sister in sisters:
        assert NAME_LEVELS[found[sister].vector[0]] == "two agree, another unlike"
        assert found[sister].score < 0.5
        assert found[sister].score < found[aishat].score / 5
    dated = candidates_for(caseworker, names=["Айшат Мурадовна Омарова"], sex="F", birth=year(1996))
    assert dated[0].person == aishat  # a sister born the year given still ranks below
