"""The person list's rows are written in Python (people/templatetags/people.py
``person_rows``): the HTML must be what the template loop it replaced wrote."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import engines
from django.utils.translation import override

from tests import factories
from wayhome.accounts.models import User
from wayhome.core.fuzzydate import FuzzyDate
from wayhome.people import selectors as sel
from wayhome.people import services
from wayhome.people.models import Person, Sex

pytestmark = pytest.mark.django_db

LABELS = (
    '{% translate "Name" as l_name %}{% translate "Other names" as l_other %}'
    '{% translate "Sex" as l_sex %}{% translate "Age / birth" as l_age %}'
    '{% translate "Status" as l_status %}{% translate "Facility" as l_facility %}'
    '{% translate "Home region" as l_region %}'
)
# The loop of _person_results.html before it became person_rows, word for word.
TEMPLATE_LOOP = (
    "{% load wayhome i18n people %}" + LABELS + "{% for p in persons %}<tr>\n"
    '<td data-label="{{ l_name }}"><a href="{% url \'people:detail\' p.uuid %}" dir="auto">'
    "{{ p }}</a></td>\n"
    '<td data-label="{{ l_other }}">{% for n in p.names.all %}{% if not n.is_primary %}'
    '<span dir="auto">{{ n.text }}</span>{% if not forloop.last %}; {% endif %}{% endif %}'
    "{% endfor %}</td>\n"
    '<td data-label="{{ l_sex }}">{{ p.get_sex_display }}</td>\n'
    '<td data-label="{{ l_age }}">{% with a=p|age %}{% if a %}{{ a }} <span class="muted">'
    "({{ p.birth|fuzzydate }})</span>{% else %}—{% endif %}{% endwith %}</td>\n"
    '<td data-label="{{ l_status }}"><span class="badge {{ p.current_status }}">'
    "{{ p.get_current_status_display }}</span></td>\n"
    '<td data-label="{{ l_facility }}">{{ p.current_facility|default:"—" }}</td>\n'
    '<td data-label="{{ l_region }}">{{ p.home_region|default:"—" }}</td>\n'
    "</tr>{% endfor %}"
)
TAG = (
    "{% load people i18n %}" + LABELS + "{% person_rows persons l_name l_other l_sex l_age"
    " l_status l_facility l_region %}"
)


def render(source: str, persons: list[Person]) -> str:
    return str(engines["django"].from_string(source).render({"persons": persons}))


def variety(actor: User) -> None:
    """Persons with every shape a row has: several names (the primary one last, too),
    markup in a name, no birth, an exact date, an age, a facility and a region."""
    first = services.person_create(
        actor=actor,
        names=[
            services.NameData(given="Zarema", family="<b>Synthetic</b> & Co", is_primary=True),
            services.NameData(given="Зарема", family="Синтетова"),
            services.NameData(given="زريمة", family="سينثتك"),
        ],
        sex=Sex.FEMALE,
        birth=FuzzyDate.exact(dt.date(2012, 5, 17)),
        home_region=factories.region(),
    )
    # The facility is denormalised from whereabouts; set here directly, as a list shows it.
    Person.objects.filter(pk=first.pk).update(
        current_facility=factories.facility(name='Camp "One" <north>'), current_status="detained"
    )
    p = factories.person(actor, given="Amir", family="Testov", birth=None)
    services.name_add(actor=actor, person=p, data=services.NameData(given="Амир", family="Тестов"))
    factories.person(
        actor,
        given="Musa",
        family="Agetov",
        sex=Sex.MALE,
        birth=FuzzyDate.about_age(7, dt.date(2019, 1, 10)),
    )
    factories.person(actor, given="Year", family="Onlyova", birth=FuzzyDate.parse("2001"))


@pytest.mark.parametrize("language", ["en", "ru", "ar"])
def test_the_rows_are_the_template_loops_rows(caseworker: User, language: str) -> None:
    variety(caseworker)
    page = sel.person_page(caseworker, sel.PersonFilters(), 1)
    assert len(page.persons) == 4
    with override(language):
        expected = render(TEMPLATE_LOOP, page.persons)
        got = render(TAG, page.persons)
    assert got == expected
    assert "&lt;b&gt;Synthetic&lt;/b&gt; &amp; Co" in got
    assert "—" in got
