"""The public batch API (``matching.batch``) is the search's own scoring and memory of
common keys, and the list linker reaches the matching app only through it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.matching.helpers import person, year
from wayhome.accounts.models import User
from wayhome.matching import batch
from wayhome.matching.scoring import model_for
from wayhome.matching.selectors import score_persons
from wayhome.people.models import Sex

pytestmark = pytest.mark.django_db
LINKING = Path(batch.__file__).parents[1] / "lists" / "linking.py"


def test_batch_scores_and_explains_as_the_search_does(caseworker: User) -> None:
    persons = [
        person(caseworker, "Аминат Алиева", born=1990),
        person(caseworker, "Aminat Aliyeva", born=1971),
        person(caseworker, "Aminat Aliyeva", sex=Sex.MALE, born=1990),
        person(caseworker, "Рустам Эльдаров", sex=Sex.MALE, born=1974),
    ]
    query = batch.described(["Aminat Aliyeva"], "F", year(1990))
    model = model_for(caseworker.agency_key)
    names = batch.names_of([p.pk for p in persons])
    batch.prefetch_scores(query, [n for p in persons for n in names[p.pk]])
    scored = [
        s for p in persons if (s := batch.score_candidate(query, p, names[p.pk], model)) is not None
    ]
    scored.sort(key=lambda s: (*batch.rank(s.candidate), s.candidate.person.pk))
    mine = [batch.explained(s, model) for s in scored]
    theirs = score_persons(query, persons, model, limit=len(persons))
    assert len(mine) == 3  # the unrelated name scores too little to be a candidate
    assert [(c.person, c.score, c.alignment, c.fields) for c in mine] == [
        (c.person, c.score, c.alignment, c.fields) for c in theirs
    ]
    assert mine[0].person == persons[0]
    assert "Aminat~Аминат" in mine[0].alignment


def test_common_keys_are_remembered_per_agency(caseworker: User, other_agency_user: User) -> None:
    agency, other = caseworker.agency_key, other_agency_user.agency_key
    assert agency is not None
    assert other is not None
    assert batch.common_keys(agency, ["=aliev+amin", "amin"]) == set()
    batch.remember_common(agency, ["amin"])
    assert batch.common_keys(agency, ["=aliev+amin", "amin"]) == {"amin"}
    assert batch.common_keys(other, ["amin"]) == set()


def test_the_list_linker_uses_only_the_public_batch_api() -> None:
    """Private helpers of matching stay private: ``selectors`` can change under the linker."""
    tree = ast.parse(LINKING.read_text(encoding="utf-8"))
    reached = [
        (node.module, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("wayhome.matching")
        for alias in node.names
    ]
    assert ("wayhome.matching.batch", "score_candidate") in reached
    assert [r for r in reached if r[1].startswith("_")] == []
    assert [r for r in reached if r[0] == "wayhome.matching.selectors"] == []
