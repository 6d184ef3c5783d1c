"""A tracing request's likely matches wait in the review queue without anyone asking."""

import datetime as dt
from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from tests import factories
from wayhome.accounts.models import User
from wayhome.people.models import Person
from wayhome.review.models import MatchCandidate
from wayhome.review.services import candidate_reject, candidates_queue_for_request
from wayhome.tracing import services as tracing
from wayhome.tracing.models import TracingRequest


def _registered(actor: User) -> Person:
    return factories.person(actor, "Аиша", "Налоева", birth=dt.date(1995, 3, 2))


def _request_for(actor: User, sought: Person) -> TracingRequest:
    return tracing.request_create(
        actor=actor,
        data=tracing.RequestData(received_on=dt.date(2019, 5, 1)),
        new_inquirer=tracing.InquirerData(name="Synthetic Mother"),
        sought=[tracing.SoughtLink(person=sought, relation="daughter")],
    )


def test_likely_matches_are_queued_and_rejections_remembered(caseworker: User) -> None:
    known = _registered(caseworker)
    factories.person(caseworker, "Zulfiya", "Otherova", birth=dt.date(1960, 1, 1))
    sought = factories.person(caseworker, "Aisha", "Naloyeva", birth=dt.date(1995, 3, 2))
    request = _request_for(caseworker, sought)
    queued = candidates_queue_for_request(actor=caseworker, request=request)
    assert [(c.left, c.right) for c in queued] == [(sought, known)]
    assert queued[0].source == MatchCandidate.Source.TRACING_REQUEST
    assert queued[0].score >= 0.5
    candidate_reject(actor=caseworker, candidate=queued[0], reason="different women")
    assert candidates_queue_for_request(actor=caseworker, request=request) == []


def test_opening_a_request_queues_and_says_so(
    caseworker: User, client_for: Callable[[User], Client]
) -> None:
    known = _registered(caseworker)
    sought = factories.person(caseworker, "Aisha", "Naloyeva", birth=dt.date(1995, 3, 2))
    response = client_for(caseworker).post(
        reverse("tracing:request_create"),
        {
            "received_on": "2019-05-01",
            "sought": [str(sought.uuid)],
            "inq-name": "Synthetic Mother",
            "inq-language": "ru",
            "new_sought-TOTAL_FORMS": "0",
            "new_sought-INITIAL_FORMS": "0",
            "last_known_precision": "exact",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "possible match waits in the review queue" in response.content.decode()
    assert MatchCandidate.objects.filter(left=sought, right=known).exists()


def test_review_this_pair_from_the_candidate_list(
    caseworker: User, other_agency_user: User, client_for: Callable[[User], Client]
) -> None:
    known = _registered(caseworker)
    sought = factories.person(caseworker, "Aisha", "Naloyeva")
    client = client_for(caseworker)
    response = client.post(
        reverse("review:propose_pair"), {"left": sought.uuid, "right": known.uuid}
    )
    candidate = MatchCandidate.objects.get(left=sought, right=known)
    assert response["Location"] == reverse("review:candidate", args=[candidate.uuid])
    foreign = factories.person(other_agency_user, "Aisha", "Naloyeva")
    refused = client.post(
        reverse("review:propose_pair"), {"left": sought.uuid, "right": foreign.uuid}
    )
    assert refused.status_code == 404
    assert MatchCandidate.objects.count() == 1
