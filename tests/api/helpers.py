"""API clients and tokens for tests, made through the services like every test record."""

from __future__ import annotations

import uuid
from typing import Any

from django.test import Client

from tests import factories
from wayhome.accounts.models import Agency, User
from wayhome.accounts.roles import Role
from wayhome.api import services


def admin_of(agency: Agency) -> User:
    return factories.user(agency, Role.AGENCY_ADMIN)


def token_for(
    agency: Agency, role: str = Role.CASEWORKER, acting_user: User | None = None, **kw: Any
) -> str:
    """A fresh token of a new client of ``agency`` acting as ``role``."""
    admin = admin_of(agency)
    client = services.client_create(
        actor=admin, name=f"client {admin.username}", role=role, acting_user=acting_user
    )
    return services.token_issue(actor=admin, client=client, **kw)[1]


def api(token: str | None) -> Client:
    """A test client that sends the token (none: an anonymous caller)."""
    return Client(headers={"Authorization": f"Bearer {token}"} if token else {})


def record_uuids(actor: User) -> dict[str, uuid.UUID]:
    """One record of every kind the API serves, of the actor's agency, by route basename."""
    from tests.tracing import helpers as tracing_helpers
    from wayhome.people import services as people_services
    from wayhome.people.models import Relationship

    mother = factories.person(actor, given="Madina", family="Synthetic")
    child = factories.person(actor, given="Yusuf", family="Synthetic", sex="M")
    rel = people_services.relationship_create(
        actor=actor, from_person=mother, to_person=child, kind=Relationship.Kind.PARENT
    )
    report = tracing_helpers.report(actor, [mother])
    entry = tracing_helpers.entry(actor, mother, reports=[report])
    request = tracing_helpers.tracing_request(actor, [child])
    cases = casework_records(actor, mother, child)
    return {
        "person": mother.uuid,
        "name": mother.names.get().uuid,
        "relationship": rel.uuid,
        "report": report.uuid,
        "whereabouts": entry.uuid,
        "tracing-request": request.uuid,
        **cases,
    }


def casework_records(actor: User, mother: Any, child: Any) -> dict[str, uuid.UUID]:
    """A legal case, a repatriation case and an operation, through their services."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from tests.repatriation.helpers import shipped
    from wayhome.legal import services as legal_services
    from wayhome.operations import services as ops_services
    from wayhome.operations.models import Operation
    from wayhome.repatriation import services as rep_services
    from wayhome.repatriation.models import CaseStep

    iraq = factories.country("IQ", "Iraq")
    lawyer = factories.user(actor.agency, Role.LEGAL_OFFICER)
    legal = legal_services.legal_case_create(actor=lawyer, person=mother, country=iraq)
    hearing = legal_services.hearing_add(actor=lawyer, case=legal, date=dt.date(2026, 1, 15))
    appealed = legal_services.legal_case_create(actor=lawyer, person=mother, country=iraq)
    legal_services.verdict_record(
        actor=lawyer,
        case=appealed,
        verdict="guilty",
        verdict_on=dt.date(2026, 2, 1),
        sentence_kind="years",
        sentence_years=Decimal(5),
    )
    appeal = legal_services.appeal_add(actor=lawyer, case=appealed, filed_on=dt.date(2026, 2, 10))
    case = rep_services.case_open(actor=actor, rule_set=shipped(), persons=[mother, child])
    step = CaseStep.objects.filter(member__case=case).first()
    assert step is not None  # the shipped rules give every member steps
    operation = ops_services.operation_create(
        actor=actor,
        data=ops_services.OperationData(
            kind=Operation.Kind.FLIGHT,
            label="Charter flight (test)",
            planned_on=timezone.localdate() + dt.timedelta(days=30),
            from_country=iraq,
            handover_point="Baghdad airport",
            to_country=factories.country("RU", "Russia"),
            arrival_point="Grozny airport",
            capacity=40,
            escorts="",
        ),
    )
    return {
        "legal-case": legal.uuid,
        "hearing": hearing.uuid,
        "appeal": appeal.uuid,
        "repatriation-case": case.uuid,
        "case-step": step.uuid,
        "operation": operation.uuid,
    }
