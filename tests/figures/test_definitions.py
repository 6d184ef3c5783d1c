"""Registry definitions behind the ledger: one meaning, the dashboards' rule, any date."""

from __future__ import annotations

import pytest

from tests import factories
from tests.figures.helpers import D, child, entry, woman
from wayhome.accounts.models import User
from wayhome.figures.definitions import DEFINITIONS, definition_choices
from wayhome.people import services as people_services
from wayhome.people.models import Status
from wayhome.tracing import services as tracing

pytestmark = pytest.mark.django_db


def test_women_from_russia_held_in_iraq(caseworker: User) -> None:
    ru = factories.country("RU", "Russia")
    prison = factories.facility("Prison One", "prison", "IQ")
    camp = factories.facility("Camp One", "camp", "SY")
    held = woman(caseworker, "Alpha")
    elsewhere = woman(caseworker, "Beta")
    boy = child(caseworker, "Gamma")
    for p in (held, elsewhere, boy):
        people_services.citizenship_add(actor=caseworker, person=p, country=ru)
    not_russian = woman(caseworker, "Delta")
    entry(caseworker, held, Status.DETAINED, D(2018, 3, 1), facility=prison)
    entry(caseworker, held, Status.SENTENCED, D(2018, 9, 1), facility=prison)
    entry(caseworker, held, Status.REPATRIATED, D(2019, 6, 1), country=ru)
    entry(caseworker, elsewhere, Status.IN_CAMP, D(2018, 1, 1), facility=camp)
    entry(caseworker, boy, Status.DETAINED, D(2018, 1, 1), facility=prison)
    entry(caseworker, not_russian, Status.DETAINED, D(2018, 1, 1), facility=prison)
    women = DEFINITIONS["held_women_ru_iq"]
    assert women.count(caseworker, D(2018, 2, 28)) == 0
    assert women.count(caseworker, D(2018, 5, 31)) == 1
    assert women.count(caseworker, D(2019, 12, 31)) == 0
    assert DEFINITIONS["sentenced_women_ru_iq"].count(caseworker, D(2018, 12, 31)) == 1
    assert DEFINITIONS["awaiting_women_ru_iq"].count(caseworker, D(2018, 5, 31)) == 1
    assert DEFINITIONS["held_children_ru_iq"].count(caseworker, D(2018, 5, 31)) == 1
    assert DEFINITIONS["repatriated_women_ru"].count(caseworker, D(2019, 12, 31)) == 1
    assert DEFINITIONS["held"].count(caseworker, D(2018, 5, 31)) == 4


def test_a_country_missing_from_the_reference_data_gives_no_count(caseworker: User) -> None:
    from dataclasses import replace

    unknown = replace(DEFINITIONS["held_tj_sy"], citizenship="XX")
    assert unknown.count(caseworker, D(2020, 1, 1)) is None


def test_sought_on_a_day(caseworker: User) -> None:
    p = woman(caseworker)
    tracing.request_create(
        actor=caseworker,
        data=tracing.RequestData(received_on=D(2019, 10, 5)),
        new_inquirer=tracing.InquirerData(name="Synthetic Inquirer"),
        sought=[tracing.SoughtLink(person=p)],
    )
    assert DEFINITIONS["sought_women"].count(caseworker, D(2019, 10, 4)) == 0
    assert DEFINITIONS["sought_women"].count(caseworker, D(2019, 10, 31)) == 1
    assert DEFINITIONS["sought_children"].count(caseworker, D(2019, 10, 31)) == 0


def test_every_definition_is_offered() -> None:
    keys = [k for k, _label in definition_choices()]
    assert keys[0] == ""
    assert set(keys[1:]) == set(DEFINITIONS)
