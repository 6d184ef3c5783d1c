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


def best_pairs(left: Sequence[Person], right: Sequence[Person]) -> tuple[np.ndarray, np.ndarray]:
    """Per left row, the right row with the best anyascii + token_sort_ratio score plus
    10 for the same birth year (less 10 for another), and that score."""
    from anyascii import anyascii
    from rapidfuzz import fuzz, process

    ln = [anyascii(name_of(p)).lower() for p in left]
    rn = [anyascii(name_of(p)).lower() for p in right]
    sim = process.cdist(ln, rn, scorer=fuzz.token_sort_ratio, dtype=np.uint8, workers=-1)
    sim = sim.astype(np.float32)
    ly = np.array([p.birth[0] if p.birth else -1 for p in left])
    ry = np.array([p.birth[0] if p.birth else -1 for p in right])
    known = (ly[:, None] >= 0) & (ry[None, :] >= 0)
    sim += np.where(known, np.where(ly[:, None] == ry[None, :], 10.0, -10.0), 0.0)
    best = sim.argmax(axis=1)
    return best, sim[np.arange(len(left)), best]


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
