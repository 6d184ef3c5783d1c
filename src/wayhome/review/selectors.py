"""Reads of the review queue, scoped to the user's agency (another agency's pair: 404)."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Case, IntegerField, Model, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.accounts.scope import assignment_filter
from wayhome.accounts.sensitivity import (
    Visibility,
    field_class,
    present,
    redact,
    redact_all,
    visibility,
)
from wayhome.core.templatetags.wayhome import fuzzydate
from wayhome.core.text import search_fold
from wayhome.matching.scoring import generations_apart
from wayhome.people.models import (
    Citizenship,
    IdentityDocument,
    Person,
    PersonName,
    Relationship,
    Script,
    Sex,
)
from wayhome.people.selectors import Kin, kin_of, persons_on_record
from wayhome.review.models import MatchCandidate, PersonMerge
from wayhome.review.services import names_explanation
from wayhome.tracing.models import Whereabouts

PAGE_SIZE = 25
C = MatchCandidate.Decision
AGREE, DIFFER, UNKNOWN = "agree", "differ", "unknown"
RECENT_WHEREABOUTS = 3
M = TypeVar("M", bound=Model)


def candidates_visible_to(user: User) -> QuerySet[MatchCandidate]:
    if not user.has_cap(Cap.PERSON_VIEW):
        return MatchCandidate.objects.none()
    # Under need-to-know a pair is the user's only when both records are (so a pair
    # never shows a record held by another team).
    return MatchCandidate.objects.filter(
        assignment_filter(user, "left__"),
        assignment_filter(user, "right__"),
        agency_id=user.agency_key,
    )


def _get(qs: QuerySet[M], key: uuid.UUID | str) -> M:
    try:
        return qs.get(uuid=key)
    except (ObjectDoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


def candidate_get(user: User, key: uuid.UUID | str) -> MatchCandidate:
    return _get(candidates_visible_to(user).select_related("left", "right", "decided_by"), key)


def merges_visible_to(user: User) -> QuerySet[PersonMerge]:
    if not user.has_cap(Cap.PERSON_VIEW):
        return PersonMerge.objects.none()
    return PersonMerge.objects.filter(
        assignment_filter(user, "keep__"),
        assignment_filter(user, "absorbed__"),
        agency_id=user.agency_key,
    )


def merge_get(user: User, key: uuid.UUID | str) -> PersonMerge:
    return _get(merges_visible_to(user).select_related("keep", "absorbed"), key)


def person_on_record_get(user: User, key: uuid.UUID | str) -> Person:
    """A person of the agency, merged or not: merge history shows the absorbed ones too."""
    return _get(persons_on_record(user), key)


def merges_of(person: Person) -> list[PersonMerge]:
    """Every merge the person took part in, kept or absorbed, newest first."""
    rows = PersonMerge.objects.filter(Q(keep=person) | Q(absorbed=person))
    return list(rows.select_related("keep", "absorbed", "created_by", "undone_by"))


# --- the queue ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Queue:
    page: Page[MatchCandidate]
    counts: dict[str, int]
    source: str


def _live(qs: QuerySet[MatchCandidate]) -> QuerySet[MatchCandidate]:
    """Pairs whose both records still exist as persons: a pending pair with a merged
    record waits hidden (it comes back if that merge is undone)."""
    return qs.filter(left__merged_into__isnull=True, right__merged_into__isnull=True)


def queue(user: User, source: str = "", number: str | int | None = 1) -> Queue:
    """Pending pairs first (best score first), then decided ones, newest decision first."""
    qs = _live(candidates_visible_to(user))
    if source in MatchCandidate.Source.values:
        qs = qs.filter(source=source)
    by_status = {
        status: qs.filter(status=status).count() for status in MatchCandidate.Decision.values
    }
    pending_first = Case(
        When(status=C.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    ordered = qs.select_related("left", "right", "decided_by").order_by(
        pending_first, "-score", "-decided_at", "id"
    )
    return Queue(
        page=Paginator(ordered, PAGE_SIZE).get_page(number), counts=by_status, source=source
    )


# --- families ---------------------------------------------------------------------------------


def _children(person: Person) -> QuerySet[Person]:
    links = Relationship.objects.filter(from_person=person, kind=Relationship.Kind.PARENT)
    return Person.objects.filter(pk__in=links.values("to_person_id"))


def children_candidates(
    candidate: MatchCandidate, user: User | None = None
) -> list[MatchCandidate]:
    """Pending pairs between a child of one side and a child of the other: the family
    that can be confirmed with this pair (a mother with her children); with ``user``,
    only pairs that user may see."""
    if candidate.status != C.PENDING:
        return []
    left_kids, right_kids = _children(candidate.left), _children(candidate.right)
    between = Q(left__in=left_kids, right__in=right_kids) | Q(
        left__in=right_kids, right__in=left_kids
    )
    rows = _live(MatchCandidate.objects.filter(agency_id=candidate.agency_id, status=C.PENDING))
    if user is not None:
        rows = rows.filter(assignment_filter(user, "left__"), assignment_filter(user, "right__"))
    return list(rows.filter(between).select_related("left", "right").order_by("-score", "id"))


# --- side by side -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One field of both persons and whether they agree."""

    label: Any
    left: Any
    right: Any
    agreement: str


@dataclass(frozen=True)
class NameLine:
    name: PersonName
    partner: str
    score: float
    explain: str


@dataclass
class Side:
    person: Person
    names: dict[str, list[NameLine]] = field(default_factory=dict)
    citizenships: list[Any] = field(default_factory=list)
    documents: list[Any] = field(default_factory=list)
    kin: list[Kin] = field(default_factory=list)
    whereabouts: list[Whereabouts] = field(default_factory=list)


@dataclass(frozen=True)
class SideBySide:
    left: Side
    right: Side
    rows: list[Row]
    best_names: dict[str, Any]
    # Born a generation apart (``generations_apart``), told only to a reviewer who sees
    # both birth dates: a parent and a child of one name look like one person.
    generation_apart: bool = False


def _agreement(a: Any, b: Any, same: Callable[[Any, Any], bool] | None = None) -> str:
    if a in (None, "", Sex.UNKNOWN, frozenset()) or b in (None, "", Sex.UNKNOWN, frozenset()):
        return UNKNOWN
    return AGREE if (same or (lambda x, y: x == y))(a, b) else DIFFER


def _births_overlap(a: Person, b: Person) -> bool:
    return not (a.birth.certainly_before(b.birth) or b.birth.certainly_before(a.birth))


def _name_lines(person: Person, other: Person) -> dict[str, list[NameLine]]:
    """Each name of ``person`` by script, with its best partner among ``other``'s names."""
    from wayhome.names.similarity import compare_names

    theirs = list(other.names.all())
    out: dict[str, list[NameLine]] = {}
    for name in person.names.order_by("script", "-is_primary", "id"):
        best = max(
            ((compare_names(name.text, t.text), t.text) for t in theirs),
            key=lambda pair: pair[0].score,
            default=None,
        )
        line = NameLine(
            name=name,
            partner=best[1] if best else "",
            score=best[0].score if best else 0.0,
            explain=best[0].explain() if best else "",
        )
        out.setdefault(str(Script(name.script).label), []).append(line)
    return out


def _sees(user: User | None, model: type[Model], name: str) -> bool:
    """Whether the reviewer sees this field in full (no user: an internal call, all)."""
    return user is None or visibility(user, field_class(model, name)) is Visibility.SEE


def _shown(user: User | None, model: type[Model], name: str, value: Any) -> Any:
    """A row's value as the reviewer may have it: itself, "restricted", or "—"."""
    if user is None:
        return value
    kept = present(user, field_class(model, name), None if value == "—" else value)
    return "—" if kept is None else kept


def _redacted_copy(user: User | None, person: Person) -> Person:
    """The person as the reviewer may see them, field by field, as on the person's page
    (a copy: the pair's own records stay whole for the decision that follows)."""
    if user is None:
        return person
    shown = copy.copy(person)
    redact(user, shown)
    return shown


def _side(person: Person, other: Person, user: User | None) -> Side:
    names = _name_lines(person, other)
    whereabouts = list(
        Whereabouts.objects.filter(person=person, retracted_at__isnull=True)
        .select_related("facility", "country")
        .prefetch_related("reports")
        .order_by("-start_date", "-id")[:RECENT_WHEREABOUTS]
    )
    citizenships = list(person.citizenships.select_related("country"))
    documents = list(person.documents.select_related("issuing_country"))
    if user is not None:
        # Every record on the side passes the sensitivity table, as on the person page.
        partners = _sees(user, PersonName, "full")
        for script, lines in names.items():
            redact_all(user, [line.name for line in lines])
            if not partners:  # the other record's names, compared: not for this reader
                names[script] = [replace(ln, partner="", explain="", score=0.0) for ln in lines]
        redact_all(user, [*citizenships, *documents, *whereabouts])
        for entry in whereabouts:
            redact_all(user, entry.reports.all())
    return Side(
        person=_redacted_copy(user, person),
        names=names,
        citizenships=citizenships,
        documents=documents,
        kin=kin_of(person, user),
        whereabouts=whereabouts,
    )


def _docs(person: Person) -> frozenset[tuple[str, str]]:
    return frozenset(
        (d.kind, search_fold(d.number)) for d in person.documents.all() if d.number.strip()
    )


def _listed(items: Iterable[object]) -> str:
    return ", ".join(str(i) for i in items) or "—"


def side_by_side(candidate: MatchCandidate, user: User | None = None) -> SideBySide:
    """Every field of both persons with agreement marked, for one pair (relatives limited
    to those ``user`` may see)."""
    a, b = candidate.left, candidate.right
    cits = [frozenset(p.citizenships.values_list("country_id", flat=True)) for p in (a, b)]
    births = [fuzzydate(p.birth) if p.birth.is_known else "—" for p in (a, b)]
    # Each row is the field of one class: a reviewer who may not see it in full gets
    # "restricted" (or nothing) for the values and "cannot tell" for the agreement,
    # which would otherwise say something about the values.
    rows = [
        (
            Person,
            "sex",
            Row(_("Sex"), a.get_sex_display(), b.get_sex_display(), _agreement(a.sex, b.sex)),
        ),
        (
            Person,
            "birth_year",
            Row(
                _("Birth"),
                births[0],
                births[1],
                UNKNOWN
                if not (a.birth.is_known and b.birth.is_known)
                else (AGREE if _births_overlap(a, b) else DIFFER),
            ),
        ),
        (
            Person,
            "birth_place",
            Row(
                _("Place of birth"),
                a.birth_place or "—",
                b.birth_place or "—",
                _agreement(search_fold(a.birth_place), search_fold(b.birth_place)),
            ),
        ),
        (
            Citizenship,
            "country",
            Row(
                _("Citizenships"),
                _listed(c.country for c in a.citizenships.select_related("country")),
                _listed(c.country for c in b.citizenships.select_related("country")),
                _agreement(cits[0], cits[1], lambda x, y: bool(x & y)),
            ),
        ),
        (
            IdentityDocument,
            "number",
            Row(
                _("Identity documents"),
                _listed(d.number for d in a.documents.all() if d.number),
                _listed(d.number for d in b.documents.all() if d.number),
                _agreement(_docs(a), _docs(b), lambda x, y: bool(x & y)),
            ),
        ),
        (
            Person,
            "current_facility",
            Row(
                _("Current whereabouts"),
                _listed([a.get_current_status_display(), *filter(None, [a.current_facility])]),
                _listed([b.get_current_status_display(), *filter(None, [b.current_facility])]),
                _agreement(a.current_facility_id, b.current_facility_id),
            ),
        ),
    ]
    shown = [
        row
        if _sees(user, model, name)
        else Row(
            row.label,
            _shown(user, model, name, row.left),
            _shown(user, model, name, row.right),
            UNKNOWN,
        )
        for model, name, row in rows
    ]
    return SideBySide(
        left=_side(a, b, user),
        right=_side(b, a, user),
        rows=shown,
        best_names=names_explanation(a, b) if _sees(user, PersonName, "full") else {},
        generation_apart=_sees(user, Person, "birth_year") and generations_apart(a.birth, b.birth),
    )
