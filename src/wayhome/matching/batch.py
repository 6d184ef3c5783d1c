"""The matching app's public API for searching many queries at once.

A list linked in batches (``lists.linking``) reads the index for a whole batch and
scores in memory, yet must keep every rule candidate search keeps: the same caps on
common keys (and the same memory of them), the same scoring and ranking, the same
explanation. These are the pieces it needs, under public names, so that the search's
internals (``selectors``) can change without reaching into another app; each is
the search's own function, not a copy.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from wayhome.linkage.model import FellegiSunter
from wayhome.matching.selectors import (
    BIRTH_POOL,
    SHORTLIST,
    Candidate,
    Described,
    Named,
    _explained,
    _known_common,
    _remember_common,
    _score,
    _Scored,
    _token_pairs,
    cap_of,
    described,
    names_of,
    rank,
)
from wayhome.matching.token_scores import prefetch
from wayhome.people.models import Person

__all__ = [
    "BIRTH_POOL",
    "SHORTLIST",
    "Candidate",
    "Described",
    "Named",
    "Scored",
    "cap_of",
    "common_keys",
    "described",
    "explained",
    "names_of",
    "prefetch_scores",
    "rank",
    "remember_common",
    "score_candidate",
]

# A candidate scored and ranked but not yet explained (explaining costs a name alignment).
Scored = _Scored


def common_keys(agency_id: int, keys: Sequence[str]) -> set[str]:
    """The keys among ``keys`` known to be too common to search by: the search skips them."""
    return _known_common(agency_id, keys)


def remember_common(agency_id: int, keys: Iterable[str]) -> None:
    """Note keys found held by more persons than their cap, so every search of the agency
    skips them from now on, as it skips the keys it finds over the cap itself."""
    _remember_common(agency_id, keys)


def prefetch_scores(query: Described, theirs: Iterable[Named]) -> None:
    """Compare the query's name tokens with all of ``theirs`` in one go, before ``score``
    is called for each of the persons they belong to."""
    prefetch(_token_pairs(query, theirs))


def score_candidate(
    query: Described, person: Person, theirs: list[Named], model: FellegiSunter
) -> Scored | None:
    """``person`` (with their names ``theirs``) as a candidate for ``query``, scored as
    candidate search scores; ``None`` when the names agree too little to be one."""
    return _score(query, person, theirs, model)


def explained(scored: Scored, model: FellegiSunter) -> Candidate:
    """The scored candidate with its name alignment and every field's agreement."""
    return _explained(scored, model)
