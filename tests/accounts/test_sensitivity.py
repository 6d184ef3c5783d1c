"""Field-level sensitivity: every field classified, masking on the server, never in HTML."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse

from tests import factories
from tests.tracing import helpers as tracing
from wayhome.accounts import sensitivity
from wayhome.accounts.models import User
from wayhome.accounts.roles import ROLE_CAPS, Cap, Role
from wayhome.accounts.sensitivity import (
    ROLE_VISIBILITY,
    FieldClass,
    Visibility,
    field_class,
    present,
    present_record,
    redact,
    visibility,
)
from wayhome.people import services as people_services
from wayhome.people.models import Person
from wayhome.tracing.models import Inquirer

SECRET_NOTE = "Synthetic confidential remark 7781"


def test_every_field_of_every_wayhome_model_has_a_class() -> None:
    """A new model or field fails here until someone decides how sensitive it is."""
    missing = {
        model._meta.label: sensitivity.unclassified(model)
        for model in apps.get_models()
        if model.__module__.startswith("wayhome.")
    }
    assert {label: names for label, names in missing.items() if names} == {}


def test_no_stale_entries_in_the_registry() -> None:
    for label, fields in sensitivity.FIELD_CLASSES.items():
        model = apps.get_model(label)
        names = {f.name for f in model._meta.get_fields()}
        assert set(fields) <= names, (label, set(fields) - names)


def test_every_role_has_a_decision_for_every_class() -> None:
    assert set(ROLE_VISIBILITY) == {r.value for r in Role}
    for role, table in ROLE_VISIBILITY.items():
        assert set(table) == set(FieldClass), role


def test_every_role_that_reads_persons_sees_their_identifying_fields() -> None:
    """Only the person's page and a review pair's page mask identifying fields today;
    relatives' names, lists and searches would show them (docs/security.md, "Identifying
    fields"). A role that reads persons and masks them fails here until those do too."""
    readers = {role for role, caps in ROLE_CAPS.items() if Cap.PERSON_VIEW in caps}
    assert readers, "no role reads persons: the check below would hold for nothing"
    masking = {r for r in readers if ROLE_VISIBILITY[r][FieldClass.IDENTIFYING] != Visibility.SEE}
    assert masking == set()


def test_security_doc_states_the_table() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "security.md").read_text(encoding="utf-8")
    for cls in FieldClass:
        assert f"`{cls.value}`" in doc, cls


def test_an_unclassified_field_is_an_error() -> None:
    with pytest.raises(ImproperlyConfigured):
        field_class(Person, "no_such_field")


@pytest.mark.django_db
def test_present_sees_masks_or_drops(users: dict[str, User]) -> None:
    legal, consular = users[Role.LEGAL_OFFICER], users[Role.CONSULAR_OFFICER]
    assert present(users[Role.CASEWORKER], FieldClass.CONTACT, "+7 900") == "+7 900"
    assert present(legal, FieldClass.CONTACT, "+7 900") == "restricted"
    assert present(legal, FieldClass.CONTACT, "") is None  # nothing to hide: nothing said
    assert present(consular, FieldClass.CONTACT, "+7 900") is None
    assert present(users[Role.ANALYST], FieldClass.IDENTIFYING, "Aminat") is None
    assert visibility(users[Role.SUPERVISOR], FieldClass.SECURITY) is Visibility.SEE
    assert visibility(users[Role.CASEWORKER], FieldClass.SECURITY) is Visibility.MASK


@pytest.mark.django_db
def test_an_inactive_or_loose_account_sees_only_open_classes(agency_a: object) -> None:
    loose = factories.user(None, Role.SUPERVISOR)
    assert visibility(loose, FieldClass.IDENTIFYING) is Visibility.NEVER
    assert visibility(loose, FieldClass.REFERENCE) is Visibility.SEE


@pytest.mark.django_db
def test_present_record_for_the_api(users: dict[str, User], caseworker: User) -> None:
    inquirer = tracing.tracing_request(caseworker).inquirer
    fields = ["name", "phone", "email"]
    assert present_record(users[Role.CASEWORKER], inquirer, fields)["phone"] == inquirer.phone
    assert present_record(users[Role.LEGAL_OFFICER], inquirer, fields) == {
        "name": inquirer.name,
        "phone": "restricted",
        "email": None,
    }
    assert present_record(users[Role.CONSULAR_OFFICER], inquirer, fields) == {"name": inquirer.name}


@pytest.mark.django_db
def test_a_redacted_record_cannot_be_saved(users: dict[str, User], caseworker: User) -> None:
    inquirer = tracing.tracing_request(caseworker).inquirer
    shown = redact(users[Role.LEGAL_OFFICER], Inquirer.objects.get(pk=inquirer.pk))
    assert shown is not None
    assert shown.phone == "restricted"  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError):
        shown.save()
    inquirer.refresh_from_db()
    assert inquirer.phone.startswith("+7")


@pytest.mark.django_db
def test_redact_says_which_fields_it_masked(
    users: dict[str, User], caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    inquirer = tracing.tracing_request(caseworker).inquirer
    assert not sensitivity.is_redacted(inquirer)
    shown = redact(users[Role.LEGAL_OFFICER], Inquirer.objects.get(pk=inquirer.pk))
    assert shown is not None
    assert sensitivity.is_redacted(shown)
    assert sensitivity.is_masked(shown, "phone")  # masked: a value is there
    assert not sensitivity.is_masked(shown, "name")  # seen
    never = redact(users[Role.CONSULAR_OFFICER], Inquirer.objects.get(pk=inquirer.pk))
    assert never is not None
    assert not sensitivity.is_masked(never, "phone")
    # A masked field with no value says nothing: there is nothing to hide.
    person = factories.person(caseworker, "Aisha", "Testova")
    table = ROLE_VISIBILITY[Role.CONSULAR_OFFICER]
    masked = {**table, FieldClass.IDENTIFYING: Visibility.MASK}
    monkeypatch.setitem(ROLE_VISIBILITY, Role.CONSULAR_OFFICER, masked)
    shown_person = redact(users[Role.CONSULAR_OFFICER], Person.objects.get(pk=person.pk))
    assert shown_person is not None
    assert sensitivity.is_masked(shown_person, "display_name")
    assert not sensitivity.is_masked(shown_person, "birth_place")  # none recorded


@pytest.mark.django_db
def test_a_redacted_birth_reads_unknown_and_says_whether_it_was_masked(
    users: dict[str, User], caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = factories.person(caseworker, "Aisha", "Testova", birth=dt.date(1990, 5, 1))
    table = ROLE_VISIBILITY[Role.CONSULAR_OFFICER]
    for seen, restricted in ((Visibility.MASK, True), (Visibility.NEVER, False)):
        monkeypatch.setitem(
            ROLE_VISIBILITY, Role.CONSULAR_OFFICER, {**table, FieldClass.IDENTIFYING: seen}
        )
        shown = redact(users[Role.CONSULAR_OFFICER], Person.objects.get(pk=person.pk))
        assert isinstance(shown, Person)
        assert not shown.birth.is_known
        assert shown.birth_restricted is restricted
    whole = Person.objects.get(pk=person.pk)
    assert (str(whole.birth), whole.birth_restricted) == ("1990-05-01", False)
    whole.birth_precision = "restricted"  # not redacted: a bad value is an error, not hidden
    with pytest.raises(ValueError, match="Precision"):
        _ = whole.birth


@pytest.mark.django_db
def test_the_template_tag(users: dict[str, User], caseworker: User) -> None:
    inquirer = tracing.tracing_request(caseworker).inquirer
    template = Template('{% load sensitivity %}[{% sensitive inquirer "phone" %}]')
    request = RequestFactory().get("/")
    for role, expected in (
        (Role.CASEWORKER, inquirer.phone),
        (Role.LEGAL_OFFICER, '<span class="masked">restricted</span>'),
        (Role.CONSULAR_OFFICER, ""),
    ):
        request.user = users[role]
        html = template.render(Context({"request": request, "inquirer": inquirer}))
        assert html == f"[{expected}]", role


# --- pages: the value is absent from the HTML ----------------------------------------------


@pytest.fixture
def noted(caseworker: User) -> Person:
    return people_services.person_create(
        actor=caseworker,
        names=[people_services.NameData(given="Aminat", family="Testova")],
        sex="F",
        notes=SECRET_NOTE,
    )


def test_notes_never_reach_a_consular_officers_browser(
    noted: Person, users: dict[str, User], client_for: Callable[[User], Client]
) -> None:
    url = reverse("people:detail", args=[noted.uuid])
    assert SECRET_NOTE in client_for(users[Role.CASEWORKER]).get(url).content.decode()
    html = client_for(users[Role.CONSULAR_OFFICER]).get(url).content.decode()
    assert "Testova" in html
    assert SECRET_NOTE not in html
    assert "restricted" in html


def test_report_summaries_and_whereabouts_notes_are_masked_for_consular_officers(
    noted: Person, caseworker: User, users: dict[str, User], client_for: Callable[[User], Client]
) -> None:
    entry = tracing.entry(caseworker, noted, notes=SECRET_NOTE)
    report = entry.reports.get()
    consular = client_for(users[Role.CONSULAR_OFFICER])
    for url in (
        reverse("tracing:report_detail", args=[report.uuid]),
        reverse("tracing:report_list"),
        reverse("tracing:person_timeline", args=[noted.uuid]),
    ):
        page = consular.get(url).content.decode()
        assert SECRET_NOTE not in page, url
        assert report.summary not in page, url
    own = client_for(caseworker).get(reverse("tracing:person_timeline", args=[noted.uuid]))
    assert SECRET_NOTE in own.content.decode()


def test_relatives_phone_is_masked_for_legal_officers(
    caseworker: User, users: dict[str, User], client_for: Callable[[User], Client]
) -> None:
    request = tracing.tracing_request(caseworker)
    url = reverse("tracing:request_detail", kwargs={"request_uuid": request.uuid})
    assert "+7 900 000 00 00" in client_for(caseworker).get(url).content.decode()
    html = client_for(users[Role.LEGAL_OFFICER]).get(url).content.decode()
    assert "+7 900 000 00 00" not in html
    assert "000 00 00" not in html
    assert "restricted" in html


def test_edit_forms_leave_out_what_the_role_may_not_see_and_keep_it(
    noted: Person, users: dict[str, User], client_for: Callable[[User], Client]
) -> None:
    consular = client_for(users[Role.CONSULAR_OFFICER])
    url = reverse("people:update", args=[noted.uuid])
    page = consular.get(url).content.decode()
    assert SECRET_NOTE not in page
    assert 'name="notes"' not in page
    response = consular.post(
        url,
        {
            "sex": "F",
            "birth_precision": "unknown",
            "birth_place": "Grozny",
            "version": noted.version,  # the edit form carries it since lost-update checks
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    noted.refresh_from_db()
    assert (noted.birth_place, noted.notes) == ("Grozny", SECRET_NOTE)


def test_a_legal_officer_edits_a_request_without_seeing_or_losing_the_phone(
    caseworker: User, users: dict[str, User], client_for: Callable[[User], Client]
) -> None:
    request = tracing.tracing_request(caseworker)
    url = reverse("tracing:request_edit", kwargs={"request_uuid": request.uuid})
    page = client_for(users[Role.LEGAL_OFFICER]).get(url).content.decode()
    assert "000 00 00" not in page
    assert 'name="phone"' not in page
