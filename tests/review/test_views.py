"""The review pages for who may (and the effect), another agency (404), anonymous
visitors (login) and roles without the capability (403)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.assertions import (
    assert_forbidden,
    assert_login_required,
    assert_not_found,
    pages_with_identifying_hidden,
)
from tests.people.helpers import link
from tests.review.helpers import K, candidate, family, twins
from wayhome.accounts.models import Agency, User
from wayhome.accounts.roles import Role
from wayhome.accounts.sensitivity import FIELD_CLASSES, ROLE_VISIBILITY
from wayhome.accounts.sensitivity import FieldClass as FC
from wayhome.accounts.sensitivity import Visibility as V
from wayhome.people.models import Person
from wayhome.review import services
from wayhome.review.models import MatchCandidate, PersonMerge
from wayhome.review.selectors import side_by_side

ClientFor = Callable[[User], Client]
D = MatchCandidate.Decision


@pytest.fixture
def supervisor(users: dict[str, User]) -> User:
    return users[Role.SUPERVISOR]


@pytest.fixture
def other_supervisor(agency_b: Agency) -> User:
    return factories.user(agency_b, Role.SUPERVISOR, "b-supervisor")


@pytest.fixture
def pair(caseworker: User) -> MatchCandidate:
    t = twins(caseworker)
    return candidate(caseworker, t.keep, t.absorb, score=0.87)


def _denied(url: str, method: str, analyst: User, other: User, client_for: ClientFor) -> None:
    assert_login_required(url, method)
    assert_forbidden(client_for(analyst), url, method)
    assert_not_found(client_for(other), url, method)


def test_queue_lists_pending_first_with_counts(
    caseworker: User, pair: MatchCandidate, client_for: ClientFor
) -> None:
    done = candidate(
        caseworker,
        factories.person(caseworker, "Khava"),
        factories.person(caseworker, "Hava"),
        score=0.99,
    )
    services.candidate_reject(actor=caseworker, candidate=done, reason="sisters")
    response = client_for(caseworker).get(reverse("review:queue"))
    assert response.status_code == 200
    q = response.context["q"]
    assert list(q.page) == [pair, done]
    assert q.counts == {D.PENDING: 1, D.CONFIRMED: 0, D.REJECTED: 1}
    filtered = client_for(caseworker).get(reverse("review:queue"), {"source": "manual"})
    assert list(filtered.context["q"].page) == []


def test_queue_hides_pairs_whose_record_was_merged(
    caseworker: User, pair: MatchCandidate, client_for: ClientFor
) -> None:
    third = factories.person(caseworker, "Aisha", "Naloyeva")
    stale = candidate(caseworker, pair.right, third)
    services.candidate_confirm(actor=caseworker, candidate=pair)
    page = client_for(caseworker).get(reverse("review:queue")).context["q"].page
    assert stale not in list(page)


def test_queue_refusals(analyst: User, other_agency_user: User, client_for: ClientFor) -> None:
    url = reverse("review:queue")
    assert_login_required(url)
    assert_forbidden(client_for(analyst), url)
    assert list(client_for(other_agency_user).get(url).context["q"].page) == []


def test_side_by_side_shows_both_records_and_agreement(
    caseworker: User, pair: MatchCandidate, client_for: ClientFor
) -> None:
    response = client_for(caseworker).get(reverse("review:candidate", args=[pair.uuid]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Aisha Naloyeva", "عائشة نالوييفا", "Prison One", "prison list", "SYN-0001"):
        assert text in html
    assert "Confirm: keep the left record" in html
    rows = {str(r.label): r.agreement for r in response.context["s"].rows}
    assert rows["Citizenships"] == "agree"
    assert rows["Sex"] == "unknown"


def test_side_by_side_passes_every_field_through_the_sensitivity_table(
    pair: MatchCandidate,
    users: dict[str, User],
    client_for: ClientFor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As on the person page: a role that may see whereabouts and identity documents
    only masked gets "restricted" where they were, and "cannot tell" for their
    agreement, never the values (the facility, the document number, the source)."""
    url = reverse("review:candidate", args=[pair.uuid])
    consular = users[Role.CONSULAR_OFFICER]
    html = client_for(consular).get(url).content.decode()
    assert "Prison One" in html
    assert "SYN-0001" in html
    table = ROLE_VISIBILITY[Role.CONSULAR_OFFICER]
    monkeypatch.setitem(
        ROLE_VISIBILITY, Role.CONSULAR_OFFICER, {**table, FC.LOCATION: V.MASK, FC.CASE: V.NEVER}
    )
    monkeypatch.setitem(
        FIELD_CLASSES, "people.IdentityDocument", {**FIELD_CLASSES["people.IdentityDocument"]}
    )
    FIELD_CLASSES["people.IdentityDocument"]["number"] = FC.LOCATION
    response = client_for(consular).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Prison One" not in html  # current facility and whereabouts: masked
    assert "SYN-0001" not in html  # a document number of a masked class
    assert "prison list" not in html  # a report's source, of a class never seen
    assert "restricted" in html
    assert "Aisha Naloyeva" in html  # names are seen as before
    rows = {str(r.label): r for r in response.context["s"].rows}
    assert rows["Current whereabouts"].agreement == "unknown"
    documents = rows["Identity documents"]
    assert "restricted" in (documents.left, documents.right)
    assert documents.agreement == "unknown"
    assert rows["Citizenships"].agreement == "agree"  # a class still seen in full
    # The page gets redacted copies; the pair's own records stay whole in memory for
    # the decision that follows.
    held = pair.right if pair.right.current_facility_id else pair.left
    assert held.current_facility_id is not None
    shown = side_by_side(pair, consular)
    side = shown.right if held is pair.right else shown.left
    assert side.person.current_facility_id is None
    assert held.current_facility_id is not None


GENERATION_WARNING = "Born a generation apart"


def test_side_by_side_warns_of_a_namesake_born_a_generation_apart(
    caseworker: User,
    pair: MatchCandidate,
    users: dict[str, User],
    client_for: ClientFor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mother = factories.person(caseworker, "Aisha", "Naloyeva", birth=dt.date(1969, 8, 1))
    daughter = factories.person(caseworker, "Aisha", "Naloyeva", birth=dt.date(1995, 4, 2))
    apart = candidate(caseworker, mother, daughter, score=0.97)
    url = reverse("review:candidate", args=[apart.uuid])
    response = client_for(caseworker).get(url)
    assert response.status_code == 200
    assert response.context["s"].generation_apart
    assert GENERATION_WARNING in response.content.decode()
    # The same woman registered twice, her birth dates alike: no warning.
    same = client_for(caseworker).get(reverse("review:candidate", args=[pair.uuid]))
    assert not same.context["s"].generation_apart
    assert GENERATION_WARNING not in same.content.decode()
    # Every role that reaches the page sees birth dates; one that did not would not be
    # told how far apart they are.
    consular = users[Role.CONSULAR_OFFICER]
    assert GENERATION_WARNING in client_for(consular).get(url).content.decode()
    table = ROLE_VISIBILITY[Role.CONSULAR_OFFICER]
    monkeypatch.setitem(ROLE_VISIBILITY, Role.CONSULAR_OFFICER, {**table, FC.IDENTIFYING: V.MASK})
    assert not side_by_side(apart, consular).generation_apart
    assert side_by_side(apart).generation_apart  # an internal call reads everything


def test_side_by_side_says_restricted_for_birth_dates_the_role_may_not_see(
    users: dict[str, User], caseworker: User, client_for: ClientFor, monkeypatch: pytest.MonkeyPatch
) -> None:
    mother = factories.person(caseworker, "Aisha", "Naloyeva", birth=dt.date(1971, 4, 2))
    daughter = factories.person(caseworker, "Aisha", "Naloyeva", birth=dt.date(1996, 4, 2))
    url = reverse("review:candidate", args=[candidate(caseworker, mother, daughter).uuid])
    consular = users[Role.CONSULAR_OFFICER]
    for seen, html in pages_with_identifying_hidden(monkeypatch, client_for(consular), url):
        assert "1971-04-02" not in html
        assert "1996-04-02" not in html
        assert "Naloyeva" not in html
        births = [part.split("</dd>", 1)[0] for part in html.split(">Birth</dt><dd>")[1:]]
        assert births == ["restricted" if seen is V.MASK else "unknown"] * 2


def test_side_by_side_refusals(
    pair: MatchCandidate, analyst: User, other_agency_user: User, client_for: ClientFor
) -> None:
    _denied(
        reverse("review:candidate", args=[pair.uuid]), "get", analyst, other_agency_user, client_for
    )


def test_confirm_merges_and_goes_to_the_kept_person(
    caseworker: User, pair: MatchCandidate, client_for: ClientFor
) -> None:
    url = reverse("review:confirm", args=[pair.uuid])
    response = client_for(caseworker).post(
        url, {"confirm-keep": "right", "confirm-reason": "same photo"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[pair.right.uuid])
    merge = PersonMerge.objects.get()
    assert (merge.keep, merge.absorbed, merge.reason) == (pair.right, pair.left, "same photo")


def test_confirm_shows_a_refusal_and_writes_nothing(
    caseworker: User, client_for: ClientFor
) -> None:
    mother = factories.person(caseworker, "Madina", "Testova")
    daughter = factories.person(caseworker, "Madina", "Testova")
    link(caseworker, mother, daughter, K.PARENT)
    c = candidate(caseworker, mother, daughter)
    response = client_for(caseworker).post(
        reverse("review:confirm", args=[c.uuid]), {"confirm-keep": "left"}
    )
    assert response.status_code == 400
    assert "own parent" in response.content.decode()
    assert not PersonMerge.objects.exists()


def test_confirm_refusals(
    pair: MatchCandidate, analyst: User, other_agency_user: User, client_for: ClientFor
) -> None:
    _denied(
        reverse("review:confirm", args=[pair.uuid]), "post", analyst, other_agency_user, client_for
    )
    assert not PersonMerge.objects.exists()


def test_reject_needs_a_reason(
    caseworker: User, pair: MatchCandidate, client_for: ClientFor
) -> None:
    url = reverse("review:reject", args=[pair.uuid])
    response = client_for(caseworker).post(url, {"reject-reason": ""})
    assert response.status_code == 400
    assert "Say why these are not the same person." in response.content.decode()
    pair.refresh_from_db()
    assert pair.status == D.PENDING
    response = client_for(caseworker).post(url, {"reject-reason": "different birth years"})
    assert response.status_code == 302
    pair.refresh_from_db()
    assert (pair.status, pair.reason) == (D.REJECTED, "different birth years")


def test_reject_refusals(
    pair: MatchCandidate, analyst: User, other_agency_user: User, client_for: ClientFor
) -> None:
    _denied(
        reverse("review:reject", args=[pair.uuid]), "post", analyst, other_agency_user, client_for
    )


def test_a_mothers_page_offers_her_children_and_confirms_them_at_once(
    caseworker: User, client_for: ClientFor
) -> None:
    fam = family(caseworker)
    url = reverse("review:candidate", args=[fam["mother"].uuid])
    page = client_for(caseworker).get(url)
    assert set(page.context["children"]) == {fam["son"], fam["daughter"]}
    assert "Confirm the mother and these children" in page.content.decode()
    response = client_for(caseworker).post(
        reverse("review:family_confirm", args=[fam["mother"].uuid]),
        {
            "family-keep": "left",
            "family-children": [str(fam["son"].uuid), str(fam["daughter"].uuid)],
        },
    )
    assert response.status_code == 302
    assert PersonMerge.objects.count() == 3


def test_family_confirm_refusals(
    caseworker: User, analyst: User, other_agency_user: User, client_for: ClientFor
) -> None:
    fam = family(caseworker)
    url = reverse("review:family_confirm", args=[fam["mother"].uuid])
    _denied(url, "post", analyst, other_agency_user, client_for)
    response = client_for(caseworker).post(url, {"family-keep": "left", "family-children": []})
    assert response.status_code == 400
    assert not PersonMerge.objects.exists()


def test_merge_history_and_undo_by_a_supervisor(
    caseworker: User, supervisor: User, pair: MatchCandidate, client_for: ClientFor
) -> None:
    merge = services.candidate_confirm(actor=caseworker, candidate=pair)
    for person in (merge.keep, merge.absorbed):
        page = client_for(caseworker).get(reverse("review:merge_history", args=[person.uuid]))
        assert page.status_code == 200
        assert list(page.context["merges"]) == [merge]
        assert "Undo this merge" not in page.content.decode()
    page = client_for(supervisor).get(reverse("review:merge_history", args=[merge.keep.uuid]))
    assert "Undo this merge" in page.content.decode()
    url = reverse("review:undo", args=[merge.uuid])
    blank = client_for(supervisor).post(url, {"reason": " "})
    assert blank.status_code == 400
    assert Person.objects.get(pk=merge.absorbed.pk).merged_into_id == merge.keep.pk
    assert_forbidden(client_for(caseworker), url, "post")
    done = client_for(supervisor).post(url, {"reason": "two women"})
    assert done.status_code == 302
    assert Person.objects.get(pk=merge.absorbed.pk).merged_into_id is None


def test_merge_history_and_undo_refusals(
    caseworker: User,
    pair: MatchCandidate,
    analyst: User,
    other_agency_user: User,
    other_supervisor: User,
    client_for: ClientFor,
) -> None:
    merge = services.candidate_confirm(actor=caseworker, candidate=pair)
    history = reverse("review:merge_history", args=[merge.absorbed.uuid])
    _denied(history, "get", analyst, other_agency_user, client_for)
    url = reverse("review:undo", args=[merge.uuid])
    assert_login_required(url, "post")
    assert_forbidden(client_for(analyst), url, "post")
    assert_not_found(client_for(other_supervisor), url, "post")
    assert PersonMerge.objects.get().undone_at is None


def test_propose_a_match_from_a_person_page(caseworker: User, client_for: ClientFor) -> None:
    a = factories.person(caseworker, "Aisha", "Naloyeva")
    b = factories.person(caseworker, "Аиша", "Налоева")
    detail = client_for(caseworker).get(reverse("people:detail", args=[a.uuid]))
    url = reverse("review:propose", args=[a.uuid])
    assert url in detail.content.decode()
    page = client_for(caseworker).get(url, {"q": "Налоева"})
    assert page.status_code == 200
    assert list(page.context["found"]) == [b]
    missing = client_for(caseworker).post(url, {"reason": ""})
    assert missing.status_code == 200
    assert "Search for the other person" in missing.content.decode()
    response = client_for(caseworker).post(url, {"other": str(b.uuid), "reason": "same mother"})
    c = MatchCandidate.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("review:candidate", args=[c.uuid])
    assert c.source == MatchCandidate.Source.MANUAL


def test_propose_refusals(
    caseworker: User, analyst: User, other_agency_user: User, client_for: ClientFor
) -> None:
    a = factories.person(caseworker, "Aisha", "Naloyeva")
    _denied(reverse("review:propose", args=[a.uuid]), "get", analyst, other_agency_user, client_for)
    foreign = factories.person(other_agency_user, "Aisha", "Naloyeva")
    response = client_for(caseworker).post(
        reverse("review:propose", args=[a.uuid]), {"other": str(foreign.uuid)}
    )
    assert response.status_code == 404
    assert not MatchCandidate.objects.exists()


def test_refit_button_for_supervisors_only(
    caseworker: User,
    supervisor: User,
    analyst: User,
    client_for: ClientFor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = reverse("review:refit")
    assert url not in client_for(caseworker).get(reverse("review:queue")).content.decode()
    assert url in client_for(supervisor).get(reverse("review:queue")).content.decode()
    assert_login_required(url, "post")
    assert_forbidden(client_for(caseworker), url, "post")
    assert_forbidden(client_for(analyst), url, "post")
    response = client_for(supervisor).post(url, follow=True)
    assert "No confirmed pair yet" in response.content.decode()
    monkeypatch.setattr(services, "model_refit", lambda **kwargs: "fitted")
    services.candidate_confirm(
        actor=caseworker,
        candidate=candidate(caseworker, factories.person(caseworker), factories.person(caseworker)),
    )
    response = client_for(supervisor).post(url, follow=True)
    assert "The matching model is refitted" in response.content.decode()


def test_menu_links_the_queue_for_those_who_decide(
    caseworker: User, analyst: User, client_for: ClientFor
) -> None:
    url = reverse("review:queue")
    assert f'href="{url}"' in client_for(caseworker).get(reverse("people:list")).content.decode()
    assert f'href="{url}"' not in client_for(analyst).get(reverse("web:dashboard")).content.decode()
