"""The whole-process baseline finds what the in-process one finds and writes it."""

from __future__ import annotations

import csv
from pathlib import Path

from bench.linkage.baseline_process import best_pairs, main

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


def test_the_command_writes_one_row_per_left_row(tmp_path: Path) -> None:
    left, right = _lists(tmp_path)
    out = tmp_path / "pairs.csv"
    main([str(left), str(right), str(out)])
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["left_id"], r["right_id"]) for r in rows] == [("L1", "R2"), ("L2", "R1")]
