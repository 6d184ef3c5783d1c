from __future__ import annotations

from itertools import product

from wayhome.matching.align import align_many
from wayhome.matching.keys import features_of
from wayhome.names.similarity import NameScore, TokenFeatures, score_features, token_similarity

NAMES = (
    "Хадижат Руслановна Магомедова",
    "Khadizhat Magomedova",
    "Magomedova Khadijat Ruslanovna",
    "Madina Aliyeva",
    "عائشة محمد الشيشاني",
    "Aisha Muhammad al-Shishani",
    "Аиша Налоева",
    "Aisha",
    "Zarema Aslanovna Bibulatova Tsechoeva",
    "Zarema Tsechoeva Bibulatova",
    "",
)


def _score(left: TokenFeatures, right: TokenFeatures) -> float:
    return token_similarity(left, right).score


def test_bulk_alignments_are_those_of_one_pair_at_a_time() -> None:
    names = [features_of(full=n) for n in NAMES]
    pairs = [(a.tokens, b.tokens) for a, b in product(names, names)]
    bulk = align_many(pairs + pairs, _score)  # each pair twice: the second is not aligned again
    one_by_one = [score_features(a, b, _score) for a, b in product(names, names)]
    assert bulk == one_by_one + one_by_one  # to the bit: score and aligned token scores
    assert any(0.0 < s.score < 1.0 for s in bulk)  # not only trivial pairs
    assert len({len(a) for a, _ in pairs}) >= 4  # several shapes, swapped or not


def test_an_empty_side_scores_nothing() -> None:
    tokens = features_of(full="Madina Aliyeva").tokens
    assert align_many([((), tokens), (tokens, ())], _score) == [NameScore(0.0, ())] * 2
    assert align_many([], _score) == []


def test_the_first_best_permutation_wins_a_tie() -> None:
    # Both alignments total 1.25 but align different scores: the loop keeps the first
    # permutation it meets, and the aligned scores (which set the model's name level)
    # must be that one's.
    a = features_of(full="Aisha Madina").tokens
    b = features_of(full="Zarema Khadizhat").tokens
    table = {
        ("Aisha", "Zarema"): 0.5,
        ("Madina", "Khadizhat"): 0.75,
        ("Aisha", "Khadizhat"): 0.25,
        ("Madina", "Zarema"): 1.0,
    }

    def score(left: TokenFeatures, right: TokenFeatures) -> float:
        return table[(left.text, right.text)]

    (s,) = align_many([(a, b)], score)
    assert s == NameScore(0.625, (0.75, 0.5))
    assert s == score_features(
        features_of(full="Aisha Madina"), features_of(full="Zarema Khadizhat"), score
    )
