""" "Is this one of these?": the likely existing persons, shown before a new one is saved.

A registration form calls ``candidate_step`` on its first valid POST; when it returns
groups, the form is shown again with them (template ``matching/_candidate_step.html``,
included inside the form) and nothing is saved. "None of these" posts the same form
again with ``CONFIRM_FIELD`` set, and then the step steps aside.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import cast

from django.http import HttpRequest

from wayhome.accounts.models import User
from wayhome.core.fuzzydate import FuzzyDate, Precision
from wayhome.matching.selectors import Candidate, candidate_search
from wayhome.people.services import NameData

CONFIRM_FIELD = "matching_none_of_these"
STEP_LIMIT = 5
STEP_MIN_SCORE = 0.01  # below this a candidate is not worth interrupting the caseworker


@dataclass(frozen=True)
class StepQuery:
    """One person about to be registered, as entered."""

    label: str
    names: Sequence[NameData]
    sex: str = ""
    birth: FuzzyDate = field(default_factory=FuzzyDate)


@dataclass(frozen=True)
class StepGroup:
    label: str
    candidates: list[Candidate]
    # Likely matches held by another team: the caseworker is told to ask a supervisor.
    held_elsewhere: int = 0


def new_sought_query(given: str, family: str, sex: str, birth_year: int | None) -> StepQuery:
    """The query for a sought person entered inline on a tracing request."""
    birth = FuzzyDate(Precision.YEAR, birth_year) if birth_year else FuzzyDate()
    name = NameData(given=given, family=family)
    return StepQuery(name.text(), [name], sex, birth)


def candidate_step(request: HttpRequest, queries: Sequence[StepQuery]) -> list[StepGroup]:
    """The candidates to show before saving, per person entered; empty when there are
    none worth showing or the caseworker has already answered "none of these"."""
    if request.POST.get(CONFIRM_FIELD) == "1":
        return []
    user = cast(User, request.user)
    groups = []
    for q in queries:
        found = candidate_search(user, names=q.names, sex=q.sex, birth=q.birth, limit=STEP_LIMIT)
        shown = [c for c in found.candidates if c.score >= STEP_MIN_SCORE]
        if shown or found.held_elsewhere:
            groups.append(StepGroup(q.label, shown, found.held_elsewhere))
    return groups
