"""Writes of the matching app: a person's blocking keys, marking the request rankings a
write makes stale, and an agency's refitted model."""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wayhome.accounts.models import User
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record
from wayhome.linkage.model import FellegiSunter
from wayhome.matching.keys import features_of, stored_keys
from wayhome.matching.models import (
    MatchModel,
    NameKey,
    RankedCandidate,
    RankingKey,
    RequestRanking,
)
from wayhome.matching.scoring import model_for, params_of
from wayhome.names.similarity import NameFeatures
from wayhome.people.models import Person, PersonName, Relationship
from wayhome.tracing.models import SoughtPerson

NAME_PARTS = ("given", "patronymic", "family", "full")
RANKING_LOCK = 0x7761_7968  # advisory lock namespace of ranking writes, with the agency id
MARK_CHUNK = 1000  # persons looked up at once when marking rankings
# A write marking more rankings than this (an import) leaves them to the import job
# or their readers rather than ranking them all after it commits.
REFRESH_SOON_MAX = 50


def name_row_features(rows: Iterable[tuple[str, str, str, str]]) -> list[NameFeatures]:
    """Features of names read as (given, patronymic, family, full) rows."""
    return [features_of(*row) for row in rows]


def keys_of(person: Person) -> set[str]:
    """The blocking keys of a person's current names."""
    rows = PersonName.objects.filter(person=person).values_list(*NAME_PARTS)
    return stored_keys(name_row_features(rows))


def person_keys_refresh(person: Person) -> None:
    """File the person under the keys of their current names (called whenever names
    change, inside the caller's transaction; derived data, so not audited)."""
    NameKey.objects.filter(person=person).delete()
    NameKey.objects.bulk_create(
        NameKey(agency_id=person.agency_id, person=person, key=k) for k in sorted(keys_of(person))
    )
    rankings_stale(person.agency_id, persons=[person.pk])


def names_keys(names: Iterable[PersonName]) -> set[str]:
    """The keys a person with these names (in hand) is filed under."""
    return stored_keys(name_row_features((n.given, n.patronymic, n.family, n.full) for n in names))


def person_keys_file(person: Person, names: Iterable[PersonName]) -> None:
    """File a new person, who has no keys yet, under the keys of ``names`` (in hand)."""
    persons_keys_file([(person, names_keys(names))])


def persons_keys_file(filed: Iterable[tuple[Person, Iterable[str]]]) -> None:
    """File new persons, who have no keys yet, under keys in hand (one bulk insert)."""
    filed = [(person, sorted(keys)) for person, keys in filed]
    NameKey.objects.bulk_create(
        (
            NameKey(agency_id=person.agency_id, person=person, key=k)
            for person, keys in filed
            for k in keys
        ),
        batch_size=5000,
    )
    by_agency: dict[int, list[int]] = {}
    for person, _keys in filed:
        by_agency.setdefault(person.agency_id, []).append(person.pk)
    for agency_id, ids in by_agency.items():
        rankings_stale(agency_id, persons=ids)


def rankings_stale(
    agency_id: int, *, persons: Collection[int] = (), requests: Collection[int] = ()
) -> int:
    """Mark stale the stored request rankings that a change to these persons (their
    names, sex, birth, family links or record) or to these requests could alter; called
    inside the writer's transaction, after the change. Returns how many were marked.

    A ranking may change when a person is sought by the request, is ranked in it or is
    a ranked person's child (the family evidence), or is filed under a key the request
    was searched by (a new candidate). Derived data: not audited.
    """
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        # Held until this write commits: a ranking does not store rows meanwhile
        # (requests._may_store), as it might have searched without seeing this write.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, %s)", [RANKING_LOCK, agency_id])
    stale = set(requests)
    ids = sorted(set(persons))
    for start in range(0, len(ids), MARK_CHUNK):  # an import marks thousands at once
        stale |= _stale_for(agency_id, ids[start : start + MARK_CHUNK])
    if not stale:
        return 0
    marked = RequestRanking.objects.filter(agency_id=agency_id, pk__in=stale).update(
        version=F("version") + 1
    )
    if marked and marked <= REFRESH_SOON_MAX and _refreshing_soon():
        ids = sorted(stale)
        transaction.on_commit(lambda: _refresh_soon(ids))
    return marked


_CALLER_REFRESHES = threading.local()


@contextmanager
def rankings_refreshed_by_caller() -> Iterator[None]:
    """Within: rankings marked stale are not ranked again after the commit; the caller
    does it once for them all (an import job, which marks thousands of persons)."""
    before = getattr(_CALLER_REFRESHES, "on", False)
    _CALLER_REFRESHES.on = True
    try:
        yield
    finally:
        _CALLER_REFRESHES.on = before


def _refreshing_soon() -> bool:
    return settings.RANKINGS_REFRESH_AFTER_WRITES and not getattr(_CALLER_REFRESHES, "on", False)


def _refresh_soon(ids: list[int]) -> None:
    from wayhome.jobs.runner import run_off_request
    from wayhome.matching.requests import rankings_refresh_stale

    run_off_request(rankings_refresh_stale, ids, name="rankings-refresh")


def _stale_for(agency_id: int, ids: list[int]) -> set[int]:
    """The rankings a change to these persons may alter (``rankings_stale``)."""
    stale = set(SoughtPerson.objects.filter(person_id__in=ids).values_list("request_id", flat=True))
    parents = Relationship.objects.filter(
        kind=Relationship.Kind.PARENT, to_person_id__in=ids
    ).values_list("from_person_id", flat=True)
    ranked = RankedCandidate.objects.filter(person_id__in={*ids, *parents})
    stale.update(ranked.values_list("ranking_id", flat=True).distinct())
    # The keys as values, not a subquery: the planner then reads the (agency, key) index
    # for each (with a subquery it guessed 16 times the rows and scanned the table).
    keys = sorted(set(NameKey.objects.filter(person_id__in=ids).values_list("key", flat=True)))
    for start in range(0, len(keys), MARK_CHUNK * 5):  # within every database's parameters
        searched = RankingKey.objects.filter(
            agency_id=agency_id, key__in=keys[start : start + MARK_CHUNK * 5]
        )
        stale.update(searched.values_list("ranking_id", flat=True).distinct())
    return stale


def rankings_stale_all(agency_id: int | None = None) -> int:
    """Mark every stored ranking (of one agency) stale: after a reindex, which changes
    which keys are common and so every search."""
    rows = RequestRanking.objects.all()
    if agency_id is not None:
        rows = rows.filter(agency_id=agency_id)
    return rows.update(version=F("version") + 1)


ConfirmedPair = tuple[Person, Person]


def _check_pairs(actor: User, pairs: Sequence[ConfirmedPair]) -> None:
    if not pairs:
        raise ValidationError(_("Refitting needs at least one confirmed pair."))
    for a, b in pairs:
        if a.agency_id != actor.agency_key or b.agency_id != actor.agency_key:
            raise ValidationError(_("A confirmed pair belongs to another agency."))
        if a.pk == b.pk:
            raise ValidationError(_("A person cannot be confirmed as a match of themselves."))


@transaction.atomic
def model_refit(*, actor: User, confirmed_pairs: Sequence[ConfirmedPair]) -> MatchModel:
    """Refit the agency's weights by EM, holding its confirmed pairs as matches.

    EM also needs the pairs nobody confirmed: each pair's first person is searched for
    again, and every candidate found (the partner among them) is a comparison vector.
    The new model is used for the agency's scores from now on; older ones stay as history.
    """
    from wayhome.matching.selectors import comparison_vectors

    _check_pairs(actor, confirmed_pairs)
    vectors, confirmed = comparison_vectors(actor, confirmed_pairs)
    start = model_for(actor.agency_key)
    model = FellegiSunter(m=start.m, u=start.u, prior=start.prior).fit(vectors, confirmed)
    fitted = MatchModel.objects.create(
        agency_id=actor.agency_key,
        params=params_of(model),
        fitted_at=timezone.now(),
        pairs_used=len(confirmed_pairs),
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=fitted,
        changes={"pairs_used": len(confirmed_pairs), "vectors": len(vectors)},
    )
    return fitted
