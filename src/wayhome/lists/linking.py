"""Linking a list's rows to the registry in batches, with the outcomes of linking them
one by one.

Row by row, each row costs a candidate search (the shortlist, the visible persons, their
names: three statements), a scoring, and three inserts for a new person. A batch instead
reads the index rows of every key its rows look up in one statement, the shortlisted
persons and their names in one more each, scores in memory, and writes its new persons,
their names and keys, and its review pairs with a bulk insert each.

What linking in order gives is kept: a row is also searched, in memory, against the
persons the earlier rows of its batch created (and the names they added as aliases),
ranked exactly as the search ranks (``matching.selectors._usable_shortlist``: shared
keys, a compound key counting twice, the nearest birth year among the best four times
the shortlist's size, then the person's id; a new person's id comes after every one on
record), and a key those persons push over its cap is dropped as the search drops it.
``tests/lists/test_services.py`` checks it against ``services._link_row``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from wayhome.accounts.models import User
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record, snapshot
from wayhome.core.text import search_fold
from wayhome.linkage.model import BIRTH_LEVELS, SEX_LEVELS, FellegiSunter
from wayhome.lists.models import ImportRow
from wayhome.lists.reading import ListRow
from wayhome.matching.batch import (
    BIRTH_POOL,
    SHORTLIST,
    Candidate,
    Described,
    Named,
    Scored,
    cap_of,
    common_keys,
    described,
    explained,
    names_of,
    prefetch_scores,
    rank,
    remember_common,
    score_candidate,
)
from wayhome.matching.keys import features_of, query_keys, stored_keys
from wayhome.matching.models import NameKey
from wayhome.people import services as people_services
from wayhome.people.models import Person, PersonName
from wayhome.people.selectors import persons_visible_to
from wayhome.review import services as review_services
from wayhome.review.models import MatchCandidate
from wayhome.tracing.models import InformationReport

A = AuditEvent.Action
O = ImportRow.Outcome  # noqa: E741

# A row joins a registered person on its own only when the best candidate holds this
# share of the chance (``share_of_best``: another candidate who fits too takes its
# share), the birth dates agree at least to the month (a year alone fits too many
# children of one camp), and the sexes do not differ.
# Anything less certain is a new person with a pair in the review queue
# (review.QUEUE_AT), where a caseworker decides.
MATCH_AT = 0.98
# By name, not position: the model's levels have grown ("same year at given precision"
# came in before "same month"), and a fixed index then let a year alone through.
SURE_BIRTH_LEVEL = BIRTH_LEVELS.index("same month")
DIFFERENT_SEX = SEX_LEVELS.index("disagree")
QUEUE_AT = review_services.QUEUE_AT
# Rows per batch: the progress bar moves at least ten times, a small list still links
# in a few batches, and a batch's shortlists stay a few tens of thousands of persons.
BATCH_MIN, BATCH_MAX = 100, 1000
# A new person's reference sorts after every id on record, in the order created.
NEW = 1 << 62
IN_CHUNK = 5000  # ids per ``IN (...)`` list
UNION_CHUNK = 200  # keys per statement where there is no LATERAL (SQLite)
FOUND = 5  # candidates kept per row, as the row-by-row linking asks for
MAX_MERGE_HOPS = 20


def batch_size(total: int) -> int:
    return max(BATCH_MIN, min(BATCH_MAX, total // 10))


@dataclass
class Linked:
    """A row's outcome: the person it is (or became), the score, the pair to review."""

    outcome: str
    person: Person | None = None
    score: float | None = None
    candidate: MatchCandidate | None = None


@dataclass
class _Review:
    """A pair to queue once the batch's new persons have ids."""

    left: people_services.PersonDraft
    right: int  # a reference: an id on record, or NEW + n
    score: float
    explanation: dict[str, Any]
    linked: Linked


@dataclass
class _Batch:
    """What a batch knows beyond the index as it was when the batch began."""

    drafts: dict[int, people_services.PersonDraft] = field(default_factory=dict)
    named: dict[int, list[Named]] = field(default_factory=lambda: defaultdict(list))
    keys: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    reviews: list[_Review] = field(default_factory=list)
    after: list[Callable[[], None]] = field(default_factory=list)


def _named(name: PersonName) -> Named:
    """A name as ``selectors.names_of`` reads it back."""
    text = " ".join(p for p in (name.given, name.patronymic, name.family) if p) or name.full
    return Named(
        text, features_of(name.given, name.patronymic, name.family, name.full), name.script
    )


class BatchLinker:
    """Links the rows of one commit, a batch at a time (see the module docstring)."""

    def __init__(
        self,
        *,
        actor: User,
        report: InformationReport,
        previous: dict[tuple[str, str], int],
        model: FellegiSunter,
    ) -> None:
        assert actor.agency_key is not None  # noqa: S101  (checked by the commit)
        self.actor = actor
        self.agency_id: int = actor.agency_key
        self.report = report
        self.previous = previous
        self.model = model
        self.created = 0
        self._persons: dict[int, Person | None] = {}  # None: not visible to the actor
        self._names: dict[int, list[Named]] = {}
        self._births: dict[int, int | None] = {}

    # --- reads, a statement per batch -------------------------------------------------

    def _key_hits(self, keys: Sequence[str]) -> dict[str, list[int]]:
        """Each key's persons, at most its cap + 1 of them (as the search reads them)."""
        hits: dict[str, list[int]] = defaultdict(list)
        if not keys:
            return hits
        table = connection.ops.quote_name(NameKey._meta.db_table)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT q.k, h.person_id FROM unnest(%s::text[], %s::int[]) AS q(k, lim) "  # noqa: S608
                    f"CROSS JOIN LATERAL (SELECT person_id FROM {table} "
                    "WHERE agency_id = %s AND key = q.k LIMIT q.lim) AS h",
                    [list(keys), [cap_of(k) + 1 for k in keys], self.agency_id],
                )
                for k, person_id in cursor.fetchall():
                    hits[k].append(person_id)
                return hits
            branch = (
                f"SELECT * FROM (SELECT %s AS k, person_id FROM {table} "  # noqa: S608
                "WHERE agency_id = %s AND key = %s LIMIT %s)"
            )
            for start in range(0, len(keys), UNION_CHUNK):
                chunk = keys[start : start + UNION_CHUNK]
                params: list[str | int] = []
                for k in chunk:
                    params += [k, self.agency_id, k, cap_of(k) + 1]
                cursor.execute(" UNION ALL ".join([branch] * len(chunk)), params)
                for k, person_id in cursor.fetchall():
                    hits[k].append(person_id)
        return hits

    def _need_births(self, ids: Collection[int]) -> None:
        missing = sorted(i for i in ids if i < NEW and i not in self._births)
        for start in range(0, len(missing), IN_CHUNK):
            chunk = missing[start : start + IN_CHUNK]
            found = Person.objects.filter(pk__in=chunk).values_list("pk", "birth_year")
            self._births.update(dict.fromkeys(chunk))
            self._births.update(found)

    def _need_persons(self, ids: Collection[int]) -> None:
        """The visible persons among ``ids`` and their names, as the search reads them."""
        missing = sorted(i for i in ids if i < NEW and i not in self._persons)
        for start in range(0, len(missing), IN_CHUNK):
            chunk = missing[start : start + IN_CHUNK]
            rows = persons_visible_to(self.actor).filter(pk__in=chunk).select_related("agency")
            visible = {p.pk: p for p in rows}
            for i in chunk:
                self._persons[i] = visible.get(i)
            self._names.update(names_of(list(visible)))

    def _current(self, ids: Collection[int]) -> dict[int, Person]:
        """Each person, or the record they were merged into since (``services._current``)."""
        persons = Person.objects.in_bulk(list(ids))
        for _hop in range(MAX_MERGE_HOPS):
            onward = {p.merged_into_id for p in persons.values() if p.merged_into_id} - set(persons)
            if not onward:
                break
            persons.update(Person.objects.in_bulk(list(onward)))
        out = {}
        for i in ids:
            person, seen = persons.get(i), set()
            while (
                person is not None and person.merged_into_id is not None and person.pk not in seen
            ):
                seen.add(person.pk)
                person = persons.get(person.merged_into_id)
            if person is not None:
                out[i] = person
        return out

    # --- the batch ----------------------------------------------------------------------

    def link(self, rows: Sequence[ListRow]) -> list[Linked]:
        """Link ``rows`` (the next batch, in list order) and write what they create."""
        out: list[Linked | None] = [None] * len(rows)
        before = {
            i: self.previous[(r.key, r.digest)]
            for i, r in enumerate(rows)
            if r.ok and (r.key, r.digest) in self.previous
        }
        current = self._current(set(before.values()))
        queries: dict[int, tuple[Described, list[str]]] = {}
        for i, row in enumerate(rows):
            if not row.ok:
                out[i] = Linked(O.SKIPPED)
            elif i in before and before[i] in current:
                out[i] = Linked(O.UNCHANGED, current[before[i]])
            else:
                query = described(row.names, row.sex, row.birth)
                queries[i] = (query, sorted(query_keys(query.names)))
        wanted = sorted({k for _q, keys in queries.values() for k in keys})
        common = common_keys(self.agency_id, wanted)
        hits = self._key_hits([k for k in wanted if k not in common])
        remember_common(self.agency_id, [k for k, ids in hits.items() if len(ids) > cap_of(k)])
        # What the rows would shortlist from the registry alone: read in one go. Persons
        # created by the batch can only push some of them out (or, rarely, make a key
        # common, and the persons the row then shortlists are read when met).
        batch = _Batch()
        self._persons, self._names, self._births = {}, {}, {}  # as the batch begins
        pools = {i: self._pool(q, keys, hits, batch) for i, (q, keys) in queries.items()}
        self._need_births({p for pool in pools.values() if len(pool) > SHORTLIST for p, _n in pool})
        shortlists = {i: self._cut(queries[i][0], pool, batch) for i, pool in pools.items()}
        self._need_persons({p for refs in shortlists.values() for p in refs})
        for i, row in enumerate(rows):
            if out[i] is None:
                query, keys = queries[i]
                if any(k in batch.keys for k in keys):  # the batch's persons may count
                    shortlists[i] = self._cut(query, self._pool(query, keys, hits, batch), batch)
                out[i] = self._link_one(row, query, shortlists[i], batch)
        self._write(batch)
        return [o for o in out if o is not None]

    def _pool(
        self, query: Described, keys: Sequence[str], hits: dict[str, list[int]], batch: _Batch
    ) -> list[tuple[int, int]]:
        """(person reference, keys shared) of the best by shared keys, as the search's
        ``top``: BIRTH_POOL times the shortlist, ties by reference."""
        shared: dict[int, int] = defaultdict(int)
        common = common_keys(self.agency_id, keys)
        for k in keys:
            if k in common:
                continue
            found = hits.get(k, [])
            extra: list[int] = []
            if k in batch.keys:
                on_record = set(found)
                extra = [p for p in batch.keys[k] if p not in on_record]
            if len(found) + len(extra) > cap_of(k):
                remember_common(self.agency_id, [k])
                continue
            weight = 2 if k.startswith("=") else 1
            for p in (*found, *extra):
                shared[p] += weight
        best = sorted(shared.items(), key=lambda s: (-s[1], s[0]))
        return best[: SHORTLIST * BIRTH_POOL]

    def _birth_year(self, ref: int, batch: _Batch) -> int | None:
        if ref >= NEW:
            return batch.drafts[ref].person.birth_year
        return self._births.get(ref)

    def _cut(self, query: Described, pool: list[tuple[int, int]], batch: _Batch) -> list[int]:
        """The shortlist from the pool: nearest birth year first among equals."""
        if len(pool) <= SHORTLIST:
            return [p for p, _n in pool]
        year = query.birth_year
        self._need_births([p for p, _n in pool])

        def apart(ref: int) -> int:
            return abs((self._birth_year(ref, batch) or 0) - year) if year else 0

        ranked = sorted(pool, key=lambda s: (-s[1], apart(s[0]), s[0]))
        return [p for p, _n in ranked[:SHORTLIST]]

    def _found(
        self, query: Described, refs: Sequence[int], batch: _Batch
    ) -> list[tuple[int, Candidate]]:
        """The shortlist's best candidates with their references, as ``candidates_for``
        scores and ranks them."""
        self._need_persons(refs)
        persons: list[tuple[int, Person, list[Named]]] = []
        for ref in refs:
            if ref >= NEW:
                persons.append((ref, batch.drafts[ref].person, batch.named[ref]))
            elif (person := self._persons.get(ref)) is not None:
                persons.append((ref, person, self._names.get(ref, []) + batch.named.get(ref, [])))
        prefetch_scores(query, [n for _r, _p, names in persons for n in names])
        scored: list[tuple[int, Scored]] = [
            (ref, s)
            for ref, person, names in persons
            if (s := score_candidate(query, person, names, self.model)) is not None
        ]
        scored.sort(key=lambda rs: (-rs[1].candidate.score, -rs[1].candidate.weight, rs[0]))
        # The best FOUND by score, listed as the search lists them (``rank``: a namesake
        # born a generation apart after the others), so the first is the pair to review.
        top = sorted(scored[:FOUND], key=lambda rs: (*rank(rs[1].candidate), rs[0]))
        # Only the first one's explanation is used (the review pair's): explaining the
        # others, as the pages do, would cost a name alignment each.
        found = [(ref, s.candidate) for ref, s in top]
        if found:
            found[0] = (top[0][0], explained(top[0][1], self.model))
        return found

    def _link_one(
        self,
        row: ListRow,
        query: Described,
        shortlist: Sequence[int],
        batch: _Batch,
    ) -> Linked:
        found = self._found(query, shortlist, batch)
        candidates = [c for _ref, c in found]
        if found and sure(candidates[0], candidates):
            ref, best = found[0]
            self._attach(ref, best.person, row, batch)
            return Linked(O.MATCHED, best.person, best.score)
        draft = people_services.person_draft(
            actor=self.actor,
            names=row.names,
            sex=row.sex,
            birth=row.birth,
            birth_place=row.birth_place,
            notes=row.notes,
        )
        ref = NEW + self.created
        self.created += 1
        batch.drafts[ref] = draft
        self._file(ref, draft.names, batch)
        linked = Linked(O.NEW, draft.person)
        if not found or found[0][1].score < QUEUE_AT:
            return linked
        best_ref, best = found[0]
        linked.outcome, linked.score = O.REVIEW, best.score
        batch.reviews.append(
            _Review(draft, best_ref, round(best.score, 4), explanation(best), linked)
        )
        return linked

    def _file(self, ref: int, names: Iterable[PersonName], batch: _Batch) -> None:
        """Later rows of the batch find these names of the person under their keys."""
        names = list(names)
        for name in names:
            batch.named[ref].append(_named(name))
        for k in sorted(stored_keys(n.features for n in batch.named[ref][-len(names) :])):
            if ref not in batch.keys[k]:
                batch.keys[k].append(ref)

    def _attach(self, ref: int, person: Person, row: ListRow, batch: _Batch) -> None:
        """``services._attach``: the list's spelling of the name becomes an alias when
        the person lacks it, and the person's audit event names the report and the row."""
        draft = batch.drafts.get(ref)
        if draft is None:
            known = set(
                PersonName.objects.filter(person=person).values_list("search_text", flat=True)
            )
        else:
            known = {n.search_text for n in draft.names}
        for name in row.names:
            if search_fold(name.text()) in known:
                continue
            data = people_services.NameData(
                given=name.given,
                patronymic=name.patronymic,
                family=name.family,
                full=name.full,
                kind=PersonName.Kind.ALIAS,
            )
            if draft is None:
                added = people_services.name_add(actor=self.actor, person=person, data=data)
            else:
                added = _draft_alias(self.actor, draft, data, batch)
            known.add(added.search_text)
            self._file(ref, [added], batch)

        def event() -> None:
            audit_record(
                actor=self.actor,
                action=A.UPDATE,
                obj=person,
                person_uuid=person.uuid,
                changes={"reports": [None, self.report], "list_row": row.number},
                reason=_("Matched a row of an imported list."),
            )

        if draft is None:
            event()
        else:
            batch.after.append(event)  # the event needs the person's id

    def _write(self, batch: _Batch) -> None:
        """The batch's new persons, their names and keys, then its pairs to review."""
        if batch.drafts:
            people_services.persons_create_many(
                actor=self.actor, drafts=list(batch.drafts.values())
            )
        for after in batch.after:
            after()
        if batch.reviews:
            made = review_services.candidates_propose_new(
                actor=self.actor,
                pairs=[
                    (r.left.person, self._person(r.right, batch), r.score, r.explanation)
                    for r in batch.reviews
                ],
                source=MatchCandidate.Source.IMPORT,
            )
            for review, candidate in zip(batch.reviews, made, strict=True):
                review.linked.candidate = candidate

    def _person(self, ref: int, batch: _Batch) -> Person:
        if ref >= NEW:
            return batch.drafts[ref].person
        person = self._persons.get(ref)
        assert person is not None  # noqa: S101  (a candidate is always a visible person)
        return person


def _draft_alias(
    actor: User, draft: people_services.PersonDraft, data: people_services.NameData, batch: _Batch
) -> PersonName:
    """An alias of a person the batch has not written yet; its event once it has an id."""
    name = people_services.draft_name_add(draft, data)

    def event() -> None:
        audit_record(
            actor=actor,
            action=A.CREATE,
            obj=name,
            person_uuid=draft.person.uuid,
            changes=snapshot(name, people_services.NAME_FIELDS),
            agency=draft.person.agency,
        )

    batch.after.append(event)
    return name


def sure(best: Candidate, found: list[Candidate]) -> bool:
    """Sure enough to attach without a person's decision (see MATCH_AT)."""
    _name, birth, sex = best.vector
    return share_of_best(found) >= MATCH_AT and birth >= SURE_BIRTH_LEVEL and sex != DIFFERENT_SEX


def share_of_best(found: list[Candidate]) -> float:
    """The chance that the best candidate, and not another one nor nobody, is the row's
    person: its odds over one plus everyone's odds (as ``linkage.link._decide`` does).
    Two registered persons who both fit well share it, and neither is sure."""
    if not found:
        return 0.0
    odds = [min(c.score, 1 - 1e-12) / (1 - min(c.score, 1 - 1e-12)) for c in found]
    return odds[0] / (1.0 + sum(odds))


def explanation(c: Candidate) -> dict[str, Any]:
    reasons = [
        f"{f.field}: {f.agreement}" + ("" if f.weight is None else f" ({f.weight:+.1f})")
        for f in c.fields
    ]
    return {"alignment": c.alignment, "reasons": reasons}
