"""The compiled keys equal ``latin_key``'s, and each owner's first keys are found."""

from __future__ import annotations

import random

import numpy as np
import pytest

from wayhome.names import bulk_keys
from wayhome.names.romanise import latin_key

# Letters every rule looks for, weighted towards them, and a few capitals and others.
RULE_LETTERS = "tschdzjkhgpxcqkwvouieyaeeoohhsstzSCH'b"


def _keys(texts: list[str]) -> list[str]:
    chars, starts = bulk_keys.latin_keys(*bulk_keys.points(texts))
    return bulk_keys.kept_keys(np.arange(len(texts)), chars, starts)


def _random_spellings(rng: random.Random, count: int) -> list[str]:
    return ["".join(rng.choice(RULE_LETTERS) for _ in range(rng.randint(0, 12)))
            for _ in range(count)]  # fmt: skip


def test_keys_equal_latin_key_on_random_spellings() -> None:
    texts = _random_spellings(random.Random(3), 30_000)
    assert _keys(texts) == [latin_key(t) for t in texts]


def test_each_rule_as_the_definition_reads_it() -> None:
    cases = {
        "tschaikowsky": "Caikofski",  # tsch before sch; w → f; y → i
        "dzhokhar": "CoHar",
        "djamal": "Camal",
        "schmidt": "Smidt",
        "chechnya": "CeCnia",
        "philipp": "filip",
        "ghazi": "gazi",
        "maxim": "maksim",
        "jackson": "iakson",  # ck → k; j before a vowel → y, then y → i
        "cecil": "sesil",  # c before e, i stays soft
        "mac": "mak",  # c at the end is hard
        "qasim": "kasim",
        "kutz": "kuz",
        "boutros": "butros",
        "mustafa": "mustafa",
        "kieu": "kieu",  # ie before a vowel stays
        "petriev": "petrif",  # v → f, then ie before a consonant → i
        "thabit": "tabit",
        "dhikr": "dikr",
        "abbass": "abas",
        "rahman": "raman",  # h before a consonant, after a letter, is silent
        "hamid": "hamid",  # but not at the start
        "ahmed": "amed",
        "allah": "ala",
    }
    assert _keys(list(cases)) == [latin_key(t) for t in cases]
    assert [latin_key(t) for t in cases] == [v.lower() for v in cases.values()]


def test_keys_grow_where_x_is_two_letters() -> None:
    texts = ["x" * 40, "", "xx", "ax"]
    assert _keys(texts) == [latin_key(t) for t in texts]


def test_no_spellings_no_keys() -> None:
    chars, starts = bulk_keys.latin_keys(*bulk_keys.points([]))
    assert chars.tolist() == []
    assert starts.tolist() == [0]


def test_the_kernels_take_any_integer_arrays() -> None:
    """The kernels read C-contiguous int32 and int64 arrays; the callers make them so."""
    texts = ["maxim", "", "dzhokhar", "maksim"]
    chars, starts = bulk_keys.points(texts)
    wide, spread = chars.astype(np.int64), np.repeat(starts, 2)[::2]  # strided
    keys, key_starts = bulk_keys.latin_keys(wide, spread)
    assert keys.dtype == np.int32
    assert key_starts.dtype == np.int64
    assert bulk_keys.kept_keys(np.arange(4, dtype=np.int32), keys, key_starts) == _keys(texts)
    order = np.arange(4, dtype=np.int32)[::-1]
    kept = bulk_keys.firsts(order, np.zeros(4, dtype=np.int8), keys, key_starts)
    assert kept.dtype == np.bool_
    assert kept.tolist() == [True, True, False, False]  # maksim, dzhokhar, "", maxim


def test_a_pass_table_of_another_shape_is_refused() -> None:
    from wayhome.names import _bulk_keys

    chars, starts = bulk_keys.points(["ab"])
    with pytest.raises(ValueError, match="a pass is 8 numbers"):
        _bulk_keys.sound_alike_many(chars, starts, np.zeros((1, 7), dtype=np.int64))


def _reference_firsts(owner: list[int], keys: list[str]) -> list[bool]:
    kept: list[bool] = []
    seen: set[str] = set()
    for n, (o, k) in enumerate(zip(owner, keys, strict=True)):
        if n and o != owner[n - 1]:
            seen = set()
        kept.append(bool(k) and k not in seen)
        seen.add(k)
    return kept


def test_firsts_keep_the_first_of_each_key_per_owner() -> None:
    rng = random.Random(4)
    keys = ["".join(rng.choice("ab") for _ in range(rng.randint(0, 3))) for _ in range(5_000)]
    owner = sorted(rng.randrange(700) for _ in keys)
    order = np.array(rng.sample(range(len(keys)), len(keys)), dtype=np.int64)
    chars, starts = bulk_keys.points(keys)
    got = bulk_keys.firsts(order, np.array(owner, dtype=np.int64), chars, starts)
    assert got.tolist() == _reference_firsts(owner, [keys[n] for n in order.tolist()])
    assert not got.all()
    assert got.any()


def test_kept_keys_survive_a_line_break_inside_a_key() -> None:
    texts = ["ab", "c\nd", "", "e"]
    chars, starts = bulk_keys.points(texts)
    assert bulk_keys.kept_keys(np.array([3, 1, 2, 0]), chars, starts) == ["e", "c\nd", "", "ab"]
    assert bulk_keys.kept_keys(np.array([0, 3]), chars, starts) == ["ab", "e"]
    assert bulk_keys.kept_keys(np.zeros(0, dtype=np.int64), chars, starts) == []
