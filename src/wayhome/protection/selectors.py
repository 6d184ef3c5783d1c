"""Scoped reads of processing records, consent, disclosures and a person's whole file.

``disclosure_covers`` is the gate every export of a list must pass: lists leave only
under an approved disclosure that names every person in them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.accounts.scope import assignment_filter, sees_whole_agency
from wayhome.audit.models import AuditEvent
from wayhome.comms.models import CommEntry, Notification
from wayhome.people.models import Person
from wayhome.portal.models import PortalSubmission
from wayhome.protection.models import (
    AUTHORITY_KINDS,
    ConsentEvent,
    Disclosure,
    LegalBasis,
    ProcessingRecord,
    Scope,
)
from wayhome.tracing.models import Inquirer, TracingRequest


def processing_of(
    *, person: Person | None = None, request: TracingRequest | None = None
) -> ProcessingRecord | None:
    """The purpose and legal basis of a person or a request, if recorded."""
    qs = ProcessingRecord.objects.select_related("recorded_by")
    if person is not None:
        return qs.filter(person=person).first()
    return qs.filter(request=request).first()


def consent_history(
    *, person: Person | None = None, inquirer: Inquirer | None = None
) -> QuerySet[ConsentEvent]:
    """Every consent decision of a subject, newest first."""
    qs = ConsentEvent.objects.select_related("recorded_by")
    return qs.filter(person=person) if person is not None else qs.filter(inquirer=inquirer)


def current_consent(
    scope: str, *, person: Person | None = None, inquirer: Inquirer | None = None
) -> bool | None:
    """The latest decision on ``scope``: True given, False withdrawn, None never asked."""
    latest = consent_history(person=person, inquirer=inquirer).filter(scope=scope).first()
    return None if latest is None else latest.given


@dataclass(frozen=True)
class ConsentNow:
    scope: str
    label: str
    latest: ConsentEvent | None


def consents_now(
    *, person: Person | None = None, inquirer: Inquirer | None = None
) -> list[ConsentNow]:
    """The standing decision on every scope, in the order of the scopes."""
    latest: dict[str, ConsentEvent] = {}
    for event in consent_history(person=person, inquirer=inquirer):
        latest.setdefault(event.scope, event)
    return [ConsentNow(value, str(label), latest.get(value)) for value, label in Scope.choices]


def inquirers_seeking(person: Person) -> QuerySet[Inquirer]:
    return Inquirer.objects.filter(requests__sought_links__person=person).distinct()


def consent_scope_for(disclosure: Disclosure) -> str:
    if disclosure.recipient_kind in AUTHORITY_KINDS:
        return Scope.SHARE_AUTHORITIES
    return Scope.SHARE_PARTNERS


def consent_allows(person: Person, scope: str) -> bool:
    """The person's own standing decision, if they made one; otherwise every inquirer who
    seeks them has given it (and there is at least one)."""
    own = current_consent(scope, person=person)
    if own is not None:
        return own
    decisions = [current_consent(scope, inquirer=i) for i in inquirers_seeking(person)]
    return bool(decisions) and all(d is True for d in decisions)


def disclosure_blockers(
    disclosure: Disclosure, persons: Iterable[Person] | None = None
) -> list[str]:
    """Why the disclosure may not go ahead now, one message per person; empty if it may.

    A person without a recorded legal basis cannot be disclosed; where consent is the
    basis (the person's or the disclosure's), the matching sharing consent must stand.
    """
    scope = consent_scope_for(disclosure)
    scope_label = str(dict(Scope.choices)[scope]).lower()
    problems: list[str] = []
    for person in persons if persons is not None else disclosure.persons.all():
        record = processing_of(person=person)
        name = person.display_name or str(person.uuid)[:8]
        if record is None:
            problems.append(
                _("%(name)s: no purpose and legal basis is recorded; record them first.")
                % {"name": name}
            )
            continue
        on_consent = LegalBasis.CONSENT in (record.legal_basis, disclosure.legal_basis)
        if on_consent and not consent_allows(person, scope):
            problems.append(
                _(
                    "%(name)s: consent is the basis, and consent to %(scope)s is withdrawn "
                    "or was never given."
                )
                % {"name": name, "scope": scope_label}
            )
    return problems


def disclosure_covers(disclosure: Disclosure, persons: Iterable[Person]) -> bool:
    """May a list of ``persons`` leave under ``disclosure`` now?

    Only when it is approved (not yet sent), every person is named in it, and nothing
    has changed since that would block it (e.g. a consent withdrawn after approval).
    """
    if disclosure.status != Disclosure.Status.APPROVED:
        return False
    wanted = list(persons)
    named = set(disclosure.persons.values_list("pk", flat=True))
    if not wanted or any(p.pk not in named or p.agency_id != disclosure.agency_id for p in wanted):
        return False
    return not disclosure_blockers(disclosure, wanted)


def disclosures_visible_to(user: User) -> QuerySet[Disclosure]:
    if not user.has_cap(Cap.PERSON_VIEW):
        return Disclosure.objects.none()
    qs = Disclosure.objects.filter(agency_id=user.agency_key).select_related(
        "requested_by", "decided_by"
    )
    if sees_whole_agency(user):
        return qs
    # Need-to-know: a disclosure names persons, so it is read only by those who may see
    # every one of them.
    named = Disclosure.persons.through.objects.filter(disclosure=OuterRef("pk"))
    hidden = named.exclude(
        person__in=Person.objects.filter(assignment_filter(user), agency_id=user.agency_key)
    )
    return qs.filter(~Exists(hidden))


def disclosure_get(user: User, key: uuid.UUID | str) -> Disclosure:
    try:
        return disclosures_visible_to(user).get(uuid=key)
    except (Disclosure.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def disclosures_of(user: User, person: Person) -> QuerySet[Disclosure]:
    return disclosures_visible_to(user).filter(persons=person)


def open_requests_seeking(person: Person) -> QuerySet[TracingRequest]:
    return TracingRequest.objects.filter(sought_links__person=person).exclude(
        status=TracingRequest.State.CLOSED
    )


def pending_disclosures_of(person: Person) -> QuerySet[Disclosure]:
    return Disclosure.objects.filter(
        persons=person, status__in=[Disclosure.Status.PROPOSED, Disclosure.Status.APPROVED]
    )


def access_log(person: Person) -> QuerySet[AuditEvent]:
    """Who read, changed or exported this person's record, newest first."""
    return AuditEvent.objects.filter(person_uuid=person.uuid, agency_id=person.agency_id)


def _requests_seeking(person: Person) -> QuerySet[TracingRequest]:
    return TracingRequest.objects.filter(sought_links__person=person, agency_id=person.agency_id)


def communications_about(user: User, person: Person) -> QuerySet[CommEntry]:
    """The communication log's entries about a person: on the requests seeking them and
    on their families (for one who reads the log, in their agency)."""
    if not user.has_cap(Cap.COMMS_VIEW) or person.agency_id != user.agency_key:
        return CommEntry.objects.none()
    return (
        CommEntry.objects.filter(agency_id=user.agency_key)
        .filter(
            Q(request__in=_requests_seeking(person))
            | Q(family__in=person.family_groups.filter(agency_id=user.agency_key))
        )
        .select_related("request", "family", "staff")
        .order_by("occurred_on", "id")
    )


def notifications_about(user: User, person: Person) -> QuerySet[Notification]:
    """Messages to the inquirers of the requests seeking a person."""
    if not user.has_cap(Cap.COMMS_VIEW) or person.agency_id != user.agency_key:
        return Notification.objects.none()
    return (
        Notification.objects.filter(
            agency_id=user.agency_key, request__in=_requests_seeking(person)
        )
        .select_related("request")
        .order_by("created_at", "id")
    )


def submissions_about(user: User, person: Person) -> QuerySet[PortalSubmission]:
    """What relatives sent through their page on a request seeking the person, or in a
    report that names them."""
    if not user.has_cap(Cap.COMMS_VIEW) or person.agency_id != user.agency_key:
        return PortalSubmission.objects.none()
    return (
        PortalSubmission.objects.filter(agency_id=user.agency_key)
        .filter(Q(request__in=_requests_seeking(person)) | Q(report__persons=person))
        .select_related("request", "report", "reviewed_by")
        .distinct()
        .order_by("created_at", "id")
    )
