from __future__ import annotations

import pytest

from tests.matching.helpers import person, year
from wayhome.accounts.models import User
from wayhome.matching import keys, selectors
from wayhome.matching.selectors import candidates_for, candidates_for_person
from wayhome.names import similarity
from wayhome.names.similarity import NameFeatures
from wayhome.people.models import Sex
from wayhome.people.services import NameData


def test_finds_the_same_person_across_scripts_and_explains(caseworker: User) -> None:
    same = person(caseworker, "Аминат Алиева", born=1990)
    person(caseworker, "Рустам Эльдаров", sex=Sex.MALE, born=1974)
    found = candidates_for(caseworker, names=["Aminat Aliyeva"], sex="F", birth=year(1990))
    assert [c.person for c in found] == [same]
    best = found[0]
    assert 0.9 < best.score <= 1.0
    assert "Aminat~Аминат" in best.alignment
    assert [str(f.field) for f in best.fields] == ["Name", "Birth", "Sex"]
    assert [f.direction for f in best.fields] == ["for", "for", "for"]


def test_ranks_by_birth_and_sex_as_well_as_names(caseworker: User) -> None:
    wrong_year = person(caseworker, "Aminat Aliyeva", born=1970)
    right = person(caseworker, "Aminat Aliyeva", born=1990)
    brother = person(caseworker, "Aminat Aliyeva", sex=Sex.MALE, born=1990)
    found = candidates_for(
        caseworker, names=[NameData(given="Аминат", family="Алиева")], sex="F", birth=year(1990)
    )
    assert [c.person for c in found][:1] == [right]
    assert {c.person for c in found} == {right, wrong_year, brother}
    assert all(0.0 <= c.score <= 1.0 for c in found)
    assert found[0].score > max(c.score for c in found[1:])


def test_a_namesake_born_a_generation_apart_is_listed_last_not_left_out(caseworker: User) -> None:
    """Who is shown is decided by score; among them a namesake born a generation apart
    is listed last, marked, and candidates who fit worse do not push it out."""
    namesake = person(caseworker, "Aminat Aliyeva", born=1964)
    closes = [person(caseworker, "Amina Aliyeva") for _ in range(3)]  # no birth date
    names, born = ["Аминат Алиева"], year(1990)
    every = candidates_for(caseworker, names=names, sex="F", birth=born, limit=10)
    assert [c.person for c in every] == [*closes, namesake]
    assert every[-1].generation_apart
    assert every[-1].score > max(c.score for c in every[:-1])  # first, on score alone
    two = candidates_for(caseworker, names=names, sex="F", birth=born, limit=2)
    assert [c.person for c in two] == [closes[0], namesake]


def test_never_another_agencys_person(caseworker: User, other_agency_user: User) -> None:
    theirs = person(other_agency_user, "Aminat Aliyeva", born=1990)
    mine = person(caseworker, "Aminat Aliyeva", born=1990)
    assert [c.person for c in candidates_for(caseworker, names=["Aminat Aliyeva"])] == [mine]
    assert [c.person for c in candidates_for(other_agency_user, names=["Aminat Aliyeva"])] == [
        theirs
    ]


def test_nothing_for_a_role_that_does_not_read_persons(
    caseworker: User, analyst: User, users: dict[str, User]
) -> None:
    person(caseworker, "Aminat Aliyeva")
    assert candidates_for(analyst, names=["Aminat Aliyeva"]) == []
    assert candidates_for(users["system_admin"], names=["Aminat Aliyeva"]) == []


def test_excludes_and_limits(caseworker: User) -> None:
    a = person(caseworker, "Aminat Aliyeva", born=1990)
    b = person(caseworker, "Aminat Aliyeva", born=1991)
    person(caseworker, "Aminat Aliyeva", born=1992)
    assert b not in [
        c.person for c in candidates_for(caseworker, names=["Aminat Aliyeva"], exclude=[b])
    ]
    assert len(candidates_for(caseworker, names=["Aminat Aliyeva"], limit=2)) == 2
    assert a not in [c.person for c in candidates_for_person(caseworker, a)]
    assert candidates_for(caseworker, names=["   "]) == []


def test_unrelated_names_are_not_candidates(caseworker: User) -> None:
    person(caseworker, "Rustam Eldarov", sex=Sex.MALE)
    assert candidates_for(caseworker, names=["Aminat Aliyeva"]) == []


def test_a_common_key_is_skipped_and_remembered(
    caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a tiny cap every single-part key of 'Aliyeva' is too common; the compound key
    of both parts still finds the namesake, and the common keys are not read again."""
    monkeypatch.setattr(selectors, "KEY_CAP", 2)
    monkeypatch.setattr(selectors, "TOKEN_KEY_CAP", 2)
    for given in ("Fatima", "Khadija", "Maryam"):
        person(caseworker, f"{given} Aliyeva")
    aminat = person(caseworker, "Aminat Aliyeva")
    found = candidates_for(caseworker, names=["Aminat Aliyeva"])
    assert [c.person for c in found] == [aminat]
    common = set(selectors._COMMON[caseworker.agency_key])
    assert common
    assert not any(k.startswith("=") for k in common)


def test_a_pair_is_explained_whatever_its_agreement(
    caseworker: User, other_agency_user: User
) -> None:
    a = person(caseworker, "Aminat Aliyeva", born=1990)
    b = person(caseworker, "Аминат Алиева", born=1990)
    far = person(caseworker, "Rustam Eldarov", sex=Sex.MALE, born=1960)
    theirs = person(other_agency_user, "Аминат Алиева", born=1990)
    close = selectors.pair_explained(caseworker, a, b)
    apart = selectors.pair_explained(caseworker, a, far)
    assert close is not None
    assert apart is not None
    assert close.score > 0.9 > 0.01 > apart.score
    assert [f.direction for f in apart.fields] == ["against", "against", "against"]
    assert selectors.pair_explained(caseworker, a, theirs) is None
    assert selectors.pair_explained(other_agency_user, a, b) is None


def test_a_name_met_again_is_not_parsed_again(
    caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(keys, "_PARTS", {})
    parsed: list[dict[str, str]] = []

    def counted(**parts: str) -> NameFeatures:
        parsed.append(parts)
        return similarity.name_features(**parts)

    monkeypatch.setattr(keys, "name_features", counted)
    p = person(caseworker, "Aminat Aliyeva")
    parsed.clear()  # registering the person keyed it
    monkeypatch.setattr(keys, "_PARTS", {})
    (first,) = selectors.names_of([p.pk])[p.pk]
    assert first.text == "Aminat Aliyeva"
    assert [t.text for t in first.features.tokens] == ["Aminat", "Aliyeva"]
    assert parsed == [{"given": "Aminat"}, {"family": "Aliyeva"}]
    (again,) = selectors.names_of([p.pk])[p.pk]
    assert again.features == first.features
    assert len(parsed) == 2  # both parts were met: nothing parsed again


def test_one_statement_finds_each_querys_shortlist_as_one_query_at_a_time_does(
    caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A request's shortlists in one statement: the same persons, in the same order, as a
    statement per sought person, a key too common for one query skipped for all of them."""
    monkeypatch.setattr(selectors, "TOKEN_KEY_CAP", 2)
    for given, born in [("Fatima", 1990), ("Khadija", 1980), ("Maryam", 2010)]:
        person(caseworker, f"{given} Aliyeva", born=born)
    aminat = person(caseworker, "Aminat Aliyeva", born=1990)
    umar = person(caseworker, "Umar Aliyev", sex=Sex.MALE, born=2014)
    person(caseworker, "Rustam Eldarov", sex=Sex.MALE, born=1974)
    queries = {
        1: selectors.described(["Aminat Aliyeva"], "F", year(1990)),
        2: selectors.described(["Umar Aliyev"], "M", year(2014)),
        3: selectors.described(["Maryam Aliyeva"]),
        4: selectors.described(["   "]),
    }
    together = selectors._shortlists(caseworker, queries, [umar.pk], 3)
    selectors._COMMON.clear()
    one_by_one = {
        q: selectors._shortlist_ids(caseworker, d, [umar.pk], 3) for q, d in queries.items()
    }
    assert together == one_by_one
    assert together[1][0] == aminat.pk
    assert umar.pk not in together[2]
    assert together[4] == []
    assert all(len(ids) <= 3 for ids in together.values())
