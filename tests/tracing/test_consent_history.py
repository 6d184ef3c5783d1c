"""Consent ticked or cleared on the tracing forms lands in the consent history, and the
flags the tracing pages show always equal the standing consent."""

import datetime as dt

from tests import factories
from wayhome.accounts.models import User
from wayhome.protection.models import ConsentEvent
from wayhome.tracing import services
from wayhome.tracing.models import TracingRequest


def _request(actor: User, inquirer_data: services.InquirerData, share: bool) -> TracingRequest:
    return services.request_create(
        actor=actor,
        data=services.RequestData(
            received_on=dt.date(2019, 2, 1), consent_share=share, consent_method="written"
        ),
        new_inquirer=inquirer_data,
        sought=[services.SoughtLink(person=factories.person(actor), relation="daughter")],
    )


def test_consents_on_the_form_become_events(caseworker: User) -> None:
    data = services.InquirerData(
        name="Synthetic Grandmother", consent_contact=True, consent_method="phone"
    )
    request = _request(caseworker, data, share=True)
    inquirer = request.inquirer
    events = list(
        ConsentEvent.objects.filter(inquirer=inquirer).values_list("scope", "given", "method")
    )
    assert sorted(events) == [("contact", True, "phone"), ("share_authorities", True, "written")]
    assert inquirer.consent_contact is True
    assert request.consent_share is True


def test_clearing_a_consent_records_a_withdrawal_for_every_request(caseworker: User) -> None:
    data = services.InquirerData(name="Synthetic Mother", consent_contact=True)
    first = _request(caseworker, data, share=True)
    inquirer = first.inquirer
    second = services.request_create(
        actor=caseworker,
        data=services.RequestData(received_on=dt.date(2020, 1, 5), consent_share=True),
        inquirer=inquirer,
        sought=[services.SoughtLink(person=factories.person(caseworker, "Other"))],
    )
    assert second.consent_share is True
    services.request_update(
        actor=caseworker,
        request=second,
        data=services.RequestData(received_on=dt.date(2020, 1, 5), consent_share=False),
        sought=[services.SoughtLink(person=p) for p in second.sought.all()],
    )
    withdrawn = ConsentEvent.objects.filter(
        inquirer=inquirer, scope="share_authorities", given=False
    )
    assert withdrawn.count() == 1
    first.refresh_from_db()
    assert first.consent_share is False


def test_an_unchanged_consent_adds_no_event(caseworker: User) -> None:
    data = services.InquirerData(name="Synthetic Aunt", consent_contact=False)
    inquirer = services.inquirer_create(actor=caseworker, data=data)
    services.inquirer_update(actor=caseworker, inquirer=inquirer, data=data)
    assert not ConsentEvent.objects.filter(inquirer=inquirer).exists()
