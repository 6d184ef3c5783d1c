"""The API reads every field through the pages' sensitivity table, as the stricter of
the client's role and the user it acts as (docs/api.md, docs/security.md)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.helpers import api, token_for
from tests.tracing import helpers as tracing
from wayhome.accounts.models import Agency, User
from wayhome.accounts.roles import Role
from wayhome.api.sensitivity import mask, sensitivity_in_schema
from wayhome.api.serializers import InquirerSerializer
from wayhome.people import services as people_services
from wayhome.people.models import Person
from wayhome.tracing.models import Inquirer, TracingRequest

pytestmark = pytest.mark.django_db
NOTE = "Synthetic confidential remark 5523"
PHONE = "+7 900 000 00 00"


@pytest.fixture
def noted(caseworker: User) -> Person:
    return people_services.person_create(
        actor=caseworker,
        names=[people_services.NameData(given="Aminat", family="Testova")],
        sex="F",
        notes=NOTE,
    )


@pytest.fixture
def request_(caseworker: User) -> TracingRequest:
    return tracing.tracing_request(caseworker)


def _get(token: str, url: str) -> dict[str, Any]:
    response = api(token).get(url)
    assert response.status_code == 200, response.content[:500]
    data: dict[str, Any] = response.json()
    return data


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.CASEWORKER, NOTE),
        (Role.SUPERVISOR, NOTE),
        (Role.LEGAL_OFFICER, NOTE),
        (Role.CONSULAR_OFFICER, "restricted"),  # free text masked
    ],
)
def test_person_notes_per_client_role(
    noted: Person, agency_a: Agency, role: str, expected: str
) -> None:
    token = token_for(agency_a, role)
    data = _get(token, f"/api/v1/persons/{noted.uuid}/")
    assert data["notes"] == expected
    assert data["display_name"]  # identifying: every case role sees it


@pytest.mark.parametrize(
    ("role", "phone"),
    [
        (Role.CASEWORKER, PHONE),
        (Role.SUPERVISOR, PHONE),
        (Role.LEGAL_OFFICER, "restricted"),  # contact masked
    ],
)
def test_inquirer_contact_per_client_role(
    request_: TracingRequest, agency_a: Agency, role: str, phone: str
) -> None:
    token = token_for(agency_a, role)
    data = _get(token, f"/api/v1/tracing-requests/{request_.uuid}/")
    assert data["inquirer"]["phone"] == phone
    assert data["inquirer"]["name"] == "Zarema Synthetic"
    assert PHONE not in str(data) or phone == PHONE


def test_the_stricter_of_client_role_and_acting_user_applies(
    noted: Person, users: dict[str, User], agency_a: Agency
) -> None:
    consular = users[Role.CONSULAR_OFFICER]
    # A caseworker's client acting as a consular officer reads as the consular officer.
    token = token_for(agency_a, Role.CASEWORKER, acting_user=consular)
    assert _get(token, f"/api/v1/persons/{noted.uuid}/")["notes"] == "restricted"
    # A consular officer's client acting as a caseworker reads as the consular officer.
    token = token_for(agency_a, Role.CONSULAR_OFFICER, acting_user=users[Role.CASEWORKER])
    assert _get(token, f"/api/v1/persons/{noted.uuid}/")["notes"] == "restricted"
    # A supervisor's client acting as a supervisor reads everything it may.
    token = token_for(agency_a, Role.SUPERVISOR, acting_user=users[Role.SUPERVISOR])
    assert _get(token, f"/api/v1/persons/{noted.uuid}/")["notes"] == NOTE


def test_legal_officer_acting_through_a_caseworker_client_gets_the_phone_masked(
    request_: TracingRequest, users: dict[str, User], agency_a: Agency
) -> None:
    token = token_for(agency_a, Role.CASEWORKER, acting_user=users[Role.LEGAL_OFFICER])
    data = _get(token, f"/api/v1/tracing-requests/{request_.uuid}/")
    assert data["inquirer"]["phone"] == "restricted"


def test_mask_drops_what_the_role_may_never_see_and_masks_the_rest(
    users: dict[str, User], caseworker: User
) -> None:
    data = {"name": "Zarema Synthetic", "phone": PHONE, "email": "z@example.org", "address": ""}
    # Consular officers never see contact details: the keys are left out.
    assert mask(users[Role.CONSULAR_OFFICER], Inquirer, data) == {"name": "Zarema Synthetic"}
    # Legal officers see them masked; an empty value stays empty, nothing to hide.
    fields = InquirerSerializer().fields
    legal = mask(users[Role.LEGAL_OFFICER], Inquirer, data, fields)
    assert legal == {
        "name": "Zarema Synthetic",
        "phone": "restricted",
        "email": "restricted",
        "address": "",
    }
    # Without knowing the field is plain text, a masked value is null, never a wrong type.
    assert mask(users[Role.LEGAL_OFFICER], Inquirer, data)["phone"] is None
    assert mask(caseworker, Inquirer, data) == data


def test_no_field_of_a_person_for_an_account_without_case_files(
    users: dict[str, User], noted: Person
) -> None:
    data = {"uuid": str(noted.uuid), "display_name": "Aminat Testova", "notes": NOTE}
    assert mask(users[Role.ANALYST], Person, data) == {"uuid": str(noted.uuid)}


def test_schema_hook_makes_never_seen_fields_optional() -> None:
    schema: dict[str, Any] = {
        "components": {
            "schemas": {
                "Inquirer": {
                    "properties": {"name": {"type": "string"}, "phone": {"type": "string"}},
                    "required": ["name", "phone"],
                }
            }
        }
    }
    out = sensitivity_in_schema(schema)["components"]["schemas"]["Inquirer"]
    # A consular officer never sees a phone: it may be missing from the object.
    assert out["required"] == ["name"]
    # "restricted" is a valid phone (plain text): no null needed.
    assert "nullable" not in out["properties"]["phone"]
