"""Everything held on one person, as plain data: the subject-access page and its JSON
download are two renderings of this one dictionary, so they cannot disagree.

Every field goes through the sensitivity rules of the exporting user's role
(``accounts.sensitivity``), as the other exports do: a class the role sees is copied, a
masked one reads "restricted", and one the role may never see is left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models
from django.db.models import Prefetch

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.accounts.sensitivity import FieldClass, Visibility, field_class, present, visibility
from wayhome.people.models import Person
from wayhome.people.selectors import kin_of
from wayhome.protection import selectors as sel
from wayhome.tracing.models import InformationReport, Whereabouts

# Characters of a document number shown when the reader may not see it whole.
VISIBLE_TAIL = 2


def document_numbers_visible(user: User) -> bool:
    """Who may read whole document numbers: those who may edit the person's documents."""
    return user.has_cap(Cap.PERSON_EDIT)


def mask_number(number: str) -> str:
    if len(number) <= VISIBLE_TAIL:
        return "•" * len(number)
    return "•" * (len(number) - VISIBLE_TAIL) + number[-VISIBLE_TAIL:]


def _s(value: Any) -> str:
    return "" if value is None else str(value)


Shown = Mapping[str, tuple[str | FieldClass, Any]]


def _shown(user: User, obj: models.Model, fields: Shown) -> dict[str, Any]:
    """``{key: (field of obj, or a class; value as shown)}`` as the user's role may have
    each: the value, "restricted", or (never to be seen) no key at all."""
    out: dict[str, Any] = {}
    for key, (name, value) in fields.items():
        cls = name if isinstance(name, FieldClass) else field_class(obj, name)
        if visibility(user, cls) is not Visibility.NEVER:
            out[key] = present(user, cls, value)
    return out


def _facts(user: User, p: Person) -> dict[str, Any]:
    return _shown(
        user,
        p,
        {
            "uuid": ("uuid", str(p.uuid)),
            "display_name": ("display_name", p.display_name),
            "sex": ("sex", str(p.get_sex_display())),
            "birth": ("birth_year", _s(p.birth) if p.birth.is_known else ""),
            "birth_place": ("birth_place", p.birth_place),
            "birth_country": ("birth_country", _s(p.birth_country)),
            "home_region": ("home_region", _s(p.home_region)),
            "current_status": ("current_status", str(p.get_current_status_display())),
            "current_facility": ("current_facility", _s(p.current_facility)),
            "current_since": ("current_since", _s(p.current_since)),
            "notes": ("notes", p.notes),
        },
    )


def _documents(user: User, p: Person, reveal: bool) -> list[dict[str, Any]]:
    return [
        _shown(
            user,
            d,
            {
                "kind": ("kind", str(d.get_kind_display())),
                "number": ("number", d.number if reveal else mask_number(d.number)),
                "issuing_country": ("issuing_country", _s(d.issuing_country)),
                "status": ("status", str(d.get_status_display())),
                "issued_on": ("issued_on", _s(d.issued_on)),
                "expires_on": ("expires_on", _s(d.expires_on)),
                "notes": ("notes", d.notes),
            },
        )
        for d in p.documents.select_related("issuing_country")
    ]


def _source(user: User, r: InformationReport) -> dict[str, Any]:
    return _shown(
        user,
        r,
        {
            "received_on": ("received_on", _s(r.received_on)),
            "channel": ("channel", str(r.get_channel_display())),
            "source": ("source", r.source),
            "reliability": ("reliability", str(r.get_reliability_display())),
        },
    )


def _whereabouts(user: User, p: Person) -> list[dict[str, Any]]:
    rows = Whereabouts.objects.filter(person=p).select_related("facility", "country")
    return [
        {
            **_shown(
                user,
                w,
                {
                    "status": ("status", str(w.get_status_display())),
                    "from": ("start_date", _s(w.start_date)),
                    "until": ("end_date", _s(w.end_date)),
                    "facility": ("facility", _s(w.facility)),
                    "country": ("country", _s(w.country)),
                    "place_as_reported": ("location", w.location),
                    "notes": ("notes", w.notes),
                    "retracted": ("retracted_at", _s(w.retracted_at)),
                },
            ),
            "sources": [_source(user, r) for r in w.reports.all()],
        }
        for w in rows.prefetch_related(Prefetch("reports"))
    ]


def _consent(user: User, p: Person) -> list[dict[str, Any]]:
    return [
        _shown(
            user,
            e,
            {
                "scope": ("scope", str(e.get_scope_display())),
                "decision": ("given", "given" if e.given else "withdrawn"),
                "how": ("method", str(e.get_method_display())),
                "on": ("on", _s(e.on)),
                "recorded_by": ("recorded_by", e.recorded_by.get_username()),
                "notes": ("notes", e.notes),
            },
        )
        for e in sel.consent_history(person=p)
    ]


def _processing(user: User, p: Person) -> dict[str, Any] | None:
    record = sel.processing_of(person=p)
    if record is None:
        return None
    return _shown(
        user,
        record,
        {
            "purpose": ("purpose", str(record.get_purpose_display())),
            "legal_basis": ("legal_basis", str(record.get_legal_basis_display())),
            "notes": ("notes", record.notes),
            "recorded_by": ("recorded_by", record.recorded_by.get_username()),
            "recorded_at": ("updated_at", _s(record.updated_at)),
        },
    )


def _disclosures(user: User, p: Person) -> list[dict[str, Any]]:
    return [
        _shown(
            user,
            d,
            {
                "recipient": ("recipient", d.recipient),
                "recipient_kind": ("recipient_kind", str(d.get_recipient_kind_display())),
                "legal_basis": ("legal_basis", str(d.get_legal_basis_display())),
                "purpose": ("purpose", d.purpose),
                "data": ("data_kinds", d.data_kind_labels()),
                "status": ("status", str(d.get_status_display())),
                "requested_by": ("requested_by", d.requested_by.get_username()),
                "decided_by": ("decided_by", d.decided_by.get_username() if d.decided_by else ""),
                "sent_on": ("sent_on", _s(d.sent_on)),
            },
        )
        for d in sel.disclosures_of(user, p)
    ]


def _communications(user: User, p: Person) -> list[dict[str, Any]]:
    """The communication log's entries on the requests seeking the person and on the
    families they belong to."""
    return [
        _shown(
            user,
            e,
            {
                "on": ("occurred_on", _s(e.occurred_on)),
                "channel": ("medium", str(e.get_medium_display())),
                "direction": ("direction", str(e.get_direction_display())),
                "request": (FieldClass.CASE, e.request.reference if e.request else ""),
                "family": (FieldClass.FAMILY, e.family.label if e.family else ""),
                "staff": ("staff", e.staff.get_username() if e.staff else ""),
                "relative": ("relative", e.relative),
                "summary": ("summary", e.summary),
                "attachment": ("attachment", e.attachment.name.rsplit("/", 1)[-1]),
            },
        )
        for e in sel.communications_about(user, p)
    ]


def _notifications(user: User, p: Person) -> list[dict[str, Any]]:
    """Messages sent (or queued) to the inquirers of the requests seeking the person."""
    return [
        _shown(
            user,
            n,
            {
                "request": (FieldClass.CASE, n.request.reference if n.request else ""),
                "message": ("kind", str(n.get_kind_display())),
                "channel": ("channel", str(n.get_channel_display())),
                "language": ("language", n.language),
                "status": ("status", str(n.get_status_display())),
                "sent_at": ("sent_at", _s(n.sent_at)),
                "delivered_at": ("delivered_at", _s(n.delivered_at)),
                "subject": ("subject", n.subject),
                "text": ("body", n.body),
            },
        )
        for n in sel.notifications_about(user, p)
    ]


def _submissions(user: User, p: Person) -> list[dict[str, Any]]:
    """What relatives sent through their page about the person: on a request seeking
    them, or in a report that names them."""
    return [
        {
            **_shown(
                user,
                s,
                {
                    "request": (FieldClass.CASE, s.request.reference),
                    "photo": ("photo", s.photo.name.rsplit("/", 1)[-1]),
                    "reviewed_at": ("reviewed_at", _s(s.reviewed_at)),
                    "reviewed_by": (
                        "reviewed_by",
                        s.reviewed_by.get_username() if s.reviewed_by else "",
                    ),
                },
            ),
            **_shown(
                user,
                s.report,
                {
                    "received_on": ("received_on", _s(s.report.received_on)),
                    "message": ("summary", s.report.summary),
                },
            ),
        }
        for s in sel.submissions_about(user, p)
    ]


def person_dossier(user: User, p: Person, *, reveal_numbers: bool) -> dict[str, Any]:
    """Everything the agency holds on ``p``, readable by the person it is about, each
    field as the user's role may have it."""
    return {
        "person": _facts(user, p),
        "names": [
            _shown(
                user,
                n,
                {
                    "kind": ("kind", str(n.get_kind_display())),
                    "script": ("script", str(n.get_script_display())),
                    "name": ("full", n.text),
                },
            )
            for n in p.names.all()
        ],
        "citizenships": [
            _shown(
                user,
                c,
                {
                    "country": ("country", _s(c.country)),
                    "status": ("status", str(c.get_status_display())),
                    "basis": ("basis", c.basis),
                },
            )
            for c in p.citizenships.select_related("country")
        ],
        "documents": _documents(user, p, reveal_numbers),
        "relationships": [
            _shown(
                user,
                k.relationship,
                {
                    "relation": ("kind", k.word),
                    "person": ("to_person", k.other.display_name),
                    "current": ("is_current", k.relationship.is_current),
                },
            )
            for k in kin_of(p)
        ],
        "whereabouts": _whereabouts(user, p),
        "tracing_requests": [
            _shown(
                user,
                link.request,
                {
                    "reference": ("reference", link.request.reference),
                    "status": ("status", str(link.request.get_status_display())),
                    "received_on": ("received_on", _s(link.request.received_on)),
                    "closed_on": ("closed_on", _s(link.request.closed_on)),
                    "relation_to_inquirer": (FieldClass.FAMILY, link.relation_to_inquirer),
                },
            )
            for link in p.sought_in.select_related("request")
        ],
        "consent_events": _consent(user, p),
        "processing": _processing(user, p),
        "disclosures": _disclosures(user, p),
        "communications": _communications(user, p),
        "notifications_sent": _notifications(user, p),
        "relatives_submissions": _submissions(user, p),
        "accessed_by": [
            _shown(
                user,
                e,
                {
                    "at": ("at", _s(e.at)),
                    "who": ("actor_username", e.actor_username),
                    "action": ("action", str(e.get_action_display())),
                    "reason": ("reason", e.reason),
                },
            )
            for e in sel.access_log(p)
        ],
    }
