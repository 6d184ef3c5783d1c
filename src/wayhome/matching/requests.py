"""A tracing request's candidates: for each sought person, who in the registry may be
them, families together; ranked when the request or the registry changes, read when
the request is opened.

Ranking (``ranking_refresh``) searches the agency's registry for every sought person in
one shortlist statement, scores each shortlisted person, adds the evidence of their
children matching the sought children, and stores the order for the whole agency
(``RequestRanking``). Reading (``request_candidates``) keeps the persons the reader may
see, in that order, and scores and explains only the few shown: a few small queries
instead of a registry search. Writes that could change a ranking mark it stale
(``services.rankings_stale``); a stale or missing ranking is ranked again on reading,
or beforehand by ``wayhome matching rerank``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.db import OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from wayhome.accounts.models import User
from wayhome.linkage.model import FellegiSunter
from wayhome.matching.keys import query_keys
from wayhome.matching.models import RankedCandidate, RankingKey, RequestRanking
from wayhome.matching.scoring import current_model, probability
from wayhome.matching.selectors import (
    HELD_MIN_SCORE,
    REQUEST_SHORTLIST,
    Best,
    Candidate,
    ChildMatch,
    Described,
    Named,
    _best_names_many,
    _described_person,
    _explained,
    _known_common,
    _may_search,
    _rank,
    _ranked,
    _score,
    _token_pairs,
    _usable_shortlists,
    names_of,
)
from wayhome.matching.services import RANKING_LOCK
from wayhome.matching.token_scores import prefetch
from wayhome.people.models import Person, Relationship
from wayhome.people.selectors import persons_visible_to
from wayhome.tracing.models import SoughtPerson, TracingRequest
from wayhome.tracing.selectors import sought_of

RANK_CHUNK = 100  # requests read at once when ranking many
# How candidates are scored and ranked, numbered: a release that changes it bumps this,
# and every ranking made before is ranked again (on reading, or by ``matching rerank``).
# 1: a name of one token agreeing counts as one name part, not two (model.name_level);
# 2: two parts the same and another aligned part unlike is a level of its own.
SCORER = 2
ADULT_GAP_YEARS = 14  # a sought person this much younger than another may be their child
FAMILY_POOL = 3  # candidates re-ranked by family evidence, per candidate shown


@dataclass
class SoughtCandidates:
    """One sought person of a request, the sought children counted with them, and the
    registered persons who may be them, best first."""

    sought: SoughtPerson
    children: list[Person]
    candidates: list[Candidate]
    # Likely matches held by another team (need-to-know): a count, never who.
    held_elsewhere: int = 0


def _sought_children(persons: Sequence[Person]) -> dict[int, list[Person]]:
    """For each sought person, the other sought persons who are their children: linked
    as such, or, when the request links none of them, born long enough after them."""
    ids = [p.pk for p in persons]
    links = Relationship.objects.filter(
        kind=Relationship.Kind.PARENT, from_person_id__in=ids, to_person_id__in=ids
    ).values_list("from_person_id", "to_person_id")
    by_id = {p.pk: p for p in persons}
    children: dict[int, list[Person]] = defaultdict(list)
    for parent_id, child_id in links:
        children[parent_id].append(by_id[child_id])
    if children:
        return children
    for parent in persons:
        for child in persons:
            latest, earliest = parent.birth_latest, child.birth_earliest
            if latest and earliest and (earliest - latest).days >= ADULT_GAP_YEARS * 365:
                children[parent.pk].append(child)
    return children


def _registered_children(agency_id: int, parents: Collection[int]) -> dict[int, list[Person]]:
    """The children recorded for each of these persons (one query)."""
    out: dict[int, list[Person]] = defaultdict(list)
    # The children themselves with their parent's id, rather than the links with their
    # children joined: half the model objects to build, the same rows in the same order.
    children = Person.objects.filter(
        links_in__agency_id=agency_id,
        links_in__kind=Relationship.Kind.PARENT,
        links_in__from_person_id__in=parents,
    ).annotate(parent_of=F("links_in__from_person_id"))
    for child in children.order_by("birth_earliest", "pk"):
        out[child.parent_of].append(child)
    return out


def _child_matches(
    sought: Sequence[tuple[Person, Described]],
    theirs: Sequence[Person],
    names: dict[int, list[Named]],
    model: FellegiSunter,
    bests: Mapping[tuple[int, int], Best] | None = None,
) -> list[ChildMatch]:
    """Each sought child paired with the registered child that fits best, if any fits
    (more likely the same than not on its own evidence); no child is used twice.
    ``bests``: the names' alignments by (sought child, registered child), when known."""
    options = []
    for child, query in sought:
        for other in theirs:
            best = bests.get((child.pk, other.pk)) if bests is not None else None
            scored = _score(query, other, names[other.pk], model, best=best)
            if scored is not None and scored.candidate.weight > 0:
                options.append(
                    ChildMatch(child, other, scored.candidate.score, scored.candidate.weight)
                )
    used_sought: set[int] = set()
    used_theirs: set[int] = set()
    matches = []
    for m in sorted(options, key=lambda m: -m.weight):
        if m.sought.pk not in used_sought and m.child.pk not in used_theirs:
            matches.append(m)
            used_sought.add(m.sought.pk)
            used_theirs.add(m.child.pk)
    return matches


def _with_family(
    candidates: list[Candidate],
    sought_children: Sequence[tuple[Person, Described]],
    children: dict[int, list[Person]],
    names: dict[int, list[Named]],
    model: FellegiSunter,
) -> None:
    """Show each candidate's registered children; when the request seeks children, each
    child of the candidate who matches a sought child adds its own evidence (its match
    weight) to the candidate's, so a mother whose children also match ranks higher."""
    bests: dict[tuple[int, int], Best] = {}
    if sought_children:
        # Every sought child's tokens against all these children's in one call per token,
        # and their names aligned in one bulk call, rather than pair by pair as each
        # child is scored (the same scores: token_scores, align).
        kids = list({k.pk: k for c in candidates for k in children.get(c.person.pk, [])}.values())
        for child, query in sought_children:
            prefetch(_token_pairs(query, [n for k in kids for n in names[k.pk]]))
            found = _best_names_many(query, [names[k.pk] for k in kids])
            bests.update(((child.pk, k.pk), best) for k, best in zip(kids, found, strict=True))
    for c in candidates:
        c.children = children.get(c.person.pk, [])
        if sought_children and c.children:
            c.family = _child_matches(sought_children, c.children, names, model, bests)
            c.weight += sum(m.weight for m in c.family)
            c.score = probability(model, c.weight)


# --- ranking, for the whole agency -----------------------------------------------------


class _Ranked(NamedTuple):
    """A stored row as a read uses it."""

    sought: int
    person: int
    base_score: float
    score: float
    weight: float


def _queries(persons: Sequence[Person]) -> dict[int, Described]:
    own = names_of([p.pk for p in persons])
    return {p.pk: _described_person(p, own[p.pk]) for p in persons}


def _searched_by(agency_id: int, queries: Mapping[int, Described]) -> set[str]:
    """The keys a search for these queries reads (those not known to be common)."""
    wanted = {k for d in queries.values() for k in query_keys(d.names)}
    return wanted - _known_common(agency_id, sorted(wanted))


def _rank_request(
    agency_id: int,
    persons: Sequence[Person],
    queries: Mapping[int, Described],
    model: FellegiSunter,
) -> list[RankedCandidate]:
    """Every shortlisted person of the agency for each sought person, in order, with the
    family evidence added where the request seeks children."""
    asked = {q: (sorted(query_keys(d.names)), d.birth_year) for q, d in queries.items()}
    ids = _usable_shortlists(agency_id, asked, {p.pk for p in persons}, REQUEST_SHORTLIST)
    found = {i for shortlist in ids.values() for i in shortlist}
    registered = Person.objects.filter(pk__in=found, agency_id=agency_id, merged_into__isnull=True)
    by_id = {p.pk: p for p in registered}
    theirs = names_of(list(by_id))
    pools = {
        q: _ranked(queries[q], [by_id[i] for i in shortlist if i in by_id], model, theirs)
        for q, shortlist in ids.items()
    }
    kids_of = _sought_children(persons)
    parents = {s.candidate.person.pk for q, pool in pools.items() if kids_of.get(q) for s in pool}
    children = _registered_children(agency_id, parents) if parents else {}
    child_names = names_of([k.pk for parent in parents for k in children.get(parent, [])])
    rows = []
    for q, pool in pools.items():
        base = [(s.candidate.score, s.candidate.weight) for s in pool]
        kids = [(k, queries[k.pk]) for k in kids_of.get(q, [])]
        if kids:
            _with_family([s.candidate for s in pool], kids, children, child_names, model)
        for position, (s, (base_score, base_weight)) in enumerate(zip(pool, base, strict=True)):
            rows.append(
                RankedCandidate(
                    sought_id=q,
                    person_id=s.candidate.person.pk,
                    position=position,
                    base_score=base_score,
                    base_weight=base_weight,
                    score=s.candidate.score,
                    weight=s.candidate.weight,
                )
            )
    return rows


def _keys_store(ranking: RequestRanking, keys: set[str]) -> None:
    """Make the ranking's keys these (mostly they already are: nothing is written)."""
    stored = RankingKey.objects.filter(ranking=ranking)
    had = set(stored.values_list("key", flat=True))
    if had - keys:
        stored.filter(key__in=had - keys).delete()
    RankingKey.objects.bulk_create(
        RankingKey(ranking=ranking, agency_id=ranking.agency_id, key=k) for k in sorted(keys - had)
    )


def _may_store(agency_id: int) -> bool:
    """Whether no write that marks rankings is in flight in the agency (PostgreSQL: the
    shared lock ``services.rankings_stale`` holds until its writer commits). Only then
    can the keys written now be seen by every write the ranking does not see: a write
    that marked before them and commits after the registry is read would go unseen. On
    SQLite a write waits for the one writer in flight, which is enough."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [RANKING_LOCK, agency_id])
        row = cursor.fetchone()
    return bool(row and row[0])


def ranking_refresh(
    request: TracingRequest,
    *,
    persons: Sequence[Person] | None = None,
    model: tuple[int | None, FellegiSunter] | None = None,
) -> tuple[list[RankedCandidate], bool]:
    """Rank the request's candidates for its agency and store them, replacing the last
    ranking (derived data, so not audited): the rows, and whether they were stored.

    The keys searched by are stored first and the version read with them, then the
    registry is read: a write that could change the ranking either marks it (it sees
    the keys) and leaves the stored rows stale, or is seen by the ranking. While a
    marking write is in flight the rows are not stored (``_may_store``), nor when the
    database is busy with a long write: ranked all the same, just not kept. Two
    refreshes of one request at once are safe: the second waits for the first's lock.
    ``persons`` (the sought) and ``model`` (with its id): when the caller has them."""
    if persons is None:
        persons = [link.person for link in request.sought_links.select_related("person")]
    queries = _queries(persons)
    model_id, scorer = model or current_model(request.agency_id)
    version: int | None = None
    try:
        with transaction.atomic():
            if _may_store(request.agency_id):
                ranking, _ = RequestRanking.objects.select_for_update().get_or_create(
                    request=request, defaults={"agency_id": request.agency_id}
                )
                _keys_store(ranking, _searched_by(request.agency_id, queries))
                version = ranking.version
    except OperationalError:  # SQLite: another writer kept the database past the timeout
        version = None
    rows = _rank_request(request.agency_id, persons, queries, scorer) if persons else []
    if version is None:
        return rows, False
    try:
        with transaction.atomic():
            # Not waiting: the row is locked by a write that marked it stale (an import,
            # maybe a long one), so these rows would be stale anyway.
            nowait = connection.vendor == "postgresql"
            ranking = RequestRanking.objects.select_for_update(nowait=nowait).get(pk=request.pk)
            RankedCandidate.objects.filter(ranking=ranking).delete()
            for row in rows:
                row.ranking = ranking
            RankedCandidate.objects.bulk_create(rows)
            _keys_store(ranking, _searched_by(request.agency_id, queries))  # less the common
            ranking.ranked_version = version
            ranking.model_id = model_id
            ranking.scorer = SCORER
            ranking.sought = sorted(p.pk for p in persons)
            ranking.ranked_at = timezone.now()
            ranking.save(update_fields=["ranked_version", "model", "scorer", "sought", "ranked_at"])
    except OperationalError:
        return rows, False
    return rows, True


def rankings_refresh(
    agency_id: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    *,
    missing: bool = True,
) -> tuple[int, int]:
    """Rank every request whose ranking is stale or (``missing``) was never made
    (``rankings_to_refresh``): how many were ranked, and how many were left for later
    (a marking write was in flight). Each in its own transactions: call it after the
    writes, outside theirs."""
    todo = rankings_to_refresh(agency_id, missing=missing)
    ranked = _rank_each(todo, progress)
    return ranked, len(todo) - ranked


def rankings_refresh_stale(ids: Collection[int]) -> int:
    """Rank again those of these requests whose stored ranking is stale (after a write
    that marked them, off its request); how many were ranked and stored."""
    stale = RequestRanking.objects.filter(pk__in=ids).exclude(ranked_version=F("version"))
    return _rank_each(sorted(stale.values_list("pk", flat=True)))


def _rank_each(ids: Sequence[int], progress: Callable[[int, int], None] | None = None) -> int:
    """``ranking_refresh`` of each of these requests (read a chunk at a time; one deleted
    meanwhile is skipped); how many were stored."""
    ranked = done = 0
    for start in range(0, len(ids), RANK_CHUNK):
        chunk = TracingRequest.objects.filter(pk__in=ids[start : start + RANK_CHUNK])
        for request in chunk.order_by("pk"):
            ranked += ranking_refresh(request)[1]
        done = min(start + RANK_CHUNK, len(ids))
        if progress is not None:
            progress(done, len(ids))
    return ranked


def rankings_to_refresh(agency_id: int | None = None, *, missing: bool = True) -> list[int]:
    """Ids of the requests whose ranking is stale, of an older model or scorer, or
    (``missing``) was never made."""
    requests = TracingRequest.objects.all()
    if agency_id is not None:
        requests = requests.filter(agency_id=agency_id)
    if not missing:
        requests = requests.filter(ranking__isnull=False)
    current = Q(pk__in=[])
    for agency in set(requests.values_list("agency_id", flat=True)):
        model_id = current_model(agency)[0]
        current |= (
            Q(agency_id=agency, model_id=model_id)
            if model_id
            else Q(agency_id=agency, model__isnull=True)
        )
    current_rankings = RequestRanking.objects.filter(
        current, ranked_version=F("version"), scorer=SCORER
    )
    fresh = current_rankings.values("pk")
    return list(requests.exclude(pk__in=fresh).order_by("pk").values_list("pk", flat=True))


def _stored(
    request: TracingRequest, model_id: int | None, sought: list[int]
) -> list[_Ranked] | None:
    """The stored ranking's rows, best first for each sought person; None when there is
    none that is current (a write since, another model or scorer, other sought persons)."""
    state = (
        RequestRanking.objects.filter(pk=request.pk)
        .values_list("version", "ranked_version", "model_id", "sought", "scorer")
        .first()
    )
    if state is None or state[0] != state[1] or state[2:] != (model_id, sought, SCORER):
        return None
    rows = RankedCandidate.objects.filter(ranking_id=request.pk).order_by("sought_id", "position")
    return [
        _Ranked(*r)
        for r in rows.values_list("sought_id", "person_id", "base_score", "score", "weight")
    ]


# --- reading, for one user ---------------------------------------------------------------


def request_candidates(
    user: User, request: TracingRequest, *, limit: int = 5
) -> list[SoughtCandidates]:
    """For each person a request seeks, who in the registry may be them (never one of
    the request's own sought persons), with their families, ranked: of the stored
    ranking (ranked first when stale), the persons the user may see, in its order; the
    first ``FAMILY_POOL`` times ``limit`` of them ordered again with their families'
    evidence; the first ``limit`` shown, scored and explained afresh. Likely persons
    the user may not see are counted, never shown (``held_elsewhere``)."""
    links = list(sought_of(request))
    if not _may_search(user) or not links or request.agency_id != user.agency_key:
        return []
    model_id, model = current_model(user.agency_key)
    sought = sorted(link.person_id for link in links)
    rows = _stored(request, model_id, sought)
    if rows is None:
        persons = [link.person for link in links]
        fresh, _ = ranking_refresh(request, persons=persons, model=(model_id, model))
        rows = [
            _Ranked(r.sought_id, r.person_id, r.base_score, r.score, r.weight)
            for r in sorted(fresh, key=lambda r: (r.sought_id, r.position))
        ]
    by_sought: dict[int, list[_Ranked]] = defaultdict(list)
    for row in rows:
        by_sought[row.sought].append(row)
    visible = set(
        persons_visible_to(user)
        .filter(pk__in={r.person for r in rows})
        .values_list("pk", flat=True)
    )
    shown: dict[int, list[int]] = {}
    held: dict[int, int] = {}
    for q, ranked in by_sought.items():
        pool = [r for r in ranked if r.person in visible][: limit * FAMILY_POOL]
        pool.sort(key=lambda r: (-r.score, -r.weight, r.person))
        shown[q] = [r.person for r in pool[:limit]]
        held[q] = sum(
            1 for r in ranked if r.person not in visible and r.base_score >= HELD_MIN_SCORE
        )
    return _explained_groups(user.agency_key, links, shown, held, model)


def _explained_groups(
    agency_id: int,
    links: Sequence[SoughtPerson],
    shown: Mapping[int, list[int]],
    held: Mapping[int, int],
    model: FellegiSunter,
) -> list[SoughtCandidates]:
    """The persons shown for each sought person scored afresh, with their children and
    the family evidence, listed in ``selectors.rank`` order, each explained."""
    ids = {i for found in shown.values() for i in found}
    persons = Person.objects.filter(pk__in=ids).select_related("current_facility").in_bulk()
    sought = [link.person for link in links]
    names = names_of([*ids, *(p.pk for p in sought)])
    queries = {p.pk: _described_person(p, names[p.pk]) for p in sought}
    kids_of = _sought_children(sought)
    children = _registered_children(agency_id, ids) if ids else {}
    parents = {i for q, found in shown.items() if kids_of.get(q) for i in found}
    child_names = names_of([k.pk for parent in parents for k in children.get(parent, [])])
    out = []
    for link in links:
        q = link.person.pk
        scored = _ranked(
            queries[q], [persons[i] for i in shown.get(q, []) if i in persons], model, names
        )
        kids = [(k, queries[k.pk]) for k in kids_of.get(q, [])]
        _with_family([s.candidate for s in scored], kids, children, child_names, model)
        scored.sort(key=lambda s: _rank(s.candidate))
        candidates = [_explained(s, model) for s in scored]
        out.append(SoughtCandidates(link, [k for k, _ in kids], candidates, held.get(q, 0)))
    return out
