from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.matching.helpers import person
from wayhome.accounts.models import User
from wayhome.matching import selectors
from wayhome.matching.models import CommonKey, NameKey
from wayhome.matching.reindex import vacuum_keys
from wayhome.matching.services import keys_of
from wayhome.people.models import Person


def _run(*args: str) -> str:
    err = io.StringIO()
    call_command("matching", "reindex", *args, stdout=io.StringIO(), stderr=err)
    return err.getvalue()


def test_reindex_keys_persons_without_keys_and_resumes(
    caseworker: User, other_agency_user: User
) -> None:
    a = person(caseworker, "Aminat Aliyeva")
    b = person(caseworker, "Rustam Eldarov")
    c = person(other_agency_user, "Хадижат Магомедова")
    NameKey.objects.filter(person__in=[a, c]).delete()  # as after ``wayhome seed``
    b_rows = set(NameKey.objects.filter(person=b).values_list("pk", flat=True))
    progress = _run("--batch-size", "1")
    assert "keyed 2/2 persons" in progress
    for p in (a, b, c):
        assert set(NameKey.objects.filter(person=p).values_list("key", flat=True)) == keys_of(p)
    assert set(NameKey.objects.filter(person=b).values_list("pk", flat=True)) == b_rows
    assert "keyed" not in _run()  # nothing left to do


def test_each_batch_looks_for_keys_only_beyond_the_last_id(caseworker: User) -> None:
    """Planned as a merge anti-join, a key lookup without the bound read the key index
    from its start for every batch (at a million persons, 4.9 s a batch instead of 1.4)."""
    persons = [person(caseworker, name) for name in ("Aminat Aliyeva", "Rustam Eldarov")]
    persons.append(person(caseworker, "Khadizhat Magomedova"))
    NameKey.objects.filter(person__in=persons[::2]).delete()
    with CaptureQueriesContext(connection) as queries:
        assert "keyed 2/2 persons" in _run("--batch-size", "1")
    lookups = [q["sql"] for q in queries.captured_queries if "NOT EXISTS" in q["sql"]]
    batches = [sql for sql in lookups if not sql.startswith("SELECT COUNT(")]
    assert len(batches) == 3  # the first from the start, then after each keyed person
    bounded = [sql for sql in batches if 'U0."person_id" >' in sql]
    assert len(bounded) == 2
    assert all(set(NameKey.objects.filter(person=p).values_list("key", flat=True)) for p in persons)


def test_reindex_all_of_one_agency(caseworker: User, other_agency_user: User) -> None:
    a = person(caseworker, "Aminat Aliyeva")
    c = person(other_agency_user, "Хадижат Магомедова")
    NameKey.objects.filter(person=c).delete()
    NameKey.objects.filter(person=a).update(key="stale")
    assert caseworker.agency is not None
    assert "keyed 1/1" in _run("--all", "--agency", caseworker.agency.name)
    assert set(NameKey.objects.filter(person=a).values_list("key", flat=True)) == keys_of(a)
    assert not NameKey.objects.filter(person=c).exists()


def test_reindex_refusals(db: None) -> None:
    with pytest.raises(CommandError, match="No agency"):
        _run("--agency", "Nobody")
    with pytest.raises(CommandError, match="batch-size"):
        _run("--batch-size", "0")


def test_the_demo_keys_what_it_seeds(db: None) -> None:
    call_command("demo", no_serve=True, persons=60, stdout=io.StringIO(), stderr=io.StringIO())
    assert NameKey.objects.exists()
    assert not Person.objects.filter(name_keys__isnull=True).exists()


def test_reindex_counts_the_common_keys_searches_skip(
    caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "KEY_CAP", 2)
    monkeypatch.setattr(selectors, "TOKEN_KEY_CAP", 2)
    for given in ("Fatima", "Khadija", "Maryam"):
        person(caseworker, f"{given} Aliyeva")
    _run("--all")
    counted = dict(CommonKey.objects.values_list("key", "persons"))
    assert counted
    assert set(counted.values()) == {3}
    assert selectors._known_common(caseworker.agency_key or 0, list(counted)) == set(counted)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_reindex_vacuums_the_keys_so_the_search_reads_the_index_alone() -> None:
    with CaptureQueriesContext(connection) as queries:
        call_command("matching", "reindex", stdout=io.StringIO(), stderr=io.StringIO())
    assert any(q["sql"].startswith("VACUUM (ANALYZE)") for q in queries.captured_queries)


def test_no_vacuum_inside_a_transaction(caseworker: User) -> None:
    person(caseworker, "Aminat Aliyeva")
    with CaptureQueriesContext(connection) as queries:
        assert vacuum_keys() is False  # each test runs in a transaction; VACUUM would fail
    assert queries.captured_queries == []
