"""Proposing, confirming, rejecting pairs; whole families; refitting the model."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tests import factories
from tests.review.helpers import candidate, events, family, person_state
from wayhome.accounts.models import User
from wayhome.audit.models import AuditEvent
from wayhome.people.models import Person, Sex
from wayhome.review import services
from wayhome.review.models import MatchCandidate, PersonMerge

A = AuditEvent.Action
D = MatchCandidate.Decision


def _pair(actor: User) -> tuple[Person, Person]:
    return (
        factories.person(actor, "Aisha", "Naloyeva"),
        factories.person(actor, "Аиша", "Налоева"),
    )


def test_propose_is_idempotent_whichever_way_round(caseworker: User) -> None:
    a, b = _pair(caseworker)
    first = candidate(caseworker, a, b)
    assert len(events(A.CREATE, object_uuid=first.uuid)) == 1
    count = AuditEvent.objects.count()
    assert candidate(caseworker, a, b) == first
    assert candidate(caseworker, b, a) == first
    assert AuditEvent.objects.count() == count
    assert MatchCandidate.objects.count() == 1


def test_propose_again_rescores_a_pending_pair(caseworker: User) -> None:
    a, b = _pair(caseworker)
    first = candidate(caseworker, a, b, score=0.5)
    assert candidate(caseworker, b, a, score=0.8).score == 0.8
    assert events(A.UPDATE, object_uuid=first.uuid)[-1].changes == {"score": [0.5, 0.8]}


def test_rejected_pairs_are_never_proposed_again(caseworker: User) -> None:
    a, b = _pair(caseworker)
    c = candidate(caseworker, a, b)
    services.candidate_reject(actor=caseworker, candidate=c, reason="different mothers")
    again = candidate(caseworker, b, a, score=0.99)
    assert again.pk == c.pk
    assert again.status == D.REJECTED
    assert again.score == 0.9
    assert MatchCandidate.objects.count() == 1
    with pytest.raises(ValidationError, match="already rejected"):
        services.candidate_propose_manual(actor=caseworker, person=a, other=b)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"score": 1.5}, "between 0 and 1"),
        ({"source": "gossip"}, "where the proposal"),
    ],
)
def test_propose_refuses_bad_values(caseworker: User, change: dict[str, Any], match: str) -> None:
    a, b = _pair(caseworker)
    values: dict[str, Any] = {"score": 0.5, "source": "manual", **change}
    with pytest.raises(ValidationError, match=match):
        services.candidate_propose(actor=caseworker, left=a, right=b, explanation={}, **values)
    assert not MatchCandidate.objects.exists()


def test_propose_refuses_self_foreign_and_merged(caseworker: User, other_agency_user: User) -> None:
    a, b = _pair(caseworker)
    foreign = factories.person(other_agency_user)
    with pytest.raises(ValidationError, match="themselves"):
        candidate(caseworker, a, a)
    with pytest.raises(ValidationError, match="another agency"):
        candidate(caseworker, a, foreign)
    services.persons_merge(actor=caseworker, keep=a, absorb=b)
    c = factories.person(caseworker, "Aisha", "Naloyeva")
    with pytest.raises(ValidationError, match="already merged"):
        candidate(caseworker, c, Person.objects.get(pk=b.pk))
    assert not MatchCandidate.objects.exists()


def test_confirm_keeps_the_older_record_by_default(caseworker: User) -> None:
    a, b = _pair(caseworker)
    c = candidate(caseworker, b, a)
    merge = services.candidate_confirm(actor=caseworker, candidate=c, reason="same passport")
    assert (merge.keep, merge.absorbed, merge.candidate) == (a, b, c)
    c.refresh_from_db()
    assert (c.status, c.decided_by, c.reason) == (D.CONFIRMED, caseworker, "same passport")
    assert c.decided_at is not None
    assert events(A.UPDATE, object_uuid=c.uuid)[-1].changes["status"] == [D.PENDING, D.CONFIRMED]


def test_confirm_keeps_the_caseworkers_choice(caseworker: User) -> None:
    a, b = _pair(caseworker)
    c = candidate(caseworker, a, b)
    merge = services.candidate_confirm(actor=caseworker, candidate=c, keep=b)
    assert (merge.keep, merge.absorbed) == (b, a)


def test_confirm_and_reject_refusals(caseworker: User) -> None:
    a, b = _pair(caseworker)
    c = candidate(caseworker, a, b)
    stranger = factories.person(caseworker, "Zarema")
    with pytest.raises(ValidationError, match="one of the two"):
        services.candidate_confirm(actor=caseworker, candidate=c, keep=stranger)
    with pytest.raises(ValidationError, match="Say why"):
        services.candidate_reject(actor=caseworker, candidate=c, reason="  ")
    assert not PersonMerge.objects.exists()
    services.candidate_reject(actor=caseworker, candidate=c, reason="no")
    with pytest.raises(ValidationError, match="already Rejected"):
        services.candidate_confirm(actor=caseworker, candidate=c)


def test_undoing_a_confirmed_merge_puts_the_pair_back_in_the_queue(caseworker: User) -> None:
    a, b = _pair(caseworker)
    c = candidate(caseworker, a, b)
    merge = services.candidate_confirm(actor=caseworker, candidate=c)
    services.persons_unmerge(actor=caseworker, merge=merge, reason="wrong")
    c.refresh_from_db()
    assert (c.status, c.decided_by, c.decided_at) == (D.PENDING, None, None)


def test_a_whole_family_is_confirmed_at_once(caseworker: User) -> None:
    fam = family(caseworker)
    merges = services.family_confirm(
        actor=caseworker, candidate=fam["mother"], children=[fam["son"], fam["daughter"]]
    )
    assert len(merges) == 3
    mother = Person.objects.get(pk=fam["l"][0].pk)
    assert sorted(k.display_name for k in Person.objects.filter(links_in__from_person=mother)) == [
        "Adam Naloyev",
        "Amina Naloyeva",
    ]
    for key in ("mother", "son", "daughter"):
        fam[key].refresh_from_db()
        assert fam[key].status == D.CONFIRMED


def test_a_family_confirmation_is_all_or_nothing(caseworker: User) -> None:
    fam = family(caseworker)
    # the right-hand daughter's record turns out male: that pair cannot be merged
    right_daughter = fam["r"][2]
    Person.objects.filter(pk=right_daughter.pk).update(sex=Sex.MALE)
    states = [person_state(p) for side in ("l", "r") for p in fam[side]]
    count = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="different sexes"):
        services.family_confirm(
            actor=caseworker, candidate=fam["mother"], children=[fam["son"], fam["daughter"]]
        )
    assert [person_state(p) for side in ("l", "r") for p in fam[side]] == states
    assert AuditEvent.objects.count() == count
    assert not PersonMerge.objects.exists()
    assert set(MatchCandidate.objects.values_list("status", flat=True)) == {D.PENDING}


def test_a_family_confirmation_takes_only_the_offered_children(caseworker: User) -> None:
    fam = family(caseworker)
    unrelated = candidate(
        caseworker, factories.person(caseworker, "Khava"), factories.person(caseworker, "Hava")
    )
    for children in ([], [unrelated]):
        with pytest.raises(ValidationError, match="Choose among"):
            services.family_confirm(actor=caseworker, candidate=fam["mother"], children=children)
    assert not PersonMerge.objects.exists()


def test_refit_uses_the_confirmed_pairs_and_records_them(
    caseworker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []

    def fake_refit(**kwargs: Any) -> str:
        calls.append(kwargs)
        return "weights v2"

    monkeypatch.setattr(services, "model_refit", fake_refit)
    with pytest.raises(ValidationError, match="No confirmed pair"):
        services.model_refit_from_confirmed(actor=caseworker)
    assert calls == []
    a, b = _pair(caseworker)
    services.candidate_confirm(actor=caseworker, candidate=candidate(caseworker, a, b))
    assert services.model_refit_from_confirmed(actor=caseworker) == "weights v2"
    assert calls == [{"actor": caseworker, "confirmed_pairs": [(a, b)]}]
    event = events(A.SYSTEM)[-1]
    assert event.changes["pairs"] == [[str(a.uuid), str(b.uuid)]]
    assert event.changes["result"] == "weights v2"


def test_refit_calls_the_matching_model(caseworker: User) -> None:
    a, b = _pair(caseworker)
    services.candidate_confirm(actor=caseworker, candidate=candidate(caseworker, a, b))
    fitted = services.model_refit_from_confirmed(actor=caseworker)
    assert fitted.pairs_used == 1
    assert events(A.SYSTEM)[-1].changes["pairs"] == [[str(a.uuid), str(b.uuid)]]


def test_manual_proposal_explains_the_names(caseworker: User) -> None:
    a = factories.person(caseworker, "Aisha", "Naloyeva", birth=dt.date(1995, 1, 1))
    b = factories.person(caseworker, "Аиша", "Налоева")
    c = services.candidate_propose_manual(actor=caseworker, person=a, other=b, reason="same")
    assert c.source == MatchCandidate.Source.MANUAL
    assert c.score > 0.5
    assert "Naloyeva~Налоева" in c.explanation["names"]["explain"]
    assert c.explanation["reasons"]  # the matching model's field agreements
    assert c.explanation["note"] == "same"
