"""Repatriation pages for users who may and users who may not."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.assertions import assert_forbidden, assert_not_found
from tests.repatriation.helpers import family, shipped
from wayhome.accounts.models import User
from wayhome.accounts.roles import Role
from wayhome.audit.models import AuditEvent
from wayhome.repatriation import services
from wayhome.repatriation.models import (
    CaseDocument,
    CaseStep,
    ConsentDecision,
    DocumentTemplate,
    RepatriationCase,
    RuleSet,
)

ClientFor = Callable[[User], Client]


@pytest.fixture
def case(caseworker: User) -> RepatriationCase:
    fam = family(caseworker, children=2)
    return services.case_open(
        actor=caseworker, rule_set=shipped(), persons=[fam.mother, *fam.children]
    )


def test_case_list_and_detail(
    caseworker: User, case: RepatriationCase, client_for: ClientFor
) -> None:
    client = client_for(caseworker)
    listing = client.get(reverse("repatriation:case_list"))
    assert listing.status_code == 200
    assert case.reference in listing.content.decode()
    page = client.get(reverse("repatriation:case_detail", args=[case.uuid]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Written consent of a parent for the child to leave" in body
    assert "to be confirmed by counsel" in body
    assert "2500 USD" in body
    reads = AuditEvent.objects.filter(action="view", object_uuid=case.uuid)
    assert reads.exclude(person_uuid=None).count() == 3  # one read per member


def test_other_agency_and_roles_are_refused(
    case: RepatriationCase, other_agency_user: User, users: dict[str, User], client_for: ClientFor
) -> None:
    url = reverse("repatriation:case_detail", args=[case.uuid])
    assert_not_found(client_for(other_agency_user), url)
    assert_forbidden(client_for(users[Role.ANALYST]), url)
    assert_forbidden(client_for(users[Role.AGENCY_ADMIN]), url)
    step = CaseStep.objects.filter(member__case=case, code="court_order").first()
    assert step is not None
    assert_forbidden(
        client_for(users[Role.CASEWORKER]),
        reverse("repatriation:step_waive", args=[step.uuid]),
    )


def test_create_case_from_a_family_group(caseworker: User, client_for: ClientFor) -> None:
    from wayhome.people import services as people_services

    fam = family(caseworker, children=1)
    group = people_services.family_group_create(
        actor=caseworker, label="Testova family", members=[fam.mother, *fam.children]
    )
    client = client_for(caseworker)
    url = reverse("repatriation:case_create") + f"?family={group.uuid}"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "rule_set": str(shipped().uuid),
            "persons": [str(fam.mother.uuid), str(fam.children[0].uuid)],
            "notes": "",
        },
    )
    case = RepatriationCase.objects.get()
    assert response.status_code == 302
    assert case.family_group == group
    assert case.members.get(is_principal=True).person == fam.mother


def test_create_with_no_person_shows_an_error(caseworker: User, client_for: ClientFor) -> None:
    response = client_for(caseworker).post(
        reverse("repatriation:case_create"), {"rule_set": str(shipped().uuid)}
    )
    assert response.status_code == 200
    assert not RepatriationCase.objects.exists()


def test_mark_ready_refused_then_overridden_by_a_supervisor(
    case: RepatriationCase, users: dict[str, User], client_for: ClientFor
) -> None:
    url = reverse("repatriation:case_ready", args=[case.uuid])
    worker = client_for(users[Role.CASEWORKER])
    page = worker.get(url)
    assert "Required steps still open" in page.content.decode()
    refused = worker.post(url, {"override_reason": ""})
    assert refused.status_code == 200
    case.refresh_from_db()
    assert case.stage == RepatriationCase.Stage.OPEN
    supervisor = client_for(users[Role.SUPERVISOR])
    done = supervisor.post(url, {"override_reason": "Medical evacuation agreed with the host"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.stage == RepatriationCase.Stage.READY


def test_step_update_and_waive(
    case: RepatriationCase, users: dict[str, User], client_for: ClientFor
) -> None:
    step = CaseStep.objects.filter(member__case=case, code="court_order").first()
    assert step is not None
    worker = client_for(users[Role.CASEWORKER])
    url = reverse("repatriation:step_edit", args=[step.uuid])
    bad = worker.post(url, {"status": "blocked", "blocker": ""})
    assert bad.status_code == 200
    ok = worker.post(
        url, {"status": "blocked", "blocker": "court order pending", "since": "2026-03-12"}
    )
    assert ok.status_code == 302
    step.refresh_from_db()
    assert step.blocker == "court order pending"
    page = worker.get(reverse("repatriation:case_detail", args=[case.uuid])).content.decode()
    assert "court order pending" in page
    assert "12 March 2026" in page
    supervisor = client_for(users[Role.SUPERVISOR])
    waive = supervisor.post(
        reverse("repatriation:step_waive", args=[step.uuid]), {"reason": "Court ruled"}
    )
    assert waive.status_code == 302
    step.refresh_from_db()
    assert step.status == CaseStep.Status.WAIVED


def test_consent_page_records_for_several_children(
    case: RepatriationCase, caseworker: User, client_for: ClientFor
) -> None:
    children = list(case.members.filter(is_principal=False))
    mother = case.members.get(is_principal=True).person
    response = client_for(caseworker).post(
        reverse("repatriation:consent_add", args=[case.uuid]),
        {
            "children": [str(m.uuid) for m in children],
            "giver_kind": "parent",
            "given_by": str(mother.uuid),
            "decision": "refused",
            "decided_on": timezone.localdate().isoformat(),
            "written": "on",
        },
    )
    assert response.status_code == 302
    assert ConsentDecision.objects.count() == 2
    blocked = CaseStep.objects.filter(member__case=case, code="parent_consent", status="blocked")
    assert blocked.count() == 2


def test_upload_and_scoped_download(
    case: RepatriationCase, caseworker: User, other_agency_user: User, client_for: ClientFor
) -> None:
    client = client_for(caseworker)
    upload = SimpleUploadedFile(
        "consent.pdf", b"%PDF-1.4 synthetic", content_type="application/pdf"
    )
    response = client.post(
        reverse("repatriation:document_upload", args=[case.uuid]),
        {"title": "Signed consent", "kind": "consent", "file": upload},
    )
    assert response.status_code == 302
    doc = CaseDocument.objects.get()
    url = reverse("repatriation:document_file", args=[doc.uuid])
    got = client.get(url)
    assert got.status_code == 200
    assert "no-store" in got["Cache-Control"]
    assert got.content.startswith(b"%PDF")
    assert "consent" not in got["Content-Disposition"]
    assert_not_found(client_for(other_agency_user), url)
    assert AuditEvent.objects.filter(action="view", object_uuid=doc.uuid).exists()


def test_generate_a_consent_form(
    case: RepatriationCase, caseworker: User, client_for: ClientFor
) -> None:
    template = DocumentTemplate.objects.get(kind="consent_form", language="en", agency=None)
    mother = case.members.get(is_principal=True).person
    response = client_for(caseworker).post(
        reverse("repatriation:document_generate", args=[case.uuid]),
        {"template": str(template.uuid), "parent": str(mother.uuid), "children": []},
    )
    assert response.status_code == 302
    doc = CaseDocument.objects.get(kind=CaseDocument.Kind.GENERATED)
    assert doc.content_type == "application/pdf"


def test_rule_set_admin_pages(users: dict[str, User], client_for: ClientFor) -> None:
    admin = client_for(users[Role.AGENCY_ADMIN])
    base = shipped()
    assert admin.get(reverse("repatriation:rule_set_list")).status_code == 200
    detail = admin.get(reverse("repatriation:rule_set_detail", args=[base.uuid]))
    assert "to be confirmed by counsel" in detail.content.decode()
    edit = reverse("repatriation:rule_set_edit", args=[base.uuid])
    broken = admin.post(edit, {"source_text": "slug: iraq\nrules: {steps: []}", "change_note": "x"})
    assert broken.status_code == 200
    assert "at least one step" in broken.content.decode()
    text = base.source_text.replace("amount: 2500", "amount: 2000")
    saved = admin.post(edit, {"source_text": text, "change_note": "Lower fine"})
    assert saved.status_code == 302
    new = RuleSet.objects.get(agency=users[Role.AGENCY_ADMIN].agency)
    admin.post(reverse("repatriation:rule_set_status", args=[new.uuid]), {"status": "active"})
    new.refresh_from_db()
    assert new.status == RuleSet.Status.ACTIVE
    assert_forbidden(client_for(users[Role.CASEWORKER]), edit)


def test_template_edit_refuses_dangerous_tags(
    users: dict[str, User], client_for: ClientFor
) -> None:
    admin = client_for(users[Role.AGENCY_ADMIN])
    base = DocumentTemplate.objects.get(kind="envoy_summary", language="en", agency=None)
    url = reverse("repatriation:template_edit", args=[base.uuid])
    for body in ("{% debug %}", "{% include 'web/base.html' %}", "{% load static %}", "{% if %}"):
        response = admin.post(url, {"body": body, "change_note": "try"})
        assert response.status_code == 200
    assert not DocumentTemplate.objects.filter(agency__isnull=False).exists()
    ok = admin.post(url, {"body": "<h1>Summary {{ case.reference }}</h1>", "change_note": "short"})
    assert ok.status_code == 302
    own = DocumentTemplate.objects.get(agency__isnull=False)
    assert own.is_current


def test_new_case_suggests_the_route_where_the_person_is_held(
    caseworker: User, client_for: ClientFor
) -> None:
    from tests import factories

    fam = family(caseworker, children=1)
    child = fam.children[0]
    child.current_facility = factories.facility("Camp Roj (synthetic)", iso2="SY")
    child.save()
    page = client_for(caseworker).get(reverse("repatriation:case_create") + f"?person={child.uuid}")
    body = page.content.decode()
    nes = shipped("north-east-syria")
    assert f'value="{nes.uuid}" selected' in body


def test_case_page_shows_members_legal_cases(
    case: RepatriationCase, users: dict[str, User], client_for: ClientFor
) -> None:
    from tests import factories
    from wayhome.legal import services as legal_services

    mother = case.members.get(is_principal=True).person
    legal_services.legal_case_create(
        actor=users[Role.LEGAL_OFFICER],
        person=mother,
        country=factories.country("IQ", "Iraq"),
        court="Court B",
        status="awaiting_sentence",
    )
    page = client_for(users[Role.CASEWORKER]).get(
        reverse("repatriation:case_detail", args=[case.uuid])
    )
    assert "Awaiting sentence" in page.content.decode()
    # Consular officers read legal cases too; an analyst reads neither.
    assert_forbidden(
        client_for(users[Role.ANALYST]), reverse("repatriation:case_detail", args=[case.uuid])
    )


def test_member_remove_page(
    case: RepatriationCase, caseworker: User, client_for: ClientFor
) -> None:
    child = case.members.filter(is_principal=False).first()
    assert child is not None
    response = client_for(caseworker).post(reverse("repatriation:member_remove", args=[child.uuid]))
    assert response.status_code == 302
    assert case.members.count() == 2


def test_engine_blockers_read_in_the_page_language(
    case: RepatriationCase, caseworker: User, client_for: ClientFor
) -> None:
    from django.conf import settings

    mother = case.members.get(is_principal=True).person
    services.consent_record(
        actor=caseworker,
        case=case,
        children=list(case.members.filter(is_principal=False)),
        giver_kind=ConsentDecision.Giver.PARENT,
        given_by=mother,
        decision=ConsentDecision.Decision.REFUSED,
        decided_on=timezone.localdate(),
    )
    client = client_for(caseworker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    body = client.get(reverse("repatriation:case_detail", args=[case.uuid])).content.decode()
    assert "мать отказала в согласии" in body
    assert "Письменное согласие родителя на выезд ребёнка" in body  # the rule set's label_ru
