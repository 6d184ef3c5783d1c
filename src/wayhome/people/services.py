"""Writes to persons and their families. Each is atomic and audited in its transaction.

Errors a user can fix are raised as ``ValidationError`` with a message that says what is
wrong; nothing is written when one is raised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image as PILImage

from wayhome.accounts.models import User
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record, diff, snapshot
from wayhome.core.forms import error_text
from wayhome.core.fuzzydate import FuzzyDate, FuzzyDateError
from wayhome.core.signals import FactChange, announce_facts_changed
from wayhome.core.text import detect_script, search_fold
from wayhome.core.versioning import version_take
from wayhome.figures import history as figures_history
from wayhome.matching.services import (
    names_keys,
    person_keys_refresh,
    persons_keys_file,
    rankings_stale,
)
from wayhome.people.kinship import WORD_TO_LINK
from wayhome.people.models import (
    BIRTH_PARTS,
    Citizenship,
    FamilyGroup,
    IdentityDocument,
    Person,
    PersonName,
    Photo,
    Relationship,
    Sex,
    joined_search_names,
)
from wayhome.places.models import Country, Region

A = AuditEvent.Action

# Person fields the repatriation rules read (age from the birth interval, a parent's sex).
_RULE_FIELDS = {"sex", *BIRTH_PARTS}


def _facts_changed(actor: User, cause: FactChange, *persons: Person) -> None:
    """Open repatriation cases of these persons (and their family) follow the change."""
    announce_facts_changed(sender=Person, persons=persons, cause=cause, actor=actor)


PERSON_FIELDS = (
    "sex",
    *BIRTH_PARTS,
    "birth_place",
    "birth_country",
    "home_region",
    "notes",
)
NAME_FIELDS = ("kind", "script", "given", "patronymic", "family", "full", "is_primary")


@dataclass(frozen=True)
class NameData:
    """One name as entered; ``script`` is detected when left blank."""

    given: str = ""
    patronymic: str = ""
    family: str = ""
    full: str = ""
    kind: str = PersonName.Kind.LEGAL
    script: str = ""
    is_primary: bool = False

    def text(self) -> str:
        return " ".join(p for p in (self.given, self.patronymic, self.family, self.full) if p)


def _today() -> dt.date:
    return timezone.localdate()


def _check_birth(birth: FuzzyDate) -> None:
    try:
        birth.check_not_future(_today(), _("The birth date"))
    except FuzzyDateError as exc:
        raise ValidationError({"birth": error_text(exc)}) from exc


def _check_same_agency(actor: User, *objs: Any) -> None:
    for obj in objs:
        if obj.agency_id != actor.agency_id:
            # Should never happen through the views (selectors 404 first); a service
            # called with another agency's record is a bug, not a user error.
            raise PermissionError("Record belongs to another agency.")


def _name_from(data: NameData, person: Person) -> PersonName:
    text = data.text().strip()
    if not text:
        raise ValidationError(_("A name needs at least one part or the name as written."))
    return PersonName(
        person=person,
        kind=data.kind,
        script=data.script or detect_script(text),
        given=data.given.strip(),
        patronymic=data.patronymic.strip(),
        family=data.family.strip(),
        full=data.full.strip(),
        is_primary=data.is_primary,
        search_text=search_fold(text),
    )


def _refresh_display_name(person: Person) -> None:
    """Keep exactly one primary name and show it: the primary, else the first legal name,
    else any (which then becomes primary, so that removing the primary never leaves none).
    Also rewrites ``search_names``, which name search reads."""
    names = list(person.names.all())
    chosen = next((n for n in names if n.is_primary), None) or next(
        (n for n in names if n.kind == PersonName.Kind.LEGAL), None
    )
    chosen = chosen or (names[0] if names else None)
    if chosen is not None and not chosen.is_primary:
        PersonName.objects.filter(pk=chosen.pk).update(is_primary=True)
    person.display_name = chosen.text[:300] if chosen else ""
    person.search_names = joined_search_names(n.search_text for n in names)
    person.save(update_fields=["display_name", "search_names", "updated_at"])
    person_keys_refresh(person)


def person_names_refresh(person: Person) -> None:
    """Recompute ``display_name`` and ``search_names`` after names moved between records
    (review.services merges and undoes them)."""
    _refresh_display_name(person)


def _one_primary(names: Sequence[NameData]) -> list[NameData]:
    """The first name flagged primary stays primary (the first name if none is)."""
    first = next((i for i, n in enumerate(names) if n.is_primary), 0)
    return [replace(n, is_primary=i == first) for i, n in enumerate(names)]


@dataclass
class PersonDraft:
    """A person built in memory with their names and blocking keys, not yet written:
    importing a list links thousands of rows, and writes the new persons of each batch
    with ``persons_create_many`` (a statement per table, not three per person)."""

    person: Person
    names: list[PersonName]
    keys: set[str]
    name_count: int


def person_draft(
    *,
    actor: User,
    names: Sequence[NameData],
    sex: str = Sex.UNKNOWN,
    birth: FuzzyDate | None = None,
    birth_place: str = "",
    birth_country: Country | None = None,
    home_region: Region | None = None,
    notes: str = "",
) -> PersonDraft:
    """The person ``person_create`` would register, checked the same way, unwritten."""
    if not names:
        raise ValidationError(_("A person needs at least one name."))
    birth = birth or FuzzyDate()
    _check_birth(birth)
    person = Person(
        agency_id=actor.agency_key,
        created_by=actor,
        sex=sex,
        birth_place=birth_place,
        birth_country=birth_country,
        home_region=home_region,
        notes=notes,
    )
    person.set_birth(birth)
    names = _one_primary(names)
    rows = [_name_from(n, person) for n in names]
    # A new person's names are all in hand: show the primary one and file the keys
    # from them, with what ``_refresh_display_name`` would read back.
    draft = PersonDraft(person, rows, names_keys(rows), len(names))
    draft_names_shown(draft)
    return draft


def draft_names_shown(draft: PersonDraft) -> None:
    """Show the draft's primary name and search all of them (after a name is added)."""
    shown = sorted(draft.names, key=lambda n: not n.is_primary)
    draft.person.display_name = shown[0].text[:300]
    draft.person.search_names = joined_search_names(n.search_text for n in shown)


def draft_name_add(draft: PersonDraft, data: NameData) -> PersonName:
    """A name added to a drafted person (``name_add`` on a person not yet written): it is
    written with the person; its audit event is the caller's, once it has an id."""
    name = _name_from(data, draft.person)
    name.is_primary = False
    draft.names.append(name)
    draft.keys |= names_keys([name])
    draft_names_shown(draft)
    return name


def _audit_created(actor: User, draft: PersonDraft) -> None:
    person = draft.person
    audit_record(
        actor=actor,
        action=A.CREATE,
        obj=person,
        person_uuid=person.uuid,
        changes={**snapshot(person, PERSON_FIELDS), "names": draft.name_count},
        # the actor's agency is loaded already; the person's would be read per event
        agency=actor.agency if actor.agency_id == person.agency_id else None,
    )


@transaction.atomic
def person_create(
    *,
    actor: User,
    names: Sequence[NameData],
    sex: str = Sex.UNKNOWN,
    birth: FuzzyDate | None = None,
    birth_place: str = "",
    birth_country: Country | None = None,
    home_region: Region | None = None,
    notes: str = "",
) -> Person:
    """Register a person with at least one name."""
    draft = person_draft(
        actor=actor,
        names=names,
        sex=sex,
        birth=birth,
        birth_place=birth_place,
        birth_country=birth_country,
        home_region=home_region,
        notes=notes,
    )
    draft.person.save()
    PersonName.objects.bulk_create(draft.names)
    persons_keys_file([(draft.person, draft.keys)])
    _audit_created(actor, draft)
    return draft.person


@transaction.atomic
def persons_create_many(*, actor: User, drafts: Sequence[PersonDraft]) -> None:
    """Register drafted persons (``person_draft``) of the actor's agency together: the
    persons, their names and their keys in a bulk insert each, an audit event per
    person as ``person_create`` writes (use ``audit_deferred`` to chain them in bulk)."""
    for draft in drafts:
        _check_same_agency(actor, draft.person)
    Person.objects.bulk_create([d.person for d in drafts], batch_size=1000)
    PersonName.objects.bulk_create([n for d in drafts for n in d.names], batch_size=1000)
    persons_keys_file([(d.person, d.keys) for d in drafts])
    for draft in drafts:
        _audit_created(actor, draft)


@transaction.atomic
def person_update(
    *,
    actor: User,
    person: Person,
    sex: str,
    birth: FuzzyDate,
    birth_place: str = "",
    birth_country: Country | None = None,
    home_region: Region | None = None,
    notes: str = "",
    expected_version: int | None = None,
) -> Person:
    """Change a person's own facts; the audit event keeps the old and new values.

    ``expected_version`` is the version the editor read: a later one on record means
    someone else saved in between, and ``StaleVersion`` is raised with nothing written.
    """
    _check_same_agency(actor, person)
    version_take(person, Person, expected_version)
    _check_birth(birth)
    before = snapshot(person, PERSON_FIELDS)
    person.sex = sex
    person.set_birth(birth)
    person.birth_place = birth_place
    person.birth_country = birth_country
    person.home_region = home_region
    person.notes = notes
    _check_birth_against_family(person)
    person.save()
    figures_history.persons_refresh([person.pk])  # sex, birth and home region are counted
    changes = diff(before, snapshot(person, PERSON_FIELDS))
    if changes:
        audit_record(
            actor=actor, action=A.UPDATE, obj=person, person_uuid=person.uuid, changes=changes
        )
    if changes.keys() & _RULE_FIELDS:
        _facts_changed(actor, FactChange.BIRTH, person)
        # Sex and birth are also what candidates are scored on besides names; a note
        # or a birth place changes no ranking.
        rankings_stale(person.agency_id, persons=[person.pk])
    return person


def _check_birth_against_family(person: Person) -> None:
    """A parent or grandparent cannot be born after the child."""
    for rel in Relationship.objects.filter(
        kind__in=[Relationship.Kind.PARENT, Relationship.Kind.GRANDPARENT], to_person=person
    ).select_related("from_person"):
        if person.birth.certainly_before(rel.from_person.birth):
            raise ValidationError({"birth": _("This birth date is before the birth of a parent.")})
    for rel in Relationship.objects.filter(
        kind__in=[Relationship.Kind.PARENT, Relationship.Kind.GRANDPARENT], from_person=person
    ).select_related("to_person"):
        if rel.to_person.birth.certainly_before(person.birth):
            raise ValidationError({"birth": _("This birth date is after the birth of a child.")})


@transaction.atomic
def name_add(*, actor: User, person: Person, data: NameData) -> PersonName:
    _check_same_agency(actor, person)
    name = _name_from(data, person)
    if name.is_primary:
        person.names.filter(is_primary=True).update(is_primary=False)
    name.save()
    _refresh_display_name(person)
    audit_record(
        actor=actor,
        action=A.CREATE,
        obj=name,
        person_uuid=person.uuid,
        changes=snapshot(name, NAME_FIELDS),
        agency=person.agency,
    )
    return name


@transaction.atomic
def name_update(*, actor: User, name: PersonName, data: NameData) -> PersonName:
    person = name.person
    _check_same_agency(actor, person)
    before = snapshot(name, NAME_FIELDS)
    fresh = _name_from(data, person)
    for field in (*NAME_FIELDS, "search_text"):
        setattr(name, field, getattr(fresh, field))
    if name.is_primary:
        person.names.exclude(pk=name.pk).filter(is_primary=True).update(is_primary=False)
    name.save()
    _refresh_display_name(person)
    audit_record(
        actor=actor,
        action=A.UPDATE,
        obj=name,
        person_uuid=person.uuid,
        changes=diff(before, snapshot(name, NAME_FIELDS)),
        agency=person.agency,
    )
    return name


@transaction.atomic
def name_remove(*, actor: User, name: PersonName) -> None:
    person = name.person
    _check_same_agency(actor, person)
    if person.names.count() <= 1:
        raise ValidationError(_("A person must keep at least one name."))
    audit_record(
        actor=actor,
        action=A.DELETE,
        obj=name,
        person_uuid=person.uuid,
        changes=snapshot(name, NAME_FIELDS),
        agency=person.agency,
    )
    name.delete()
    _refresh_display_name(person)


@transaction.atomic
def citizenship_add(
    *,
    actor: User,
    person: Person,
    country: Country,
    status: str = Citizenship.Status.CLAIMED,
    basis: str = "",
) -> Citizenship:
    _check_same_agency(actor, person)
    if person.citizenships.filter(country=country).exists():
        raise ValidationError(
            {"country": _("This citizenship is already recorded; change its status instead.")}
        )
    cit = Citizenship.objects.create(person=person, country=country, status=status, basis=basis)
    audit_record(
        actor=actor,
        action=A.CREATE,
        obj=cit,
        person_uuid=person.uuid,
        changes=snapshot(cit, ("country", "status", "basis")),
        agency=person.agency,
    )
    _facts_changed(actor, FactChange.CITIZENSHIP, person)
    return cit


@transaction.atomic
def citizenship_update(
    *, actor: User, citizenship: Citizenship, status: str, basis: str
) -> Citizenship:
    person = citizenship.person
    _check_same_agency(actor, person)
    before = snapshot(citizenship, ("status", "basis"))
    citizenship.status, citizenship.basis = status, basis
    citizenship.save()
    audit_record(
        actor=actor,
        action=A.UPDATE,
        obj=citizenship,
        person_uuid=person.uuid,
        changes=diff(before, snapshot(citizenship, ("status", "basis"))),
        agency=person.agency,
    )
    _facts_changed(actor, FactChange.CITIZENSHIP, person)
    return citizenship


@transaction.atomic
def citizenship_remove(*, actor: User, citizenship: Citizenship) -> None:
    person = citizenship.person
    _check_same_agency(actor, person)
    audit_record(
        actor=actor,
        action=A.DELETE,
        obj=citizenship,
        person_uuid=person.uuid,
        changes=snapshot(citizenship, ("country", "status")),
        agency=person.agency,
    )
    citizenship.delete()
    _facts_changed(actor, FactChange.CITIZENSHIP, person)


DOCUMENT_FIELDS = (
    "kind",
    "number",
    "issuing_country",
    "status",
    "issued_on",
    "expires_on",
    "notes",
)


def _check_document_dates(issued_on: dt.date | None, expires_on: dt.date | None) -> None:
    if issued_on and issued_on > _today():
        raise ValidationError({"issued_on": _("The issue date is in the future.")})
    if issued_on and expires_on and expires_on < issued_on:
        raise ValidationError({"expires_on": _("A document cannot expire before it was issued.")})


@transaction.atomic
def document_add(*, actor: User, person: Person, **fields: Any) -> IdentityDocument:
    """Record an identity document (held, lost, confiscated...)."""
    _check_same_agency(actor, person)
    _check_document_dates(fields.get("issued_on"), fields.get("expires_on"))
    doc = IdentityDocument.objects.create(person=person, **fields)
    audit_record(
        actor=actor,
        action=A.CREATE,
        obj=doc,
        person_uuid=person.uuid,
        changes=snapshot(doc, DOCUMENT_FIELDS),
        agency=person.agency,
    )
    _facts_changed(actor, FactChange.DOCUMENT, person)
    return doc


@transaction.atomic
def document_update(*, actor: User, document: IdentityDocument, **fields: Any) -> IdentityDocument:
    person = document.person
    _check_same_agency(actor, person)
    _check_document_dates(fields.get("issued_on"), fields.get("expires_on"))
    before = snapshot(document, DOCUMENT_FIELDS)
    for key, value in fields.items():
        if key not in DOCUMENT_FIELDS:
            raise TypeError(f"unknown document field {key}")
        setattr(document, key, value)
    document.save()
    audit_record(
        actor=actor,
        action=A.UPDATE,
        obj=document,
        person_uuid=person.uuid,
        changes=diff(before, snapshot(document, DOCUMENT_FIELDS)),
        agency=person.agency,
    )
    _facts_changed(actor, FactChange.DOCUMENT, person)
    return document


@transaction.atomic
def document_remove(*, actor: User, document: IdentityDocument) -> None:
    person = document.person
    _check_same_agency(actor, person)
    audit_record(
        actor=actor,
        action=A.DELETE,
        obj=document,
        person_uuid=person.uuid,
        changes=snapshot(document, DOCUMENT_FIELDS),
        agency=person.agency,
    )
    document.delete()
    _facts_changed(actor, FactChange.DOCUMENT, person)


MAX_PHOTO_BYTES = 5 * 1024 * 1024
IMAGE_SUFFIXES = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}


def _image_suffix(image: Any) -> str:
    """The file suffix for the image's real format; refuse anything else or anything big."""
    if image.size > MAX_PHOTO_BYTES:
        raise ValidationError({"image": _("A photograph may be at most 5 MB.")})
    try:
        image.seek(0)
        with PILImage.open(image) as pil:
            pil.verify()
            fmt = pil.format or ""
    except (OSError, SyntaxError, ValueError, PILImage.DecompressionBombError) as exc:
        raise ValidationError({"image": _("This file is not an image.")}) from exc
    finally:
        image.seek(0)
    if fmt not in IMAGE_SUFFIXES:
        raise ValidationError({"image": _("Use a JPEG, PNG, GIF or WebP image.")})
    return IMAGE_SUFFIXES[fmt]


@transaction.atomic
def photo_add(
    *, actor: User, person: Person, image: Any, caption: str = "", taken_on: dt.date | None = None
) -> Photo:
    """Attach a photograph; only a real JPEG/PNG/GIF/WebP image up to 5 MB is kept."""
    _check_same_agency(actor, person)
    if taken_on and taken_on > _today():
        raise ValidationError({"taken_on": _("The date is in the future.")})
    suffix = _image_suffix(image)
    photo = Photo(person=person, caption=caption, taken_on=taken_on)
    # The stored name's suffix comes from the content, never from the uploader.
    photo.image.save(f"photo.{suffix}", image, save=False)
    photo.save()
    audit_record(
        actor=actor,
        action=A.CREATE,
        obj=photo,
        person_uuid=person.uuid,
        changes=snapshot(photo, ("caption", "taken_on")),
        agency=person.agency,
    )
    return photo


@transaction.atomic
def photo_remove(*, actor: User, photo: Photo) -> None:
    person = photo.person
    _check_same_agency(actor, person)
    audit_record(
        actor=actor,
        action=A.DELETE,
        obj=photo,
        person_uuid=person.uuid,
        changes=snapshot(photo, ("caption", "taken_on")),
        agency=person.agency,
    )
    storage, name = photo.image.storage, photo.image.name
    photo.delete()
    # The file goes only once the row is surely gone; a rollback keeps both.
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def relationship_create(
    *,
    actor: User,
    from_person: Person,
    to_person: Person,
    kind: str,
    is_current: bool = True,
    notes: str = "",
) -> Relationship:
    """Link two persons: ``from_person`` is the <kind> of ``to_person``."""
    _check_same_agency(actor, from_person, to_person)
    if from_person.pk == to_person.pk:
        raise ValidationError(_("A person cannot be related to themselves."))
    if kind in Relationship.SYMMETRIC and from_person.pk > to_person.pk:
        from_person, to_person = to_person, from_person
    if kind in (Relationship.Kind.PARENT, Relationship.Kind.GRANDPARENT) and (
        to_person.birth.certainly_before(from_person.birth)
    ):
        raise ValidationError(_("The child is recorded as born before the parent."))
    if kind == Relationship.Kind.PARENT:
        inverse = Relationship.objects.filter(
            from_person=to_person, to_person=from_person, kind=kind
        ).exists()
        if inverse:
            raise ValidationError(_("These two are already recorded the other way round."))
    try:
        with transaction.atomic():
            rel = Relationship.objects.create(
                agency_id=actor.agency_key,
                created_by=actor,
                from_person=from_person,
                to_person=to_person,
                kind=kind,
                is_current=is_current,
                notes=notes,
            )
    except IntegrityError as exc:
        raise ValidationError(_("This relationship is already recorded.")) from exc
    audit_record(
        actor=actor,
        action=A.CREATE,
        obj=rel,
        person_uuid=from_person.uuid,
        changes=snapshot(rel, ("from_person", "to_person", "kind", "is_current", "notes")),
    )
    _facts_changed(actor, FactChange.RELATIONSHIP, from_person, to_person)
    rankings_stale(rel.agency_id, persons=[from_person.pk, to_person.pk])  # families count
    return rel


@transaction.atomic
def relationship_remove(*, actor: User, relationship: Relationship) -> None:
    _check_same_agency(actor, relationship)
    audit_record(
        actor=actor,
        action=A.DELETE,
        obj=relationship,
        person_uuid=relationship.from_person.uuid,
        changes=snapshot(relationship, ("from_person", "to_person", "kind")),
    )
    pair = (relationship.from_person, relationship.to_person)
    relationship.delete()
    _facts_changed(actor, FactChange.RELATIONSHIP, *pair)
    rankings_stale(relationship.agency_id, persons=[p.pk for p in pair])


@transaction.atomic
def relationship_add_in_words(
    *,
    actor: User,
    person: Person,
    word: str,
    other: Person,
    is_current: bool = True,
    notes: str = "",
) -> Relationship:
    """ "<person> is mother of <other>": store it as the directed link it means.

    "Mother" and "father" also say the person's sex: an unknown sex is recorded (audited),
    a contradicting one is refused.
    """
    if word not in WORD_TO_LINK:
        raise ValidationError({"word": _("Choose how the two are related.")})
    link = WORD_TO_LINK[word]
    if link.implies_sex and person.sex != link.implies_sex:
        if person.sex != Sex.UNKNOWN:
            raise ValidationError(
                {"word": _("This person's recorded sex does not fit that relationship.")}
            )
        _record_sex(actor, person, link.implies_sex)
    elder, younger = (other, person) if link.this_is_to else (person, other)
    return relationship_create(
        actor=actor,
        from_person=elder,
        to_person=younger,
        kind=link.kind,
        is_current=is_current,
        notes=notes,
    )


def _record_sex(actor: User, person: Person, sex: str) -> None:
    _check_same_agency(actor, person)
    before = snapshot(person, ("sex",))
    version_take(person, Person, None)
    person.sex = sex
    person.save(update_fields=["sex", "version", "updated_at"])
    figures_history.persons_refresh([person.pk])
    rankings_stale(person.agency_id, persons=[person.pk])
    audit_record(
        actor=actor,
        action=A.UPDATE,
        obj=person,
        person_uuid=person.uuid,
        changes=diff(before, snapshot(person, ("sex",))),
    )


def _check_label(label: str) -> str:
    label = label.strip()
    if not label:
        raise ValidationError({"label": _("A family group needs a label.")})
    return label


@transaction.atomic
def family_group_create(
    *, actor: User, label: str, members: Sequence[Person] = (), notes: str = ""
) -> FamilyGroup:
    """A new group of people handled together."""
    _check_same_agency(actor, *members)
    group = FamilyGroup.objects.create(
        agency_id=actor.agency_key, created_by=actor, label=_check_label(label), notes=notes
    )
    group.members.set(members)
    audit_record(
        actor=actor,
        action=A.CREATE,
        obj=group,
        changes={"label": group.label, "members": sorted(str(p.uuid) for p in members)},
    )
    return group


@transaction.atomic
def family_group_update(*, actor: User, group: FamilyGroup, label: str, notes: str) -> FamilyGroup:
    _check_same_agency(actor, group)
    before = snapshot(group, ("label", "notes"))
    group.label, group.notes = _check_label(label), notes
    group.save()
    changes = diff(before, snapshot(group, ("label", "notes")))
    if changes:
        audit_record(actor=actor, action=A.UPDATE, obj=group, changes=changes)
    return group


@transaction.atomic
def family_group_set_members(
    *, actor: User, group: FamilyGroup, members: Sequence[Person]
) -> FamilyGroup:
    """Replace the members; the audit event keeps both lists."""
    _check_same_agency(actor, group, *members)
    before = sorted(str(u) for u in group.members.values_list("uuid", flat=True))
    group.members.set(members)
    after = sorted(str(p.uuid) for p in members)
    if before != after:
        audit_record(actor=actor, action=A.UPDATE, obj=group, changes={"members": [before, after]})
    return group


@transaction.atomic
def family_group_add_member(*, actor: User, group: FamilyGroup, person: Person) -> FamilyGroup:
    if group.members.filter(pk=person.pk).exists():
        raise ValidationError(_("This person is already in the group."))
    return family_group_set_members(
        actor=actor, group=group, members=[*group.members.all(), person]
    )


@transaction.atomic
def family_group_remove_member(*, actor: User, group: FamilyGroup, person: Person) -> FamilyGroup:
    return family_group_set_members(
        actor=actor, group=group, members=list(group.members.exclude(pk=person.pk))
    )
