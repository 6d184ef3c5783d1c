"""Link two person lists: block on name keys, score with Fellegi–Sunter, decide.

Decisions per left row: at most one ``match`` (the best pair, when it is more likely
than every rival and than "no partner" together, and not born a generation apart) and at
most ``MAX_POSSIBLE`` ``possible`` rows (the next best pairs worth a human look). The
defaults below were set from what the probabilities mean, not tuned on any answer key.

Division of labour: token spellings are computed once per distinct token, on every core
(the learned channel's beam search and the sound-alike keys compiled, ``names.beams``
and ``names.bulk_keys``), while this process parses the names; it reads them back as
columns (``romanise.primed_columns``), with no object made per spelling; block keys
are integer codes made by a compiled pass; the engine (DuckDB by default, Spark on
request) joins them and then pairs records holding close tokens; each token pair is
scored once by a compiled pass on every core's thread
(``names.pair_scores``, which also makes the block keys and the explanations); numpy
aligns the tokens of all record pairs and builds their comparison vectors; EM runs on
the distinct comparison vectors (a few hundred), so it costs nothing whatever the size.
Each piece depends on its own input only, so the rows are the same on one core or many.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Callable, Collection, Container, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import compress

import numpy as np

from wayhome.linkage.engines import BlockingEngine, get_engine
from wayhome.linkage.io import Person
from wayhome.linkage.model import (
    BIRTH_LEVELS,
    MIN_NAME_SCORE,
    MISSING,
    NAME_LEVELS,
    SEX_LEVELS,
    FellegiSunter,
    birth_bounds,
    generations_apart,
)
from wayhome.linkage.scoring import (
    EXTRA_TOKEN_FACTOR,
    PairScorer,
    TokenScores,
    best_alignments,
)
from wayhome.names.pair_scores import KeyTable, TokenPairs
from wayhome.names.romanise import prime_token_keys, primed_columns
from wayhome.names.similarity import (
    NameComparison,
    NameFeatures,
    TokenFeatures,
    TokenMatch,
    features_of_tokens,
)
from wayhome.names.structure import PARTICLE, NameToken, parse_name

MATCH_PROBABILITY = 0.5  # more likely than not: the Bayes decision
POSSIBLE_PROBABILITY = 0.0001  # share of the row's chance still worth showing
MAX_POSSIBLE = 5
TOKEN_FLOOR = 0.6  # a candidate shares at least one token this similar (two, if common)
MAX_KEY_SIZE = 150  # blocking keys held by more right tokens are too common to use
KEY_WIDTHS = (3, 4)  # letters per key: where 3-letter keys are too common, 4 take over
RARE_TOKEN = 100  # a token held by more right records identifies nobody on its own
STRONG_TOKEN = 0.65  # the least token likeness that earns a name level (model._NAME_RULES)
MAX_CLOSE = 30  # alike right tokens kept per left token (the best ones)

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


def features_of(persons: Sequence[Person], workers: int = 1) -> list[NameFeatures]:
    """Name features of every person, computed once per distinct name and token.

    With ``workers`` > 1 the spellings of the distinct tokens are computed in parallel
    first (the beam search dominates reading a list).
    """
    return features_of_lists([persons], workers)[0]


def features_of_lists(
    lists: Sequence[Sequence[Person]], workers: int = 1
) -> list[list[NameFeatures]]:
    """``features_of`` each list, the spellings of all their tokens primed together: one
    pool of workers for both sides of a link, not one per side."""
    return [
        [features_of_tokens(tokens) for tokens in names] for names in parsed_lists(lists, workers)
    ]


def parsed_lists(
    lists: Sequence[Sequence[Person]], workers: int = 1
) -> list[list[tuple[NameToken, ...]]]:
    """Each list's names parsed, and the keys of all their tokens primed
    (``prime_token_keys``) on ``workers`` processes."""
    parsed: list[list[tuple[NameToken, ...]]] = [[] for _ in lists]

    def tokens() -> Iterator[str]:
        """Each list's names parsed into ``parsed`` as their tokens are asked for: the
        spelling workers key the first while the rest are parsed."""
        for names, persons in zip(parsed, lists, strict=True):
            for p in persons:
                names.append(parse_name(p.given_name, p.family_name, p.full_name))
                yield from (token.text for token in names[-1])

    prime_token_keys(tokens(), workers)
    return parsed


@dataclass
class _Vocabulary:
    """Distinct tokens of one side (their keys in ``table``) and, per record, the ids of
    its tokens, in the order of its name."""

    table: KeyTable = field(default_factory=lambda: KeyTable([]))
    records: list[list[int]] = field(default_factory=list)

    @classmethod
    def of(cls, features: Sequence[NameFeatures]) -> _Vocabulary:
        """The vocabulary of names' features (a token is its features object)."""
        index: dict[TokenFeatures, int] = {}
        records = [[index.setdefault(t, len(index)) for t in name.tokens] for name in features]
        return cls(KeyTable(list(index)), records)

    @classmethod
    def parsed(cls, names: Sequence[Sequence[NameToken]]) -> _Vocabulary:
        """The vocabulary of parsed names whose keys are primed: the tokens and ids of
        ``of`` their ``features_of_tokens`` (particles and tokens without a key
        left out), its table made from the primed columns."""
        index: dict[NameToken, int] = {}
        records = [
            [index.setdefault(t, len(index)) for t in name if t.role != PARTICLE] for name in names
        ]
        texts = [t.text for t in index]
        flat = primed_columns(texts)
        sizes = np.diff(flat.bounds)
        if not sizes.all():  # tokens with no key: dropped (they hold no rows), the others
            kept = sizes > 0  # numbered again
            number = (np.cumsum(kept) - 1).tolist()
            keep = kept.tolist()
            records = [[number[n] for n in ids if keep[n]] for ids in records]
            texts = list(compress(texts, keep))
            flat = flat._replace(bounds=np.concatenate([[0], np.cumsum(sizes[kept])]))
        return cls(KeyTable.of_columns(texts, flat), records)

    def names(self, rec: int) -> tuple[str, ...]:
        """The texts of record ``rec``'s tokens, in the order of its name: made for the
        rows written only (a registry's million tuples were made for a few thousand)."""
        return tuple(map(self.table.texts.__getitem__, self.records[rec]))

    def token_rows(self) -> np.ndarray:
        """Distinct (record, token id) for the engine's record join."""
        records: list[int] = []
        tokens: list[int] = []
        for rec, ids in enumerate(self.records):
            distinct = set(ids)
            tokens += distinct
            records += [rec] * len(distinct)
        return _columns(records, tokens)


def _columns(first: list[int], second: list[int]) -> np.ndarray:
    """Two int lists as rows [n, 2]: the rows ``as_rows`` would make of their pairs, built
    from flat lists (a million records make millions of pairs, and numpy reads a list of
    ints several times faster than a list of tuples)."""
    return np.column_stack(
        [np.array(first, dtype=np.int64), np.array(second, dtype=np.int64)]
    ).reshape(-1, 2)


def _alike(pairs: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(close, strong) token pairs: each left token's MAX_CLOSE best at TOKEN_FLOOR or
    better, and those of them at STRONG_TOKEN or better."""
    keep = scores >= TOKEN_FLOOR
    pairs, scores = pairs[keep], scores[keep]
    # Per left token, best first, ties by right token. The kept pairs (a few of those
    # screened) are put in (left, right) order first, whatever the engine's order (by
    # right token: ``BlockingEngine.candidate_pairs``), so one stable sort on (left,
    # score falling) keeps it among ties; scores are float32 values in [0, 1], whose bit
    # patterns rise as they do.
    by_left = np.argsort(pairs[:, 0] << 32 | pairs[:, 1])
    pairs, scores = pairs[by_left], scores[by_left]
    bits = scores.astype(np.float32).view(np.int32).astype(np.int64)
    order = np.argsort(pairs[:, 0] << 31 | (0x3F800000 - bits), kind="stable")
    pairs, scores = pairs[order], scores[order]
    starts = np.flatnonzero(np.r_[len(pairs) > 0, pairs[1:, 0] != pairs[:-1, 0]])
    rank = np.arange(len(pairs)) - np.repeat(starts, np.diff(np.r_[starts, len(pairs)]))
    best = rank < MAX_CLOSE
    return pairs[best], pairs[best & (scores >= STRONG_TOKEN)]


def candidate_pairs(
    lv: _Vocabulary, rv: _Vocabulary, scorer: PairScorer, engine: BlockingEngine, say: Progress
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(left, right, comparison vector) of record pairs holding alike tokens, sorted by
    left record, those with less name agreement than MIN_NAME_SCORE left out.

    The engine joins token blocking keys; the table screens the token pairs that met
    (only scores at TOKEN_FLOOR or more are exact: the fast path); the engine then pairs
    the records of alike tokens (see ``engines``), and the scorer scores each token pair
    of those records once and aligns them in bulk.
    """
    table = scorer.table
    left_keys = table.pairs.left.block_key_codes(2, KEY_WIDTHS)
    right_keys = table.pairs.right.block_key_codes(8, KEY_WIDTHS)
    token_pairs = engine.candidate_pairs(left_keys, right_keys, MAX_KEY_SIZE)
    screened = table.screen(token_pairs[:, 0], token_pairs[:, 1], TOKEN_FLOOR)
    close, strong = _alike(token_pairs, screened)
    say(f"tokens: {len(token_pairs)} token pairs met on keys, {len(close)} close")
    records = engine.record_pairs(lv.token_rows(), rv.token_rows(), close, strong, RARE_TOKEN)
    say(f"blocking ({engine.name}): {len(records)} candidate pairs")
    return scorer.kept(records[:, 0], records[:, 1], MIN_NAME_SCORE)


def _decide(
    pairs: list[tuple[float, int]], hidden: float = 0.0, barred: Container[int] = ()
) -> list[tuple[float, int, str]]:
    """Decisions for one left row's candidates (pair probability, candidate index): the
    definition, one row at a time, that ``_decisions`` runs on every row at once.

    A left row has at most one partner, so the pairs compete: each pair's probability
    becomes its odds over (1 + the sum of all the row's odds), the chance that it, and
    not another candidate nor nobody, is the partner. ``match`` needs that chance to be
    the more likely outcome (MATCH_PROBABILITY). ``possible`` rows are the next best that
    either keep some of that chance or are likely on their own evidence (a duplicate in
    the right list, say). ``hidden``: the summed odds of the row's pairs not listed.
    ``barred``: candidates that may not be ``match`` (born a generation apart): one
    that would have been is ``possible``, and no other takes its place, as its chance
    stays what it is.
    """
    clipped = [(min(p, 1 - 1e-12), n) for p, n in pairs]
    odds = [(p / (1 - p), p, n) for p, n in clipped]
    summed = 0.0
    for o, _, _ in odds:  # one after another: Python 3.12's sum() compensates, 3.11's not
        summed += o
    total = 1.0 + hidden + summed
    ranked = sorted(((o / total, p, n) for o, p, n in odds), reverse=True)
    decided: list[tuple[float, int, str]] = []
    for rank, (share, p, n) in enumerate(ranked):
        if rank == 0 and share >= MATCH_PROBABILITY and n not in barred:
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
    spark_master: str | None = None,
    workers: int | None = None,
) -> tuple[list[ScoredPair], FellegiSunter]:
    """Candidate pairs with their decisions (only match/possible rows), and the model.

    ``workers``: processes for the token spellings (default: the usable cores).
    """
    with _collector_paused():
        return _link(left, right, engine, confirmed, progress, spark_master, workers)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while linking, back as it was afterwards.

    Linking allocates millions of small tuples and dicts that live until the end (the
    spellings, keys and rows), and each allocation burst made the collector walk them
    all again: a sixth of ru-dev's CPU time, for no cycle freed. The linker's own
    structures hold no reference cycles; whatever cycles a run leaves are collected
    at the next collection after it.

    On the way out every object is moved to the oldest generation unscanned (freeze,
    then unfreeze): otherwise the first allocation after ``gc.enable()`` made the
    collector walk all the millions of objects made during the link as the youngest
    generation (0.7 s of ru-dev's 10 s), to find no cycle. They are scanned again at the
    next full collection, as any long-lived object is.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def _link(
    left: Sequence[Person],
    right: Sequence[Person],
    engine: str,
    confirmed: Collection[tuple[str, str]],
    progress: Progress | None,
    spark_master: str | None,
    workers: int | None,
) -> tuple[list[ScoredPair], FellegiSunter]:
    started = time.monotonic()

    def say(message: str) -> None:
        if progress is not None:
            progress(f"[{time.monotonic() - started:6.1f}s] {message}")

    blocker = get_engine(engine, spark_master)
    cores = workers if workers is not None else len(os.sched_getaffinity(0))
    lp, rp = parsed_lists([left, right], cores)
    lv, rv = _Vocabulary.parsed(lp), _Vocabulary.parsed(rp)
    say(f"name features of {len(left)} + {len(right)} rows")
    table = TokenScores(lv.table, rv.table, cores)
    scorer = PairScorer(left, right, lv.records, rv.records, table)
    try:
        li, rj, vectors = candidate_pairs(lv, rv, scorer, blocker, say)
    finally:
        blocker.close()
    say(f"{len(li)} pairs with some name agreement")
    model, probabilities = _fit(left, right, li, rj, vectors, confirmed)
    say("model:\n" + model.describe())
    barred = _generations_apart(scorer.lb, scorer.rb, li, rj)
    chosen, shares, matched = _decisions(li, probabilities, barred)
    records = list(zip(li[chosen].tolist(), rj[chosen].tolist(), strict=True))
    explained = _explained(lv, rv, table.pairs, records)
    decisions = ["match" if m else "possible" for m in matched.tolist()]
    rows = zip(
        records, shares.tolist(), decisions, explained, vectors[chosen].tolist(), strict=True
    )
    result = [
        ScoredPair(left[i].id, right[j].id, share, decision, names, (v[0], v[1], v[2]))
        for (i, j), share, decision, names, v in rows
    ]
    matches = sum(r.decision == "match" for r in result)
    say(f"done: {matches} matches, {len(result) - matches} possible")
    return result, model


def _explained(
    lv: _Vocabulary, rv: _Vocabulary, pairs: TokenPairs, records: Sequence[tuple[int, int]]
) -> list[NameComparison]:
    """``compare_features`` of each (left, right) record pair, in order.

    The token pairs of all of them are scored in one compiled pass (``TokenPairs.best``),
    the names of each shape aligned at once in numpy (``scoring.best_alignments``, the
    sums and the first best on ties as ``similarity._align``), and a ``TokenMatch`` made
    only for the pairs aligned.
    """
    width = max(len(rv.table.texts), 1)
    lefts = [lv.records[i] for i, _ in records]
    rights = [rv.records[j] for _, j in records]
    codes = np.array(
        [a * width + b for mine, theirs in zip(lefts, rights, strict=True)
         for a in mine for b in theirs], dtype=np.int64,
    )  # fmt: skip
    distinct, inverse = np.unique(codes, return_inverse=True)
    scores, chosen = pairs.best(distinct // width, distinct % width)
    values = np.array(scores, dtype=np.float64)
    made: dict[int, TokenMatch] = {}
    code_at, distinct_at, spellings = codes.tolist(), inverse.tolist(), chosen.tolist()

    def match(at: int) -> TokenMatch:
        """The match of the token pair at ``codes[at]``, made once per distinct pair."""
        n = distinct_at[at]
        found = made.get(n)
        if found is None:
            code, (i, f) = code_at[at], spellings[n]
            found = made[n] = pairs.match(code // width, code % width, scores[n], i, f)
        return found

    shapes = np.array([len(mine) * 1000 + len(theirs)
                       for mine, theirs in zip(lefts, rights, strict=True)])  # fmt: skip
    ends = np.cumsum([len(mine) * len(theirs) for mine, theirs in zip(lefts, rights, strict=True)])
    found: list[NameComparison | None] = [None] * len(records)
    for shape in np.unique(shapes).tolist():
        a, b = divmod(shape, 1000)
        members = np.flatnonzero(shapes == shape)
        if not a or not b:
            for n in members.tolist():
                found[n] = NameComparison(0.0, (), lv.names(records[n][0]), rv.names(records[n][1]))
            continue
        at = (ends[members] - a * b)[:, None] + np.arange(a * b)[None, :]
        mine = codes[at]  # [P, a * b]: each record's token pairs, left token by left token
        grid = values[np.searchsorted(distinct, mine)].reshape(-1, a, b)
        swap = a > b
        short, long_ = (b, a) if swap else (a, b)
        _, partners, totals = best_alignments(grid)
        factor = EXTRA_TOKEN_FACTOR ** (long_ - short)
        names = [round(x, 4) for x in (totals / short * factor).tolist()]
        for n, row, name in zip(members.tolist(), partners.tolist(), names, strict=True):
            aligned = [(j, i) if swap else (i, j) for i, j in enumerate(row)]
            left, right = lv.names(records[n][0]), rv.names(records[n][1])
            base = int(ends[n]) - a * b
            used_left = {x for x, _ in aligned}
            used_right = {y for _, y in aligned}
            found[n] = NameComparison(
                name,
                tuple(match(base + x * b + y) for x, y in aligned),
                tuple(t for k, t in enumerate(left) if k not in used_left),
                tuple(t for k, t in enumerate(right) if k not in used_right),
            )
    return found  # type: ignore[return-value]


def _generations_apart(
    left: np.ndarray, right: np.ndarray, li: np.ndarray, rj: np.ndarray
) -> np.ndarray:
    """Per pair (li[n], rj[n]) of the lists whose ``birth_columns`` are ``left`` and
    ``right``, whether the birth dates are a generation apart at every reading
    (``model.generations_apart``): never a ``match``, as ``model.GENERATION_YEARS``
    says why. A mother and a daughter of one name, the one sought and the other alone in
    the registry, were a sure match before: the daughter given as the mother. The
    columns are the scorer's: read from the persons once per link, not twice."""
    return generations_apart(birth_bounds(left)[li], birth_bounds(right)[rj])


def _decisions(
    li: np.ndarray, probabilities: np.ndarray, barred: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``_decide`` of every left record's pairs (a run of equal ``li``) at once: the index
    of each pair decided, its share of its record's chance, and whether it is the
    ``match``; by record, each record's best first. ``barred``: per pair, whether it may
    not be ``match``.

    A pair whose odds are below POSSIBLE_PROBABILITY can be neither ``match`` nor
    ``possible`` whatever its rivals (its share is smaller still), so only its odds
    count, summed into the record's ``hidden`` odds. The others' odds are summed one after
    another in pair order, as ``_decide`` sums them, so every share is the same float
    (the tests hold the two to it). A million-person link decides a hundred thousand
    records: one at a time, in Python, that was a fifth of its time.
    """
    if not len(li):
        return np.zeros(0, np.int64), np.zeros(0), np.zeros(0, bool)
    clipped = np.minimum(probabilities, 1 - 1e-12)
    odds = clipped / (1 - clipped)
    visible = odds >= POSSIBLE_PROBABILITY
    new_record = np.r_[True, li[1:] != li[:-1]]
    hidden = np.add.reduceat(np.where(visible, 0.0, odds), np.flatnonzero(new_record))
    shown = np.flatnonzero(visible)
    if not len(shown):
        return shown, np.zeros(0), np.zeros(0, bool)
    record = (np.cumsum(new_record) - 1)[shown]
    # bincount adds the weights one after another in their order: ``_decide``'s sum.
    summed = np.bincount(record, weights=odds[shown], minlength=len(hidden))
    share = odds[shown] / ((1.0 + hidden) + summed)[record]
    p = clipped[shown]
    # Each record's pairs by (share, p, index), highest first, as ``_decide`` sorts them.
    order = np.lexsort((-shown, -p, -share, record))
    shown, share, p, record = shown[order], share[order], p[order], record[order]
    starts = np.flatnonzero(np.r_[True, record[1:] != record[:-1]])
    sizes = np.diff(np.r_[starts, len(record)])
    first = np.zeros(len(record), dtype=bool)
    first[starts] = True
    match = first & (share >= MATCH_PROBABILITY) & ~barred[shown]
    possible = ~match & ((share >= POSSIBLE_PROBABILITY) | (p >= MATCH_PROBABILITY))
    # A record's possible pairs up to the MAX_POSSIBLE-th, where ``_decide`` stops.
    counted = np.cumsum(possible)
    counted -= np.repeat(counted[starts] - possible[starts], sizes)
    keep = match | (possible & (counted <= MAX_POSSIBLE))
    return shown[keep], share[keep], match[keep]


def _vector_codes(vectors: np.ndarray) -> np.ndarray:
    """One int64 per comparison vector, ordered as the vectors are lexicographically.

    ``np.unique(axis=0)`` sorts rows as structured records: 48 s for 20 million
    vectors, against 2 s for these codes, with the same distinct vectors in the same
    order (levels fit in int8, so each is shifted by 128 into a byte of its own).
    """
    shifted = vectors.reshape(-1, 3).astype(np.int64) + 128
    codes: np.ndarray = (shifted[:, 0] << 16) | (shifted[:, 1] << 8) | shifted[:, 2]
    return codes


def _vector_of(code: int) -> tuple[int, int, int]:
    """The comparison vector of a ``_vector_codes`` code."""
    return (code >> 16) - 128, ((code >> 8) & 0xFF) - 128, (code & 0xFF) - 128


def _fit(
    left: Sequence[Person],
    right: Sequence[Person],
    li: np.ndarray,
    rj: np.ndarray,
    vectors: np.ndarray,
    confirmed: Collection[tuple[str, str]],
) -> tuple[FellegiSunter, np.ndarray]:
    """The model fitted on the distinct comparison vectors, and each pair's probability."""
    codes, inverse, counts = np.unique(
        _vector_codes(vectors), return_inverse=True, return_counts=True
    )
    inverse = inverse.reshape(-1)
    keys = [_vector_of(int(code)) for code in codes]
    fixed: dict[tuple[int, int, int], int] = {}
    if confirmed:
        wanted = set(confirmed)
        for n, (i, j) in enumerate(zip(li.tolist(), rj.tolist(), strict=True)):
            if (left[i].id, right[j].id) in wanted:
                key = keys[int(inverse[n])]
                fixed[key] = fixed.get(key, 0) + 1
    model = FellegiSunter().fit_counts(dict(zip(keys, counts.tolist(), strict=True)), fixed)
    per_vector = np.array([model.probability(k) for k in keys], dtype=np.float64)
    return model, per_vector[inverse] if len(keys) else np.zeros(0)
