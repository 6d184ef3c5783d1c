"""Writes of need-to-know: teams, their members, and which team holds which record.

Every function is a service (keyword-only, one transaction, audited). Only users with
``records.assign`` (supervisors) call them; the check is repeated here so that no other
caller can move a record out of someone's sight by mistake.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wayhome.accounts.models import Agency, Team, User
from wayhome.accounts.roles import Cap
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record, diff, snapshot
from wayhome.people.models import Person
from wayhome.tracing.models import TracingRequest


def _check_assigner(actor: User) -> None:
    if not actor.has_cap(Cap.RECORDS_ASSIGN):
        raise PermissionDenied


def _check_team(actor: User, team: Team | None) -> None:
    if team is not None and team.agency_id != actor.agency_key:
        raise ValidationError({"team": _("Choose a team of your agency.")})


def _check_assignee(actor: User, assignee: User | None, cap: Cap) -> None:
    if assignee is None:
        return
    if assignee.agency_id != actor.agency_key or not assignee.is_active:
        raise ValidationError({"assigned_to": _("Assign to an active colleague of your agency.")})
    if not assignee.has_cap(cap):
        raise ValidationError({"assigned_to": _("This colleague's role cannot read the record.")})


@transaction.atomic
def need_to_know_set(*, actor: User, enabled: bool) -> Agency:
    """Switch need-to-know by team on or off for the actor's agency."""
    _check_assigner(actor)
    agency = Agency.objects.select_for_update().get(pk=actor.agency_key)
    if agency.need_to_know != enabled:
        agency.need_to_know = enabled
        agency.save(update_fields=["need_to_know", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=agency,
            changes={"need_to_know": [not enabled, enabled]},
        )
    return agency


@transaction.atomic
def team_create(*, actor: User, name: str) -> Team:
    _check_assigner(actor)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("A team needs a name.")})
    if Team.objects.filter(agency_id=actor.agency_key, name__iexact=name).exists():
        raise ValidationError({"name": _("Your agency already has a team of this name.")})
    team = Team.objects.create(agency_id=actor.agency_key, name=name)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=team, changes={"name": name})
    return team


@transaction.atomic
def team_members_set(*, actor: User, team: Team, members: Iterable[User]) -> Team:
    """Replace a team's members (colleagues of the same agency only)."""
    _check_assigner(actor)
    _check_team(actor, team)
    chosen = {u.pk: u for u in members}
    if any(u.agency_id != actor.agency_key for u in chosen.values()):
        raise ValidationError({"members": _("Members must be colleagues of your agency.")})
    before = sorted(str(u) for u in team.members.values_list("uuid", flat=True))
    team.members.set(list(chosen.values()))
    after = sorted(str(u.uuid) for u in chosen.values())
    if before != after:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=team,
            changes={"members": [before, after]},
        )
    return team


_FIELDS = ["team", "assigned_to"]


def _assign(
    actor: User, record: Person | TracingRequest, team: Team | None, to: User | None, reason: str
) -> bool:
    """Set one record's holder and audit it; False when nothing changed."""
    before = snapshot(record, _FIELDS)
    record.team, record.assigned_to = team, to
    changes = diff(before, snapshot(record, _FIELDS))
    if not changes:
        return False
    record.save(update_fields=[*_FIELDS, "updated_at"])
    person_uuid = record.uuid if isinstance(record, Person) else None
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=record,
        person_uuid=person_uuid,
        changes=changes,
        reason=reason,
    )
    return True


@transaction.atomic
def person_assign(
    *, actor: User, person: Person, team: Team | None, assigned_to: User | None, reason: str = ""
) -> Person:
    """Give a person's record to a team and, optionally, one colleague (None: nobody)."""
    _check_assigner(actor)
    if person.agency_id != actor.agency_key:
        raise PermissionDenied
    _check_team(actor, team)
    _check_assignee(actor, assigned_to, Cap.PERSON_VIEW)
    _assign(actor, person, team, assigned_to, reason)
    return person


@transaction.atomic
def request_assign(
    *,
    actor: User,
    request: TracingRequest,
    team: Team | None,
    assigned_to: User | None,
    reason: str = "",
) -> list[Person]:
    """Give a tracing request to a team and, optionally, one colleague; its sought persons
    follow it, unless another team or colleague already holds them (a person sought by
    two teams' requests stays with the first; a supervisor settles it on the person's
    page). Returns the persons that moved."""
    _check_assigner(actor)
    if request.agency_id != actor.agency_key:
        raise PermissionDenied
    _check_team(actor, team)
    _check_assignee(actor, assigned_to, Cap.TRACING_VIEW)
    old_team, old_to = request.team_id, request.assigned_to_id
    _assign(actor, request, team, assigned_to, reason)
    moved = []
    for person in Person.objects.select_for_update().filter(sought_in__request=request):
        follows = person.team_id in (None, old_team) and person.assigned_to_id in (None, old_to)
        person_to = (
            assigned_to if assigned_to is None or assigned_to.has_cap(Cap.PERSON_VIEW) else None
        )
        if follows and _assign(actor, person, team, person_to, reason):
            moved.append(person)
    return moved
