"""Writes for information reports, whereabouts and tracing requests.

Each is atomic and audited in its own transaction; a ``ValidationError`` says what the user
must fix and nothing is written. Whereabouts are never edited, only added or retracted,
and after either the person's denormalised current status is recomputed here (the one
place allowed to write it besides people.services).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wayhome.accounts.models import Agency, User
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record, diff, snapshot
from wayhome.core.fuzzydate import FuzzyDate, Precision
from wayhome.core.signals import FactChange, announce_facts_changed
from wayhome.core.versioning import version_take
from wayhome.figures import history as figures_history
from wayhome.matching.services import rankings_stale
from wayhome.people import services as people_services
from wayhome.people.kinship import KinWord
from wayhome.people.models import FamilyGroup, Person, Sex, Status
from wayhome.places.models import Country, Facility, Region
from wayhome.tracing.conflicts import start_bounds
from wayhome.tracing.models import (
    InformationReport,
    Inquirer,
    SoughtPerson,
    TracingRequest,
    Whereabouts,
)

A = AuditEvent.Action
ENTRY_PRECISIONS = (Precision.EXACT.value, Precision.MONTH.value, Precision.YEAR.value)
REPORT_FIELDS = ("received_on", "channel", "source", "reliability", "summary")
ENTRY_FIELDS = (
    "status",
    "facility",
    "country",
    "location",
    "start_date",
    "start_precision",
    "end_date",
    "notes",
)
INQUIRER_FIELDS = (
    "name",
    "relationship",
    "phone",
    "email",
    "address",
    "region",
    "language",
    "consent_contact",
)
REQUEST_FIELDS = (
    "received_on",
    "consent_share",
    "last_known",
    "last_known_place",
    "last_known_date",
    "last_known_precision",
    "assigned_to",
)
CURRENT_FIELDS = ("current_status", "current_facility", "current_since")
# Statuses the repatriation rules read (a living parent, a sentence being served).
_RULE_STATUSES = {Status.DECEASED, Status.SENTENCED}
STATE_FIELDS = ("status", "located_on", "closed_on", "closure_reason")
REFERENCE_TRIES = 10


def _today() -> dt.date:
    return timezone.localdate()


def _check_not_future(day: dt.date | None, field: str, what: str) -> None:
    if day is not None and day > _today():
        raise ValidationError({field: _("%(what)s is in the future.") % {"what": what}})


def _check_own(actor: User, objs: Iterable[Any], field: str) -> None:
    """Refuse a record of another agency handed in by id (the forms never offer one)."""
    if any(o.agency_id != actor.agency_key for o in objs):
        raise ValidationError({field: _("A chosen record belongs to another agency.")})


def shallow(data: Any) -> dict[str, Any]:
    """A dataclass's fields as a dict, keeping model instances as they are (not copies)."""
    return {f.name: getattr(data, f.name) for f in fields(data)}


def _uuids(objs: Iterable[Any]) -> list[str]:
    return sorted(str(o.uuid) for o in objs)


# --- information reports -------------------------------------------------------------


@dataclass(frozen=True)
class ReportData:
    """A new report entered inside another form (a whereabouts entry)."""

    received_on: dt.date
    channel: str
    source: str
    summary: str
    reliability: str = InformationReport.Reliability.UNKNOWN


def _check_report(received_on: dt.date, source: str, summary: str) -> None:
    _check_not_future(received_on, "received_on", _("The date received"))
    if not source.strip():
        raise ValidationError({"source": _("Say who or what the information came from.")})
    if not summary.strip():
        raise ValidationError({"summary": _("Summarise what the information says.")})


@transaction.atomic
def report_create(
    *,
    actor: User,
    received_on: dt.date,
    channel: str,
    source: str,
    summary: str,
    reliability: str = InformationReport.Reliability.UNKNOWN,
    persons: Sequence[Person] = (),
) -> InformationReport:
    """Record one piece of incoming information and the persons it concerns."""
    _check_report(received_on, source, summary)
    _check_own(actor, persons, "persons")
    report = InformationReport.objects.create(
        agency_id=actor.agency_key,
        created_by=actor,
        received_on=received_on,
        channel=channel,
        source=source.strip(),
        reliability=reliability,
        summary=summary.strip(),
    )
    report.persons.set(persons)
    audit_record(
        actor=actor,
        action=A.CREATE,
        obj=report,
        changes={**snapshot(report, REPORT_FIELDS), "persons": _uuids(persons)},
    )
    return report


@transaction.atomic
def report_update(
    *,
    actor: User,
    report: InformationReport,
    received_on: dt.date,
    channel: str,
    source: str,
    summary: str,
    reliability: str,
    persons: Sequence[Person],
) -> InformationReport:
    """Correct a report; the audit event keeps the old and new values."""
    _check_own(actor, [report], "report")
    _check_report(received_on, source, summary)
    _check_own(actor, persons, "persons")
    before = {**snapshot(report, REPORT_FIELDS), "persons": _uuids(report.persons.all())}
    report.received_on, report.channel, report.reliability = received_on, channel, reliability
    report.source, report.summary = source.strip(), summary.strip()
    report.save()
    report.persons.set(persons)
    changes = diff(before, {**snapshot(report, REPORT_FIELDS), "persons": _uuids(persons)})
    if changes:
        audit_record(actor=actor, action=A.UPDATE, obj=report, changes=changes)
    return report


# --- whereabouts ---------------------------------------------------------------------


@dataclass(frozen=True)
class EntryData:
    """One whereabouts entry as entered (the same for every member of a family group)."""

    status: str
    start_date: dt.date
    start_precision: str = Precision.EXACT.value
    end_date: dt.date | None = None
    facility: Facility | None = None
    country: Country | None = None
    location: str = ""
    notes: str = ""

    def start_fuzzy(self) -> FuzzyDate:
        first, _last = start_bounds(self.start_date, self.start_precision)
        p = Precision(self.start_precision)
        return FuzzyDate(
            p,
            first.year,
            first.month if p is not Precision.YEAR else None,
            first.day if p is Precision.EXACT else None,
        )


def _check_entry_dates(entry: EntryData) -> None:
    if entry.start_precision not in ENTRY_PRECISIONS:
        raise ValidationError({"start_precision": _("Choose an exact date, a month or a year.")})
    _check_not_future(
        start_bounds(entry.start_date, entry.start_precision)[0], "start_date", _("The start date")
    )
    _check_not_future(entry.end_date, "end_date", _("The end date"))
    if entry.end_date is not None and entry.end_date < entry.start_date:
        raise ValidationError({"end_date": _("The end date is before the start date.")})
    if entry.facility and entry.country and entry.facility.country_id != entry.country.pk:
        raise ValidationError({"country": _("The facility is not in this country.")})


def _check_entry_for(person: Person, entry: EntryData) -> None:
    """The checks that depend on the person: their birth and a recorded death."""
    start = entry.start_fuzzy()
    dead = entry.status == Status.DECEASED
    if start.certainly_before(person.birth):
        if dead:
            raise ValidationError(
                _("%(person)s: a death cannot be recorded before the birth.") % {"person": person}
            )
        raise ValidationError(
            _("%(person)s: this entry starts before the birth.") % {"person": person}
        )
    if dead:
        return
    deaths = Whereabouts.objects.filter(
        person=person, status=Status.DECEASED, retracted_at__isnull=True
    )
    for death in deaths:
        recorded = EntryData(
            status=death.status, start_date=death.start_date, start_precision=death.start_precision
        )
        if recorded.start_fuzzy().certainly_before(start):
            raise ValidationError(
                _(
                    "%(person)s is recorded as deceased from %(date)s. Retract that entry if "
                    "it is wrong, or record this as a report about the death."
                )
                % {"person": person, "date": death.start_date}
            )


def _sources(
    actor: User,
    reports: Sequence[InformationReport],
    new_report: ReportData | None,
    persons: Sequence[Person],
) -> list[InformationReport]:
    """The reports an entry rests on, creating the new one if one was entered."""
    _check_own(actor, reports, "reports")
    sources = list(reports)
    if new_report is not None:
        sources.append(report_create(actor=actor, persons=persons, **shallow(new_report)))
    if not sources:
        raise ValidationError(
            {"reports": _("An entry must cite at least one report: choose one or enter a new one.")}
        )
    return sources


def _write_entry(
    actor: User, person: Person, entry: EntryData, sources: list[InformationReport]
) -> Whereabouts:
    values = shallow(entry)
    values["country"] = entry.country or (entry.facility.country if entry.facility else None)
    values["location"] = entry.location.strip()
    # Stored as the first day it may mean, so ordering and display agree with precision.
    values["start_date"] = start_bounds(entry.start_date, entry.start_precision)[0]
    row = Whereabouts.objects.create(
        agency_id=person.agency_id, created_by=actor, person=person, **values
    )
    row.reports.set(sources)
    for report in sources:
        report.persons.add(person)  # a report cited for a person concerns them
    audit_record(
        actor=actor,
        action=A.CREATE,
        obj=row,
        person_uuid=person.uuid,
        changes={**snapshot(row, ENTRY_FIELDS), "reports": _uuids(sources)},
    )
    _refresh_current(actor, person)
    return row


def _refresh_current(actor: User, person: Person) -> None:
    """Set the person's current status from the latest live entry, auditing a change;
    the figures' spans of the person follow in the same transaction."""
    figures_history.persons_refresh([person.pk])
    latest = (
        Whereabouts.objects.filter(person=person, retracted_at__isnull=True)
        .select_related("facility")
        .order_by("-start_date", "-id")
        .first()
    )
    new: dict[str, Any] = {
        "current_status": latest.status if latest else Status.UNKNOWN,
        "current_facility": latest.facility if latest else None,
        "current_since": latest.start_date if latest else None,
    }
    fresh = Person.objects.get(pk=person.pk)
    before = snapshot(fresh, CURRENT_FIELDS)
    for key, value in new.items():
        setattr(fresh, key, value)
        setattr(person, key, value)
    changes = diff(before, snapshot(fresh, CURRENT_FIELDS))
    if not changes:
        return
    Person.objects.filter(pk=person.pk).update(**new, updated_at=timezone.now())
    audit_record(actor=actor, action=A.UPDATE, obj=fresh, person_uuid=person.uuid, changes=changes)
    statuses = set(changes.get("current_status") or ())
    if statuses & _RULE_STATUSES:
        # A death or a sentence changes who can consent and who may leave.
        announce_facts_changed(
            sender=Person, persons=(fresh,), cause=FactChange.STATUS, actor=actor
        )


def person_current_refresh(*, actor: User, person: Person) -> None:
    """Recompute the current status after whereabouts moved between records
    (review.services merges and undoes them); audited when it changes."""
    _refresh_current(actor, person)


@transaction.atomic
def whereabouts_add(
    *,
    actor: User,
    person: Person,
    entry: EntryData,
    reports: Sequence[InformationReport] = (),
    new_report: ReportData | None = None,
) -> Whereabouts:
    """Add an entry to a person's timeline, citing at least one report."""
    _check_own(actor, [person], "person")
    _check_entry_dates(entry)
    _check_entry_for(person, entry)
    sources = _sources(actor, reports, new_report, [person])
    return _write_entry(actor, person, entry, sources)


@transaction.atomic
def group_whereabouts_add(
    *,
    actor: User,
    group: FamilyGroup,
    entry: EntryData,
    reports: Sequence[InformationReport] = (),
    new_report: ReportData | None = None,
) -> list[Whereabouts]:
    """The same entry for every member of a family group, all or nothing."""
    _check_own(actor, [group], "group")
    members = list(group.members.order_by("display_name"))
    if not members:
        raise ValidationError(_("This family group has no members."))
    _check_entry_dates(entry)
    problems: list[ValidationError] = []
    for member in members:
        try:
            _check_entry_for(member, entry)
        except ValidationError as exc:
            problems.append(exc)
    if problems:
        raise ValidationError(problems)
    sources = _sources(actor, reports, new_report, members)
    return [_write_entry(actor, member, entry, sources) for member in members]


@transaction.atomic
def whereabouts_retract(*, actor: User, entry: Whereabouts, reason: str) -> Whereabouts:
    """Mark an entry as wrong, keeping it (and why) in the history."""
    _check_own(actor, [entry], "entry")
    if entry.is_retracted:
        raise ValidationError(_("This entry is already retracted."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the entry is retracted.")})
    entry.retracted_at = timezone.now()
    entry.retracted_by = actor
    entry.retraction_reason = reason.strip()
    entry.save(update_fields=["retracted_at", "retracted_by", "retraction_reason", "updated_at"])
    audit_record(
        actor=actor,
        action=A.UPDATE,
        obj=entry,
        person_uuid=entry.person.uuid,
        changes={"retracted_at": [None, entry.retracted_at]},
        reason=entry.retraction_reason,
    )
    _refresh_current(actor, entry.person)
    return entry


# --- inquirers and tracing requests --------------------------------------------------


@dataclass(frozen=True)
class InquirerData:
    name: str
    relationship: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    region: Region | None = None
    language: str = "ru"
    consent_contact: bool = False
    # How the inquirer gave or withdrew consent, for the consent history.
    consent_method: str = "other"


def _apply_inquirer(inquirer: Inquirer, data: InquirerData) -> None:
    if not data.name.strip():
        raise ValidationError({"name": _("The inquirer needs a name.")})
    for key, value in shallow(data).items():
        if key != "consent_method":
            setattr(inquirer, key, value.strip() if isinstance(value, str) else value)


def _standing(inquirer: Inquirer, scope: str) -> bool:
    from wayhome.protection.selectors import current_consent

    return current_consent(scope, inquirer=inquirer) is True


def _follow_consent(actor: User, inquirer: Inquirer, scope: str, given: bool, method: str) -> None:
    """A consent ticked or cleared on a tracing form becomes an event in the consent
    history (protection), which keeps the flags; the two can then never disagree."""
    from wayhome.protection.services import consent_record

    if given != _standing(inquirer, scope):
        consent_record(
            actor=actor,
            inquirer=inquirer,
            scope=scope,
            given=given,
            method=method,
            on=timezone.localdate(),
            notes=_("Recorded from the tracing request form."),
        )


@transaction.atomic
def inquirer_create(*, actor: User, data: InquirerData) -> Inquirer:
    """Register a relative who asks for help."""
    inquirer = Inquirer(agency_id=actor.agency_key, created_by=actor)
    _apply_inquirer(inquirer, data)
    inquirer.consent_contact = False  # set by the consent history just below
    inquirer.save()
    audit_record(
        actor=actor, action=A.CREATE, obj=inquirer, changes=snapshot(inquirer, INQUIRER_FIELDS)
    )
    _follow_consent(actor, inquirer, "contact", data.consent_contact, data.consent_method)
    inquirer.refresh_from_db()
    return inquirer


@transaction.atomic
def inquirer_update(*, actor: User, inquirer: Inquirer, data: InquirerData) -> Inquirer:
    _check_own(actor, [inquirer], "inquirer")
    before = snapshot(inquirer, INQUIRER_FIELDS)
    standing = inquirer.consent_contact
    _apply_inquirer(inquirer, data)
    inquirer.consent_contact = standing  # changed only through the consent history
    inquirer.save()
    changes = diff(before, snapshot(inquirer, INQUIRER_FIELDS))
    if changes:
        audit_record(actor=actor, action=A.UPDATE, obj=inquirer, changes=changes)
    _follow_consent(actor, inquirer, "contact", data.consent_contact, data.consent_method)
    inquirer.refresh_from_db()
    return inquirer


@dataclass(frozen=True)
class RequestData:
    """The request's own facts, as entered on the create and edit forms."""

    received_on: dt.date
    consent_share: bool = False
    consent_method: str = "other"
    last_known: str = ""
    last_known_place: str = ""
    last_known_date: dt.date | None = None
    last_known_precision: str = Precision.UNKNOWN.value
    assigned_to: User | None = None


@dataclass(frozen=True)
class SoughtLink:
    """An already registered person the inquirer is looking for."""

    person: Person
    relation: str = ""


@dataclass(frozen=True)
class NewSought:
    """A sought person not yet registered: enough to register them."""

    given: str
    family: str
    relation: str = ""
    sex: str = Sex.UNKNOWN
    birth_year: int | None = None
    # A mother sought with her children: the children's rows say so, and the family is
    # recorded with the request, so matching can rank and confirm the family together.
    child_of_first: bool = False


def _check_request_data(actor: User, data: RequestData) -> None:
    _check_not_future(data.received_on, "received_on", _("The date received"))
    _check_not_future(data.last_known_date, "last_known_date", _("The last known date"))
    if data.assigned_to is not None and data.assigned_to.agency_id != actor.agency_key:
        raise ValidationError({"assigned_to": _("Assign the request to someone of your agency.")})


def _apply_request(request: TracingRequest, data: RequestData) -> None:
    for key, value in shallow(data).items():
        if key not in ("consent_share", "consent_method"):  # consent: through its history
            setattr(request, key, value.strip() if isinstance(value, str) else value)
    if request.last_known_date is None:
        request.last_known_precision = Precision.UNKNOWN.value
    elif request.last_known_precision == Precision.UNKNOWN.value:
        request.last_known_precision = Precision.EXACT.value


def _register_sought(actor: User, new: NewSought) -> Person:
    birth = FuzzyDate(Precision.YEAR, new.birth_year) if new.birth_year else None
    return people_services.person_create(
        actor=actor,
        names=[people_services.NameData(given=new.given, family=new.family)],
        sex=new.sex,
        birth=birth,
    )


def _resolve_sought(
    actor: User, sought: Sequence[SoughtLink], new_sought: Sequence[NewSought]
) -> dict[int, SoughtLink]:
    """Every sought person by pk (registering the new ones); at least one is needed."""
    _check_own(actor, [s.person for s in sought], "sought")
    links = {s.person.pk: s for s in sought}
    if new_sought and new_sought[0].child_of_first:
        raise ValidationError(
            _(
                "The first new sought person cannot be a child of themselves: tick the box on "
                "the children's rows only."
            )
        )
    first: Person | None = None
    for new in new_sought:
        person = _register_sought(actor, new)
        links[person.pk] = SoughtLink(person=person, relation=new.relation)
        if first is None:
            first = person
        elif new.child_of_first:
            people_services.relationship_add_in_words(
                actor=actor, person=person, word=KinWord.CHILD_OF, other=first
            )
    if not links:
        raise ValidationError(
            _("Name at least one sought person: choose one or register a new one.")
        )
    return links


def _set_sought(request: TracingRequest, links: dict[int, SoughtLink]) -> None:
    # Persons dropped from the request and persons added both change the figures.
    touched = [*figures_history.request_person_ids(request), *links]
    request.sought_links.exclude(person_id__in=links).delete()
    existing = {link.person_id: link for link in request.sought_links.all()}
    for pk, wanted in links.items():
        link = existing.get(pk) or SoughtPerson(request=request, person=wanted.person)
        if link.pk is None or link.relation_to_inquirer != wanted.relation.strip():
            link.relation_to_inquirer = wanted.relation.strip()
            link.save()
    figures_history.persons_refresh(touched)
    rankings_stale(request.agency_id, requests=[request.pk])


def _sought_snapshot(request: TracingRequest) -> list[str]:
    return sorted(
        f"{link.person.uuid} ({link.relation_to_inquirer})"
        if link.relation_to_inquirer
        else str(link.person.uuid)
        for link in request.sought_links.select_related("person")
    )


def _next_reference(agency: Agency, year: int) -> str:
    """The agency's next free reference of the year: PREFIX-YEAR-00001 upwards."""
    prefix = f"{agency.reference_prefix}-{year}-"
    last = (
        TracingRequest.objects.filter(agency=agency, reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last[len(prefix) :]) if last and last[len(prefix) :].isdigit() else 0
    return f"{prefix}{number + 1:05d}"


def _save_with_reference(request: TracingRequest, agency: Agency) -> None:
    """Insert under a fresh reference, retrying when a concurrent insert took it."""
    for _attempt in range(REFERENCE_TRIES):
        request.reference = _next_reference(agency, _today().year)
        try:
            with transaction.atomic():
                request.save()
        except IntegrityError:
            continue
        return
    raise RuntimeError("Could not allocate a tracing reference; try again.")


@transaction.atomic
def request_create(
    *,
    actor: User,
    data: RequestData,
    inquirer: Inquirer | None = None,
    new_inquirer: InquirerData | None = None,
    sought: Sequence[SoughtLink] = (),
    new_sought: Sequence[NewSought] = (),
) -> TracingRequest:
    """Open a tracing request for one or several sought persons."""
    _check_request_data(actor, data)
    if inquirer is None and new_inquirer is None:
        raise ValidationError({"inquirer": _("Choose the inquirer or enter a new one.")})
    if inquirer is not None:
        _check_own(actor, [inquirer], "inquirer")
    else:
        assert new_inquirer is not None  # noqa: S101  (narrowing for mypy)
        inquirer = inquirer_create(actor=actor, data=new_inquirer)
    links = _resolve_sought(actor, sought, new_sought)
    request = TracingRequest(agency_id=actor.agency_key, created_by=actor, inquirer=inquirer)
    _apply_request(request, data)
    request.consent_share = _standing(inquirer, "share_authorities")
    _save_with_reference(request, actor.agency or Agency.objects.get(pk=actor.agency_key))
    _set_sought(request, links)
    _follow_consent(actor, inquirer, "share_authorities", data.consent_share, data.consent_method)
    request.refresh_from_db()
    audit_record(
        actor=actor,
        action=A.CREATE,
        obj=request,
        changes={
            "reference": request.reference,
            "inquirer": str(inquirer.uuid),
            **snapshot(request, REQUEST_FIELDS),
            "sought": _sought_snapshot(request),
        },
    )
    return request


@transaction.atomic
def request_update(
    *,
    actor: User,
    request: TracingRequest,
    data: RequestData,
    sought: Sequence[SoughtLink] = (),
    new_sought: Sequence[NewSought] = (),
    expected_version: int | None = None,
) -> TracingRequest:
    """Change a request's facts and who is sought; the status moves only by transition.

    A stale ``expected_version`` (someone saved since the editor read it) raises
    ``StaleVersion`` and writes nothing.
    """
    _check_own(actor, [request], "request")
    version_take(request, TracingRequest, expected_version)
    _check_request_data(actor, data)
    before = {**snapshot(request, REQUEST_FIELDS), "sought": _sought_snapshot(request)}
    links = _resolve_sought(actor, sought, new_sought)
    _apply_request(request, data)
    request.save()
    _set_sought(request, links)
    _follow_consent(
        actor, request.inquirer, "share_authorities", data.consent_share, data.consent_method
    )
    request.refresh_from_db()
    changes = diff(
        before, {**snapshot(request, REQUEST_FIELDS), "sought": _sought_snapshot(request)}
    )
    if changes:
        audit_record(actor=actor, action=A.UPDATE, obj=request, changes=changes)
    return request


S = TracingRequest.State
TRANSITIONS = {
    (S.OPEN, S.LOCATED),
    (S.LOCATED, S.OPEN),
    (S.OPEN, S.CLOSED),
    (S.LOCATED, S.CLOSED),
    (S.CLOSED, S.OPEN),
}


def _check_event_date(request: TracingRequest, on: dt.date, what: str) -> None:
    _check_not_future(on, "on", what)
    if on < request.received_on:
        raise ValidationError(
            {"on": _("%(what)s is before the request was received.") % {"what": what}}
        )


@transaction.atomic
def request_transition(
    *,
    actor: User,
    request: TracingRequest,
    to: str,
    on: dt.date | None = None,
    closure_reason: str = "",
    reason: str = "",
    expected_version: int | None = None,
) -> TracingRequest:
    """Move a request open → located → closed, or back to open with a reason."""
    _check_own(actor, [request], "request")
    version_take(request, TracingRequest, expected_version)
    source = S(request.status)
    if (source, to) not in TRANSITIONS:
        raise ValidationError(
            _("A request that is %(source)s cannot be made %(target)s.")
            % {"source": source.label.lower(), "target": str(dict(S.choices).get(to, to)).lower()}
        )
    before = snapshot(request, STATE_FIELDS)
    on = on or _today()
    if to == S.LOCATED:
        _check_event_date(request, on, _("The date located"))
        request.located_on = on
    elif to == S.CLOSED:
        if closure_reason not in TracingRequest.Closure.values:
            raise ValidationError({"closure_reason": _("Say why the request is closed.")})
        _check_event_date(request, on, _("The closing date"))
        request.closed_on, request.closure_reason = on, closure_reason
    else:
        if not reason.strip():
            raise ValidationError({"reason": _("Say why the request is open again.")})
        request.located_on, request.closed_on, request.closure_reason = None, None, ""
    request.status = to
    request.save(update_fields=[*STATE_FIELDS, "version", "updated_at"])
    figures_history.persons_refresh(figures_history.request_person_ids(request))
    event = audit_record(
        actor=actor,
        action=A.UPDATE,
        obj=request,
        changes=diff(before, snapshot(request, STATE_FIELDS)),
        reason=reason.strip(),
    )
    if to == S.LOCATED:
        _announce_located(actor, request, event.pk)
    return request


def _announce_located(actor: User, request: TracingRequest, event_id: int) -> None:
    """After commit, tell the comms app (milestone_reached) that the request's sought
    persons were located; the key names this transition, so a request located, reopened
    and located again is news again, and a repeat of the same one is not."""
    from wayhome.core.signals import Milestone, milestone_reached

    persons = [link.person for link in request.sought_links.select_related("person")]
    key = f"located:{request.uuid}:{event_id}"

    def send() -> None:
        for person in persons:
            milestone_reached.send(
                sender=TracingRequest,
                person=person,
                milestone=Milestone.LOCATED,
                actor=actor,
                key=key,
                request=request,
            )

    transaction.on_commit(send, robust=True)
