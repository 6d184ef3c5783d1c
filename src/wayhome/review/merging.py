"""The mechanics of a merge: move every row of one person record onto another and back.

``move_all`` returns ``Moved``, a JSON-safe record of exactly which rows moved (ids per
table), which duplicates were dropped (whole rows, so they can be put back), and what the
kept record's own facts were before; ``restore`` reads it to undo the merge, and
``changes_since`` says what would stop it. Rows are moved with ``QuerySet.update`` so their
own timestamps stay as they were. No audit here: review.services writes one event per
merge or undo with this record in it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, cast

from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from wayhome.core.fuzzydate import Precision
from wayhome.people.models import (
    BIRTH_COLUMNS,
    Citizenship,
    FamilyGroup,
    IdentityDocument,
    Person,
    PersonName,
    Photo,
    Relationship,
    Sex,
)
from wayhome.protection.models import ConsentEvent, Disclosure, ProcessingRecord
from wayhome.tracing.models import InformationReport, SoughtPerson, Whereabouts

Moved = dict[str, Any]

# Rows that simply change owner: key in Moved → model with a ``person`` foreign key.
OWNED: dict[str, type[models.Model]] = {
    "names": PersonName,
    "documents": IdentityDocument,
    "photos": Photo,
    "whereabouts": Whereabouts,
    # A consent the person gave stays theirs under whichever record survives.
    "consent_events": ConsentEvent,
}
# Many-to-many memberships: key in Moved → the relation's field.
MEMBERSHIPS: dict[str, Any] = {
    "reports": InformationReport.persons.field,
    "family_groups": FamilyGroup.members.field,
    # What was disclosed about the absorbed record was disclosed about this person.
    "disclosures": Disclosure.persons.field,
}
# Every reverse relation of Person that move_all handles; any other one holding rows of
# the absorbed record stops the merge rather than leave those rows behind unnoticed.
HANDLED_RELATIONS = frozenset(
    {
        "absorbed",
        "names",
        "citizenships",
        "documents",
        "photos",
        "whereabouts",
        "links_out",
        "links_in",
        "family_groups",
        "reports",
        "tracing_requests",
        "sought_in",
        "merges_kept",
        "merges_absorbed",
        "consent_events",
        "disclosures",
        # The purpose and legal basis: moves when the kept record has none; otherwise
        # the kept record's stands and the absorbed one's stays with the hidden record.
        "processing",
        # wayhome.matching's blocking keys: derived from the names and rebuilt by
        # people.services.person_names_refresh, which the merge and the undo call.
        "name_keys",
    }
)
DESCENT = (Relationship.Kind.PARENT, Relationship.Kind.GRANDPARENT)
BIRTH_FIELDS = BIRTH_COLUMNS
FACT_FIELDS = (
    "sex",
    *BIRTH_FIELDS,
    "birth_place",
    "birth_country_id",
    "home_region_id",
    "notes",
)


# --- before moving: what must be refused ---------------------------------------------


def unmovable_relations(absorb: Person) -> list[str]:
    """Kinds of records (from apps this module does not know) that point at ``absorb``."""
    found = []
    for rel in Person._meta.related_objects:
        if rel.get_accessor_name() in HANDLED_RELATIONS:
            continue
        model = cast(type[models.Model], rel.related_model)
        if model._base_manager.filter(**{rel.field.name: absorb}).exists():
            found.append(str(model._meta.verbose_name_plural))
    return found


def _reach(start: set[int], upwards: bool) -> set[int]:
    """Every ancestor (``upwards``) or descendant of ``start`` through parent links."""
    near, far = (
        ("to_person_id", "from_person_id") if upwards else ("from_person_id", "to_person_id")
    )
    seen: set[int] = set()
    frontier = set(start)
    while frontier:
        step = Relationship.objects.filter(kind__in=DESCENT, **{f"{near}__in": frontier})
        frontier = set(step.values_list(far, flat=True)) - seen
        seen |= frontier
    return seen


def own_ancestor_after_merge(keep: Person, absorb: Person) -> bool:
    """Would the merged person be their own parent, grandparent or further ancestor?"""
    both = {keep.pk, absorb.pk}
    ancestors = _reach(both, upwards=True)
    return bool(ancestors & both) or bool(ancestors & _reach(both, upwards=False))


def guardian_of_each_other(keep: Person, absorb: Person) -> bool:
    pair = Q(from_person=keep, to_person=absorb) | Q(from_person=absorb, to_person=keep)
    return Relationship.objects.filter(pair, kind=Relationship.Kind.GUARDIAN).exists()


def check_births_in_family(person: Person) -> None:
    """No parent or grandparent of ``person`` born after them, no child born before."""
    person.refresh_from_db()
    links = Relationship.objects.filter(kind__in=DESCENT).select_related("from_person", "to_person")
    for rel in links.filter(to_person=person):
        if person.birth.certainly_before(rel.from_person.birth):
            raise ValidationError(
                _("After the merge, %(person)s would be born before their parent %(other)s.")
                % {"person": person, "other": rel.from_person}
            )
    for rel in links.filter(from_person=person):
        if rel.to_person.birth.certainly_before(person.birth):
            raise ValidationError(
                _("After the merge, %(person)s would be born after their child %(other)s.")
                % {"person": person, "other": rel.to_person}
            )


# --- moving -------------------------------------------------------------------------


def _ids(qs: models.QuerySet[Any]) -> list[int]:
    return list(qs.order_by("pk").values_list("pk", flat=True))


def _plain(value: Any) -> str:
    """JSON for what serialisation leaves as objects: full ISO times (microseconds kept,
    unlike Django's JSON serialiser) and UUIDs."""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _dump(rows: Iterable[models.Model]) -> list[dict[str, Any]]:
    """Whole rows (ids and timestamps too), JSON-safe, to be put back exactly on undo."""
    data = serializers.serialize("python", list(rows))
    dumped: list[dict[str, Any]] = json.loads(json.dumps(data, default=_plain))
    return dumped


def _load(dumped: list[dict[str, Any]]) -> None:
    for row in serializers.deserialize("python", dumped):
        row.save()  # a raw save: ids and timestamps as they were


def _move_names(absorb: Person, keep: Person) -> Moved:
    """All names move; the absorbed primary stays a name of its kind, no longer primary."""
    primary = absorb.names.filter(is_primary=True).values_list("pk", flat=True).first()
    ids = _ids(absorb.names.all())
    PersonName.objects.filter(pk__in=ids).update(person=keep, is_primary=False)
    return {"names": ids, "demoted_primary": primary}


def _move_citizenships(absorb: Person, keep: Person) -> Moved:
    """New countries move; a country both records hold is one citizenship of ``keep``,
    verified if either was (the duplicate row stays behind on the absorbed record)."""
    kept = {c.country_id: c for c in keep.citizenships.all()}
    moved: list[int] = []
    merged: list[dict[str, Any]] = []
    for cit in absorb.citizenships.order_by("pk"):
        twin = kept.get(cit.country_id)
        if twin is None:
            moved.append(cit.pk)
            continue
        before = {"status": twin.status, "basis": twin.basis}
        after = dict(before)
        if cit.status == Citizenship.Status.VERIFIED != twin.status:
            after = {"status": cit.status, "basis": cit.basis or twin.basis}
            Citizenship.objects.filter(pk=twin.pk).update(**after)
        merged.append({"kept": twin.pk, "dropped": cit.pk, "before": before, "after": after})
    Citizenship.objects.filter(pk__in=moved).update(person=keep)
    return {"citizenships": moved, "citizenships_merged": merged}


def _repointed(rel: Relationship, absorb: Person, keep: Person) -> tuple[int, int]:
    ends = [keep.pk if pk == absorb.pk else pk for pk in (rel.from_person_id, rel.to_person_id)]
    if rel.kind in Relationship.SYMMETRIC:
        ends.sort()  # symmetric links are stored in one canonical direction
    return ends[0], ends[1]


def _move_relationships(absorb: Person, keep: Person) -> Moved:
    """Links are re-pointed to ``keep``; a link that would join ``keep`` to itself or
    repeat one ``keep`` has is dropped, and kept whole in the record for undo."""
    moved: list[dict[str, Any]] = []
    dropped: list[Relationship] = []
    for rel in Relationship.objects.filter(Q(from_person=absorb) | Q(to_person=absorb)).order_by(
        "pk"
    ):
        start, end = _repointed(rel, absorb, keep)
        twin = Relationship.objects.filter(from_person_id=start, to_person_id=end, kind=rel.kind)
        if start == end or twin.exists():
            dropped.append(rel)
            continue
        moved.append(
            {"id": rel.pk, "was": [rel.from_person_id, rel.to_person_id], "now": [start, end]}
        )
        Relationship.objects.filter(pk=rel.pk).update(from_person_id=start, to_person_id=end)
    dump = _dump(dropped)
    Relationship.objects.filter(pk__in=[r.pk for r in dropped]).delete()
    return {
        "relationships": moved,
        "relationships_dropped": [r.pk for r in dropped],
        "relationships_dropped_rows": dump,
    }


def _move_sought(absorb: Person, keep: Person) -> Moved:
    """Requests seeking ``absorb`` now seek ``keep``; a request seeking both keeps its
    link to ``keep`` and the other is dropped (kept whole for undo)."""
    seeking_keep = SoughtPerson.objects.filter(person=keep).values("request_id")
    rows = SoughtPerson.objects.filter(person=absorb)
    dropped = list(rows.filter(request_id__in=seeking_keep).order_by("pk"))
    moved = _ids(rows.exclude(request_id__in=seeking_keep))
    dump = _dump(dropped)
    SoughtPerson.objects.filter(pk__in=[r.pk for r in dropped]).delete()
    SoughtPerson.objects.filter(pk__in=moved).update(person=keep)
    return {"sought": moved, "sought_dropped": [r.pk for r in dropped], "sought_dropped_rows": dump}


def _through(field: Any) -> tuple[type[models.Model], str, str]:
    """The link table of a many-to-many to Person, its owner column and person column."""
    return field.remote_field.through, field.m2m_column_name(), field.m2m_reverse_name()


def _move_memberships(field: Any, absorb: Person, keep: Person) -> list[dict[str, Any]]:
    """Every report (or group) of ``absorb`` now concerns ``keep``; ``had_keep`` says
    whether it did already, so undo knows whether to take ``keep`` out again."""
    through, owner, person = _through(field)
    owners = list(through._base_manager.filter(**{person: absorb.pk}).values_list(owner, flat=True))
    had = set(
        through._base_manager.filter(**{person: keep.pk, f"{owner}__in": owners}).values_list(
            owner, flat=True
        )
    )
    through._base_manager.filter(**{person: absorb.pk}).delete()
    through._base_manager.bulk_create(
        [through(**{owner: o, person: keep.pk}) for o in sorted(owners) if o not in had]
    )
    return [{"id": o, "had_keep": o in had} for o in sorted(owners)]


def _fact_values(person: Person) -> dict[str, Any]:
    """``keep``'s own facts, JSON-safe (dates as ISO text)."""
    out: dict[str, Any] = {}
    for name in FACT_FIELDS:
        value = getattr(person, name)
        out[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return out


def _set_facts(person: Person, values: dict[str, Any]) -> None:
    typed = {
        name: cast(
            "models.Field[Any, Any]", Person._meta.get_field(name.removesuffix("_id"))
        ).to_python(value)
        for name, value in values.items()
    }
    Person.objects.filter(pk=person.pk).update(**typed)


def _merge_facts(absorb: Person, keep: Person) -> Moved:
    """``keep``'s facts win; what ``keep`` does not know is taken from ``absorb``, and the
    notes of both are kept."""
    before = _fact_values(keep)
    after = dict(before)
    theirs = _fact_values(absorb)
    if keep.sex == Sex.UNKNOWN:
        after["sex"] = theirs["sex"]
    if keep.birth_precision == Precision.UNKNOWN.value:
        after.update({name: theirs[name] for name in BIRTH_FIELDS})
    for name in ("birth_place", "birth_country_id", "home_region_id"):
        after[name] = before[name] or theirs[name]
    after["notes"] = "\n\n".join(n for n in (before["notes"], theirs["notes"]) if n)
    _set_facts(keep, after)
    return {"facts": {"before": before, "after": after}}


def _move_processing(absorb: Person, keep: Person) -> Moved:
    if ProcessingRecord.objects.filter(person=keep).exists():
        return {"processing": []}
    ids = _ids(ProcessingRecord.objects.filter(person=absorb))
    ProcessingRecord.objects.filter(pk__in=ids).update(person=keep)
    return {"processing": ids}


def move_all(absorb: Person, keep: Person) -> Moved:
    """Move every row of ``absorb`` onto ``keep``; returns what moved."""
    moved: Moved = {"keep": keep.pk, "absorbed": absorb.pk}
    moved.update(_move_processing(absorb, keep))
    moved.update(_move_names(absorb, keep))
    moved.update(_move_citizenships(absorb, keep))
    for key, model in OWNED.items():
        if key != "names":
            ids = _ids(model._base_manager.filter(person=absorb))
            model._base_manager.filter(pk__in=ids).update(person=keep)
            moved[key] = ids
    moved.update(_move_relationships(absorb, keep))
    moved.update(_move_sought(absorb, keep))
    for key, field in MEMBERSHIPS.items():
        moved[key] = _move_memberships(field, absorb, keep)
    moved.update(_merge_facts(absorb, keep))
    return moved


# --- undoing ----------------------------------------------------------------------------


def _owned_still_on(keep: Person, moved: Moved) -> list[str]:
    changed = []
    for key, model in OWNED.items():
        ids = moved.get(key, [])
        if model._base_manager.filter(pk__in=ids, person=keep).count() != len(ids):
            changed.append(str(model._meta.verbose_name_plural))
    processing = moved.get("processing", [])
    if ProcessingRecord.objects.filter(pk__in=processing, person=keep).count() != len(processing):
        changed.append(str(ProcessingRecord._meta.verbose_name_plural))
    ids = moved["citizenships"]
    same_cits = Citizenship.objects.filter(pk__in=ids, person=keep).count() == len(ids)
    for twin in moved["citizenships_merged"]:
        row = Citizenship.objects.filter(pk=twin["kept"], person=keep).values("status", "basis")
        same_cits = same_cits and list(row) == [twin["after"]]
    if not same_cits:
        changed.append(str(Citizenship._meta.verbose_name_plural))
    return changed


def changes_since(keep: Person, moved: Moved) -> list[str]:
    """What changed on ``keep`` since the merge among the rows it moved (empty: none)."""
    changed = _owned_still_on(keep, moved)
    links = [
        Relationship.objects.filter(
            pk=m["id"], from_person_id=m["now"][0], to_person_id=m["now"][1]
        ).exists()
        for m in moved["relationships"]
    ]
    if not all(links):
        changed.append(str(Relationship._meta.verbose_name_plural))
    if SoughtPerson.objects.filter(pk__in=moved["sought"], person=keep).count() != len(
        moved["sought"]
    ):
        changed.append(_("tracing requests"))
    for key, field in MEMBERSHIPS.items():
        through, owner, person = _through(field)
        ids = [m["id"] for m in moved.get(key, [])]
        linked = through._base_manager.filter(**{person: keep.pk, f"{owner}__in": ids})
        if linked.count() != len(ids):
            changed.append(str(field.model._meta.verbose_name_plural))
    keep.refresh_from_db()
    if _fact_values(keep) != moved["facts"]["after"]:
        changed.append(_("the person's own facts"))
    return changed


def _restore_memberships(field: Any, absorb: Person, keep: Person, rows: list[Any]) -> None:
    through, owner, person = _through(field)
    through._base_manager.bulk_create(
        [through(**{owner: r["id"], person: absorb.pk}) for r in rows]
    )
    gone = [r["id"] for r in rows if not r["had_keep"]]
    through._base_manager.filter(**{person: keep.pk, f"{owner}__in": gone}).delete()


def restore(absorb: Person, keep: Person, moved: Moved) -> None:
    """Put back every row ``move_all`` moved (after ``changes_since`` found nothing)."""
    try:
        with transaction.atomic():
            for key, model in OWNED.items():
                model._base_manager.filter(pk__in=moved.get(key, [])).update(person=absorb)
            ProcessingRecord.objects.filter(pk__in=moved.get("processing", [])).update(
                person=absorb
            )
            PersonName.objects.filter(pk=moved["demoted_primary"]).update(is_primary=True)
            Citizenship.objects.filter(pk__in=moved["citizenships"]).update(person=absorb)
            for twin in moved["citizenships_merged"]:
                Citizenship.objects.filter(pk=twin["kept"]).update(**twin["before"])
            for m in moved["relationships"]:
                Relationship.objects.filter(pk=m["id"]).update(
                    from_person_id=m["was"][0], to_person_id=m["was"][1]
                )
            _load(moved["relationships_dropped_rows"])
            SoughtPerson.objects.filter(pk__in=moved["sought"]).update(person=absorb)
            _load(moved["sought_dropped_rows"])
            for key, field in MEMBERSHIPS.items():
                _restore_memberships(field, absorb, keep, moved.get(key, []))
            _set_facts(keep, moved["facts"]["before"])
    except IntegrityError as exc:
        raise ValidationError(
            _("The records changed since the merge in a way that stops the undo.")
        ) from exc
