"""get_<field>_display() reads labels translated once per language: the same words as Django's."""

from __future__ import annotations

import pytest
from django.db.models import Model
from django.utils.encoding import force_str
from django.utils.translation import override

from wayhome.accounts.models import User
from wayhome.accounts.roles import Role
from wayhome.people.models import Person, Sex, Status


def django_label(instance: Model, name: str) -> object:
    """What Django's own get_<field>_display() would return."""
    display = Model._get_FIELD_display  # type: ignore[attr-defined]  # Django's, not typed
    return display(instance, instance._meta.get_field(name))


@pytest.mark.parametrize("language", ["en", "ru", "ar"])
def test_labels_follow_the_page_language_as_djangos_do(language: str) -> None:
    with override(language):
        for sex in Sex.values:
            assert Person(sex=sex).get_sex_display() == django_label(Person(sex=sex), "sex")
        for status in Status.values:
            person = Person(current_status=status)
            assert person.get_current_status_display() == django_label(person, "current_status")
        assert User(role=Role.CASEWORKER).get_role_display() == force_str(Role.CASEWORKER.label)


def test_a_label_is_translated_for_each_language_not_once_for_all() -> None:
    person = Person(sex=Sex.values[1])
    with override("en"):
        english = person.get_sex_display()
    with override("ru"):
        russian = person.get_sex_display()
        assert russian == django_label(person, "sex")
    assert english != russian


def test_a_value_outside_the_choices_is_shown_as_it_is() -> None:
    assert Person(sex="zz").get_sex_display() == "zz"
    assert Person(current_status="").get_current_status_display() == ""
