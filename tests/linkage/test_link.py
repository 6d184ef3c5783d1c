"""The linker: decisions per left row, explanations, engines, and the command line."""

from __future__ import annotations

import csv
import dataclasses
import gc
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from bench.linkage.synthetic import write_lists

from tests.linkage.factories import CP1251_ROWS, LEFT_ROWS, RIGHT_ROWS, write_csv, write_xlsx
from wayhome import cli
from wayhome.linkage.engines import as_rows, get_engine
from wayhome.linkage.io import Person, read_person_list
from wayhome.linkage.link import (
    KEY_WIDTHS,
    MATCH_PROBABILITY,
    MAX_POSSIBLE,
    OUTPUT_COLUMNS,
    POSSIBLE_PROBABILITY,
    _alike,
    _decide,
    _decisions,
    _explained,
    _generations_apart,
    _vector_codes,
    _vector_of,
    _Vocabulary,
    features_of,
    features_of_lists,
    link,
)
from wayhome.linkage.model import GENERATION_YEARS
from wayhome.linkage.scoring import birth_columns


@pytest.fixture
def lists(tmp_path: Path) -> tuple[Path, Path]:
    return write_csv(tmp_path / "left.csv", LEFT_ROWS), write_csv(
        tmp_path / "right.csv", RIGHT_ROWS
    )


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_link_finds_the_partners_across_scripts(lists: tuple[Path, Path], engine: str) -> None:
    left, right = (read_person_list(p) for p in lists)
    pairs, _model = link(left, right, engine=engine, progress=None)
    matches = {(p.left_id, p.right_id) for p in pairs if p.decision == "match"}
    # The birth year tells the two Aishas and the two Rustams apart.
    assert ("L1", "R1") in matches
    assert ("L2", "R2") in matches
    assert not any(left_id == "L4" for left_id, _ in matches)
    for pair in pairs:
        assert 0.0 <= pair.score <= 1.0
        assert pair.row()[-1], "every row explains itself"


def test_link_pauses_the_cycle_collector_and_restores_it(lists: tuple[Path, Path]) -> None:
    left, right = (read_person_list(p) for p in lists)
    seen: list[bool] = []
    assert gc.isenabled()
    link(left, right, engine="python", progress=lambda _: seen.append(gc.isenabled()))
    assert seen
    assert not any(seen)  # paused while linking
    assert gc.isenabled()  # back on afterwards
    gc.disable()
    try:
        link(left, right, engine="python", progress=None)
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()
    with pytest.raises(ValueError, match="engine"):
        link(left, right, engine="nope", progress=None)
    assert gc.isenabled()  # also after a failure


def test_link_leaves_what_it_made_in_the_oldest_generation(lists: tuple[Path, Path]) -> None:
    left, right = (read_person_list(p) for p in lists)
    pairs, _model = link(left, right, engine="python", progress=None)
    # Not in the young generations, where the next collections would walk them all.
    young = {id(obj) for generation in (0, 1) for obj in gc.get_objects(generation)}
    assert pairs
    assert not any(id(pair) in young for pair in pairs)
    assert any(obj is pairs[0] for obj in gc.get_objects(2))


def test_link_on_several_cores_gives_the_same_rows(
    lists: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from wayhome.linkage import scoring
    from wayhome.names import pair_scores

    left, right = (read_person_list(p) for p in lists)
    alone, _ = link(left, right, engine="python", progress=None, workers=1)
    # Thresholds down so that these few rows are cut into pieces like a large list's.
    monkeypatch.setattr(scoring, "CHUNK", 7)
    monkeypatch.setattr(pair_scores, "KEY_ROWS_AT_ONCE", 2)
    together, _ = link(left, right, engine="python", progress=None, workers=2)
    assert together
    assert [p.row() for p in together] == [p.row() for p in alone]


def test_engines_agree_on_candidates_in_right_token_order() -> None:
    left = [(0, 1), (0, 2), (1, 3), (2, 1), (2, 3)]
    right = [(0, 1), (1, 2), (2, 2), (3, 4), (4, 3)]
    # By right token, then left: the order the screening reads the spellings in.
    expected = [[0, 0], [2, 0], [0, 1], [0, 2], [1, 4], [2, 4]]
    assert get_engine("duckdb").candidate_pairs(left, right, 10).tolist() == expected
    assert get_engine("python").candidate_pairs(left, right, 10).tolist() == expected
    for engine in ("duckdb", "python"):  # key 2 is held by two right tokens: too common
        assert get_engine(engine).candidate_pairs(left, right, 1).tolist() == [
            [0, 0], [2, 0], [1, 4], [2, 4]
        ]  # fmt: skip


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown engine"):
        get_engine("oracle")


# Token 10 is held by right records 0-2, token 11 by 0, 1 and 4; 12 and 13 by one each.
RIGHT_TOKENS = [(0, 10), (0, 11), (1, 10), (1, 11), (2, 10), (2, 12), (3, 13), (4, 11)]
# Left 0 has tokens 1 and 2, left 1 only token 1, left 2 token 3.
LEFT_TOKENS = [(0, 1), (0, 2), (1, 1), (2, 3)]
CLOSE = [(1, 10), (2, 11), (3, 13)]
STRONG = [(1, 10), (3, 13)]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_records_pair_on_two_alike_tokens_or_one_strong_rare_one(engine: str) -> None:
    def join(rare: int) -> list[tuple[int, int]]:
        found = get_engine(engine).record_pairs(LEFT_TOKENS, RIGHT_TOKENS, CLOSE, STRONG, rare)
        return [(a, b) for a, b in found.tolist()]

    # Rarity limit 2: token 10 (three holders) pairs nobody alone, so left 1 gets no
    # pair; left 0 pairs with the records holding both 10 and 11; left 2 with the one
    # holder of 13.
    assert join(2) == [(0, 0), (0, 1), (2, 3)]
    # Limit 10: the strong likeness 1~10 pairs every holder of 10; 2~11 is not strong.
    assert join(10) == [
        (0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2), (2, 3),
    ]  # fmt: skip


def test_decide_gives_at_most_one_match_and_five_possible() -> None:
    crowded = [(0.9999, 0)] + [(0.999, n) for n in range(1, 12)]
    decided = _decide(crowded)
    assert [d for _, _, d in decided].count("match") <= 1
    assert [d for _, _, d in decided].count("possible") <= MAX_POSSIBLE
    # Eleven strong rivals: nobody is sure enough to be "the" partner.
    assert all(d == "possible" for _, _, d in decided)
    # A likely duplicate stays visible beside a sure match; a weak rival does not.
    sure = _decide([(0.9999999, 0), (0.8, 1), (0.01, 2)])
    assert [(n, d) for _, n, d in sure] == [(0, "match"), (1, "possible")]


def _decided_one_by_one(
    li: np.ndarray, probabilities: np.ndarray, barred: np.ndarray
) -> list[tuple[float, int, str]]:
    """``_decide`` on each left record's pairs in turn: the definition ``_decisions`` keeps
    (pairs too unlikely to show pass on only their odds, summed per record)."""
    clipped = np.minimum(probabilities, 1 - 1e-12)
    odds = clipped / (1 - clipped)
    visible = odds >= POSSIBLE_PROBABILITY
    bounds = np.flatnonzero(np.r_[True, li[1:] != li[:-1], True])
    hidden = np.add.reduceat(np.where(visible, 0.0, odds), bounds[:-1])
    decided: list[tuple[float, int, str]] = []
    for (a, b), rest in zip(pairwise(bounds.tolist()), hidden.tolist(), strict=True):
        shown = (a + np.flatnonzero(visible[a:b])).tolist()
        if shown:
            pairs = [(float(probabilities[n]), n) for n in shown]
            decided += _decide(pairs, rest, {n for n in shown if barred[n]})
    return decided


@pytest.mark.parametrize("seed", range(6))
def test_decisions_of_all_records_at_once_equal_each_decided_alone(seed: int) -> None:
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 40, size=300)
    li = np.repeat(np.arange(len(sizes)) * 3, sizes)  # left records, not numbered from 0
    kind = rng.integers(0, 6, size=len(li))
    probabilities = np.select(
        [kind == 0, kind == 1, kind == 2, kind == 3],
        [
            rng.random(len(li)) * 1e-5,  # too unlikely to show
            rng.choice([0.3, 0.6, 0.97], size=len(li)),  # ties
            rng.choice([1.0, 1 - 1e-13, 1 - 1e-9], size=len(li)),  # clipped, near certain
            rng.random(len(li)) * 1e-3,
        ],
        rng.random(len(li)),
    )
    barred = rng.random(len(li)) < 0.2
    chosen, shares, matched = _decisions(li, probabilities, barred)
    got = [
        (share, n, "match" if match else "possible")
        for share, n, match in zip(shares.tolist(), chosen.tolist(), matched.tolist(), strict=True)
    ]
    want = _decided_one_by_one(li, probabilities, barred)
    assert got == want
    # The cases are all there: matches, records cut at MAX_POSSIBLE, barred sure pairs.
    assert any(d == "match" for _, _, d in want)
    possible = np.bincount(li[[n for _, n, d in want if d == "possible"]])
    assert possible.max() == MAX_POSSIBLE
    assert any(barred[n] and share >= MATCH_PROBABILITY for share, n, _ in want)


def test_decisions_of_no_pairs_are_none() -> None:
    chosen, shares, matched = _decisions(np.zeros(0, np.int64), np.zeros(0), np.zeros(0, bool))
    assert len(chosen) == len(shares) == len(matched) == 0
    only_unlikely = _decisions(np.array([4, 4, 7]), np.array([1e-9, 1e-8, 0.0]), np.zeros(3, bool))
    assert [len(column) for column in only_unlikely] == [0, 0, 0]


def test_decide_never_matches_a_candidate_born_a_generation_apart() -> None:
    alone = _decide([(0.9999999, 0), (0.8, 1)], barred={0})
    # Still shown, with its whole chance: no rival is promoted in its place.
    assert [(n, d) for _, n, d in alone] == [(0, "possible"), (1, "possible")]
    assert alone[0][0] >= MATCH_PROBABILITY
    assert [d for _, _, d in _decide([(0.9999999, 0), (0.8, 1)], barred={1})] == [
        "match",
        "possible",
    ]


# A year more than the rule: either date may be a year alone, which reads as any of its
# days (``model.generations_apart``; the edges are tested there).
@pytest.mark.parametrize("gap", [GENERATION_YEARS + 1, 25])
def test_a_namesake_born_a_generation_apart_is_only_possible(tmp_path: Path, gap: int) -> None:
    left_path, right_path, _truth = write_lists(tmp_path, 120, 1000)
    left, right = read_person_list(left_path), read_person_list(right_path)
    pairs, _model = link(left, right, progress=None)
    dated = {p.id for p in left if p.birth}
    sought = next(p for p in pairs if p.decision == "match" and p.left_id in dated)
    # The registry holds not the sought woman but her namesake a generation younger.
    found = next(p for p in right if p.id == sought.right_id)
    assert found.birth is not None
    year, month, day = found.birth
    younger = dataclasses.replace(found, birth=(year + gap, month, day))
    others = [p for p in right if p.id != found.id]
    pairs, _model = link(left, [*others, younger], progress=None)
    row = [p for p in pairs if p.left_id == sought.left_id]
    assert row[0].right_id == younger.id
    assert row[0].score >= MATCH_PROBABILITY, "sure enough to have been a match"
    assert row[0].decision == "possible"
    assert all(p.decision == "possible" for p in row)
    # A gap of a year less is left to the model, which may match it.
    closer = dataclasses.replace(found, birth=(year + GENERATION_YEARS - 1, month, day))
    pairs, _model = link(left, [*others, closer], progress=None)
    assert next(p.decision for p in pairs if p.left_id == sought.left_id) == "match"


def test_the_linker_reads_a_year_alone_at_its_widest_for_a_generation() -> None:
    sought = Person("L1", "Aisha", "Naloyeva", "", "F", (1995, None, None))
    namesakes = [
        Person(f"R{n}", "Аиша", "Налоева", "", "F", birth)
        for n, birth in enumerate([(2007, 6, 1), (2008, 1, 1), (2007, None, None), None])
    ]
    # 1995-12-31 to 2007-06-01 is eleven whole years, as the application counts.
    apart = _generations_apart(
        birth_columns([sought]), birth_columns(namesakes), np.zeros(4, np.int64), np.arange(4)
    )
    assert apart.tolist() == [False, True, False, False]


def _run(*args: str) -> int:
    with pytest.raises(SystemExit) as excinfo:
        cli.main(["link", *args, "--quiet"])
    return int(excinfo.value.code or 0)


def test_cli_writes_pairs_with_explanations(lists: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "pairs.csv"
    assert _run(str(lists[0]), str(lists[1]), "--out", str(out)) == 0
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == OUTPUT_COLUMNS
    per_left: dict[str, list[str]] = {}
    for row in rows:
        per_left.setdefault(row["left_id"], []).append(row["decision"])
    for decisions in per_left.values():
        assert decisions.count("match") <= 1
        assert decisions.count("possible") <= MAX_POSSIBLE
    explained = next(r for r in rows if (r["left_id"], r["right_id"]) == ("L1", "R1"))
    assert "Naloyeva~Налоева" in explained["explanation"]


def test_cli_reads_xlsx_and_cp1251(tmp_path: Path) -> None:
    left = write_xlsx(tmp_path / "left.xlsx", LEFT_ROWS)
    right = write_csv(tmp_path / "right.csv", CP1251_ROWS, "cp1251")
    out = tmp_path / "pairs.csv"
    assert _run(str(left), str(right), "--out", str(out), "--engine", "python") == 0
    assert "L2,R2," in out.read_text(encoding="utf-8")


def test_cli_bad_file_names_row_and_column_and_writes_nothing(
    lists: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write_csv(tmp_path / "bad.csv", [*RIGHT_ROWS, "R7,Аиша,Налоева,,F,1995-02-31"])
    out = tmp_path / "pairs.csv"
    assert _run(str(lists[0]), str(bad), "--out", str(out)) == 2
    error = capsys.readouterr().err
    assert "row 8" in error
    assert "column birth_date" in error
    assert not out.exists()
    assert list(tmp_path.glob(".pairs-*")) == []


def test_cli_unwritable_output_is_a_clear_error(
    lists: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "missing-dir" / "pairs.csv"
    assert _run(str(lists[0]), str(lists[1]), "--out", str(out)) == 2
    assert "cannot write" in capsys.readouterr().err


def test_cli_learns_from_confirmed_pairs(lists: tuple[Path, Path], tmp_path: Path) -> None:
    confirmed = tmp_path / "confirmed.csv"
    confirmed.write_text("left_id,right_id\nL3,R3\n", encoding="utf-8")
    out = tmp_path / "pairs.csv"
    args = [str(lists[0]), str(lists[1]), "--out", str(out), "--confirmed", str(confirmed)]
    assert _run(*args) == 0
    assert "L3,R3," in out.read_text(encoding="utf-8")


def test_cli_refuses_a_confirmed_file_without_ids(lists: tuple[Path, Path], tmp_path: Path) -> None:
    confirmed = tmp_path / "confirmed.csv"
    confirmed.write_text("left_id,right_id\nL3,\n", encoding="utf-8")
    out = tmp_path / "pairs.csv"
    args = [str(lists[0]), str(lists[1]), "--out", str(out), "--confirmed", str(confirmed)]
    assert _run(*args) == 2
    assert not out.exists()


def test_names_and_linkage_never_import_django() -> None:
    code = (
        "import sys, wayhome.names.similarity, wayhome.linkage.cli; "
        "sys.exit('django' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], check=False)  # noqa: S603 - our own code
    assert result.returncode == 0


def test_vector_codes_sort_and_count_as_unique_rows_do() -> None:
    rng = np.random.default_rng(3)
    vectors = rng.integers(-128, 128, size=(5_000, 3)).astype(np.int8)
    vectors[::7] = vectors[0]  # repeats, as real comparison vectors are
    vectors[1] = (-128, 127, -1)
    rows, row_inverse, row_counts = np.unique(
        vectors, axis=0, return_inverse=True, return_counts=True
    )
    codes, inverse, counts = np.unique(_vector_codes(vectors), return_inverse=True,
                                       return_counts=True)  # fmt: skip
    assert [_vector_of(int(c)) for c in codes] == [tuple(r) for r in rows.tolist()]
    assert inverse.reshape(-1).tolist() == row_inverse.reshape(-1).tolist()
    assert counts.tolist() == row_counts.tolist()


@pytest.mark.parametrize("at_once", [10_000, 2, 1])
def test_vocabulary_rows_are_the_pairs_as_rows_would_make(
    at_once: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wayhome.names import pair_scores
    from wayhome.names.similarity import block_key_code, block_keys, name_features

    monkeypatch.setattr(pair_scores, "KEY_ROWS_AT_ONCE", at_once)

    names = ["Аиша Налоева", "Налоева Аиша Аиша", "Rustam Magomedov", "عائشة نالوييفا", ""]
    features = [name_features(full=n) for n in names]
    vocab = _Vocabulary.of(features)
    tokens = list(dict.fromkeys(t for f in features for t in f.tokens))
    expected = {
        (n, block_key_code(k)) for n, t in enumerate(tokens) for k in block_keys(t, 8, KEY_WIDTHS)
    }
    rows = vocab.table.block_key_codes(8, KEY_WIDTHS).tolist()
    assert len(rows) == len(expected)  # distinct rows
    assert {(n, code) for n, code in rows} == expected
    pairs = [(rec, t) for rec, ids in enumerate(vocab.records) for t in set(ids)]
    assert vocab.token_rows().tolist() == as_rows(pairs).tolist()
    assert _Vocabulary().token_rows().shape == (0, 2)
    assert pair_scores.KeyTable([]).block_key_codes(8, KEY_WIDTHS).shape == (0, 2)


def test_features_of_both_lists_at_once_equal_each_alone(lists: tuple[Path, Path]) -> None:
    from wayhome.names.similarity import forget_spellings

    left, right = (read_person_list(p) for p in lists)
    together = features_of_lists([left, right], workers=1)
    forget_spellings()  # computed afresh, not found in the caches filled above
    alone = [features_of(left), features_of(right)]
    assert len(together[0]) == len(left)
    assert [[[(t.text, t.role, t.keys) for t in f.tokens] for f in side] for side in together] == [
        [[(t.text, t.role, t.keys) for t in f.tokens] for f in side] for side in alone
    ]


EXPLAINED_NAMES = [
    "Aisha Naloyeva", "Аиша Налоева", "عائشة نالوييفا", "Mahomedov Rustam Alievich",
    "Магомедов Рустам", "Umm Muhammad al-Shishani", "أبو محمد الشيشاني", "Ali Ali",
    "Али", "Li An Li", "", "al-", "Rakhmonzoda Zarina Rustamovna Karimova",
]  # fmt: skip


def test_explanations_of_every_shape_equal_compare_features() -> None:
    """Names of one to four tokens each way, a repeated token, none at all: the bulk
    explanation is ``compare_features``, alignment, ties and leftovers alike."""
    from wayhome.linkage.scoring import TokenScores
    from wayhome.names.similarity import compare_features, name_features

    names = [name_features(full=n) for n in EXPLAINED_NAMES]
    lv, rv = _Vocabulary.of(names), _Vocabulary.of(names[::-1])
    records = [(i, j) for i in range(len(names)) for j in range(len(names))]
    got = _explained(lv, rv, TokenScores(lv.table, rv.table).pairs, records)
    assert got == [compare_features(names[i], names[::-1][j]) for i, j in records]
    assert {(len(c.matches), len(c.unmatched_left)) for c in got} >= {(0, 0), (2, 1), (1, 0)}


@pytest.mark.parametrize("module", [False, True])
@pytest.mark.parametrize("bad", [False, True])
def test_the_command_exits_with_its_status_and_its_output_written(
    lists: tuple[Path, Path], tmp_path: Path, bad: bool, module: bool
) -> None:
    """The ``wayhome`` process leaves without freeing its objects one by one: its status
    and its output are those of the command, progress included, whether it runs as the
    installed script or as ``python -m wayhome.cli``."""
    left = tmp_path / "bad.csv" if bad else lists[0]
    if bad:
        left.write_text("name,born\nAisha,1995\n", encoding="utf-8")  # no id column
    out = tmp_path / "pairs.csv"
    launcher = (
        [sys.executable, "-m", "wayhome.cli"]
        if module
        else [str(Path(sys.executable).with_name("wayhome"))]
    )
    command = [*launcher, "link", str(left), str(lists[1]), "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if bad:
        assert done.returncode == 2
        assert "wayhome link: error:" in done.stderr
        assert not out.exists()
    else:
        assert done.returncode == 0, done.stderr
        assert "done:" in done.stderr  # the last progress line, flushed
        with out.open(encoding="utf-8") as handle:
            assert next(csv.reader(handle)) == list(OUTPUT_COLUMNS)


def test_vocabulary_of_parsed_names_equals_that_of_their_features(
    lists: tuple[Path, Path],
) -> None:
    """The linker's vocabulary, read from the primed columns without making features,
    is that of the names' features: tokens, ids, texts and every key column (particles,
    repeated tokens and tokens without a key among them)."""
    from wayhome.names.romanise import prime_token_keys
    from wayhome.names.similarity import features_of_tokens, forget_spellings
    from wayhome.names.structure import parse_name

    persons = read_person_list(lists[0])
    names = [parse_name(p.given_name, p.family_name, p.full_name) for p in persons]
    names += [parse_name(full=n) for n in [*EXPLAINED_NAMES, "Ali ibn 123 Ali", "…", "al- Li"]]
    forget_spellings()
    prime_token_keys((t.text for name in names for t in name), workers=1)
    got = _Vocabulary.parsed(names)
    want = _Vocabulary.of([features_of_tokens(name) for name in names])
    assert any(len(set(ids)) < len(ids) for ids in got.records)  # a repeated token
    assert len(got.table.texts) < len({t for name in names for t in name})  # some dropped
    assert got.records == want.records
    assert [got.names(n) for n in range(len(names))] == [
        tuple(t.text for t in features_of_tokens(name).tokens) for name in names
    ]
    for column in ("texts", "latins"):
        assert getattr(got.table, column) == getattr(want.table, column), column
    for column in ("token_starts", "key_starts", "points", "doubts64", "doubts", "sources"):
        assert np.array_equal(getattr(got.table, column), getattr(want.table, column)), column


@pytest.mark.parametrize("in_order", [True, False])
def test_alike_keeps_each_left_tokens_best_first_ties_by_right_token(in_order: bool) -> None:
    """The close pairs are each left token's MAX_CLOSE best, ties broken by the right
    token, as a sort on all three keys gives them, whether the engine's rows come
    sorted (one stable sort then serves) or not."""
    from wayhome.linkage import link as link_module

    rng = np.random.default_rng(5)
    pairs = np.unique(rng.integers(0, [40, 300], size=(6_000, 2)), axis=0)
    levels = np.array([0.5, 0.6, 0.61, 0.65, 0.7, 0.9, 1.0], dtype=np.float32)  # many ties
    scores = rng.choice(levels, len(pairs)).astype(np.float64)
    if not in_order:
        shuffled = rng.permutation(len(pairs))
        pairs, scores = pairs[shuffled], scores[shuffled]
    close, strong = _alike(pairs, scores)
    keep = scores >= link_module.TOKEN_FLOOR
    order = np.lexsort((pairs[keep][:, 1], -scores[keep], pairs[keep][:, 0]))
    ranked, ranked_scores = pairs[keep][order], scores[keep][order]
    rank = np.array([np.sum(ranked[:n, 0] == ranked[n, 0]) for n in range(len(ranked))])
    best = rank < link_module.MAX_CLOSE
    assert close.tolist() == ranked[best].tolist()
    assert strong.tolist() == ranked[best & (ranked_scores >= link_module.STRONG_TOKEN)].tolist()
    assert len(close) < np.sum(keep)  # some left tokens had more than MAX_CLOSE
