"""Referrals: sharing a tracing request with another agency, explicitly and revocably.

Services (writes, audited in the owner's trail) and selectors (reads) of one small
feature, kept together. The rules:

- proposing needs the inquirer's standing consent to share with this kind of agency
  (partners for NGOs, authorities for ombudspersons and consular services); without it
  the proposal is refused;
- a supervisor who is not the requester approves or refuses it (four eyes, as for
  disclosures), after a fresh login;
- the receiving agency then reads the chosen parts, read-only, on the referral's page,
  marked "shared by"; each read is audited in both agencies' trails;
- revoking (owner's supervisor or the requester), withdrawing the consent, or closing
  nothing else is needed: access stops at the next request.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from wayhome.accounts.models import Agency, User
from wayhome.accounts.roles import Cap
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record, diff, snapshot
from wayhome.protection.models import ConsentEvent, Referral, Scope
from wayhome.tracing.models import SoughtPerson, TracingRequest

A = AuditEvent.Action
R = Referral.Status
FIELDS = ("to_agency", "reason", "parts", "consent", "status")
DECISION = ("status", "decided_by", "decided_at", "refusal_reason")
REVOCATION = ("status", "revoked_by", "revoked_at", "revocation_reason")
AUTHORITY_AGENCIES = frozenset({Agency.Kind.OMBUDSPERSON, Agency.Kind.CONSULAR})


def consent_scope_for(agency: Agency) -> str:
    """Which consent sharing with this agency needs: authorities' or partners'."""
    return Scope.SHARE_AUTHORITIES if agency.kind in AUTHORITY_AGENCIES else Scope.SHARE_PARTNERS


def standing_consent(request: TracingRequest, agency: Agency) -> ConsentEvent | None:
    """The inquirer's latest decision on the scope, when it gives consent; else None."""
    latest = (
        ConsentEvent.objects.filter(
            inquirer_id=request.inquirer_id, scope=consent_scope_for(agency)
        )
        .order_by("-on", "-id")
        .first()
    )
    return latest if latest is not None and latest.given else None


def _is_owner_supervisor(actor: User, referral: Referral) -> bool:
    return actor.agency_id == referral.agency_id and actor.has_cap(Cap.RECORDS_ASSIGN)


# --- writes ------------------------------------------------------------------------------


@transaction.atomic
def referral_propose(
    *,
    actor: User,
    request: TracingRequest,
    to_agency: Agency | None,
    reason: str,
    parts: Sequence[str],
) -> Referral:
    """Propose sharing ``parts`` of a request with another agency; a supervisor decides."""
    if request.agency_id != actor.agency_key or not actor.has_cap(Cap.TRACING_EDIT):
        raise PermissionDenied
    if to_agency is None or to_agency.pk == actor.agency_key:
        raise ValidationError({"to_agency": _("Choose another agency.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the request is shared.")})
    if not parts or any(p not in Referral.Part.values for p in parts):
        raise ValidationError({"parts": _("Choose which parts are shared.")})
    consent = standing_consent(request, to_agency)
    if consent is None:
        raise ValidationError(
            _(
                "The inquirer has not consented to this sharing (%(scope)s): record their "
                "consent on the request first."
            )
            % {"scope": Scope(consent_scope_for(to_agency)).label}
        )
    referral = Referral.objects.create(
        agency_id=actor.agency_key,
        created_by=actor,
        requested_by=actor,
        request=request,
        to_agency=to_agency,
        reason=reason.strip()[:500],
        parts=sorted(set(parts)),
        consent=consent,
    )
    audit_record(actor=actor, action=A.CREATE, obj=referral, changes=snapshot(referral, FIELDS))
    return referral


def _check_decider(actor: User, referral: Referral) -> None:
    if not _is_owner_supervisor(actor, referral):
        raise PermissionDenied
    if referral.requested_by_id == actor.pk:
        raise ValidationError(
            _("You proposed this referral: another supervisor must decide on it.")
        )
    if referral.status != R.PROPOSED:
        raise ValidationError(_("This referral has already been decided."))


def _set(
    actor: User,
    referral: Referral,
    fields: tuple[str, ...],
    before: dict[str, object],
    reason: str = "",
) -> Referral:
    referral.save(update_fields=[*fields, "updated_at"])
    audit_record(
        actor=actor,
        action=A.UPDATE,
        obj=referral,
        changes=diff(before, snapshot(referral, fields)),
        reason=reason,
    )
    return referral


@transaction.atomic
def referral_approve(*, actor: User, referral: Referral) -> Referral:
    """Four eyes: a supervisor other than the requester opens the share, if the
    inquirer's consent still stands."""
    _check_decider(actor, referral)
    if standing_consent(referral.request, referral.to_agency) is None:
        raise ValidationError(_("The inquirer's consent to this sharing no longer stands."))
    before = snapshot(referral, DECISION)
    referral.status, referral.decided_by, referral.decided_at = R.ACTIVE, actor, timezone.now()
    return _set(actor, referral, DECISION, before)


@transaction.atomic
def referral_refuse(*, actor: User, referral: Referral, reason: str) -> Referral:
    _check_decider(actor, referral)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the referral is refused.")})
    before = snapshot(referral, DECISION)
    referral.status, referral.decided_by, referral.decided_at = R.REFUSED, actor, timezone.now()
    referral.refusal_reason = reason.strip()[:500]
    return _set(actor, referral, DECISION, before, referral.refusal_reason)


@transaction.atomic
def referral_revoke(*, actor: User, referral: Referral, reason: str) -> Referral:
    """End a share (or withdraw a proposal) now: the other agency loses access at once."""
    if referral.agency_id != actor.agency_key:
        raise PermissionDenied
    if not (_is_owner_supervisor(actor, referral) or referral.requested_by_id == actor.pk):
        raise PermissionDenied
    if referral.status not in (R.PROPOSED, R.ACTIVE):
        raise ValidationError(_("This referral is not in force."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the sharing ends.")})
    before = snapshot(referral, REVOCATION)
    referral.status, referral.revoked_by, referral.revoked_at = R.REVOKED, actor, timezone.now()
    referral.revocation_reason = reason.strip()[:500]
    return _set(actor, referral, REVOCATION, before, referral.revocation_reason)


# --- reads -------------------------------------------------------------------------------


def referrals_sent(user: User) -> QuerySet[Referral]:
    """The agency's referrals of requests the user may see (need-to-know applies)."""
    from wayhome.tracing.selectors import requests_visible_to

    if not user.has_cap(Cap.TRACING_VIEW):
        return Referral.objects.none()
    return Referral.objects.filter(
        agency_id=user.agency_key, request__in=requests_visible_to(user)
    ).select_related("request", "to_agency", "requested_by", "decided_by", "revoked_by")


def referral_sent_get(user: User, key: uuid.UUID | str) -> Referral:
    try:
        return referrals_sent(user).get(uuid=key)
    except (ObjectDoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


def in_force(referral: Referral) -> bool:
    """Active and still covered by the inquirer's consent (a withdrawal stops it)."""
    return (
        referral.status == R.ACTIVE
        and standing_consent(referral.request, referral.to_agency) is not None
    )


def referrals_received(user: User) -> list[Referral]:
    """Referrals in force to the user's agency (a short list: consent checked per row)."""
    if not user.has_cap(Cap.TRACING_VIEW):
        return []
    rows = Referral.objects.filter(to_agency_id=user.agency_key, status=R.ACTIVE).select_related(
        "agency", "request", "request__inquirer", "to_agency"
    )
    return [r for r in rows if in_force(r)]


def referral_received_read(user: User, key: uuid.UUID | str) -> Referral:
    """A referral in force to the user's agency, or 404 (revoked, refused, consent
    withdrawn, or another agency's); the read is audited in both agencies' trails."""
    if not user.has_cap(Cap.TRACING_VIEW):
        raise Http404
    try:
        referral = Referral.objects.select_related("agency", "request", "to_agency").get(
            uuid=key, to_agency_id=user.agency_key
        )
    except (ObjectDoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc
    if not in_force(referral):
        raise Http404
    for agency in (referral.to_agency, referral.agency):
        audit_record(
            actor=user,
            action=A.VIEW,
            obj=referral.request,
            agency=agency,
            changes={"referral": str(referral.uuid), "shared_by": str(referral.agency.uuid)},
        )
    return referral


def shared_sought(referral: Referral) -> list[SoughtPerson]:
    """The sought persons of a shared request, when that part is shared."""
    if Referral.Part.SOUGHT not in referral.parts:
        return []
    return list(
        SoughtPerson.objects.filter(request=referral.request)
        .select_related("person", "person__current_facility")
        .order_by("person__display_name")
    )
