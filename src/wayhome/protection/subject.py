"""Everything held on one person, as plain data: the subject-access page and its JSON
download are two renderings of this one dictionary, so they cannot disagree."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
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


def _facts(p: Person) -> dict[str, Any]:
    return {
        "uuid": str(p.uuid),
        "display_name": p.display_name,
        "sex": str(p.get_sex_display()),
        "birth": _s(p.birth) if p.birth.is_known else "",
        "birth_place": p.birth_place,
        "birth_country": _s(p.birth_country),
        "home_region": _s(p.home_region),
        "current_status": str(p.get_current_status_display()),
        "current_facility": _s(p.current_facility),
        "current_since": _s(p.current_since),
        "notes": p.notes,
    }


def _documents(p: Person, reveal: bool) -> list[dict[str, str]]:
    return [
        {
            "kind": str(d.get_kind_display()),
            "number": d.number if reveal else mask_number(d.number),
            "issuing_country": _s(d.issuing_country),
            "status": str(d.get_status_display()),
            "issued_on": _s(d.issued_on),
            "expires_on": _s(d.expires_on),
            "notes": d.notes,
        }
        for d in p.documents.select_related("issuing_country")
    ]


def _source(r: InformationReport) -> dict[str, str]:
    return {
        "received_on": _s(r.received_on),
        "channel": str(r.get_channel_display()),
        "source": r.source,
        "reliability": str(r.get_reliability_display()),
    }


def _whereabouts(p: Person) -> list[dict[str, Any]]:
    rows = Whereabouts.objects.filter(person=p).select_related("facility", "country")
    return [
        {
            "status": str(w.get_status_display()),
            "from": _s(w.start_date),
            "until": _s(w.end_date),
            "facility": _s(w.facility),
            "country": _s(w.country),
            "place_as_reported": w.location,
            "notes": w.notes,
            "retracted": _s(w.retracted_at),
            "sources": [_source(r) for r in w.reports.all()],
        }
        for w in rows.prefetch_related(Prefetch("reports"))
    ]


def _consent(p: Person) -> list[dict[str, str]]:
    return [
        {
            "scope": str(e.get_scope_display()),
            "decision": "given" if e.given else "withdrawn",
            "how": str(e.get_method_display()),
            "on": _s(e.on),
            "recorded_by": e.recorded_by.get_username(),
            "notes": e.notes,
        }
        for e in sel.consent_history(person=p)
    ]


def _processing(p: Person) -> dict[str, str] | None:
    record = sel.processing_of(person=p)
    if record is None:
        return None
    return {
        "purpose": str(record.get_purpose_display()),
        "legal_basis": str(record.get_legal_basis_display()),
        "notes": record.notes,
        "recorded_by": record.recorded_by.get_username(),
        "recorded_at": _s(record.updated_at),
    }


def _disclosures(user: User, p: Person) -> list[dict[str, Any]]:
    return [
        {
            "recipient": d.recipient,
            "recipient_kind": str(d.get_recipient_kind_display()),
            "legal_basis": str(d.get_legal_basis_display()),
            "purpose": d.purpose,
            "data": d.data_kind_labels(),
            "status": str(d.get_status_display()),
            "requested_by": d.requested_by.get_username(),
            "decided_by": d.decided_by.get_username() if d.decided_by else "",
            "sent_on": _s(d.sent_on),
        }
        for d in sel.disclosures_of(user, p)
    ]


def person_dossier(user: User, p: Person, *, reveal_numbers: bool) -> dict[str, Any]:
    """Everything the agency holds on ``p``, readable by the person it is about."""
    return {
        "person": _facts(p),
        "names": [
            {
                "kind": str(n.get_kind_display()),
                "script": str(n.get_script_display()),
                "name": n.text,
            }
            for n in p.names.all()
        ],
        "citizenships": [
            {"country": _s(c.country), "status": str(c.get_status_display()), "basis": c.basis}
            for c in p.citizenships.select_related("country")
        ],
        "documents": _documents(p, reveal_numbers),
        "relationships": [
            {
                "relation": k.word,
                "person": k.other.display_name,
                "current": k.relationship.is_current,
            }
            for k in kin_of(p)
        ],
        "whereabouts": _whereabouts(p),
        "tracing_requests": [
            {
                "reference": link.request.reference,
                "status": str(link.request.get_status_display()),
                "received_on": _s(link.request.received_on),
                "closed_on": _s(link.request.closed_on),
                "relation_to_inquirer": link.relation_to_inquirer,
            }
            for link in p.sought_in.select_related("request")
        ],
        "consent_events": _consent(p),
        "processing": _processing(p),
        "disclosures": _disclosures(user, p),
        "accessed_by": [
            {
                "at": _s(e.at),
                "who": e.actor_username,
                "action": str(e.get_action_display()),
                "reason": e.reason,
            }
            for e in sel.access_log(p)
        ],
    }
