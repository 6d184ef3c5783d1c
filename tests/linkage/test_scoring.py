"""Bulk scoring gives exactly the numbers of the one-pair functions it replaces."""

from __future__ import annotations

from itertools import product

import numpy as np
import pytest

from wayhome.linkage.io import Person
from wayhome.linkage.model import (
    MISSING,
    birth_level,
    birth_levels,
    name_level,
    name_levels,
    sex_level,
    sex_levels,
)
from wayhome.linkage.scoring import PairScorer, TokenScores, align
from wayhome.names.pair_scores import TokenPairs
from wayhome.names.similarity import (
    TokenFeatures,
    name_features,
    score_features,
    token_similarity,
)

LEFT = ["Aisha Naloyeva", "Rustam Magomedov", "Zarina Rahmonzoda Karimovna", "Umm Muhammad"]
RIGHT = ["Аиша Налоева", "Магомедов Рустам", "Зарина Раҳмонзода", "Мадина Исаева Ахмедовна"]


def _person(pid: str, full: str, birth: tuple[int, int | None, int | None] | None) -> Person:
    return Person(pid, "", "", full, "F", birth)


def test_pair_scorer_matches_score_features() -> None:
    lf = [name_features(full=n) for n in LEFT]
    rf = [name_features(full=n) for n in RIGHT]
    ltok = list(dict.fromkeys(t for f in lf for t in f.tokens))
    rtok = list(dict.fromkeys(t for f in rf for t in f.tokens))
    table = TokenScores(ltok, rtok)
    scorer = PairScorer(
        [_person(f"L{n}", name, None) for n, name in enumerate(LEFT)],
        [_person(f"R{n}", name, (1990, None, None)) for n, name in enumerate(RIGHT)],
        [[ltok.index(t) for t in f.tokens] for f in lf],
        [[rtok.index(t) for t in f.tokens] for f in rf],
        table,
    )
    i, j = (np.array(x) for x in zip(*product(range(len(LEFT)), range(len(RIGHT))), strict=True))
    names, vectors = scorer.score(i, j)
    pairs = TokenPairs(ltok, rtok)

    def one(x: TokenFeatures, y: TokenFeatures) -> float:
        return float(pairs.scores(np.array([ltok.index(x)]), np.array([rtok.index(y)]))[0])

    for k, (a, b) in enumerate(zip(i.tolist(), j.tolist(), strict=True)):
        expected = score_features(lf[a], rf[b], one)
        assert names[k] == expected.score
        assert vectors[k, 0] == name_level(expected.token_scores)
        assert tuple(vectors[k, 1:]) == (MISSING, 1)
    # Scores kept in the table are TokenPairs'; the explanation agrees within rounding.
    first = table.add(np.array([0]), np.array([0]))[0]
    assert abs(first - token_similarity(ltok[0], rtok[0]).score) < 1e-3


def test_align_takes_the_first_best_permutation() -> None:
    grid = np.array([[[0.2, 0.9, 0.9], [0.9, 0.1, 0.3]]])
    name, top, second, _ = align(grid)
    assert name[0] == round(1.8 / 2 * 0.97, 4)
    assert (top[0], second[0]) == (0.9, 0.9)
    # More tokens on the left than on the right: the grid is turned, same answer.
    assert align(grid.transpose(0, 2, 1))[0][0] == name[0]


def test_one_token_aligned_has_no_second() -> None:
    """As ``name_level``: a name of one token agreeing is one part agreeing."""
    grid = np.array([[[1.0, 0.2, 0.3]], [[0.1, 0.85, 0.0]]])
    _, top, second, lowest = align(grid)
    assert top.tolist() == [1.0, 0.85]
    assert second.tolist() == [0.0, 0.0]
    assert lowest.tolist() == [1.0, 1.0]
    assert name_levels(top, second, lowest).tolist() == [name_level([1.0]), name_level([0.85])]


def test_three_aligned_give_their_lowest() -> None:
    """Sisters: patronymic and family the same, given names unlike."""
    grid = np.array([[[0.62, 0.1, 0.0], [0.0, 1.0, 0.2], [0.1, 0.3, 1.0]]])
    _, top, second, lowest = align(grid)
    assert (top[0], second[0], lowest[0]) == (1.0, 1.0, 0.62)
    assert name_levels(top, second, lowest).tolist() == [name_level([1.0, 1.0, 0.62])]


def test_bulk_levels_equal_the_one_pair_levels() -> None:
    dates: list[tuple[int, int | None, int | None] | None] = [
        None, (1990, None, None), (1990, 3, None), (1990, 3, 4), (1990, 3, 5), (1990, 4, 4),
        (1991, 3, 4), (1993, None, None), (1994, 3, None), (1999, None, None),
    ]  # fmt: skip
    pairs = list(product(dates, dates))

    def columns(ds: list[tuple[int, int | None, int | None] | None]) -> np.ndarray:
        return np.array(
            [(d[0], d[1] or MISSING, d[2] or MISSING) if d else (MISSING,) * 3 for d in ds]
        )

    bulk = birth_levels(columns([a for a, _ in pairs]), columns([b for _, b in pairs]))
    assert bulk.tolist() == [birth_level(a, b) for a, b in pairs]
    sexes = list(product(["", "M", "F"], repeat=2))
    code = {"": MISSING, "M": 0, "F": 1}
    bulk_sex = sex_levels(
        np.array([code[a] for a, _ in sexes]), np.array([code[b] for _, b in sexes])
    )
    assert bulk_sex.tolist() == [sex_level(a, b) for a, b in sexes]
    scores = [0.0, 0.6, 0.65, 0.7, 0.8, 0.9, 0.92, 1.0]
    grid = list(product(scores, scores, [*scores, None]))  # None: two tokens aligned
    aligned = [sorted((x for x in row if x is not None), reverse=True) for row in grid]
    tops = np.array([row[0] for row in aligned])
    seconds = np.array([row[1] for row in aligned])
    lowest = np.array([row[-1] if len(row) > 2 else 1.0 for row in aligned])
    assert name_levels(tops, seconds, lowest).tolist() == [name_level(row) for row in aligned]


def test_kept_on_two_threads_equals_one_in_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    from wayhome.linkage import scoring

    lf = [name_features(full=n) for n in LEFT]
    rf = [name_features(full=n) for n in RIGHT]
    ltok = list(dict.fromkeys(t for f in lf for t in f.tokens))
    rtok = list(dict.fromkeys(t for f in rf for t in f.tokens))

    def scorer(workers: int) -> PairScorer:
        return PairScorer(
            [_person(f"L{n}", name, (1990, None, None)) for n, name in enumerate(LEFT)],
            [_person(f"R{n}", name, (1990, None, None)) for n, name in enumerate(RIGHT)],
            [[ltok.index(t) for t in f.tokens] for f in lf],
            [[rtok.index(t) for t in f.tokens] for f in rf],
            TokenScores(ltok, rtok, workers),
        )

    i, j = (np.array(x) for x in zip(*product(range(len(LEFT)), range(len(RIGHT))), strict=True))
    alone = scorer(1).kept(i, j, 0.4)
    monkeypatch.setattr(scoring, "CHUNK", 3)  # these few pairs cut into chunks
    together = scorer(2).kept(i, j, 0.4)
    assert len(alone[0]) > 0
    for a, b in zip(alone, together, strict=True):
        assert a.tolist() == b.tolist()
    empty = scorer(1).kept(i[:0], j[:0], 0.4)
    assert [len(column) for column in empty] == [0, 0, 0]
