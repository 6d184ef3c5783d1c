from __future__ import annotations

import pytest

from wayhome.matching import token_scores
from wayhome.matching.keys import features_of
from wayhome.names.similarity import TokenFeatures, token_similarity

NAMES = (
    "Хадижат Руслановна Магомедова",
    "Khadizhat Magomedova",
    "Madina Aliyeva",
    "عائشة محمد الشيشاني",
    "Aisha al-Shishani",
    "Аиша Налоева",
)


def _tokens() -> list[TokenFeatures]:
    return [t for n in NAMES for t in features_of(full=n).tokens]


def test_bulk_scores_are_those_of_one_pair_at_a_time() -> None:
    tokens = _tokens()
    token_scores.prefetch((t, tokens) for t in tokens)
    for left in tokens:
        for right in tokens:
            assert (left, right) in token_scores._SCORES
            assert token_scores.token_score(left, right) == token_similarity(left, right).score


def test_a_pair_not_fetched_is_scored_on_its_own() -> None:
    left, right = features_of(full="Zulfiya Umarova").tokens
    assert (left, right) not in token_scores._SCORES
    assert token_scores.token_score(left, right) == token_similarity(left, right).score


def test_the_cache_starts_again_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    tokens = _tokens()
    token_scores.prefetch([(tokens[0], tokens)])
    monkeypatch.setattr(token_scores, "CACHE_MAX", 0)
    token_scores.prefetch([(tokens[1], tokens[:1])])
    assert list(token_scores._SCORES) == [(tokens[1], tokens[0])]
