"""The held-out benchmark's split, its lists and the channel it learns."""

from __future__ import annotations

import csv
import json
import random
import re
from pathlib import Path

import pytest
from bench.linkage import heldout
from rapidfuzz.distance import Levenshtein

from wayhome.names.romanise import learned_spellings
from wayhome.names.similarity import use_channel
from wayhome.names.train import CHANNEL_PATH, Pair


def _forms(count: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice("абвгдежзиклмнопрст") for _ in range(7)) for _ in range(count)]


def test_the_held_out_share_is_near_the_asked_one_and_the_same_every_time() -> None:
    forms = _forms(20_000)
    chosen = [heldout.held_out(f, 0.25) for f in forms]
    assert 0.24 < sum(chosen) / len(forms) < 0.26
    assert chosen == [heldout.held_out(f, 0.25) for f in forms]
    assert not any(heldout.held_out(f, 0.0) for f in forms)


def test_a_held_out_form_is_in_no_taught_pair_whatever_its_spelling() -> None:
    forms = _forms(400)
    pairs: dict[str, list[Pair]] = {
        "Cyrl": [(latin, f) for f in forms for latin in ("one", "two")],
    }
    taught, unseen = heldout.split(pairs, 0.3)
    assert unseen["Cyrl"]
    assert taught["Cyrl"]
    assert not {f for _, f in taught["Cyrl"]} & {f for _, f in unseen["Cyrl"]}
    assert sorted(taught["Cyrl"] + unseen["Cyrl"]) == sorted(pairs["Cyrl"])


def test_a_typo_is_one_edit_from_the_word() -> None:
    rng = random.Random(3)
    words = [
        "".join(rng.choice("abcdefghij") for _ in range(rng.randint(2, 9))) for _ in range(500)
    ]
    assert all(Levenshtein.distance(w.lower(), heldout._typo(w, rng).lower()) == 1 for w in words)


Row = dict[str, str]
Built = tuple[list[Pair], list[Row], list[Row], list[Row]]  # the pairs, then the three files


def _rows(path: Path) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    rng = random.Random(1)
    pairs = [("".join(rng.choice("abdeiklmnorstuz") for _ in range(6)), f) for f in _forms(3_000)]
    paths = heldout.write_set(tmp_path_factory.mktemp("heldout"), pairs, seed=5)
    left, right, truth = (_rows(p) for p in paths)
    return pairs, left, right, truth


def test_the_lists_have_linkage_devs_shape(
    built: Built,
) -> None:
    _, left, right, truth = built
    assert (len(left), len(right), len(truth)) == (3_000, 20_000, 2_000)
    assert len({r["id"] for r in left}) == 3_000
    assert len({r["id"] for r in right}) == 20_000
    assert {t["left_id"] for t in truth} <= {r["id"] for r in left}
    assert {t["right_id"] for t in truth} <= {r["id"] for r in right}
    assert len({t["right_id"] for t in truth}) == 2_000  # one query per registry partner


def test_the_registry_holds_only_the_given_names_in_their_script(
    built: Built,
) -> None:
    pairs, _, right, _ = built
    forms = {f for _, f in pairs}
    assert {r[part] for r in right for part in ("given_name", "family_name")} <= forms
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", r["birth_date"]) for r in right)


def test_queries_carry_linkage_devs_noise(
    built: Built,
) -> None:
    _, left, right, truth = built
    by_id = {r["id"]: r for r in right}
    partnered = {t["left_id"]: by_id[t["right_id"]] for t in truth}
    queries = [r for r in left if r["id"] in partnered]
    alone = [r for r in left if r["id"] not in partnered]
    assert all(r["given_name"] and r["family_name"] and len(r["birth_date"]) == 10 for r in alone)
    noise = heldout.NOISE

    def share(test: list[bool]) -> float:
        return sum(test) / len(test)

    assert share([bool(r["full_name"]) for r in queries]) == pytest.approx(
        noise.full_name, abs=0.04
    )
    assert share([not r["sex"] for r in queries]) == pytest.approx(noise.sex_blank, abs=0.03)
    assert share([not r["birth_date"] for r in queries]) == pytest.approx(
        noise.birth_blank, abs=0.03
    )
    assert share([len(r["birth_date"]) == 4 for r in queries]) == pytest.approx(
        noise.year_only, abs=0.04
    )
    dated = [r for r in queries if r["birth_date"]]
    off = [r["birth_date"][:4] != partnered[r["id"]]["birth_date"][:4] for r in dated]
    assert share(off) == pytest.approx(noise.year_off, abs=0.03)
    assert all(
        abs(int(r["birth_date"][:4]) - int(partnered[r["id"]]["birth_date"][:4])) <= 1
        for r in dated
    )
    assert all(r["sex"] in ("", partnered[r["id"]]["sex"]) for r in queries)


def test_query_names_are_spellings_of_the_partners_one_edit_at_most(
    built: Built,
) -> None:
    pairs, left, right, truth = built
    spelt = heldout.spellings(pairs)
    by_id = {r["id"]: r for r in right}
    queries = {r["id"]: r for r in left}
    edits = []
    for t in truth:
        query, partner = queries[t["left_id"]], by_id[t["right_id"]]
        words = query["full_name"].split() or [query["given_name"], query["family_name"]]
        for form in (partner["given_name"], partner["family_name"]):
            edits.append(min(Levenshtein.distance(w, s) for w in words for s in spelt[form]))
    assert max(edits) == 1
    assert sum(e == 1 for e in edits) / len(edits) == pytest.approx(heldout.NOISE.typo, abs=0.02)


def test_too_few_names_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="too few names"):
        heldout.write_set(tmp_path, [("anna", "анна")], seed=1)


def test_the_channel_learnt_is_the_one_spelt_with_until_given_back(tmp_path: Path) -> None:
    # A channel taught that "ж" is spelt "zz": the default one spells it "zh".
    pairs: dict[str, list[Pair]] = {
        "Cyrl": [("azza", "ажа"), ("ozzo", "ожо"), ("uzzu", "ужу"), ("izzi", "ижи")] * 3,
        "Arab": [("salam", "سلام")] * 3,
    }
    channel = heldout.learn(pairs, tmp_path / "channel.json", workers=1)
    assert set(json.loads(channel.read_text(encoding="utf-8"))) == {"Arab", "Cyrl"}
    try:
        use_channel(channel)
        assert learned_spellings("ажа", "Cyrl")[0][0] == "azza"
    finally:
        use_channel(CHANNEL_PATH)
    assert learned_spellings("ажа", "Cyrl")[0][0] != "azza"
