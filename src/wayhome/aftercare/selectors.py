"""Scoped reads of aftercare files, and the overdue follow-ups the dashboard counts."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Count, F, Min, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.accounts.scope import assignment_filter
from wayhome.aftercare.models import AftercareFile, FollowUp, Placement, SupportService
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record


def files_visible_to(user: User) -> QuerySet[AftercareFile]:
    """The agency's aftercare files of persons the user may see (need-to-know: the
    person's team), for roles that read aftercare."""
    if not user.has_cap(Cap.AFTERCARE_VIEW):
        return AftercareFile.objects.none()
    return AftercareFile.objects.filter(
        assignment_filter(user, "person__"), agency_id=user.agency_key
    )


def _get(qs: QuerySet[AftercareFile], key: uuid.UUID | str) -> AftercareFile:
    try:
        return qs.select_related("person", "operation").get(uuid=key)
    except (ObjectDoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


def file_get(user: User, key: uuid.UUID | str) -> AftercareFile:
    return _get(files_visible_to(user), key)


def file_read(user: User, key: uuid.UUID | str) -> AftercareFile:
    """A file about to be shown: a read of the person's record, audited."""
    file = file_get(user, key)
    audit_record(actor=user, action=AuditEvent.Action.VIEW, obj=file, person_uuid=file.person.uuid)
    return file


def file_of_person(user: User, person_id: int) -> AftercareFile | None:
    return files_visible_to(user).filter(person_id=person_id).first()


def placement_get(user: User, key: uuid.UUID | str) -> Placement:
    try:
        return (
            Placement.objects.filter(file__in=files_visible_to(user))
            .select_related("file", "file__person")
            .get(uuid=key)
        )
    except (ObjectDoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


def service_get(user: User, key: uuid.UUID | str) -> SupportService:
    try:
        return (
            SupportService.objects.filter(file__in=files_visible_to(user))
            .select_related("file", "file__person")
            .get(uuid=key)
        )
    except (ObjectDoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


def followup_get(user: User, key: uuid.UUID | str) -> FollowUp:
    try:
        return (
            FollowUp.objects.filter(file__in=files_visible_to(user))
            .select_related("file", "file__person", "assigned_to")
            .get(uuid=key)
        )
    except (ObjectDoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


def files_listed(
    user: User, *, q: str = "", today: dt.date | None = None
) -> QuerySet[AftercareFile]:
    """The list page: each file with its overdue and next visit, open files first."""
    today = today or timezone.localdate()
    pending = Q(followups__visited_on__isnull=True, followups__retracted_at__isnull=True)
    qs = files_visible_to(user).select_related("person", "operation")
    if q.strip():
        qs = qs.filter(person__display_name__icontains=q.strip())
    return qs.annotate(
        overdue=Count("followups", filter=pending & Q(followups__due_on__lt=today)),
        next_due=Min("followups__due_on", filter=pending),
    ).order_by(F("closed_on").asc(nulls_first=True), "-received_on", "-id")


def overdue_followups(user: User, today: dt.date | None = None) -> QuerySet[FollowUp]:
    """Visits whose date has passed and that nobody recorded: oldest first.

    The dashboard calls ``overdue_count``; the list page shows these rows.
    """
    today = today or timezone.localdate()
    return (
        FollowUp.objects.filter(
            file__in=files_visible_to(user),
            file__closed_on__isnull=True,
            visited_on__isnull=True,
            retracted_at__isnull=True,
            due_on__lt=today,
        )
        .select_related("file", "file__person", "assigned_to")
        .order_by("due_on", "id")
    )


def overdue_count(user: User, today: dt.date | None = None) -> int:
    """How many of the visits the overdue list shows (0 for roles that do not read
    aftercare): the figures dashboard counts the agency with ``overdue_by_band``."""
    return overdue_followups(user, today).count()


# How long a visit has been overdue, in days: (label key, fewest days, most days or None).
OVERDUE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("week", 1, 7),
    ("month", 8, 30),
    ("longer", 31, None),
)


def overdue_by_band(user: User, today: dt.date | None = None) -> dict[str, int]:
    """Overdue visits of the agency's open files by how long they are late: counts only,
    for the figures dashboard, so readable with STATS_VIEW as well as AFTERCARE_VIEW (an
    analyst sees how far behind aftercare is without a file's name)."""
    if not (user.has_cap(Cap.STATS_VIEW) or user.has_cap(Cap.AFTERCARE_VIEW)):
        return {key: 0 for key, _low, _high in OVERDUE_BANDS}
    today = today or timezone.localdate()
    late = FollowUp.objects.filter(
        file__agency_id=user.agency_key,
        file__closed_on__isnull=True,
        visited_on__isnull=True,
        retracted_at__isnull=True,
        due_on__lt=today,
    )
    counts = {}
    for key, low, high in OVERDUE_BANDS:
        band = Q(due_on__lte=today - dt.timedelta(days=low))
        if high is not None:
            band &= Q(due_on__gte=today - dt.timedelta(days=high))
        counts[key] = Count("id", filter=band)
    return {k: int(v) for k, v in late.aggregate(**counts).items()}


def current_placement(file: AftercareFile) -> Placement | None:
    return (
        Placement.objects.filter(file=file, end_date__isnull=True)
        .live()
        .order_by("-start_date", "-id")
        .first()
    )


def placements_of(file: AftercareFile) -> QuerySet[Placement]:
    """The file's placements that stand, newest first (retracted ones: ``retracted_of``)."""
    return Placement.objects.filter(file=file).live().order_by("-start_date", "-id")


def followups_of(file: AftercareFile) -> QuerySet[FollowUp]:
    return (
        FollowUp.objects.filter(file=file)
        .live()
        .select_related("assigned_to")
        .order_by("due_on", "id")
    )


def retracted_of(file: AftercareFile) -> list[Placement | FollowUp]:
    """Placements and visits retracted from the file, newest retraction first: shown apart
    with who retracted them and why, never counted."""
    rows: list[Placement | FollowUp] = [
        *Placement.objects.filter(file=file, retracted_at__isnull=False).select_related(
            "retracted_by"
        ),
        *FollowUp.objects.filter(file=file, retracted_at__isnull=False).select_related(
            "retracted_by"
        ),
    ]
    return sorted(rows, key=lambda r: (r.retracted_at, r.pk), reverse=True)


def file_history(file: AftercareFile) -> QuerySet[AuditEvent]:
    """Everything recorded on the file and its rows, oldest first."""
    keys = [file.uuid]
    keys += list(file.placements.values_list("uuid", flat=True))
    keys += list(file.services.values_list("uuid", flat=True))
    keys += list(file.followups.values_list("uuid", flat=True))
    return AuditEvent.objects.filter(agency_id=file.agency_id, object_uuid__in=keys).order_by(
        "at", "id"
    )
