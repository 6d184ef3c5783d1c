"""Fellegi–Sunter scoring: comparison levels, m/u learnt by EM without labels.

Each candidate pair gets a comparison vector (name level, birth-date level, sex level).
EM estimates, for each level, how often it occurs among true matches (m) and among
non-matches (u), plus the share of matches (lambda); the posterior probability of a
match is the pair's score. Missing values (blank sex or birth date) carry no evidence.
Confirmed pairs, when given, are held at probability 1 during EM.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from wayhome.linkage.io import Person
from wayhome.names.similarity import NameScore

Birth = tuple[int, int | None, int | None] | None
MISSING = -1
MIN_NAME_SCORE = 0.4  # pairs with less name agreement than this are not even scored

NAME_LEVELS = (
    "no agreement", "one token similar", "one token close", "one token same", "both close",
    "one same, one similar", "one same, one close", "both same", "two agree, another unlike",
)  # fmt: skip
# (level, lowest best-token score, lowest second-token score), best level first.
_NAME_RULES = ((7, 0.92, 0.92), (6, 0.92, 0.8), (5, 0.92, 0.65), (4, 0.8, 0.65), (3, 0.92, 0.0),
               (2, 0.8, 0.0), (1, 0.65, 0.0))  # fmt: skip
# Two names of three parts or more whose best two agree (a level of two parts, 4 to 7)
# while another aligned part is not even similar: sisters share a patronymic and a
# family name («Хадижат Мурадовна Омарова» for «Айшат Мурадовна Омарова»), brothers a
# father's and grandfather's names. Counted as "both same", a sister weighed as the
# sought woman herself; as a level of its own its weight is learnt where such names are
# fitted, and is none (0) where they never were (the shipped weights: the development
# lists hold no names of three parts).
TWO_AGREE_ANOTHER_UNLIKE = 8
_TWO_PARTS = (4, 7)  # the levels of two parts agreeing, lowest and highest
UNLIKE = 0.65  # below the least likeness that earns any level (_NAME_RULES' last)
BIRTH_LEVELS = (
    "more than three years apart", "two or three years apart", "year off by one",
    "same year only", "same year at given precision", "same month", "same day",
)  # fmt: skip
# A child's age told by a relative who last saw them years ago ("about 4") is often two
# or three years off, so that gap is a level of its own, learnt apart from a plain
# disagreement: lumped together, the evidence of a gap of ten years would be charged to it.
NEAR_YEARS = 3
# Birth dates this many years apart or more: a parent and a child more often than one
# person with a year recorded wrong (1979 for 1997 too is a gap of 18). The model caps
# what a disagreeing field weighs (FIELD_ERROR), so a mother and a daughter of one name
# can score as one woman; the linker never decides such a pair ``match``, and the
# review page warns before it is confirmed.
GENERATION_YEARS = 12
SEX_LEVELS = ("disagree", "agree")
# A true pair's field is sometimes simply recorded wrong: an age a relative guessed, a
# year misheard, a sex field mistyped. Such a field then looks like a random pair's,
# so the model's m is a mixture: with FIELD_ERROR the u distribution, else what EM
# learns. A disagreement can then weigh no more against a pair than log2(FIELD_ERROR)
# (-5.6 bits), however rarely the fitting lists showed it: lists whose noise is at
# most a year off (linkage-dev) would otherwise make a three-year gap all but
# impossible (-20 bits), outweighing a full name's agreement.
FIELD_ERROR = 0.02
FIELDS = (("name", NAME_LEVELS), ("birth", BIRTH_LEVELS), ("sex", SEX_LEVELS))


def name_level(scores: Sequence[float]) -> int:
    """Level from the aligned token scores (best first): how many tokens agree, how well.

    A name of one token (a maiden name recorded alone, a mononym) aligns one token, and
    one token agreeing is one part of a name, however well: counted twice, a family name
    alone weighed as a whole name and raised namesakes to the top. Two agreeing with a
    third aligned part unlike is a level of its own (``TWO_AGREE_ANOTHER_UNLIKE``).
    """
    if not scores:
        return 0
    top = scores[0]
    second = scores[1] if len(scores) > 1 else 0.0
    lowest = scores[-1] if len(scores) > 2 else 1.0
    for level, top_floor, second_floor in _NAME_RULES:
        if top >= top_floor and second >= second_floor:
            two_parts = _TWO_PARTS[0] <= level <= _TWO_PARTS[1]
            return TWO_AGREE_ANOTHER_UNLIKE if two_parts and lowest < UNLIKE else level
    return 0


def birth_level(left: Birth, right: Birth) -> int:
    """Agreement of two birth dates of any precision; MISSING when either is blank."""
    if left is None or right is None:
        return MISSING
    (ly, lm, ld), (ry, rm, rd) = left, right
    if ly != ry:
        gap = abs(ly - ry)
        return 2 if gap == 1 else 1 if gap <= NEAR_YEARS else 0
    if lm is None or rm is None:
        return 4
    if lm != rm:
        return 3
    if ld is None or rd is None:
        return 4
    return 6 if ld == rd else 5


def sex_level(left: str, right: str) -> int:
    """1 agree, 0 disagree, MISSING when either is blank."""
    if not left or not right:
        return MISSING
    return int(left == right)


def comparison_vector(left: Person, right: Person, names: NameScore) -> tuple[int, int, int]:
    """(name level, birth level, sex level) of one candidate pair."""
    return (
        name_level(names.token_scores),
        birth_level(left.birth, right.birth),
        sex_level(left.sex, right.sex),
    )


def name_levels(top: np.ndarray, second: np.ndarray, lowest: np.ndarray) -> np.ndarray:
    """``name_level`` of many pairs at once, from their best, second and lowest aligned
    scores (1 for the lowest where fewer than three aligned)."""
    levels = np.zeros(len(top), dtype=np.int64)
    for level, top_floor, second_floor in reversed(_NAME_RULES):
        levels = np.where((top >= top_floor) & (second >= second_floor), level, levels)
    two_parts = (levels >= _TWO_PARTS[0]) & (levels <= _TWO_PARTS[1])
    return np.where(two_parts & (lowest < UNLIKE), TWO_AGREE_ANOTHER_UNLIKE, levels)


def birth_levels(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """``birth_level`` of many pairs: rows of (year, month, day), MISSING where unknown."""
    (ly, lm, ld), (ry, rm, rd) = left.T, right.T
    same_day = np.where((ld == MISSING) | (rd == MISSING), 4, np.where(ld == rd, 6, 5))
    same_year = np.where((lm == MISSING) | (rm == MISSING), 4, np.where(lm != rm, 3, same_day))
    gap = np.abs(ly - ry)
    apart = np.where(gap == 1, 2, np.where(gap <= NEAR_YEARS, 1, 0))
    levels = np.where(ly != ry, apart, same_year)
    result: np.ndarray = np.where((ly == MISSING) | (ry == MISSING), MISSING, levels)
    return result


def birth_bounds(rows: np.ndarray) -> np.ndarray:
    """[n, 2] int32: the earliest and the latest reading of each birth row (year, month,
    day; MISSING where unknown) as year * 512 + month * 32 + day, a number that orders as
    the date does. An unknown month reads January to December, an unknown day the whole
    month; an unknown date is (-UNKNOWN_SPAN, UNKNOWN_SPAN), never a generation from any."""
    year, month, day = rows.reshape(-1, 3).T
    first_month = np.where(month == MISSING, 1, month)
    last_month = np.where(month == MISSING, 12, month)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    days = _DAYS[last_month - 1] + ((last_month == 2) & leap)
    first = year * 512 + first_month * 32 + np.where(day == MISSING, 1, day)
    last = year * 512 + last_month * 32 + np.where(day == MISSING, days, day)
    unknown = year == MISSING
    bounds = np.column_stack(
        [np.where(unknown, -_UNKNOWN_SPAN, first), np.where(unknown, _UNKNOWN_SPAN, last)]
    )
    return bounds.astype(np.int32)


def generations_apart(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Per pair of ``birth_bounds`` rows, whether every reading of the two dates is
    GENERATION_YEARS or more whole years apart: the rule of the application's
    ``matching.scoring.generations_apart``, on arrays. Whole years from a date to a later
    one reach twelve exactly when the later one is on or after the first's day twelve
    years on, which is its number plus twelve times 512. A year alone reads as any day
    of it, so 1990 and 2002-06-01 are not apart (1990-12-31 is under twelve years
    before), where their years alone would have been."""
    span = GENERATION_YEARS * 512
    apart: np.ndarray = (right[:, 0] - left[:, 1] >= span) | (left[:, 0] - right[:, 1] >= span)
    return apart


_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)
_UNKNOWN_SPAN = 1 << 28  # beyond any date's number, so that no difference reaches a span


def sex_levels(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """``sex_level`` of many pairs: codes per person, MISSING where blank."""
    result: np.ndarray = np.where(
        (left == MISSING) | (right == MISSING), MISSING, (left == right).astype(np.int64)
    )
    return result


def _initial(levels: int, matches: bool) -> list[float]:
    """Starting m (rising with the level) or u (falling with it) probabilities."""
    weights = [2.0**i if matches else 2.0 ** (levels - i) for i in range(levels)]
    total = sum(weights)
    return [w / total for w in weights]


@dataclass
class FellegiSunter:
    """m/u probabilities per field level and the match share, fitted by EM."""

    m: list[list[float]] = field(
        default_factory=lambda: [_initial(len(levels), True) for _, levels in FIELDS]
    )
    u: list[list[float]] = field(
        default_factory=lambda: [_initial(len(levels), False) for _, levels in FIELDS]
    )
    prior: float = 0.05

    def weight(self, vector: Sequence[int]) -> float:
        """Log2 Bayes factor of the pair: the sum of each field's match weight."""
        return sum(
            math.log2(self.m[k][level] / self.u[k][level])
            for k, level in enumerate(vector)
            if level != MISSING
        )

    def probability(self, vector: Sequence[int]) -> float:
        """Posterior probability that the pair is a match."""
        odds: float = self.prior / (1 - self.prior) * 2.0 ** self.weight(vector)
        return odds / (1 + odds)

    def fit(
        self,
        vectors: Sequence[tuple[int, int, int]],
        confirmed: Collection[int] = (),
        iterations: int = 30,
    ) -> FellegiSunter:
        """Run EM on the comparison vectors; ``confirmed`` indexes pairs known to match."""
        counts: dict[tuple[int, int, int], int] = {}
        for v in vectors:
            counts[v] = counts.get(v, 0) + 1
        fixed: dict[tuple[int, int, int], int] = {}
        for i in confirmed:
            fixed[vectors[i]] = fixed.get(vectors[i], 0) + 1
        return self.fit_counts(counts, fixed, iterations)

    def fit_counts(
        self,
        counts: Mapping[tuple[int, int, int], int],
        fixed: Mapping[tuple[int, int, int], int],
        iterations: int = 30,
    ) -> FellegiSunter:
        """EM on distinct vectors with their counts (``fixed``: how many are confirmed)."""
        pairs = sum(counts.values())
        for _ in range(iterations):
            m_acc = [[1e-3] * len(levels) for _, levels in FIELDS]
            u_acc = [[1e-3] * len(levels) for _, levels in FIELDS]
            total_match = 0.0
            for vector, n in counts.items():
                sure = fixed.get(vector, 0)
                p = self.probability(vector)
                as_match = sure + (n - sure) * p
                total_match += as_match
                for k, level in enumerate(vector):
                    if level != MISSING:
                        m_acc[k][level] += as_match
                        u_acc[k][level] += n - as_match
            self.u = [[c / sum(acc) for c in acc] for acc in u_acc]
            self.m = [
                [
                    (1 - FIELD_ERROR) * c / sum(acc) + FIELD_ERROR * u
                    for c, u in zip(acc, us, strict=True)
                ]
                for acc, us in zip(m_acc, self.u, strict=True)
            ]
            self.prior = min(max(total_match / max(pairs, 1), 1e-6), 0.5)
        self._neutral_where_unseen(counts)
        return self

    def _neutral_where_unseen(self, counts: Mapping[tuple[int, int, int], int]) -> None:
        """A level that no fitting pair showed (a month where the lists hold only years)
        says nothing either way: its m is set to its u, a weight of 0."""
        for k, (_, levels) in enumerate(FIELDS):
            seen = {vector[k] for vector, n in counts.items() if n}
            for level in range(len(levels)):
                if level not in seen:
                    self.m[k][level] = self.u[k][level]

    def describe(self) -> str:
        """The learnt match weights, one field per line (for logs and reports)."""
        lines = []
        for k, (name, levels) in enumerate(FIELDS):
            weights = ", ".join(
                f"{label}: {math.log2(self.m[k][i] / self.u[k][i]):+.1f}"
                for i, label in enumerate(levels)
            )
            lines.append(f"{name}: {weights}")
        return "\n".join(lines)
