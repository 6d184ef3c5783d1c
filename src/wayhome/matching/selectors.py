"""Candidate search: who in the agency's registry may be the person being described.

Keys of the query's names (``keys.query_keys``) are looked up in the agency's blocking
index: each key reads at most its cap + 1 rows, a key that fills them is too common
to tell anyone apart and is dropped, and the persons sharing the most remaining keys
make a shortlist. The shortlist's names come in one query and are scored with the
linkage Fellegi–Sunter model (the agency's fitted weights, else the shipped ones).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import connection

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.core.fuzzydate import FuzzyDate
from wayhome.core.text import detect_script
from wayhome.linkage.io import Person as ListPerson
from wayhome.linkage.model import MIN_NAME_SCORE, FellegiSunter, comparison_vector
from wayhome.matching.align import align_many
from wayhome.matching.keys import features_of, query_keys
from wayhome.matching.models import CommonKey, NameKey
from wayhome.matching.scoring import (
    FieldAgreement,
    agreements,
    birth_of,
    generations_apart,
    model_for,
    sex_of,
)
from wayhome.matching.token_scores import prefetch, token_score
from wayhome.names.similarity import (
    NameFeatures,
    NameScore,
    TokenFeatures,
    compare_features,
    score_features,
)
from wayhome.people.models import Person, PersonName
from wayhome.people.selectors import persons_visible_to
from wayhome.people.services import NameData

KEY_CAP = 1000  # a compound key (two name parts) held by more persons is skipped
TOKEN_KEY_CAP = 250  # so is a one-part key held by more: it tells too few apart
SHORTLIST = 60  # persons sharing the most keys that are scored
REQUEST_SHORTLIST = 30  # per sought person of a request (its page scores them all)
BIRTH_POOL = 4  # the shortlist's size times this, by shared keys, is then ordered by birth
NAME_PARTS = ("given", "patronymic", "family", "full")
# A record held by another team (need-to-know) that scores at least this is reported as
# "a possible match held by another team", never shown: more likely the same than not.
HELD_MIN_SCORE = 0.5

Vector = tuple[int, int, int]


class Named(NamedTuple):
    """One name of a person: as shown, as the name core sees it, and its script."""

    text: str
    features: NameFeatures
    script: str


@dataclass(frozen=True)
class Described:
    """What is known of the person searched for: names, sex, birth."""

    names: tuple[NameFeatures, ...]
    texts: tuple[str, ...]
    sex: str
    birth: FuzzyDate
    scripts: tuple[str, ...]

    @property
    def birth_year(self) -> int | None:
        birth = birth_of(self.birth)
        return birth[0] if birth else None

    def as_list_person(self) -> ListPerson:
        return ListPerson("query", "", "", "", sex_of(self.sex), birth_of(self.birth))


def described(
    names: Iterable[NameData | str], sex: str = "", birth: FuzzyDate | None = None
) -> Described:
    """The query from names as entered (NameData) or as written (str)."""
    named: list[Named] = []
    for n in names:
        data = NameData(full=n) if isinstance(n, str) else n
        f = features_of(data.given, data.patronymic, data.family, data.full)
        text = data.text()
        named.append(Named(text, f, data.script or detect_script(text)))
    return _described(named, sex, birth or FuzzyDate())


def _described(names: Iterable[Named], sex: str, birth: FuzzyDate) -> Described:
    usable = [n for n in names if n.features.tokens]
    return Described(
        tuple(n.features for n in usable),
        tuple(n.text for n in usable),
        sex,
        birth,
        tuple(n.script for n in usable),
    )


@dataclass
class Candidate:
    """A person who may be the one described, with the score and why."""

    person: Person
    score: float
    weight: float
    vector: Vector
    names: list[str]
    alignment: str = ""
    fields: list[FieldAgreement] = field(default_factory=list)
    family: list[ChildMatch] = field(default_factory=list)
    children: list[Person] = field(default_factory=list)
    # Born a generation apart from the one described (``scoring.generations_apart``):
    # a parent or a child of the same name scores like the person, so it is said.
    generation_apart: bool = False

    @property
    def other_names(self) -> list[str]:
        return [n for n in self.names if n != self.person.display_name]


@dataclass(frozen=True)
class ChildMatch:
    """A sought child found among a candidate's registered children."""

    sought: Person
    child: Person
    score: float
    weight: float


# Keys too common to search by, per agency, with until when that is believed: those the
# last reindex counted (CommonKey, loaded once an hour), and those a search found filling
# its cap since. A common family name does not become rare again, and skipping it saves
# reading its cap's worth of index rows on every search.
_COMMON: dict[int, dict[str, float]] = defaultdict(dict)
_COUNTED_LOADED: dict[int, float] = {}
COMMON_TTL = 3600.0


def _known_common(agency_id: int, keys: Sequence[str]) -> set[str]:
    now = time.monotonic()
    if _COUNTED_LOADED.get(agency_id, 0.0) <= now:
        counted = CommonKey.objects.filter(agency_id=agency_id).values_list("key", "persons")
        _remember_common(agency_id, [k for k, n in counted if n > cap_of(k)])
        _COUNTED_LOADED[agency_id] = now + COMMON_TTL
    seen = _COMMON[agency_id]
    return {k for k in keys if seen.get(k, 0.0) > now}


def cap_of(key: str) -> int:
    """How many persons may hold a key for it to be worth searching by."""
    return KEY_CAP if key.startswith("=") else TOKEN_KEY_CAP


def _remember_common(agency_id: int, keys: Iterable[str]) -> None:
    until = time.monotonic() + COMMON_TTL
    _COMMON[agency_id].update(dict.fromkeys(keys, until))


def _usable_shortlist(
    agency_id: int,
    keys: Sequence[str],
    exclude: Collection[int],
    birth_year: int | None,
    size: int = SHORTLIST,
) -> list[int]:
    """Person ids sharing the most rare-enough keys with one query (``_usable_shortlists``)."""
    return _usable_shortlists(agency_id, {0: (keys, birth_year)}, exclude, size).get(0, [])


def _usable_shortlists(
    agency_id: int,
    queries: Mapping[int, tuple[Sequence[str], int | None]],
    exclude: Collection[int],
    size: int = SHORTLIST,
) -> dict[int, list[int]]:
    """For each query (its keys and birth year, by a number), the person ids sharing the
    most rare-enough keys, best first (a compound key, which covers two name parts,
    counts twice; then, among the BIRTH_POOL times as many sharing the most, the nearest
    birth year first).

    One statement for all the queries (a request's sought persons: one round trip, and
    the keys a family shares are read once), each distinct key an index range scan of at
    most its cap + 1 rows (on PostgreSQL a lateral join over the keys, elsewhere a UNION
    of a branch per key). Keys that fill their cap are remembered as common.
    """
    wanted = {k for keys, _ in queries.values() for k in keys}
    usable = sorted(wanted - _known_common(agency_id, sorted(wanted)))
    asked = [(q, k) for q, (keys, _) in queries.items() for k in sorted(set(keys)) if k in usable]
    if not asked:
        return {}
    table = connection.ops.quote_name(NameKey._meta.db_table)
    persons = connection.ops.quote_name(Person._meta.db_table)
    limit = size + len(exclude)
    params: list[Any] = []  # values, or lists of them sent as arrays
    if connection.vendor == "postgresql":
        # One lateral lookup per key: planned once whatever the number of keys (a UNION
        # of a branch per key took PostgreSQL 39 ms to plan for a request's 70 keys). The
        # lists travel as a few arrays rather than hundreds of parameters, which the
        # driver would otherwise splice into the statement one by one.
        hits = (
            "SELECT v.k, v.cap, n.person_id FROM unnest(%s::text[], %s::int[]) AS v(k, cap) "  # noqa: S608
            f"CROSS JOIN LATERAL (SELECT person_id FROM {table} "
            "WHERE agency_id = %s AND key = v.k LIMIT v.cap + 1) AS n"
        )
        params += [usable, [cap_of(k) for k in usable], agency_id]
        pairs = "SELECT * FROM unnest(%s::int[], %s::text[])"
        params += [[q for q, _ in asked], [k for _, k in asked]]
        wants = "SELECT * FROM unnest(%s::int[], %s::int[], %s::int[])"
        params += [
            list(queries),
            [b for _, b in queries.values()],
            [limit * BIRTH_POOL] * len(queries),
        ]
    else:
        branch = (
            f"SELECT * FROM (SELECT %s AS k, %s AS cap, person_id FROM {table} "  # noqa: S608
            "WHERE agency_id = %s AND key = %s LIMIT %s) AS b{n}"
        )
        hits = " UNION ALL ".join(branch.format(n=n) for n in range(len(usable)))
        for key in usable:
            params += [key, cap_of(key), agency_id, key, cap_of(key) + 1]
        pairs = "VALUES " + ", ".join(["(%s, %s)"] * len(asked))
        for q, k in asked:
            params += [q, k]
        wants = "VALUES " + ", ".join(["(%s, CAST(%s AS INTEGER), %s)"] * len(queries))
        for q, (_, birth_year) in queries.items():
            params += [q, birth_year, limit * BIRTH_POOL]
    sql = (
        f"WITH hits AS ({hits}), "  # noqa: S608
        "sizes AS (SELECT k, MAX(cap) AS cap, COUNT(*) AS n FROM hits GROUP BY k), "
        f"asked(q, k) AS ({pairs}), "
        f"wants(q, birth, pool) AS ({wants}), "
        "ranked AS (SELECT asked.q, hits.person_id,"
        " SUM(CASE WHEN substr(hits.k, 1, 1) = '=' THEN 2 ELSE 1 END) AS shared"
        " FROM hits JOIN sizes ON hits.k = sizes.k JOIN asked ON asked.k = hits.k"
        " WHERE sizes.n <= sizes.cap GROUP BY asked.q, hits.person_id), "
        "top AS (SELECT q, person_id, shared, ROW_NUMBER() OVER"
        " (PARTITION BY q ORDER BY shared DESC, person_id) AS rank FROM ranked), "
        "best AS (SELECT top.q, top.person_id, top.shared, CASE WHEN wants.birth IS NULL"
        " THEN 0 ELSE ABS(COALESCE(p.birth_year, 0) - wants.birth) END AS apart"
        f" FROM top JOIN wants ON wants.q = top.q JOIN {persons} p ON p.id = top.person_id"
        " WHERE top.rank <= wants.pool) "
        "SELECT k, NULL, NULL, NULL, NULL FROM sizes WHERE n > cap "
        "UNION ALL SELECT NULL, q, person_id, shared, apart FROM best"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    _remember_common(agency_id, [r[0] for r in rows if r[0] is not None])
    best = sorted((r for r in rows if r[0] is None), key=lambda r: (-r[3], r[4], r[2]))
    out: dict[int, list[int]] = {q: [] for q in queries}
    for _, q, person_id, _, _ in best:
        if person_id not in exclude and len(out[q]) < size:
            out[q].append(person_id)
    return out


def names_of(ids: Collection[int]) -> dict[int, list[Named]]:
    """Every name of these persons (text and features), in one query, primary first."""
    rows = list(
        PersonName.objects.filter(person_id__in=ids)
        .order_by("person_id", "-is_primary", "id")
        .values_list("person_id", "script", *NAME_PARTS)
    )
    out: dict[int, list[Named]] = defaultdict(list)
    for person_id, script, given, patronymic, family, full in rows:
        text = " ".join(p for p in (given, patronymic, family) if p) or full
        out[person_id].append(Named(text, features_of(given, patronymic, family, full), script))
    return out


def _worth_comparing(mine: str, theirs: str, my_scripts: Collection[str]) -> bool:
    """A name is compared with the query's names in its own script when the query has
    one (the same script needs no romanising), else with all of them."""
    return mine == theirs or theirs not in my_scripts


Best = tuple[float, tuple[float, ...], int, int]  # score, token scores, query's name, theirs


def _best_names(query: Described, theirs: list[Named]) -> Best:
    """The best-aligned pair of names: (score, token scores, query index, their index)."""
    best: Best = (-1.0, (), 0, 0)
    for i, mine in enumerate(query.names):
        for j, other in enumerate(theirs):
            if not _worth_comparing(query.scripts[i], other.script, query.scripts):
                continue
            s = score_features(mine, other.features, token_score)
            if s.score > best[0]:
                best = (s.score, s.token_scores, i, j)
    return best


def _best_names_many(query: Described, theirs: Sequence[list[Named]]) -> list[Best]:
    """``_best_names`` of each person's names, every pair of names aligned in one bulk
    call (``align.align_many``: the same scores, the same first best pair)."""
    pairs: list[tuple[Sequence[TokenFeatures], Sequence[TokenFeatures]]] = []
    where: list[tuple[int, int, int]] = []
    for p, names in enumerate(theirs):
        for i, mine in enumerate(query.names):
            for j, other in enumerate(names):
                if _worth_comparing(query.scripts[i], other.script, query.scripts):
                    pairs.append((mine.tokens, other.features.tokens))
                    where.append((p, i, j))
    best: list[Best] = [(-1.0, (), 0, 0)] * len(theirs)
    for (p, i, j), s in zip(where, align_many(pairs, token_score), strict=True):
        if s.score > best[p][0]:
            best[p] = (s.score, s.token_scores, i, j)
    return best


def _token_pairs(
    query: Described, theirs: Iterable[Named]
) -> Iterable[tuple[TokenFeatures, list[TokenFeatures]]]:
    """Each token of the query's names with the candidates' tokens it is compared with."""
    theirs = list(theirs)
    for mine, script in zip(query.names, query.scripts, strict=True):
        others = [
            t
            for n in theirs
            if _worth_comparing(script, n.script, query.scripts)
            for t in n.features.tokens
        ]
        for token in mine.tokens:
            yield token, others


def _list_person(person: Person) -> ListPerson:
    return ListPerson(str(person.pk), "", "", "", sex_of(person.sex), birth_of(person.birth))


@dataclass
class _Scored:
    candidate: Candidate
    mine: NameFeatures
    theirs: NameFeatures


def _score(
    query: Described,
    person: Person,
    theirs: list[Named],
    model: FellegiSunter,
    floor: float = MIN_NAME_SCORE,
    best: Best | None = None,
) -> _Scored | None:
    """The candidate, unless the names agree less than ``floor`` (the linker's own).
    ``best``: the names' best alignment when already known (``_best_names_many``)."""
    if not theirs or not query.names:
        return None
    score, tokens, i, j = best or _best_names(query, theirs)
    if score < floor:
        return None
    names = NameScore(score, tokens)
    vector = comparison_vector(query.as_list_person(), _list_person(person), names)
    candidate = Candidate(
        person=person,
        score=model.probability(vector),
        weight=model.weight(vector),
        vector=vector,
        names=[n.text for n in theirs],
        generation_apart=generations_apart(query.birth, person.birth),
    )
    return _Scored(candidate, query.names[i], theirs[j].features)


def _ranked(
    query: Described,
    persons: Sequence[Person],
    model: FellegiSunter,
    theirs: dict[int, list[Named]],
) -> list[_Scored]:
    """The candidates among ``persons``, best score first, not yet explained."""
    prefetch(_token_pairs(query, [n for p in persons for n in theirs[p.pk]]))
    bests = _best_names_many(query, [theirs[p.pk] for p in persons])
    scored = [
        s
        for p, best in zip(persons, bests, strict=True)
        if (s := _score(query, p, theirs[p.pk], model, best=best)) is not None
    ]
    scored.sort(key=lambda s: _by_score(s.candidate))
    return scored


def _by_score(c: Candidate) -> tuple[float, float, int]:
    return -c.score, -c.weight, c.person.pk


def rank(c: Candidate) -> tuple[bool, float, float]:
    """Where a shown candidate is listed, first to last: by score and weight, except
    that a namesake born a generation apart comes after the others. A mother and her
    daughter of one name score as one person (a birth year can only weigh so much
    against a whole name), and the first in the list is the one looked at first and
    put to review. Which candidates are shown is still decided by score alone
    (``_by_score``): such a namesake, marked, is not pushed out of a short list by
    candidates who fit worse."""
    return c.generation_apart, -c.score, -c.weight


def _rank(c: Candidate) -> tuple[bool, float, float, int]:
    return (*rank(c), c.person.pk)


def score_persons(
    query: Described,
    persons: Sequence[Person],
    model: FellegiSunter,
    limit: int,
    theirs: dict[int, list[Named]] | None = None,
) -> list[Candidate]:
    """The best ``limit`` candidates among ``persons`` (their names loaded in one query
    unless given), listed in ``rank`` order, each explained: the name alignment and
    every field's agreement."""
    if theirs is None:
        theirs = names_of([p.pk for p in persons])
    shown = sorted(_ranked(query, persons, model, theirs)[:limit], key=lambda s: _rank(s.candidate))
    return [_explained(s, model) for s in shown]


def _explained(scored: _Scored, model: FellegiSunter) -> Candidate:
    """The candidate with its name alignment and every field's agreement filled in."""
    scored.candidate.alignment = compare_features(scored.mine, scored.theirs).explain()
    scored.candidate.fields = agreements(model, scored.candidate.vector)
    return scored.candidate


def _shortlist_ids(
    user: User, query: Described, exclude: Collection[Person | int], size: int = SHORTLIST
) -> list[int]:
    """Ids of the persons sharing the most usable keys with the query (not yet scoped)."""
    assert user.agency_key is not None  # noqa: S101  (checked by the callers)
    keys = sorted(query_keys(query.names))
    if not keys:
        return []
    excluded = {p.pk if isinstance(p, Person) else p for p in exclude}
    return _usable_shortlist(user.agency_key, keys, excluded, query.birth_year, size)


def _shortlists(
    user: User,
    queries: Mapping[int, Described],
    exclude: Collection[Person | int],
    size: int,
) -> dict[int, list[int]]:
    """``_shortlist_ids`` for several queries at once (by a number), in one statement."""
    assert user.agency_key is not None  # noqa: S101  (checked by the callers)
    excluded = {p.pk if isinstance(p, Person) else p for p in exclude}
    asked = {q: (sorted(query_keys(d.names)), d.birth_year) for q, d in queries.items()}
    found = _usable_shortlists(user.agency_key, asked, excluded, size)
    return {q: found.get(q, []) for q in queries}


def _visible(user: User, ids: Collection[int]) -> dict[int, Person]:
    """The persons among ``ids`` the user may see (the agency's, not merged away)."""
    rows = persons_visible_to(user).filter(pk__in=ids).select_related("current_facility")
    return {p.pk: p for p in rows}


def _shortlisted(user: User, query: Described, exclude: Collection[Person | int]) -> list[Person]:
    """The visible persons sharing the most usable keys with the query, best first."""
    ids = _shortlist_ids(user, query, exclude)
    visible = _visible(user, ids)
    return [visible[i] for i in ids if i in visible]


def _held_elsewhere(
    user: User, query: Described, ids: Collection[int], visible: Collection[int]
) -> int:
    """How many shortlisted records the user may not see (another team holds them, under
    need-to-know) are likely the one described. Only this count leaves the function: the
    records are scored on the server and never returned, so the user learns that a
    supervisor should be asked, not who it is."""
    hidden = [i for i in ids if i not in visible]
    if not hidden:
        return 0
    assert user.agency_key is not None  # noqa: S101  (checked by the callers)
    persons = list(
        Person.objects.filter(pk__in=hidden, agency_id=user.agency_key, merged_into__isnull=True)
    )
    if not persons:
        return 0
    model = model_for(user.agency_key)
    scored = _ranked(query, persons, model, names_of([p.pk for p in persons]))
    return sum(1 for s in scored if s.candidate.score >= HELD_MIN_SCORE)


@dataclass
class Found:
    """A search's candidates the user may see, and how many likely ones they may not."""

    candidates: list[Candidate]
    held_elsewhere: int = 0


def candidate_search(
    user: User,
    *,
    names: Iterable[NameData | str],
    sex: str = "",
    birth: FuzzyDate | None = None,
    exclude: Collection[Person | int] = (),
    limit: int = 10,
) -> Found:
    """``candidates_for``, plus the count of likely matches held by another team."""
    if not _may_search(user):
        return Found([])
    query = described(names, sex, birth)
    ids = _shortlist_ids(user, query, exclude)
    visible = _visible(user, ids)
    persons = [visible[i] for i in ids if i in visible]
    found = score_persons(query, persons, model_for(user.agency_key), limit)
    return Found(found, _held_elsewhere(user, query, ids, visible))


def _may_search(user: User) -> bool:
    return user.has_cap(Cap.PERSON_VIEW) and user.agency_key is not None


def candidates_for(
    user: User,
    *,
    names: Iterable[NameData | str],
    sex: str = "",
    birth: FuzzyDate | None = None,
    exclude: Collection[Person | int] = (),
    limit: int = 10,
    model: FellegiSunter | None = None,
) -> list[Candidate]:
    """The persons of the user's agency who may be the one described, best first, each
    with a score in [0, 1] and the agreement of every field. Empty for a user who may
    not read persons; never a person of another agency or team, nor a merged record.
    ``model`` is the agency's (``model_for``), read once by a caller searching many times."""
    if not _may_search(user):
        return []
    query = described(names, sex, birth)
    persons = _shortlisted(user, query, exclude)
    return score_persons(query, persons, model or model_for(user.agency_key), limit)


def name_data_of(person: Person) -> list[NameData]:
    """A registered person's names as a query."""
    rows = PersonName.objects.filter(person=person).values_list(*NAME_PARTS)
    return [NameData(given=g, patronymic=p, family=f, full=w) for g, p, f, w in rows]


def candidates_for_person(
    user: User, person: Person, *, exclude: Collection[Person | int] = (), limit: int = 10
) -> list[Candidate]:
    """Who else in the registry may be this registered person (never the person)."""
    return candidates_for(
        user,
        names=name_data_of(person),
        sex=person.sex,
        birth=person.birth,
        exclude={person.pk, *(p.pk if isinstance(p, Person) else p for p in exclude)},
        limit=limit,
    )


def pair_explained(user: User, person: Person, other: Person) -> Candidate | None:
    """``other`` scored and explained as a candidate for ``person`` whatever their names'
    agreement (the side-by-side view of a possible match); None when the user may not
    see both, or either has no usable name."""
    if not _may_search(user):
        return None
    visible = _visible(user, {person.pk, other.pk})
    if person.pk not in visible or other.pk not in visible:
        return None
    names = names_of([person.pk, other.pk])
    query = _described_person(person, names[person.pk])
    model = model_for(user.agency_key)
    scored = _score(query, visible[other.pk], names[other.pk], model, 0.0)
    return None if scored is None else _explained(scored, model)


def comparison_vectors(
    user: User, pairs: Sequence[tuple[Person, Person]]
) -> tuple[list[Vector], list[int]]:
    """Comparison vectors for refitting: every candidate of each pair's first person
    (mostly non-matches), and the indexes of the confirmed partners among them."""
    model = model_for(user.agency_key)
    vectors: list[Vector] = []
    confirmed: list[int] = []
    for a, b in pairs:
        query = described(name_data_of(a), a.sex, a.birth)
        persons = {p.pk: p for p in _shortlisted(user, query, {a.pk})} | {b.pk: b}
        theirs = names_of(list(persons))
        for person in persons.values():
            floor = 0.0 if person.pk == b.pk else MIN_NAME_SCORE  # the partner always counts
            scored = _score(query, person, theirs[person.pk], model, floor)
            if scored is None:
                continue
            if person.pk == b.pk:
                confirmed.append(len(vectors))
            vectors.append(scored.candidate.vector)
    return vectors, confirmed


def _described_person(person: Person, names: list[Named]) -> Described:
    """A registered person as a query, from names already loaded."""
    return _described(names, person.sex, person.birth)
