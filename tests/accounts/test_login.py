from django.test import Client
from django.urls import reverse

from tests.assertions import login
from wayhome.accounts.models import User
from wayhome.audit.models import AuditEvent


def test_login_page_and_successful_login_is_audited(caseworker: User) -> None:
    client = Client()
    assert client.get(reverse("accounts:login")).status_code == 200
    response = client.post(
        reverse("accounts:login"),
        {"username": caseworker.username, "password": "correct-horse-battery-staple"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN).get()
    assert event.actor == caseworker
    assert event.ip == "127.0.0.1"


def test_failed_login_is_audited_without_the_password(caseworker: User) -> None:
    response = Client().post(
        reverse("accounts:login"), {"username": caseworker.username, "password": "wrong-guess-1"}
    )
    assert response.status_code == 200
    assert "did not match" in response.content.decode()
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED)
    assert event.changes == {"username": caseworker.username}
    assert "wrong-guess-1" not in str(event.changes)


def test_logout_is_a_post_and_is_audited(caseworker: User) -> None:
    client = Client()
    client.force_login(caseworker)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOGOUT, actor=caseworker).exists()


def test_home_sends_each_role_to_its_start(users: dict[str, User]) -> None:
    assert Client().get("/")["Location"] == reverse("accounts:login")
    assert login(users["caseworker"]).get("/")["Location"] == reverse("web:dashboard")
    assert login(users["system_admin"]).get("/")["Location"] == reverse("places:facility_list")
