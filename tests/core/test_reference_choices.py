"""ReferenceChoiceField reads its choices with a plain query: the same choices as Django's."""

from __future__ import annotations

import pytest
from django import forms
from django.db import connection
from django.forms.models import ModelChoiceIterator
from django.test.utils import CaptureQueriesContext

from wayhome.core.forms import ListedChoiceIterator, ReferenceChoiceField
from wayhome.places.models import Country

pytestmark = pytest.mark.django_db


def test_the_choices_are_djangos_and_read_in_one_plain_query() -> None:
    Country.objects.create(iso2="ZY", name="Synthetica", name_ru="Синтетика", name_ar="")
    Country.objects.create(iso2="ZX", name="Examplia", name_ru="", name_ar="")
    queryset = Country.objects.filter(iso2__startswith="Z")
    field = ReferenceChoiceField(queryset, to_field_name="uuid", empty_label="Any")
    assert field.iterator is ListedChoiceIterator
    ours = ListedChoiceIterator(field)
    djangos = ModelChoiceIterator(
        forms.ModelChoiceField(queryset, to_field_name="uuid", empty_label="Any")
    )
    with CaptureQueriesContext(connection) as queries:
        listed = []
        for choice in ours:  # as a widget does: list() would ask len(), a COUNT
            listed.append(choice)
    assert listed == list(djangos)
    assert [str(label) for _, label in listed] == ["Any", "Examplia", "Synthetica"]
    assert len(queries.captured_queries) == 1
    assert "DECLARE" not in queries.captured_queries[0]["sql"].upper()
    assert list(ours) == listed  # and again, for a second rendering
