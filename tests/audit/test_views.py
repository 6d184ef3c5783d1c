from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from tests import factories
from tests.assertions import assert_forbidden, assert_login_required, assert_not_found
from wayhome.accounts.models import User
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record


def test_supervisor_sees_who_accessed_a_person_with_values(
    users: dict[str, User], client_for: Callable[[User], Client]
) -> None:
    caseworker, supervisor = users["caseworker"], users["supervisor"]
    person = factories.person(caseworker, given="Madina")
    audit_record(
        actor=caseworker, action=AuditEvent.Action.VIEW, obj=person, person_uuid=person.uuid
    )
    url = reverse("audit:person_access", args=[person.uuid])
    response = client_for(supervisor).get(url)
    assert response.status_code == 200
    events = list(response.context["page"])
    assert [e.action for e in events] == [AuditEvent.Action.VIEW, AuditEvent.Action.CREATE]
    assert response.context["show_values"] is True
    assert caseworker.username in response.content.decode()


def test_agency_admin_sees_the_trail_but_not_the_values(
    users: dict[str, User], client_for: Callable[[User], Client]
) -> None:
    person = factories.person(users["caseworker"], given="Zaynab")
    response = client_for(users["agency_admin"]).get(
        reverse("audit:person_access", args=[person.uuid])
    )
    assert response.status_code == 200
    assert response.context["show_values"] is False
    assert "Zaynab" not in response.content.decode()


def test_user_activity_lists_only_that_colleague(
    users: dict[str, User], client_for: Callable[[User], Client]
) -> None:
    factories.person(users["caseworker"])
    factories.person(users["legal_officer"])
    response = client_for(users["supervisor"]).get(
        reverse("audit:user_activity", args=[users["caseworker"].uuid])
    )
    assert response.status_code == 200
    assert {e.actor for e in response.context["page"]} == {users["caseworker"]}


def test_event_list_filters_by_action(
    users: dict[str, User], client_for: Callable[[User], Client]
) -> None:
    factories.person(users["caseworker"])
    audit_record(actor=users["caseworker"], action=AuditEvent.Action.SEARCH)
    response = client_for(users["supervisor"]).get(
        reverse("audit:event_list"), {"action": "search"}
    )
    assert [e.action for e in response.context["page"]] == ["search"]


def test_other_agency_events_and_users_are_invisible(
    users: dict[str, User], other_agency_user: User, client_for: Callable[[User], Client]
) -> None:
    foreign = factories.person(other_agency_user)
    supervisor = client_for(users["supervisor"])
    response = supervisor.get(reverse("audit:person_access", args=[foreign.uuid]))
    assert list(response.context["page"]) == []
    assert_not_found(supervisor, reverse("audit:user_activity", args=[other_agency_user.uuid]))
    listed = client_for(users["supervisor"]).get(reverse("audit:event_list")).context["page"]
    assert all(e.agency_id == users["supervisor"].agency_id for e in listed)


def test_roles_without_audit_and_anonymous_are_refused(
    users: dict[str, User], client_for: Callable[[User], Client]
) -> None:
    url = reverse("audit:event_list")
    assert_login_required(url)
    for role in ("caseworker", "analyst", "consular_officer", "system_admin"):
        assert_forbidden(client_for(users[role]), url)
