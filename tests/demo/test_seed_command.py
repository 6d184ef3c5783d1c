"""``wayhome seed`` writes what the generator planned, consistently, with one audit event.

These run on SQLite (executemany) and, with DATABASE_URL, on PostgreSQL (COPY).
"""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F

from wayhome.accounts.models import Agency
from wayhome.audit.models import AuditEvent
from wayhome.core.text import detect_script, search_fold
from wayhome.demo.accounts import DEMO_AGENCIES
from wayhome.demo.showcase import showcase_families
from wayhome.people.models import Person, PersonName, Relationship
from wayhome.tracing.models import TracingRequest, Whereabouts

pytestmark = pytest.mark.django_db
PERSONS = 200


def _seed(**opts: object) -> None:
    call_command("seed", persons=PERSONS, seed=3, batch_size=70, **opts)


def _fingerprint(agency: Agency) -> Counter[tuple[str, str, str]]:
    rows = Person.objects.filter(agency=agency).values_list(
        "display_name", "birth_precision", "current_status"
    )
    return Counter(rows)


def test_seed_writes_the_population_for_the_first_demo_agency() -> None:
    _seed()
    agency = Agency.objects.get(name=DEMO_AGENCIES[0].name)
    assert Person.objects.filter(agency=agency).count() == PERSONS
    assert PersonName.objects.filter(person__agency=agency).count() > PERSONS
    assert Whereabouts.objects.filter(agency=agency).exists()
    assert TracingRequest.objects.filter(agency=agency).exists()


def test_seed_writes_one_system_audit_event_with_counts_and_seed() -> None:
    _seed()
    events = AuditEvent.objects.filter(action=AuditEvent.Action.SYSTEM)
    assert events.count() == 1
    event = events.get()
    assert event.actor is None
    assert event.agency is not None
    assert event.agency.name == DEMO_AGENCIES[0].name
    assert event.changes["seed"] == 3
    assert event.changes["persons"] == PERSONS
    assert event.changes["rows"]["people.Person"] == PERSONS
    assert AuditEvent.objects.count() == 1, "no event per row"


def test_running_twice_adds_an_identical_population_with_new_uuids() -> None:
    _seed()
    agency = Agency.objects.get(name=DEMO_AGENCIES[0].name)
    first = _fingerprint(agency)
    _seed()
    assert Person.objects.filter(agency=agency).count() == 2 * PERSONS
    both = _fingerprint(agency)
    assert both == first + first, "same seed, same people"
    assert Person.objects.values("uuid").distinct().count() == 2 * PERSONS
    references = list(TracingRequest.objects.values_list("reference", flat=True))
    assert len(references) == len(set(references))
    assert all(r.startswith(f"{DEMO_AGENCIES[0].prefix}-") for r in references)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SYSTEM).count() == 2


def test_stored_families_are_consistent() -> None:
    _seed()
    assert not Relationship.objects.filter(from_person=F("to_person")).exists()
    for link in Relationship.objects.filter(kind=Relationship.Kind.PARENT).select_related(
        "from_person", "to_person"
    ):
        assert not link.to_person.birth.certainly_before(link.from_person.birth)
    for link in Relationship.objects.filter(kind__in=Relationship.SYMMETRIC):
        assert link.from_person_id < link.to_person_id, "symmetric links stored canonically"


def test_current_status_is_the_latest_entry() -> None:
    _seed()
    for person in Person.objects.all():
        latest = Whereabouts.objects.filter(person=person).first()  # ordered latest first
        assert latest is not None
        assert person.current_status == latest.status
        assert person.current_since == latest.start_date
        assert person.current_facility_id == latest.facility_id


def test_names_are_stored_with_script_and_search_text() -> None:
    _seed()
    names = list(PersonName.objects.all())
    assert {n.script for n in names} >= {"Cyrl", "Latn", "Arab"}
    for name in names:
        assert name.script == detect_script(name.text)
        assert name.search_text == search_fold(name.text)
    for person in Person.objects.all():
        assert person.display_name == person.names.get(is_primary=True).text


def test_birth_bounds_follow_the_precision() -> None:
    _seed()
    for person in Person.objects.all():
        birth = person.birth
        assert (person.birth_earliest, person.birth_latest) == (birth.earliest, birth.latest)
    precisions = set(Person.objects.values_list("birth_precision", flat=True))
    assert {"exact", "year", "age"} <= precisions


def test_seed_for_a_named_agency() -> None:
    agency = Agency.objects.create(name="Synthetic consular service", reference_prefix="CON")
    _seed(agency=agency.name)
    assert Person.objects.filter(agency=agency).count() == PERSONS
    assert not Agency.objects.filter(name=DEMO_AGENCIES[0].name).exists()


def test_seed_refuses_an_unknown_agency() -> None:
    with pytest.raises(CommandError, match="No agency"):
        _seed(agency="No such agency")
    assert not Person.objects.exists()


def test_seed_refuses_a_negative_count() -> None:
    with pytest.raises(CommandError):
        call_command("seed", persons=-1)


def test_demo_seeds_both_agencies_and_the_showcase_families() -> None:
    call_command("seed", persons=PERSONS, seed=3, demo=True)
    first, second = (Agency.objects.get(name=spec.name) for spec in DEMO_AGENCIES)
    showcase = sum(len(f.persons) for f in showcase_families())
    assert Person.objects.filter(agency=first).count() == PERSONS + showcase
    assert Person.objects.filter(agency=second).count() == 50
    for query in ("эльмурзаева", "bobozoda", "тұрлыбекова"):
        assert PersonName.objects.filter(
            person__agency=first, search_text__contains=query
        ).exists(), query
    disputed = Person.objects.get(agency=first, display_name__startswith="Айгүл Серікқызы")
    open_entries = disputed.whereabouts.filter(end_date__isnull=True)
    assert {w.status for w in open_entries} == {"deceased", "in_camp"}
    assert disputed.current_status == "in_camp"


def test_demo_command_sets_up_once_without_serving() -> None:
    out = StringIO()
    call_command("demo", no_serve=True, persons=100, stdout=out, stderr=StringIO())
    first = Agency.objects.get(name=DEMO_AGENCIES[0].name)
    loaded = Person.objects.filter(agency=first).count()
    assert loaded > 100
    assert "ngo-caseworker" in out.getvalue()
    assert "synthetic" in out.getvalue()
    call_command("demo", no_serve=True, persons=100, stdout=StringIO(), stderr=StringIO())
    assert Person.objects.filter(agency=first).count() == loaded, "loads data on the first run only"


@pytest.mark.postgres
def test_a_load_refreshes_postgresql_statistics_as_it_grows() -> None:
    """Planned on a near-empty table's statistics, each batch's figures refresh scanned
    every row loaded before it; the seed analyses the tables it grows, so PostgreSQL's
    estimate follows the load (``reltuples`` is -1 for a table never analysed)."""
    from django.db import connection

    _seed()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname IN"
            " ('people_person', 'tracing_whereabouts', 'figures_span')"
        )
        estimates = dict(cursor.fetchall())
    assert estimates["people_person"] >= PERSONS
    assert estimates["tracing_whereabouts"] > 0
    assert estimates["figures_span"] > 0
