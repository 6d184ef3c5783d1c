"""The whole-process baseline finds what the in-process one finds and writes it."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import numpy as np
from bench.linkage.baseline_process import best_pairs, main, name_of

from wayhome.linkage.io import read_person_list


def _lists(tmp_path: Path) -> tuple[Path, Path]:
    left = tmp_path / "left.csv"
    left.write_text(
        "id,given_name,family_name,full_name,sex,birth_date\n"
        "L1,Aisha,Naloyeva,,F,1995\nL2,,,Umar Aliyev,M,2014\n",
        encoding="utf-8",
    )
    right = tmp_path / "right.csv"
    right.write_text(
        "id,given_name,family_name,full_name,sex,birth_date\n"
        "R1,Умар,Алиев,,M,2014\nR2,Аиша,Налоева,,F,1995\nR3,Аиша,Налоева,,F,1980\n",
        encoding="utf-8",
    )
    return left, right


def test_each_left_row_gets_its_best_right_row(tmp_path: Path) -> None:
    left, right = (read_person_list(p) for p in _lists(tmp_path))
    best, score = best_pairs(left, right)
    assert [right[j].id for j in best.tolist()] == ["R2", "R1"]
    assert all(s > 100 for s in score.tolist())  # the name alike and the year the same


def test_blocks_of_rows_give_the_answers_of_the_whole_matrix(tmp_path: Path) -> None:
    from anyascii import anyascii
    from rapidfuzz import fuzz, process

    left, right = (read_person_list(p) for p in _lists(tmp_path))
    # Undated, and born another year than the best fit's: no bonus, and a penalty.
    left = [
        *left,
        dataclasses.replace(left[0], id="L3", birth=None),
        dataclasses.replace(left[1], id="L4", birth=(2000, None, None)),
    ]
    # The straightforward computation, on the whole matrix in floats.
    sim = process.cdist(
        [anyascii(name_of(p)).lower() for p in left],
        [anyascii(name_of(p)).lower() for p in right],
        scorer=fuzz.token_sort_ratio,
        dtype=np.uint8,
    ).astype(np.float32)
    for i, a in enumerate(left):
        for j, b in enumerate(right):
            if a.birth and b.birth:
                sim[i, j] += 10 if a.birth[0] == b.birth[0] else -10
    want = sim.argmax(axis=1)
    for rows in (1, 2, 256):
        best, score = best_pairs(left, right, rows)
        assert best.tolist() == want.tolist()
        assert score.tolist() == sim[np.arange(len(left)), want].tolist()
    # The undated row gets no year's bonus, the dated one does; the other year costs.
    assert score[2] == score[0] - 10
    assert score[3] == score[1] - 20


def test_the_command_writes_one_row_per_left_row(tmp_path: Path) -> None:
    left, right = _lists(tmp_path)
    out = tmp_path / "pairs.csv"
    main([str(left), str(right), str(out)])
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["left_id"], r["right_id"]) for r in rows] == [("L1", "R2"), ("L2", "R1")]
