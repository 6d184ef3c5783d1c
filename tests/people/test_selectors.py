"""Scoped reads: another agency's rows are absent; search and age filters over fuzzy data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from tests.people.helpers import image_upload, link, mother_with_family
from wayhome.accounts.models import User
from wayhome.audit.models import AuditEvent
from wayhome.core.fuzzydate import FuzzyDate, Precision
from wayhome.people import selectors as sel
from wayhome.people import services
from wayhome.people.models import Person, Relationship, Sex, Status
from wayhome.people.selectors import PersonFilters
from wayhome.people.services import NameData


def names(persons: list[Person]) -> list[str]:
    return [p.display_name for p in persons]


def test_persons_and_their_records_are_scoped_to_the_agency(
    caseworker: User, analyst: User, other_agency_user: User
) -> None:
    mine = factories.person(caseworker)
    theirs = factories.person(other_agency_user, given="Other")
    assert list(sel.persons_visible_to(caseworker)) == [mine]
    assert list(sel.persons_visible_to(analyst)) == []
    with pytest.raises(Http404):
        sel.person_get(caseworker, theirs.uuid)
    with pytest.raises(Http404):
        sel.person_get(caseworker, "not-a-uuid")
    with pytest.raises(Http404):
        sel.person_get(analyst, mine.uuid)
    cit = services.citizenship_add(
        actor=other_agency_user, person=theirs, country=factories.country()
    )
    doc = services.document_add(actor=other_agency_user, person=theirs, kind="passport")
    photo = services.photo_add(actor=other_agency_user, person=theirs, image=image_upload())
    other_child = factories.person(other_agency_user, given="Child")
    rel = link(other_agency_user, theirs, other_child, Relationship.Kind.PARENT)
    group = services.family_group_create(actor=other_agency_user, label="G", members=[theirs])
    for getter, key in [
        (sel.name_get, theirs.names.get().uuid),
        (sel.citizenship_get, cit.uuid),
        (sel.document_get, doc.uuid),
        (sel.photo_get, photo.uuid),
        (sel.relationship_get, rel.uuid),
        (sel.family_group_get, group.uuid),
    ]:
        assert getter(other_agency_user, key).uuid == key
        with pytest.raises(Http404):
            getter(caseworker, key)
        with pytest.raises(Http404):
            getter(analyst, key)


def test_person_read_audits_the_view(caseworker: User) -> None:
    person = factories.person(caseworker)
    sel.person_read(caseworker, person.uuid)
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW)
    assert (event.actor, event.person_uuid, event.object_uuid) == (
        caseworker,
        person.uuid,
        person.uuid,
    )


# --- search -----------------------------------------------------------------------------------


def search(user: User, q: str) -> list[str]:
    return names(sel.person_page(user, PersonFilters(q=q)).persons)


def test_search_folds_yo_case_and_arabic_marks(caseworker: User, other_agency_user: User) -> None:
    factories.person(caseworker, given="Алёна", family="Ёлкина")
    services.person_create(actor=caseworker, names=[NameData(full="مُحَمَّد أَحْمَد")])
    factories.person(caseworker, given="Maryam", family="Exampleova")
    factories.person(other_agency_user, given="Maryam", family="Elsewhere")
    assert search(caseworker, "елкина") == ["Алёна Ёлкина"]
    assert search(caseworker, "АЛЕНА ЁЛКИНА") == ["Алёна Ёлкина"]
    assert search(caseworker, "محمد احمد") == ["مُحَمَّد أَحْمَد"]
    assert search(caseworker, "اَحمد") == ["مُحَمَّد أَحْمَد"]
    assert search(caseworker, "ampleov") == ["Maryam Exampleova"]
    assert search(caseworker, "ma") == ["Maryam Exampleova"]  # short: name starts only
    assert search(caseworker, "ry") == []
    assert search(caseworker, "nobody") == []


def test_search_finds_by_any_name_once(caseworker: User) -> None:
    person = factories.person(caseworker, given="Aminat", family="Testova")
    services.name_add(actor=caseworker, person=person, data=NameData(full="Umm Testov"))
    assert search(caseworker, "testov") == ["Aminat Testova"]  # two names match, one row


# --- filters ------------------------------------------------------------------------------------


def ages(user: User, lo: int | None, hi: int | None) -> list[str]:
    page = sel.person_page(user, PersonFilters(min_age=lo, max_age=hi))
    return sorted(p.names.get().given for p in page.persons)


def test_age_filter_works_at_every_precision(caseworker: User) -> None:
    today = timezone.localdate()
    p = factories.person
    p(caseworker, "Exact10", birth=today.replace(year=today.year - 10))
    p(caseworker, "Year5", birth=FuzzyDate(Precision.YEAR, today.year - 5))  # 4 or 5
    p(caseworker, "About3", birth=FuzzyDate.about_age(3, today))  # 2..4
    p(caseworker, "Unknown")
    assert ages(caseworker, 10, 10) == ["Exact10"]
    assert ages(caseworker, 11, None) == []
    assert ages(caseworker, None, 9) == ["About3", "Year5"]
    assert ages(caseworker, 4, 4) == ["About3", "Year5"]
    assert ages(caseworker, 5, 6) == ["Year5"]
    assert ages(caseworker, 0, 1) == []
    assert "Unknown" not in ages(caseworker, 0, 120)


def test_other_filters(caseworker: User) -> None:
    dagestan, camp = factories.region("Dagestan"), factories.facility("Camp One")
    a = factories.person(caseworker, "Inside", sex=Sex.FEMALE, home_region=dagestan)
    a.current_status, a.current_facility = Status.IN_CAMP, camp
    a.save()
    factories.person(caseworker, "Outside", sex=Sex.MALE)
    for f in [
        PersonFilters(status=Status.IN_CAMP),
        PersonFilters(home_region=dagestan),
        PersonFilters(facility=camp),
        PersonFilters(sex=Sex.FEMALE),
    ]:
        assert names(sel.person_page(caseworker, f).persons) == ["Inside Testova"]


def test_a_name_search_pages_its_matches_in_name_order(caseworker: User) -> None:
    """Up to SORT_MAX matches are sorted by name (an expression PostgreSQL cannot walk an
    index for, so it reads the matches through the trigram index), page after page."""
    for i in reversed(range(53)):
        factories.person(caseworker, given=f"P{i:02d}", family="Umarova")
    factories.person(caseworker, given="P00", family="Other")
    f = PersonFilters(q="umarova")
    first, last = sel.person_page(caseworker, f), sel.person_page(caseworker, f, 2)
    expected = [f"P{i:02d} Umarova" for i in range(53)]
    assert names(first.persons) + names(last.persons) == expected
    assert (first.total, first.refine) == (53, False)


def test_pages_are_50_by_name_and_counts_stop_at_the_cap(
    caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(53):
        factories.person(caseworker, given=f"P{i:02d}")
    first = sel.person_page(caseworker, PersonFilters())
    assert len(first.persons) == 50
    assert first.has_next
    assert not first.has_previous
    assert first.persons[0].display_name == "P00 Testova"
    assert (first.total, first.total_is_capped) == (53, False)
    last = sel.person_page(caseworker, PersonFilters(), 2)
    assert names(last.persons) == ["P50 Testova", "P51 Testova", "P52 Testova"]
    assert last.has_previous
    assert not last.has_next
    monkeypatch.setattr(sel, "COUNT_CAP", 20)
    capped = sel.person_page(caseworker, PersonFilters())
    monkeypatch.setattr(sel, "MAX_PAGE", 1)
    assert sel.person_page(caseworker, PersonFilters(), 9).number == 1  # no deep OFFSET
    assert not sel.person_page(caseworker, PersonFilters()).has_next
    assert (capped.total, capped.total_is_capped) == (20, True)


def test_person_page_runs_a_fixed_number_of_queries(caseworker: User) -> None:
    camp, region = factories.facility(), factories.region()
    for i in range(5):
        person = factories.person(caseworker, given=f"P{i}", home_region=region)
        person.current_facility = camp
        person.save()
    with CaptureQueriesContext(connection) as ctx:
        page = sel.person_page(caseworker, PersonFilters(q="testova"))
        rendered = [(p.current_facility, p.home_region, list(p.names.all())) for p in page.persons]
    assert len(rendered) == 5
    assert len(ctx.captured_queries) == 3  # count, page, their names
    assert all("DISTINCT" not in q["sql"].upper() for q in ctx.captured_queries)


# --- family ---------------------------------------------------------------------------------------


def test_kin_of_names_each_relative_from_the_persons_side(caseworker: User) -> None:
    fam = mother_with_family(caseworker)
    words = {k.other.names.get().given: k.word for k in sel.kin_of(fam["mother"])}
    assert words == {
        "Patimat": "mother",
        "Ruslan": "husband",
        "Timur": "husband",
        "Zarema": "sister",
        "Adam": "son",
        "Aisha": "daughter",
        "Amir": "child",
    }
    assert [k.word for k in sel.kin_of(fam["son"])] == ["mother"]
    assert [k.word for k in sel.kin_of(fam["husband1"])] == ["wife"]


def test_grand_and_guardian_words(caseworker: User) -> None:
    granny = factories.person(caseworker, "Patimat", sex=Sex.FEMALE)
    boy = factories.person(caseworker, "Adam", sex=Sex.MALE)
    uncle = factories.person(caseworker, "Ruslan", sex=Sex.MALE)
    link(caseworker, granny, boy, Relationship.Kind.GRANDPARENT)
    link(caseworker, uncle, boy, Relationship.Kind.GUARDIAN)
    assert [k.word for k in sel.kin_of(boy)] == ["grandmother", "guardian"]
    assert [k.word for k in sel.kin_of(granny)] == ["grandson"]
    assert [k.word for k in sel.kin_of(uncle)] == ["ward"]


def test_links_among_and_group_members(caseworker: User, other_agency_user: User) -> None:
    fam = mother_with_family(caseworker)
    trio = [fam["mother"], fam["son"], fam["husband1"]]
    assert len(sel.links_among(trio)) == 2
    group = services.family_group_create(actor=caseworker, label="G", members=trio)
    assert names(sel.group_members(group)) == sorted(p.display_name for p in trio)
    assert list(sel.family_groups_visible_to(other_agency_user)) == []


def test_persons_matching_is_scoped(caseworker: User, other_agency_user: User) -> None:
    factories.person(caseworker, "Aminat")
    factories.person(other_agency_user, "Aminat", "Elsewhere")
    assert names(sel.persons_matching(caseworker, "amin")) == ["Aminat Testova"]
    assert sel.persons_matching(caseworker, "  ") == []


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("index", ["personname_search_trgm", "person_search_names_trgm"])
def test_contains_search_has_its_trigram_index_on_postgresql(index: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [index])
        row = cursor.fetchone()
    assert row is not None
    assert "gin_trgm_ops" in row[0]


def test_many_matches_come_newest_first_and_only_so_deep(
    caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past SORT_MAX matches a name search is not sorted by name: the newest registered
    come first, only WALK_PAGES pages deep, and the page asks to refine."""
    made = [factories.person(caseworker, given=f"P{i}", family="Commonova") for i in range(7)]
    factories.person(caseworker, given="A", family="Rareova")
    by_name = sel.person_page(caseworker, PersonFilters(q="commonova"))
    assert names(by_name.persons) == [f"P{i} Commonova" for i in range(7)]
    assert (by_name.refine, by_name.total, by_name.total_is_capped) == (False, 7, False)
    monkeypatch.setattr(sel, "PAGE_SIZE", 3)
    monkeypatch.setattr(sel, "SORT_MAX", 5)
    monkeypatch.setattr(sel, "WALK_PAGES", 2)
    walked = [sel.person_page(caseworker, PersonFilters(q="commonova"), n) for n in (1, 2, 3)]
    newest = [p.display_name for p in reversed(made)]
    assert [names(p.persons) for p in walked] == [newest[:3], newest[3:6], newest[3:6]]
    assert all(p.refine and p.total_is_capped and p.total == 5 for p in walked)
    assert (walked[0].has_next, walked[1].has_next) == (True, False)
    few = sel.person_page(caseworker, PersonFilters(q="rareova"))
    assert (names(few.persons), few.refine) == (["A Rareova"], False)
    assert names(sel.persons_matching(caseworker, "commonova", limit=2)) == newest[:2]
    monkeypatch.setattr(sel, "SORT_MAX", 7)
    assert names(sel.persons_matching(caseworker, "commonova", limit=2)) == [
        "P0 Commonova",
        "P1 Commonova",
    ]
