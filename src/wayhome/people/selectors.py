"""Reads of persons, always scoped to what the user may see.

Views never query Person directly: they call these, and a row of another agency is simply
not there (404), never "forbidden" (which would confirm it exists).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Concat, StrIndex
from django.db.models.lookups import GreaterThan
from django.http import Http404
from django.utils import timezone

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.accounts.scope import assignment_filter
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record
from wayhome.core.text import search_fold
from wayhome.people.kinship import Role, kin_word, role_of_other
from wayhome.people.models import (
    BIRTH_COLUMNS,
    Citizenship,
    FamilyGroup,
    IdentityDocument,
    Person,
    PersonName,
    Photo,
    Relationship,
)
from wayhome.places.models import Facility, Region

PAGE_SIZE = 50
# Counting every match of a broad search over a million rows costs more than the page
# itself; past this many the list says "more than".
COUNT_CAP = 10_000
# Deep OFFSETs cost a walk over every row before them; past 10,000 matches the
# caseworker narrows the search instead of paging on.
MAX_PAGE = COUNT_CAP // PAGE_SIZE
# Below this length a contains search cannot use the trigram index: match name starts.
MIN_CONTAINS = 3
# Past this many matches a name search is not sorted by name: sorting reads every match
# (60,000 rows for a common family name at a million persons, about half a second), and
# a walk of the name index is no better, because the matches of a family name are not
# spread evenly over names ordered by their first word (at a million, 60,795 persons
# were passed before the first "Алиева"). The newest registrations come first instead:
# a walk of the primary key backwards meets matches evenly, since when a person was
# registered says nothing of their name, and reads the table nearly in its physical
# order: about PAGE_SIZE * (persons / matches) rows a page. The count of a name search
# stops here too, as counting is most of such a search's cost.
SORT_MAX = 5_000
# A walk to a deep page reads page * PAGE_SIZE * (persons / matches) rows: so many
# matches are browsed 20 pages deep (the newest 1,000), and the page asks for a narrower
# search (another name, an age, a filter) to reach the others.
WALK_PAGES = 20
# How many merges deep person_get follows a merged record to the surviving one.
MAX_MERGE_HOPS = 20

M = TypeVar("M", bound=Model)


def persons_on_record(user: User) -> QuerySet[Person]:
    """Every person row the user may read, records merged into another one included
    (merge history and undo need them; lists and search do not): their agency's, less,
    under need-to-know, those held by a team that is not theirs (accounts/scope.py)."""
    if not user.has_cap(Cap.PERSON_VIEW):
        return Person.objects.none()
    return Person.objects.filter(assignment_filter(user), agency_id=user.agency_key)


def persons_visible_to(user: User) -> QuerySet[Person]:
    """Every person the user may read: their agency's, if their role reads persons, less
    the records merged into another one (they would show the same person twice)."""
    return persons_on_record(user).filter(merged_into__isnull=True)


def _one(qs: QuerySet[M], key: uuid.UUID | str) -> M:
    try:
        return qs.get(uuid=key)
    except (ObjectDoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


def person_get(user: User, person_uuid: uuid.UUID | str) -> Person:
    """One visible person, or 404.

    A record merged into another one answers with the surviving record, so that an old
    link or a form left open in another tab lands on (and writes to) the one person they
    both were; an unknown or foreign id is still 404.
    """
    rows = persons_on_record(user).select_related(
        "home_region", "birth_country", "current_facility", "team", "assigned_to"
    )
    person = _one(rows, person_uuid)
    # Merges never chain into a cycle (a merged record can be neither kept nor absorbed
    # again), so this walk ends; the bound only guards against a hand-edited database.
    for _hop in range(MAX_MERGE_HOPS):
        if person.merged_into_id is None:
            return person
        person = rows.get(pk=person.merged_into_id)
    raise Http404


def person_read(user: User, person_uuid: uuid.UUID | str) -> Person:
    """One visible person for a page that shows the file: the read itself is audited."""
    person = person_get(user, person_uuid)
    audit_record(actor=user, action=AuditEvent.Action.VIEW, obj=person, person_uuid=person.uuid)
    return person


def _owned_by_visible_person(
    qs: QuerySet[M], user: User, key: uuid.UUID | str, person_path: str = "person"
) -> M:
    """A record hanging off a person, found only when that person is visible."""
    visible = qs.filter(**{f"{person_path}__in": persons_visible_to(user)})
    return _one(visible.select_related(person_path), key)


def name_get(user: User, key: uuid.UUID | str) -> PersonName:
    return _owned_by_visible_person(PersonName.objects.all(), user, key)


def citizenship_get(user: User, key: uuid.UUID | str) -> Citizenship:
    return _owned_by_visible_person(Citizenship.objects.all(), user, key)


def document_get(user: User, key: uuid.UUID | str) -> IdentityDocument:
    return _owned_by_visible_person(IdentityDocument.objects.all(), user, key)


def photo_get(user: User, key: uuid.UUID | str) -> Photo:
    return _owned_by_visible_person(Photo.objects.all(), user, key)


def photo_read(user: User, key: uuid.UUID | str) -> Photo:
    """A photograph whose bytes are about to be sent: a face is a read of the person."""
    photo = photo_get(user, key)
    audit_record(
        actor=user, action=AuditEvent.Action.VIEW, obj=photo, person_uuid=photo.person.uuid
    )
    return photo


def relationship_get(user: User, key: uuid.UUID | str) -> Relationship:
    if not user.has_cap(Cap.PERSON_VIEW):
        raise Http404
    qs = Relationship.objects.filter(
        assignment_filter(user, "from_person__"),
        assignment_filter(user, "to_person__"),
        agency_id=user.agency_key,
    )
    return _one(qs.select_related("from_person", "to_person"), key)


# --- the person list ----------------------------------------------------------------


@dataclass(frozen=True)
class PersonFilters:
    q: str = ""
    status: str = ""
    home_region: Region | None = None
    facility: Facility | None = None
    sex: str = ""
    min_age: int | None = None
    max_age: int | None = None


@dataclass(frozen=True)
class PersonPage:
    persons: list[Person]
    number: int
    has_next: bool
    total: int
    # True when the count stopped at its cap (COUNT_CAP; SORT_MAX for a name search):
    # "more than 10,000".
    total_is_capped: bool
    # True when the matches are too many to sort (SORT_MAX): the newest come first, and
    # only WALK_PAGES pages of them; the page asks to refine the search.
    refine: bool = False

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def browsable(self) -> int:
        """How many of the matches can be paged through when ``refine`` is set."""
        return WALK_PAGES * PAGE_SIZE


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _names_starting(folded: str) -> QuerySet[PersonName]:
    """Names starting with a query too short for trigrams (B-tree index on search_text).

    Longer queries match anywhere in ``Person.search_names`` (PostgreSQL: trigram index).
    """
    return PersonName.objects.filter(search_text__startswith=folded)


def _contains(folded: str, walk: bool) -> Q | GreaterThan[int]:
    """A name containing ``folded``: through the trigram index (LIKE), or, for a walk of
    the newest first, as a test of each row that no index serves (strpos), so that
    PostgreSQL reads the primary key backwards and stops at the page's end."""
    if walk:
        return GreaterThan(StrIndex("search_names", Value(folded)), 0)
    return Q(search_names__contains=folded)


def persons_filtered(
    user: User, f: PersonFilters, today: dt.date | None = None, *, walk: bool = False
) -> QuerySet[Person]:
    """Visible persons matching the filters, without DISTINCT (names via a subquery).

    Ages are ranges over fuzzy births: a person "about 4 in 2019" matches an age filter
    whenever some reading of their birth date would give an age in the range. ``walk``
    asks for the same rows in a form meant to be read newest first (``_contains``).
    """
    today = today or timezone.localdate()
    qs = persons_visible_to(user)
    folded = search_fold(f.q)
    if len(folded) >= MIN_CONTAINS:
        qs = qs.filter(_contains(folded, walk))
    elif folded:
        qs = qs.filter(id__in=_names_starting(folded).values("person_id"))
    if f.status:
        qs = qs.filter(current_status=f.status)
    if f.home_region is not None:
        qs = qs.filter(home_region=f.home_region)
    if f.facility is not None:
        qs = qs.filter(current_facility=f.facility)
    if f.sex:
        qs = qs.filter(sex=f.sex)
    if f.min_age is not None:
        qs = qs.filter(birth_earliest__lte=_years_before(today, f.min_age))
    if f.max_age is not None:
        qs = qs.filter(birth_latest__gt=_years_before(today, f.max_age + 1))
    return qs


def _walks(f: PersonFilters, matches: int) -> bool:
    """Whether ``matches`` persons are too many to sort by name (SORT_MAX)."""
    return matches > SORT_MAX and _by_name_search(f)


def _by_name_search(f: PersonFilters) -> bool:
    return len(search_fold(f.q)) >= MIN_CONTAINS


def _ordered(user: User, f: PersonFilters, matches: int) -> QuerySet[Person]:
    """The matching persons by name when they are few, the newest first when many."""
    if _walks(f, matches):
        return persons_filtered(user, f, walk=True).order_by("-id")
    if _by_name_search(f):
        # At most SORT_MAX matches: read them through the trigram index and sort them.
        # Ordered by the bare column, PostgreSQL may instead walk the name index and test
        # every person on the way (at a million, 61,737 passed in 211 ms to find the 51
        # of a family name that sorts late); the same text as an expression has no index.
        return persons_filtered(user, f).order_by(Concat("display_name", Value("")), "id")
    return persons_filtered(user, f).order_by("display_name", "id")


LIST_COLUMNS = (
    "uuid",
    "agency_id",
    "display_name",
    "sex",
    *BIRTH_COLUMNS,
    "current_status",
    "current_facility__name",
    "home_region__name",
    "home_region__name_ru",
)
LIST_NAME_COLUMNS = ("person_id", "given", "patronymic", "family", "full", "is_primary")


def person_page(user: User, f: PersonFilters, number: int = 1) -> PersonPage:
    """One page of 50 (by name, or the newest first when a name matches very many),
    with its related rows loaded and a capped count."""
    qs = persons_filtered(user, f)
    cap = SORT_MAX if _by_name_search(f) else COUNT_CAP
    total = qs.order_by().values("pk")[: cap + 1].count()
    refine = _walks(f, total)
    last = WALK_PAGES if refine else MAX_PAGE
    number = min(max(number, 1), last)
    start = (number - 1) * PAGE_SIZE
    rows = list(
        _ordered(user, f, total)
        .select_related("current_facility", "home_region")
        # What a row shows (people/templatetags/people.py person_rows), no more: every
        # column read is decoded into every one of some 250 objects a page (and notes
        # are encrypted). A column left out would cost a query a row: the list's tests
        # count them.
        .only(*LIST_COLUMNS)
        .prefetch_related(Prefetch("names", PersonName.objects.only(*LIST_NAME_COLUMNS)))[
            start : start + PAGE_SIZE + 1
        ]
    )
    return PersonPage(
        persons=rows[:PAGE_SIZE],
        number=number,
        has_next=len(rows) > PAGE_SIZE and number < last,
        total=min(total, cap),
        total_is_capped=total > cap,
        refine=refine,
    )


def persons_matching(user: User, q: str, limit: int = 20) -> list[Person]:
    """A few persons whose names match: the person picker's suggestions (by name, or
    the newest first when a name matches very many)."""
    if not q.strip():
        return []
    f = PersonFilters(q=q)
    matches = persons_filtered(user, f).order_by().values("pk")[: SORT_MAX + 1].count()
    return list(_ordered(user, f, matches).select_related("current_facility")[:limit])


# --- family -------------------------------------------------------------------------


@dataclass(frozen=True)
class Kin:
    """One relative of a person, as the person's page shows them."""

    relationship: Relationship
    other: Person
    role: Role

    @property
    def word(self) -> str:
        return str(kin_word(self.role, self.other.sex))


def kin_of(person: Person, user: User | None = None) -> list[Kin]:
    """Every link of the person, both directions, the other end loaded, elders first;
    with ``user``, only relatives that user may see (need-to-know hides the others)."""
    base = Relationship.objects.filter(agency_id=person.agency_id)
    outgoing = base.filter(from_person=person)
    incoming = base.filter(to_person=person)
    if user is not None:
        outgoing = outgoing.filter(assignment_filter(user, "to_person__"))
        incoming = incoming.filter(assignment_filter(user, "from_person__"))
    outgoing_rows = list(outgoing.select_related("to_person"))
    incoming_rows = list(incoming.select_related("from_person"))
    # The person's own end is the person already loaded: the family graph reads both ends
    # of every link, and would otherwise load the person again for each.
    for r in outgoing_rows:
        r.from_person = person
    for r in incoming_rows:
        r.to_person = person
    out = [Kin(r, r.to_person, role_of_other(r.kind, other_is_from=False)) for r in outgoing_rows]
    out += [Kin(r, r.from_person, role_of_other(r.kind, other_is_from=True)) for r in incoming_rows]
    order = list(Role)
    return sorted(out, key=lambda k: (order.index(k.role), k.other.display_name))


def links_among(persons: Sequence[Person]) -> list[Relationship]:
    """The links whose both ends are in ``persons`` (one agency's): a group's family tree."""
    ids = [p.pk for p in persons]
    return list(Relationship.objects.filter(from_person_id__in=ids, to_person_id__in=ids))


def family_groups_visible_to(user: User) -> QuerySet[FamilyGroup]:
    if not user.has_cap(Cap.PERSON_VIEW):
        return FamilyGroup.objects.none()
    return FamilyGroup.objects.filter(agency_id=user.agency_key)


def family_groups_listed(user: User) -> QuerySet[FamilyGroup]:
    """The group list: each group's members limited to those the user may see."""
    members = Person.objects.filter(assignment_filter(user)).order_by("display_name", "id")
    return family_groups_visible_to(user).prefetch_related(Prefetch("members", queryset=members))


def family_group_get(user: User, group_uuid: uuid.UUID | str) -> FamilyGroup:
    return _one(family_groups_visible_to(user), group_uuid)


def group_members(group: FamilyGroup, user: User | None = None) -> list[Person]:
    """The group's members; with ``user``, only those that user may see."""
    members = group.members.all()
    if user is not None:
        members = members.filter(assignment_filter(user))
    return list(
        members.select_related("current_facility", "home_region").order_by("display_name", "id")
    )
