"""The request list's rows are written in Python (tracing/templatetags/tracing_tags.py
``request_rows``): the HTML must be what the template loop it replaced wrote."""

from __future__ import annotations

import pytest
from django.template import engines
from django.utils.translation import override

from tests import factories
from tests.tracing import helpers
from wayhome.accounts.models import User
from wayhome.tracing.models import Inquirer, TracingRequest

pytestmark = pytest.mark.django_db

LABELS = (
    '{% translate "Reference" as l_ref %}{% translate "Status" as l_status %}'
    '{% translate "Received" as l_received %}{% translate "Inquirer" as l_inquirer %}'
    '{% translate "Sought" as l_sought %}{% translate "Assigned to" as l_assigned %}'
)
# The loop of request_list.html before it became request_rows, word for word.
TEMPLATE_LOOP = (
    "{% load i18n %}" + LABELS + "{% for r in page %}<tr>\n"
    '<td data-label="{{ l_ref }}"><a href="{% url \'tracing:request_detail\' r.uuid %}">'
    "{{ r.reference }}</a></td>\n"
    '<td data-label="{{ l_status }}"><span class="badge">{{ r.get_status_display }}</span>'
    '{% if r.closure_reason %} <span class="muted">{{ r.get_closure_reason_display }}</span>'
    "{% endif %}</td>\n"
    '<td data-label="{{ l_received }}">{{ r.received_on|date:"Y-m-d" }}</td>\n'
    '<td data-label="{{ l_inquirer }}"><span dir="auto">{{ r.inquirer.name }}</span>'
    '{% if r.inquirer.relationship %} <span class="muted">({{ r.inquirer.relationship }})'
    "</span>{% endif %}</td>\n"
    '<td data-label="{{ l_sought }}">{% for link in r.sought_links.all %}<span dir="auto">'
    "{{ link.person.display_name }}</span>{% if not forloop.last %}, {% endif %}{% endfor %}"
    "</td>\n"
    '<td data-label="{{ l_assigned }}">{{ r.assigned_to.get_username|default:"—" }}</td>\n'
    "</tr>{% endfor %}"
)
TAG = (
    "{% load i18n tracing_tags %}" + LABELS + "{% request_rows page l_ref l_status l_received"
    " l_inquirer l_sought l_assigned %}"
)


def render(source: str, page: list[TracingRequest]) -> str:
    return str(engines["django"].from_string(source).render({"page": page}))


@pytest.mark.parametrize("language", ["en", "ru", "ar"])
def test_the_rows_are_the_template_loops_rows(caseworker: User, language: str) -> None:
    first = helpers.tracing_request(caseworker)
    sought = [
        factories.person(caseworker, given="Ali <i>", family="Testov & Sons"),
        factories.person(caseworker, given="Зарема", family="Тестова"),
    ]
    second = helpers.tracing_request(caseworker, sought=sought)
    TracingRequest.objects.filter(pk=first.pk).update(
        status="closed", closure_reason="reunited", assigned_to=caseworker
    )
    Inquirer.objects.filter(pk=second.inquirer_id).update(relationship="")
    page = list(
        TracingRequest.objects.filter(agency=caseworker.agency)
        .select_related("inquirer", "assigned_to")
        .prefetch_related("sought_links__person")
    )
    assert len(page) == 2
    with override(language):
        expected = render(TEMPLATE_LOOP, page)
        got = render(TAG, page)
    assert got == expected
    assert "Ali &lt;i&gt; Testov &amp; Sons" in got
    assert "—" in got
