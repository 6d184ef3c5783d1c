"""The anyascii + rapidfuzz baseline as a process of its own, for whole-process timing.

``python -m bench.linkage.baseline_process LEFT RIGHT OUT``: reads both lists with the
reader ``wayhome link`` uses, finds each left row's best right row as the in-process
baseline does (``best_pairs``) and writes ``left_id,right_id,score``, so that
``python -m bench.linkage process`` times both commands from start to exit alike.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Sequence

import numpy as np

from wayhome.linkage.io import Person, read_person_list


def name_of(p: Person) -> str:
    """The name the baseline compares: given and family names, else the free text."""
    return " ".join(x for x in (p.given_name, p.family_name) if x) or p.full_name


ROWS_AT_ONCE = 256  # left rows whose year adjustment and best are taken at once


def best_pairs(
    left: Sequence[Person], right: Sequence[Person], rows_at_once: int = ROWS_AT_ONCE
) -> tuple[np.ndarray, np.ndarray]:
    """Per left row, the right row with the best anyascii + token_sort_ratio score plus
    10 for the same birth year (less 10 for another), and that score.

    The scores come as one uint8 matrix (rapidfuzz's cdist, on every core); the year
    adjustment and the best are then taken a block of rows at a time, in int16. Done on
    the whole matrix at once, in floats, the same answers took 1.4-3.4 s on linkage-dev
    against 0.7-0.8 s this way (7 December 2026): allocating and faulting in four
    60-million-cell float arrays cost three times the 0.3-0.5 s of the comparisons, and
    the baseline looked slower than its method is.
    """
    from anyascii import anyascii
    from rapidfuzz import fuzz, process

    ln = [anyascii(name_of(p)).lower() for p in left]
    rn = [anyascii(name_of(p)).lower() for p in right]
    sim = process.cdist(ln, rn, scorer=fuzz.token_sort_ratio, dtype=np.uint8, workers=-1)
    ly = np.array([p.birth[0] if p.birth else -1 for p in left], dtype=np.int64)
    ry = np.array([p.birth[0] if p.birth else -1 for p in right], dtype=np.int64)
    best = np.zeros(len(left), dtype=np.int64)
    score = np.zeros(len(left), dtype=np.float32)
    for start in range(0, len(left), rows_at_once):
        block = slice(start, start + rows_at_once)
        years = ly[block, None]
        known = (years >= 0) & (ry[None, :] >= 0)
        adjust = np.where(known, np.where(years == ry[None, :], 10, -10), 0)
        total = sim[block].astype(np.int16) + adjust.astype(np.int16)
        best[block] = total.argmax(axis=1)
        score[block] = total[np.arange(len(total)), best[block]]
    return best, score


def main(argv: list[str]) -> None:
    left, right = read_person_list(argv[0]), read_person_list(argv[1])
    best, score = best_pairs(left, right)
    with open(argv[2], "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["left_id", "right_id", "score"])
        for i, (j, s) in enumerate(zip(best.tolist(), score.tolist(), strict=True)):
            out.writerow([left[i].id, right[j].id, f"{s:.1f}"])


if __name__ == "__main__":
    main(sys.argv[1:])
