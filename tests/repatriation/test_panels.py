"""The repatriation pipeline on the figures dashboards, for every role."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from tests.repatriation.helpers import family, shipped
from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap, Role
from wayhome.figures.selectors import Table, default_filters
from wayhome.repatriation import panels, selectors, services
from wayhome.repatriation.models import CaseStep, ConsentDecision, RepatriationCase

pytestmark = pytest.mark.django_db
FILTERS = default_filters(dt.date(2026, 3, 31))


@pytest.fixture
def blocked_case(users: dict[str, User]) -> RepatriationCase:
    """One case (a mother and two children) whose children's consent step is blocked."""
    actor = users[Role.CASEWORKER]
    fam = family(actor, children=2)
    case = services.case_open(actor=actor, rule_set=shipped(), persons=[fam.mother, *fam.children])
    services.consent_record(
        actor=actor,
        case=case,
        children=list(case.members.filter(is_principal=False)),
        giver_kind=ConsentDecision.Giver.PARENT,
        given_by=fam.mother,
        decision=ConsentDecision.Decision.REFUSED,
        decided_on=dt.date(2026, 3, 12),
    )
    return case


def _rows(table: Table | None) -> dict[str, object]:
    assert table is not None
    return {label: cells[0] for label, cells in table.rows}


@pytest.mark.parametrize("role", list(Role))
def test_pipeline_by_stage_per_role(
    role: Role, users: dict[str, User], blocked_case: RepatriationCase
) -> None:
    user = users[role]
    stage = panels.cases_by_stage(user, FILTERS)
    blockers = panels.steps_blocked(user, FILTERS)
    if not user.has_cap(Cap.STATS_VIEW):
        assert stage is None
        assert blockers is None
        return
    assert stage is not None
    assert blockers is not None
    # Every stage in pipeline order, the empty ones too.
    assert [label for label, _c in stage.rows] == [str(s.label) for s in RepatriationCase.Stage]
    exact = user.has_cap(Cap.PERSON_VIEW)
    in_progress = str(RepatriationCase.Stage.IN_PROGRESS.label)
    assert _rows(stage)[in_progress] == (1 if exact else "<5")
    assert _rows(stage)[str(RepatriationCase.Stage.OPEN.label)] == 0
    # Two children's consent blocked: labelled as the checklist names the step.
    step = CaseStep.objects.filter(member__case=blocked_case, code="parent_consent").first()
    assert step is not None
    step_label = step.label
    assert _rows(blockers) == {step_label: 2 if exact else "<5"}
    assert stage.raw[[label for label, _c in stage.rows].index(in_progress)] == [
        1 if exact else None
    ]
    # A link to the cases only for roles that read them.
    expected = reverse("repatriation:case_list") if user.has_cap(Cap.CASE_VIEW) else ""
    assert stage.link == expected
    assert blockers.link == expected


def test_another_agency_counts_nothing_of_ours(
    other_agency_user: User, blocked_case: RepatriationCase
) -> None:
    stage = panels.cases_by_stage(other_agency_user, FILTERS)
    assert stage is not None
    assert all(cells == [0] for _label, cells in stage.rows)
    blockers = panels.steps_blocked(other_agency_user, FILTERS)
    assert blockers is not None
    assert blockers.rows == []


def test_pipeline_on_both_dashboards_and_exported(
    users: dict[str, User], blocked_case: RepatriationCase, client_for: Callable[[User], Client]
) -> None:
    analyst = client_for(users[Role.ANALYST])
    for url in (reverse("figures:dashboard"), reverse("web:dashboard")):
        body = analyst.get(url).content.decode()
        assert "Repatriation cases by stage" in body
        assert "Blocked steps of open repatriation cases" in body
        assert reverse("repatriation:case_list") not in body  # no case list for an analyst
        assert "Zarema" not in body  # counts only
    body = client_for(users[Role.CASEWORKER]).get(reverse("web:dashboard")).content.decode()
    assert reverse("repatriation:case_list") in body
    response = analyst.get(reverse("figures:export", args=["repatriation-stage", "csv"]))
    assert response.status_code == 200
    assert f"{RepatriationCase.Stage.IN_PROGRESS.label},<5" in response.content.decode("utf-8-sig")


def test_the_two_panels_count_the_cases_once_per_dashboard(
    users: dict[str, User],
    blocked_case: RepatriationCase,
    client_for: Callable[[User], Client],
    django_assert_num_queries: Any,
) -> None:
    """Both panels show one set of counts: one call of case_counts (its two queries) per
    page, and a later page counts afresh."""
    analyst = users[Role.ANALYST]
    with mock.patch.object(selectors, "case_counts", wraps=selectors.case_counts) as counted:
        assert client_for(analyst).get(reverse("web:dashboard")).status_code == 200
        assert counted.call_count == 1
        assert client_for(analyst).get(reverse("web:dashboard")).status_code == 200
        assert counted.call_count == 2
    filters = default_filters(dt.date(2026, 3, 31))
    # case_counts is two queries (by stage, by blocked step); the blockers' labels one.
    with django_assert_num_queries(3):
        panels.cases_by_stage(analyst, filters)
        panels.steps_blocked(analyst, filters)
    # New filters (a new page): counted again, so a change in between is seen.
    services.case_set_stage(
        actor=users[Role.CASEWORKER],
        case=blocked_case,
        stage=RepatriationCase.Stage.CLOSED,
        closure_reason=RepatriationCase.Closure.WITHDRAWN,
    )
    closed = str(RepatriationCase.Stage.CLOSED.label)
    assert (
        _rows(panels.cases_by_stage(analyst, default_filters(dt.date(2026, 3, 31))))[closed] == "<5"
    )
