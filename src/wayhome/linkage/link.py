"""Link two person lists: block on name keys, score with Fellegi–Sunter, decide.

Decisions per left row: at most one ``match`` (the best pair, when it is more likely
than every rival and than "no partner" together) and at most ``MAX_POSSIBLE``
``possible`` rows (the next best pairs worth a human look). The defaults below were set
from what the probabilities mean, not tuned on any answer key.

Division of labour: the engine (DuckDB by default) joins token blocking keys; numpy and
rapidfuzz score token pairs in bulk; Python scores record pairs and runs EM on the
distinct comparison vectors (a few hundred), so EM costs nothing whatever the list size.
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

import numpy as np

from wayhome.linkage.engines import get_engine
from wayhome.linkage.io import Person
from wayhome.linkage.model import (
    BIRTH_LEVELS,
    MISSING,
    NAME_LEVELS,
    SEX_LEVELS,
    FellegiSunter,
    comparison_vector,
)
from wayhome.names.similarity import (
    NameComparison,
    NameFeatures,
    TokenBank,
    TokenFeatures,
    block_keys,
    compare_features,
    name_features,
    score_features,
)

MATCH_PROBABILITY = 0.5  # more likely than not: the Bayes decision
POSSIBLE_PROBABILITY = 0.0001  # share of the row's chance still worth showing
MAX_POSSIBLE = 5
MIN_NAME_SCORE = 0.4  # pairs with less name agreement are not even scored
TOKEN_FLOOR = 0.6  # a candidate shares at least one token this similar
MAX_KEY_SIZE = 2_000  # blocking keys held by more right tokens are too common to use

OUTPUT_COLUMNS = (
    "left_id", "right_id", "score", "decision", "name_score",
    "name_agreement", "birth_agreement", "sex_agreement", "explanation",
)  # fmt: skip

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class ScoredPair:
    """One output row: a candidate pair, its probability, decision and why."""

    left_id: str
    right_id: str
    score: float
    decision: str
    names: NameComparison
    vector: tuple[int, int, int]

    def row(self) -> tuple[object, ...]:
        """The CSV row in ``OUTPUT_COLUMNS`` order."""
        name, birth, sex = self.vector
        return (
            self.left_id,
            self.right_id,
            f"{self.score:.4f}",
            self.decision,
            f"{self.names.score:.3f}",
            NAME_LEVELS[name],
            "missing" if birth == MISSING else BIRTH_LEVELS[birth],
            "missing" if sex == MISSING else SEX_LEVELS[sex],
            self.names.explain(),
        )


def to_stderr(message: str) -> None:
    """Progress and errors go to stderr, so stdout stays clean for pipes."""
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def features_of(persons: Sequence[Person]) -> list[NameFeatures]:
    """Name features of every person, computed once."""
    return [name_features(p.given_name, p.family_name, p.full_name) for p in persons]


@dataclass
class _Vocabulary:
    """Distinct tokens of one side and the records each occurs in."""

    tokens: list[TokenFeatures] = field(default_factory=list)
    records: list[list[int]] = field(default_factory=list)
    index: dict[TokenFeatures, int] = field(default_factory=dict)

    @classmethod
    def of(cls, features: Sequence[NameFeatures]) -> _Vocabulary:
        vocab = cls()
        for rec, name in enumerate(features):
            for token in name.tokens:
                n = vocab.index.setdefault(token, len(vocab.tokens))
                if n == len(vocab.tokens):
                    vocab.tokens.append(token)
                    vocab.records.append([])
                vocab.records[n].append(rec)
        return vocab

    def key_rows(self, spellings: int) -> list[tuple[int, str]]:
        return [(n, k) for n, t in enumerate(self.tokens) for k in block_keys(t, spellings)]


def candidate_pairs(
    lf: Sequence[NameFeatures], rf: Sequence[NameFeatures], engine: str
) -> tuple[list[tuple[int, int]], dict[TokenFeatures, dict[TokenFeatures, float]]]:
    """Record pairs sharing at least one close token, and the token scores they need.

    The engine joins token blocking keys; the bank scores each left token against the
    right tokens it met and keeps those at TOKEN_FLOOR or better; their records pair up.
    Then every token pair of those record pairs is scored in bulk for the name comparison.
    """
    lv, rv = _Vocabulary.of(lf), _Vocabulary.of(rf)
    bank = TokenBank(rv.tokens)
    token_pairs = get_engine(engine).candidate_pairs(lv.key_rows(2), rv.key_rows(8), MAX_KEY_SIZE)
    by_left: dict[int, list[int]] = defaultdict(list)
    for a, b in token_pairs:
        by_left[a].append(b)
    pairs: set[tuple[int, int]] = set()
    for a, bs in by_left.items():
        close = np.nonzero(bank.scores(lv.tokens[a], bs) >= TOKEN_FLOOR)[0]
        for k in close:
            pairs.update((i, j) for i in lv.records[a] for j in rv.records[bs[k]])
    wanted: dict[int, set[int]] = defaultdict(set)
    for i, j in pairs:
        right_tokens = [rv.index[t] for t in rf[j].tokens]
        for t in lf[i].tokens:
            wanted[lv.index[t]].update(right_tokens)
    table: dict[TokenFeatures, dict[TokenFeatures, float]] = {}
    for a, members in wanted.items():
        others = sorted(members)
        scores = bank.scores(lv.tokens[a], others).tolist()
        table[lv.tokens[a]] = dict(zip([rv.tokens[b] for b in others], scores, strict=True))
    return sorted(pairs), table


def _decide(pairs: list[tuple[float, int]]) -> list[tuple[float, int, str]]:
    """Decisions for one left row's candidates (pair probability, candidate index).

    A left row has at most one partner, so the pairs compete: each pair's probability
    becomes its odds over (1 + the sum of all the row's odds), the chance that it, and
    not another candidate nor nobody, is the partner. ``match`` needs that chance to be
    the more likely outcome (MATCH_PROBABILITY). ``possible`` rows are the next best that
    either keep some of that chance or are likely on their own evidence (a duplicate in
    the right list, say).
    """
    clipped = [(min(p, 1 - 1e-12), n) for p, n in pairs]
    odds = [(p / (1 - p), p, n) for p, n in clipped]
    total = 1.0 + sum(o for o, _, _ in odds)
    ranked = sorted(((o / total, p, n) for o, p, n in odds), reverse=True)
    decided: list[tuple[float, int, str]] = []
    for rank, (share, p, n) in enumerate(ranked):
        if rank == 0 and share >= MATCH_PROBABILITY:
            decided.append((share, n, "match"))
        elif share >= POSSIBLE_PROBABILITY or p >= MATCH_PROBABILITY:
            decided.append((share, n, "possible"))
        if sum(d == "possible" for _, _, d in decided) >= MAX_POSSIBLE:
            break
    return decided


def link(
    left: Sequence[Person],
    right: Sequence[Person],
    *,
    engine: str = "duckdb",
    confirmed: Collection[tuple[str, str]] = (),
    progress: Progress | None = to_stderr,
) -> tuple[list[ScoredPair], FellegiSunter]:
    """Candidate pairs with their decisions (only match/possible rows), and the model."""
    started = time.monotonic()

    def say(message: str) -> None:
        if progress is not None:
            progress(f"[{time.monotonic() - started:6.1f}s] {message}")

    lf, rf = features_of(left), features_of(right)
    say(f"name features of {len(left)} + {len(right)} rows")
    candidates, table = candidate_pairs(lf, rf, engine)
    scored = sum(len(row) for row in table.values())
    say(f"blocking ({engine}): {len(candidates)} candidate pairs, {scored} token pairs")
    kept: list[tuple[int, int, tuple[int, int, int]]] = []
    for n, (i, j) in enumerate(candidates, start=1):
        names = score_features(lf[i], rf[j], lambda a, b: table[a][b])
        if names.score >= MIN_NAME_SCORE:
            kept.append((i, j, comparison_vector(left[i], right[j], names)))
        if n % 200_000 == 0:
            say(f"compared {n}/{len(candidates)} pairs")
    say(f"{len(kept)} pairs with some name agreement")
    ids = {(left[i].id, right[j].id): n for n, (i, j, _) in enumerate(kept)}
    model = FellegiSunter().fit([v for *_, v in kept], [ids[c] for c in confirmed if c in ids])
    say("model:\n" + model.describe())
    by_left: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for n, (i, _, vector) in enumerate(kept):
        by_left[i].append((model.probability(vector), n))
    result: list[ScoredPair] = []
    for i in sorted(by_left):
        for p, n, decision in _decide(by_left[i]):
            _, j, vector = kept[n]
            explained = compare_features(lf[i], rf[j])
            result.append(ScoredPair(left[i].id, right[j].id, p, decision, explained, vector))
    matches = sum(r.decision == "match" for r in result)
    say(f"done: {matches} matches, {len(result) - matches} possible")
    return result, model
