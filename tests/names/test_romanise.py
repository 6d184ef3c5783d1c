"""Romanisation: every common scheme's spelling plus the learned ones meet in Latin keys."""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from wayhome.names.normalise import fold_latin, normalise_token
from wayhome.names.romanise import (
    _ICU_RUSSIAN_ONLY,
    ARTICLE_PENALTY,
    BEAM,
    MAX_PENALTY,
    PENALTY_PER_COST,
    SKELETON_PENALTY,
    SKELETONS,
    VOWELLESS_PEERS,
    Spelling,
    _beam,
    _channel,
    _icu_transliterators,
    _keys_of_many,
    _without_article,
    consonant_skeleton,
    consonant_skeletons,
    latin_key,
    latin_keys,
    learned_spellings,
    prime_token_keys,
    token_keys,
)
from wayhome.names.similarity import compare_names
from wayhome.names.tables import fallback_spelling, romanise_cyrillic_schemes
from wayhome.names.train import bare, units


def _keys(token: str) -> set[str]:
    return {s.key for s in token_keys(token)}


def test_cyrillic_schemes_give_their_own_spellings() -> None:
    schemes = romanise_cyrillic_schemes("щукина")
    assert schemes["bgn_pcgn"] == "shchukina"
    assert schemes["german"] == "schtschukina"
    assert schemes["french"] == "chtchoukina"


@pytest.mark.parametrize(
    ("latin", "other"),
    [
        ("Magomedov", "Магомедов"),
        ("Magomedow", "Магомедов"),
        ("Rahmonzoda", "Раҳмонзода"),
        ("Umar", "Ӏумар"),
        ("Yolkina", "Ёлкина"),
        ("Shchukina", "Щукина"),
        ("Aisha", "عائشة"),
        ("Aysha", "عائشة"),
    ],
)
def test_a_spelling_of_the_foreign_token_has_the_latin_key(latin: str, other: str) -> None:
    assert latin_key(latin.lower()) in _keys(other)


@pytest.mark.parametrize(
    ("left", "right"),
    [("Mahomedov", "Магомедов"), ("Magomedow", "Магомедов"), ("Shishani", "الشيشاني")],
)
def test_spelling_variants_score_high(left: str, right: str) -> None:
    assert compare_names(left, right).score >= 0.9


@pytest.mark.parametrize(
    ("left", "right"), [("Magomedov", "Петров"), ("Aisha", "محمد"), ("Rahmonzoda", "Ivanova")]
)
def test_different_names_score_low(left: str, right: str) -> None:
    assert compare_names(left, right).score < 0.5


def test_latin_key_forgets_what_spellers_disagree_on() -> None:
    assert latin_key("magomedow") == latin_key("magomedov")
    assert latin_key("tschetschenien") == latin_key("chechenien")
    assert latin_key("abdullah") == latin_key("abdulla")


# The sound-alike rules as they were first written, one regex pass each in this order:
# ``latin_key`` must give exactly their result (stored blocking keys depend on it).
_REFERENCE_RULES = [
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"tsch|tch|dsch|dzh|dj", "C"), (r"sch|sh", "S"), (r"ch", "C"), (r"ph", "f"),
        (r"kh", "H"), (r"gh", "g"), (r"x", "ks"), (r"ck|c(?=[^eiy]|$)|q", "k"), (r"c", "s"),
        (r"tz|ts", "z"), (r"[wv]", "f"), (r"ou|oo", "u"), (r"ee|ie(?=[^aeiou]|$)", "i"),
        (r"j(?=[aeiou])", "y"), (r"y", "i"), (r"th", "t"), (r"dh", "d"), (r"(.)\1+", r"\1"),
        (r"(?<=[a-zA-Z])h(?=[^aeiou]|$)", ""),
    )
]  # fmt: skip


def _reference_latin_key(latin: str) -> str:
    for pattern, replacement in _REFERENCE_RULES:
        latin = pattern.sub(replacement, latin)
    return latin.lower()


def test_latin_key_equals_the_rules_applied_one_by_one() -> None:
    rng = random.Random(3)
    # Letters the rules are about, over-represented so that their overlaps occur often.
    alphabet = "tschdzjkhpgxqwvouieyaaeblmnrf"
    words = [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(20_000)
    ]
    words += ["tsh", "oou", "ttzs", "dzsh", "tschtch", "cie", "chh", "jeee", "ckq", "xh"]
    for word in words:
        assert latin_key(word) == _reference_latin_key(word), word


def _reference_beam(script: str, letters: tuple[str, ...], k: int) -> tuple[tuple[float, str], ...]:
    """Every spelling of every segmentation, each at its cheapest cost; the k best."""
    if not letters:
        return ((0.0, ""),)
    table: dict[str, list[tuple[str, float]]] = _channel().get(script, {})  # type: ignore[assignment]
    pool: dict[str, float] = {}
    for width in (1, 2):
        if width > len(letters):
            continue
        segment = "".join(letters[-width:])
        options = table.get(segment) or table.get(bare(segment))
        if options is None:
            if width == 2:
                continue
            options = [(fallback_spelling(bare(segment)), 6.0)]
        for cost, text in _reference_beam(script, letters[:-width], k):
            for latin, c in options:
                if cost + c < pool.get(text + latin, 1e9):
                    pool[text + latin] = cost + c
    return tuple(sorted(zip(pool.values(), pool.keys(), strict=True))[:k])


@pytest.mark.parametrize(
    ("script", "alphabet"),
    [
        ("Cyrl", "абвгдежзийклмнопрстуфхцчшщъыьэюяӏҳғқӣӯҷ"),
        ("Arab", "ابتثجحخدذرزسشصضطظعغفقكلمنهويءة"),
    ],
)
def test_the_pruned_beam_equals_the_full_one(script: str, alphabet: str) -> None:
    rng = random.Random(5)
    for _ in range(300):
        folded = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 9)))
        letters = units(folded)
        assert _beam(script, letters, BEAM) == _reference_beam(script, letters, BEAM), folded


def _reference_spellings(script: str, folded: str) -> list[tuple[str, str, float]]:
    """(latin, source, penalty) of one folded token, one call per scheme, as first written."""
    found: list[tuple[str, str, float]] = []
    if script == "Latn":
        found.append((folded, "as written", 0.0))
    if script == "Cyrl":
        found += [
            (latin, scheme, 0.0) for scheme, latin in romanise_cyrillic_schemes(folded).items()
        ]
        russian = all("а" <= ch <= "я" or ch == "ё" for ch in folded)
        found += [(fold_latin(tr.transliterate(folded)), scheme, 0.0)
                  for scheme, tr in _icu_transliterators().items()
                  if _ICU_RUSSIAN_ONLY[scheme] == russian]  # fmt: skip
    learned = learned_spellings(folded, script) if script != "Latn" else []
    if learned:
        best = learned[0][1]
        found += [(latin, "learned", min(MAX_PENALTY, PENALTY_PER_COST * (cost - best)))
                  for latin, cost in learned]  # fmt: skip
    return found


def _reference_token_keys(token: str) -> tuple[Spelling, ...]:
    """``token_keys`` one token and one spelling at a time, as first written."""
    script, folded = normalise_token(token)
    if not folded:
        return ()
    found = _reference_spellings(script, folded)
    bare_name = _without_article(token, script, folded)
    if bare_name:
        dropped = _reference_spellings(script, bare_name)
        found += [(latin, f"{source}, article dropped", penalty + ARTICLE_PENALTY)
                  for latin, source, penalty in dropped]  # fmt: skip
    seen: dict[str, Spelling] = {}
    keyed: set[str] = set()
    for latin, source, penalty in found:
        if latin in keyed:
            continue
        keyed.add(latin)
        key = latin_key(latin)
        if key and key not in seen:
            seen[key] = Spelling(key, latin, source, round(penalty, 3))
    if script in VOWELLESS_PEERS:
        for spelling in list(seen.values())[:SKELETONS]:
            key = "~" + consonant_skeleton(spelling.key)
            if key not in seen:
                seen[key] = Spelling(key, spelling.latin, "consonants only",
                                     round(spelling.penalty + SKELETON_PENALTY, 3))  # fmt: skip
    return tuple(seen.values())


def _random_tokens(rng: random.Random, count: int) -> list[str]:
    """Tokens of every script the linker meets, with articles, marks, stray characters."""
    alphabets = [
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяӏҳғқӣӯҷәөүұі",
        "ابتثجحخدذرزسشصضطظعغفقكلمنهويءةأإآىئؤ" + "\u064e\u0650",
        "abcdefghijklmnopqrstuvwxyzéñß'",
    ]
    tokens = []
    for _ in range(count):
        alphabet = rng.choice(alphabets)
        token = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 10)))
        tokens.append(rng.choice(["", "", "al-", "Al-", "ال"]) + token.capitalize())
    return [*tokens, "", "-", "1", "Ӏумар", "عائشة", "al-Shishani", "Магомедов"]


def test_keys_in_bulk_equal_keys_one_by_one() -> None:
    tokens = _random_tokens(random.Random(11), 3_000)
    bulk = _keys_of_many(tokens)
    assert any(len(keys) > 10 for keys in bulk)  # the learned spellings took part
    assert any(k.source == "consonants only" for keys in bulk for k in keys)
    for token, keys in zip(tokens, bulk, strict=True):
        assert keys == _reference_token_keys(token), token
        assert all(type(k) is Spelling for k in keys)


def _plain_tokens(rng: random.Random, count: int) -> list[str]:
    """Tokens whose every spelling is plain ASCII: basic Russian, Arabic and Latin letters."""
    alphabets = [
        "абвгдежзийклмнопрстуфхцчшщыьэюя",
        "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
        "abcdefghijklmnopqrstuvwxyz",
    ]
    return [
        rng.choice(["", "al-", "ال"])
        + "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 9)))
        for alphabet in (rng.choice(alphabets) for _ in range(count))
    ]


@pytest.mark.parametrize("odd", [False, True])
def test_bulk_keys_are_compiled_where_exact(odd: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    from wayhome.names import bulk_keys

    compiled: list[int] = []
    real = bulk_keys.latin_keys

    def counted(chars: object, starts: object) -> object:
        compiled.append(1)
        return real(chars, starts)  # type: ignore[arg-type]

    monkeypatch.setattr(bulk_keys, "latin_keys", counted)
    tokens = _plain_tokens(random.Random(14), 1_500)
    tokens += ["Магомедовζ"] if odd else []  # a letter no rule knows: spelt as it is
    bulk = _keys_of_many(tokens)
    assert bool(compiled) is not odd  # such a spelling is keyed in Python
    assert any(k.source == "consonants only" for keys in bulk for k in keys)
    assert any("article dropped" in k.source for keys in bulk for k in keys)
    for token, keys in zip(tokens, bulk, strict=True):
        assert keys == _reference_token_keys(token), token


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_primed_keys_equal_keys_one_by_one(workers: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from wayhome.names import romanise
    from wayhome.names.similarity import forget_spellings

    forget_spellings()
    monkeypatch.setattr(romanise, "PARALLEL_MIN", 100)  # a few tokens, as a list's many
    monkeypatch.setattr(romanise, "CHUNK_TOKENS", 64)
    tokens = _random_tokens(random.Random(12), 500)
    read: list[str] = []

    def parsed() -> Iterator[str]:  # as the linker gives them: read while keyed
        for token in [*tokens, *tokens[:50]]:  # repeats keyed once
            read.append(token)
            yield token

    primed: list[object] = []
    from_workers: list[object] = []
    prime, keep = romanise._prime, romanise._keep

    def counted_prime(*args: Any) -> None:
        primed.append(args)
        prime(*args)

    def counted_keep(*args: Any) -> None:
        from_workers.append(args)
        keep(*args)

    monkeypatch.setattr(romanise, "_prime", counted_prime)
    monkeypatch.setattr(romanise, "_keep", counted_keep)
    prime_token_keys(parsed(), workers)
    if workers > 1:  # the workers key chunks, and so does this process beside them
        assert 0 < len(from_workers) < len(primed) == math.ceil(len(tokens) / 64)
    assert len(read) == len(tokens) + 50
    assert set(romanise._PRIMED) == set(tokens)
    for token in tokens:
        assert token_keys(token) == _reference_token_keys(token), token
    prime_token_keys(tokens[:10], workers)  # already primed: nothing to do
    assert set(romanise._PRIMED) == set(tokens)


def test_latin_keys_in_one_pass_equal_one_at_a_time() -> None:
    rng = random.Random(4)
    alphabet = "tschdzjkhpgxqwvouieyaaeblmnrf"
    words = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 9))) for _ in range(5_000)]
    words += ["c", "h", "ie", "j", "aa", "", "ck", "x", "ц", "حh"]
    assert latin_keys(words) == [latin_key(w) for w in words]
    assert consonant_skeletons(words) == [consonant_skeleton(w) for w in words]
    # A spelling holding the separator is keyed on its own, not split.
    assert latin_keys(["ab\ncd", "sh"]) == [latin_key("ab\ncd"), "s"]
    assert latin_keys([]) == []
    assert consonant_skeletons([]) == []


def _icu_keys(token: str) -> dict[str, str]:
    return {k.source: k.key for k in token_keys(token) if k.source.startswith("icu")}


def test_icu_bgn_spells_russian_tokens_with_its_ye() -> None:
    """BGN/PCGN's "ye" for е at the start is a key no other scheme gives."""
    assert _icu_keys("Евгения") == {"icu Russian-Latin/BGN": latin_key("yevgeniya")}


def test_icu_bgn_does_not_spell_letters_russian_lacks() -> None:
    """It drops them ("іван" would be "van", "өмір" "mr"): no key from it there."""
    for token, dropped in (("Іван", "van"), ("Өмір", "mr"), ("Қасым", "asym")):
        assert "icu Russian-Latin/BGN" not in _icu_keys(token), token
        assert latin_key(dropped) not in {k.key for k in token_keys(token)}, token


def test_icu_iso9_spells_the_letters_the_schemes_lack() -> None:
    """Ukrainian ґ and є: ISO 9 gives the key a Ukrainian name is written with."""
    assert latin_key("galagan") in {k.key for k in token_keys("Ґалаґан")}
    assert _icu_keys("Євгенія") == {"icu Cyrillic-Latin": latin_key("evgeniya")}


def test_icu_iso9_is_not_asked_for_russian_tokens() -> None:
    assert all("Cyrillic-Latin" not in k.source for k in token_keys("Николаевич"))


def test_primed_columns_are_the_token_keys_primed_or_not() -> None:
    """The linker's columns hold what ``token_keys`` gives, whether a token was primed
    (read from its chunk) or not (keyed on the spot)."""
    from wayhome.names.romanise import primed_columns, source_name
    from wayhome.names.similarity import forget_spellings

    forget_spellings()
    tokens = _random_tokens(random.Random(21), 300)
    prime_token_keys(tokens[:200], workers=1)
    asked = [*tokens[150:], tokens[0], "", "123"]
    flat = primed_columns(asked)
    for n, token in enumerate(asked):
        rows = range(flat.bounds[n], flat.bounds[n + 1])
        got = tuple(
            Spelling(flat.keys[r], flat.latins[r], source_name(flat.sources[r]), flat.doubts[r])
            for r in rows
        )
        assert got == token_keys(token) == _reference_token_keys(token), token
    assert flat.bounds[-1] == len(flat.keys) > 0


def test_penalties_are_rounded_as_python_rounds_them() -> None:
    """``_rounded`` is ``round(value, 3)``, halves and values a hair off them included."""
    from wayhome.names.romanise import _rounded

    rng = random.Random(8)
    values = [rng.random() * 3 for _ in range(50_000)]
    values += [k / 1000 + 0.0005 for k in range(-500, 3000)] + [k / 2000 for k in range(6000)]
    values += [0.0, -0.0, 1e-9, -0.0004, 2.675, 1.0005, 0.0015, 1e300, float("inf")]
    for chunk in (values[:-2], values):  # the last two take the Python path
        got = _rounded(np.array(chunk))
        assert [repr(g) for g in got] == [repr(round(v, 3)) for v in chunk]
    assert _rounded(np.zeros(0)) == []


def test_keys_packed_for_the_parent_unpack_to_the_same_columns() -> None:
    from wayhome.names import romanise

    tokens = _random_tokens(random.Random(5), 300)
    normalised = [normalise_token(t) for t in tokens]
    packed = romanise._packed_keys(tokens, normalised)
    assert isinstance(packed, romanise._Packed)
    assert packed.unpacked() == romanise._flat_keys(tokens, normalised)
    empty = romanise._packed_keys([], [])
    assert isinstance(empty, romanise._Packed)
    assert empty.unpacked() == romanise.FlatKeys([], [], [], [], [0])


def test_keys_holding_the_separator_are_sent_unpacked(monkeypatch: pytest.MonkeyPatch) -> None:
    from wayhome.names import romanise

    flat = romanise.FlatKeys(["ab", "c\nd"], ["ab", "cd"], [0, 1], [0.0, 0.02], [0, 2])
    monkeypatch.setattr(romanise, "_flat_keys", lambda tokens, normalised: flat)
    assert romanise._packed_keys(["x"], [("Latn", "x")]) is flat
