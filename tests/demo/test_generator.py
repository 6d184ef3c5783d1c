"""The generator's plans: reproducible, consistent families, names in the intended scripts."""

from __future__ import annotations

import datetime as dt

import pytest

from wayhome.core.text import detect_script
from wayhome.demo import names as nm
from wayhome.demo.families import AS_OF, add_years
from wayhome.demo.plans import FamilyPlan, PersonPlan
from wayhome.demo.seeding import planned_families
from wayhome.demo.showcase import showcase_families
from wayhome.people.models import PersonName, Relationship, Script, Status

PERSONS = 300


@pytest.fixture(scope="module")
def families() -> list[FamilyPlan]:
    return planned_families(PERSONS, seed=7) + showcase_families()


def _fingerprint(families: list[FamilyPlan]) -> list[tuple[str, str, str]]:
    return [(p.display_name, str(p.birth), p.current_status) for f in families for p in f.persons]


def _persons(families: list[FamilyPlan]) -> list[PersonPlan]:
    return [p for f in families for p in f.persons]


def test_same_seed_gives_the_same_people() -> None:
    assert _fingerprint(planned_families(200, 11)) == _fingerprint(planned_families(200, 11))


def test_another_seed_gives_other_people() -> None:
    assert _fingerprint(planned_families(200, 11)) != _fingerprint(planned_families(200, 12))


def test_exactly_the_number_of_persons_asked() -> None:
    assert sum(len(f.persons) for f in planned_families(PERSONS, 7)) == PERSONS


def test_children_are_born_after_their_parents_are_sixteen(families: list[FamilyPlan]) -> None:
    parent_links = [r for f in families for r in f.relations if r.kind == Relationship.Kind.PARENT]
    assert parent_links
    for link in parent_links:
        parent, child = link.from_person.birth, link.to_person.birth
        assert parent.earliest is not None
        assert child.latest is not None
        assert not child.certainly_before(parent)
        assert child.latest >= add_years(parent.earliest, 16)


def test_no_relationship_to_oneself(families: list[FamilyPlan]) -> None:
    assert all(r.from_person is not r.to_person for f in families for r in f.relations)


def test_two_wives_sometimes_share_a_husband() -> None:
    shared = [
        f
        for f in planned_families(3000, 3)
        if sum(r.kind == Relationship.Kind.SPOUSE for r in f.relations) == 2
    ]
    assert shared


def test_entries_never_start_before_birth_nor_after_the_cutoff(
    families: list[FamilyPlan],
) -> None:
    for person in _persons(families):
        for entry in person.whereabouts:
            assert entry.start_date <= AS_OF
            assert person.birth.latest is None or entry.start_date >= min(
                person.birth.latest, entry.start_date
            )
            assert entry.end_date is None or entry.end_date >= entry.start_date
            assert entry.reports, "every entry cites a report"


def test_status_mix_is_plausible() -> None:
    statuses = [p.current_status for p in _persons(planned_families(3000, 5))]
    counts = {s: statuses.count(s) for s in set(statuses)}
    assert max(counts, key=lambda s: counts[s]) == Status.IN_CAMP
    for status in (
        Status.MISSING,
        Status.DETAINED,
        Status.ON_TRIAL,
        Status.SENTENCED,
        Status.RELEASED,
        Status.DECEASED,
        Status.REPATRIATED,
    ):
        assert counts.get(status, 0) > 0, status


def test_some_persons_have_overlapping_entries_that_disagree(families: list[FamilyPlan]) -> None:
    disputed = [p for p in _persons(families) if sum(w.end_date is None for w in p.whereabouts) > 1]
    assert disputed
    for person in disputed:
        open_entries = [w for w in person.whereabouts if w.end_date is None]
        assert len({(w.status, w.facility) for w in open_entries}) > 1


def test_every_name_is_in_its_declared_script(families: list[FamilyPlan]) -> None:
    for person in _persons(families):
        for name in person.names:
            assert detect_script(name.text) == name.script, name.text


def test_every_person_has_a_cyrillic_primary_and_a_latin_name(families: list[FamilyPlan]) -> None:
    for person in _persons(families):
        primary = [n for n in person.names if n.is_primary]
        assert len(primary) == 1
        assert primary[0].script == Script.CYRILLIC
        assert person.name_in(Script.LATIN) is not None
        assert person.display_name == primary[0].text


def test_persons_in_iraqi_facilities_have_an_arabic_name(families: list[FamilyPlan]) -> None:
    in_iraq = [p for p in _persons(families) if any(w.facility == "rasafa" for w in p.whereabouts)]
    assert in_iraq
    assert all(p.name_in(Script.ARABIC) is not None for p in in_iraq)


def test_names_use_the_letters_of_each_home() -> None:
    texts = " ".join(n.text for p in _persons(planned_families(3000, 9)) for n in p.names)
    assert set("ҳғқӣӯҷ") & set(texts), "Tajik letters"
    assert set("әөүұі") & set(texts), "Kazakh letters"
    assert "Umm " in texts
    assert "Умм " in texts
    assert "أم " in texts
    assert " al-" in texts


def test_kinds_of_names_include_kunya_nom_de_guerre_and_maiden() -> None:
    kinds = {n.kind for p in _persons(planned_families(3000, 9)) for n in p.names}
    assert {PersonName.Kind.KUNYA, PersonName.Kind.NOM_DE_GUERRE, PersonName.Kind.MAIDEN} <= kinds


def test_patronymics_follow_the_home_style() -> None:
    magomed = nm.Word("Магомед", ("Magomed",), "محمد")
    musa = nm.Word("Муса", ("Musa",), "موسى")
    serik = nm.Word("Серік", ("Serik",), "سيريك")
    assert nm.patronymic(magomed, female=True, style="ru") == ("Магомедовна", "Magomedovna")
    assert nm.patronymic(musa, female=False, style="ru") == ("Мусаевич", "Musaevich")
    assert nm.patronymic(serik, female=True, style="kk") == ("Серікқызы", "Serikkyzy")


def test_feminine_family_names() -> None:
    aliev = nm.Word("Алиев", ("Aliyev", "Aliev"), "علييف")
    assert nm.feminine_family(aliev) == nm.Word("Алиева", ("Aliyeva", "Alieva"), "علييفا")
    zoda = nm.Word("Шарифзода", ("Sharifzoda",), "شريف زاده")
    assert nm.feminine_family(zoda) == zoda


def test_tracing_requests_are_consistent(families: list[FamilyPlan]) -> None:
    requests = [r for f in families for r in f.requests]
    assert {r.status for r in requests} == {"open", "located", "closed"}
    for request in requests:
        assert 1 <= len(request.sought) <= 4
        assert request.inquirer.phone.startswith("+")
        assert not request.inquirer.email or request.inquirer.email.endswith("@example.org")
        if request.status == "closed":
            assert request.closure_reason
            assert request.closed_on
            assert request.closed_on >= request.received_on
        if request.located_on is not None:
            assert request.located_on >= request.received_on
        assert request.received_on <= AS_OF


def test_no_date_in_the_future(families: list[FamilyPlan]) -> None:
    today = dt.date.today()  # noqa: DTZ011 (a date, compared with dates)
    for person in _persons(families):
        assert person.birth.latest is not None
        assert person.birth.latest <= today


def test_the_mother_who_asks_bears_her_childs_family_name() -> None:
    requests = [r for f in planned_families(1000, 4) for r in f.requests]
    for request in requests:
        child, relation = request.sought[0]
        assert relation in ("son", "daughter")
        family = child.names[0].family
        if relation == "daughter":
            maiden = [n.family for n in child.names if n.kind == PersonName.Kind.MAIDEN]
            family = maiden[0] if maiden else family
        expected = nm.feminine_family(nm.Word(family, (), "")).cyrl
        assert request.inquirer.name.endswith(f" {expected}")
