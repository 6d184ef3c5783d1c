"""A merged record is one person: counted once, and its old link leads to the survivor."""

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from tests import factories
from wayhome.accounts.models import User
from wayhome.people.models import Person, Status
from wayhome.places.selectors import count_currently_at
from wayhome.review.services import persons_merge


def test_dashboard_and_facility_count_a_merged_person_once(
    caseworker: User, client_for: Callable[[User], Client]
) -> None:
    camp = factories.facility("Camp Two")
    keep = factories.person(caseworker, "Aminat", "Testova")
    absorb = factories.person(caseworker, "Амінат", "Тестова")
    for p in (keep, absorb):
        p.current_status, p.current_facility = Status.IN_CAMP, camp
        p.save()
    persons_merge(actor=caseworker, keep=keep, absorb=absorb, reason="same woman")
    # Whatever the absorbed row still says, it is not a second person.
    Person.objects.filter(pk__in=[keep.pk, absorb.pk]).update(current_facility=camp)
    d = client_for(caseworker).get(reverse("web:dashboard")).context["d"]
    assert d.total == 1
    assert count_currently_at(caseworker, camp) == 1


def test_the_old_link_of_a_merged_record_redirects_to_the_survivor(
    caseworker: User, client_for: Callable[[User], Client]
) -> None:
    keep = factories.person(caseworker, "Madina", "Testova")
    absorb = factories.person(caseworker, "Madina", "Testova-Two")
    persons_merge(actor=caseworker, keep=keep, absorb=absorb, reason="duplicate")
    response = client_for(caseworker).get(reverse("people:detail", args=[absorb.uuid]))
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[keep.uuid])
