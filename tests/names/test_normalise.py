"""Normalisation: what never distinguishes two people is folded away, per script."""

from __future__ import annotations

import pytest

from wayhome.names.normalise import fold_arabic, fold_cyrillic, fold_latin, normalise_token


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("أَحْمَد", "احمد"),  # alef with hamza and vowel marks
        ("إبراهيم", "ابراهيم"),  # alef with hamza below
        ("فاطمة", "فاطمه"),  # ta marbuta
        ("مصطفى", "مصطفي"),  # alef maqsura
        ("محـــمد", "محمد"),  # tatweel
        ("مسؤول", "مسوول"),  # hamza on waw
        ("عائشة", "عايشه"),  # hamza on ya
    ],
)
def test_arabic_letter_variants_fold(written: str, folded: str) -> None:
    assert fold_arabic(written) == folded


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("Ёлкина", "елкина"),
        ("Йосиф", "йосиф"),  # й is a letter of its own, not и
        ("Ӏумар", "ӏумар"),  # palochka
        ("Iумар", "ӏумар"),  # Latin capital I typed for palochka
        ("Махма1ев", "махмаӏев"),  # digit one typed for palochka
        ("Раҳмонзода", "раҳмонзода"),  # Tajik letters are kept for romanisation
    ],
)
def test_cyrillic_folds_case_yo_and_palochka(written: str, folded: str) -> None:
    assert fold_cyrillic(written) == folded


def test_latin_folds_case_diacritics_and_special_letters() -> None:
    assert fold_latin("Muñoz") == "munoz"
    assert fold_latin("Szarłowski") == "szarlowski"
    assert fold_latin("O'Neill-Weiß") == "oneillweiss"


@pytest.mark.parametrize(
    ("token", "script"),
    [("Aisha", "Latn"), ("Аиша", "Cyrl"), ("عائشة", "Arab"), ("Iумар", "Cyrl"), ("1990", "Zyyy")],
)
def test_script_is_detected(token: str, script: str) -> None:
    assert normalise_token(token)[0] == script


def test_latin_tokens_folded_together_as_one_by_one() -> None:
    import random

    from wayhome.names.normalise import fold_latin, fold_latins

    rng = random.Random(3)
    alphabet = "abcXYZ éñßæœøłđðþıÅ'’`´«».,-1 \u0301\u0308ﬁ²Ⅻ"
    tokens = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(500)]
    assert fold_latins(tokens) == [fold_latin(t) for t in tokens]
    assert fold_latins(["a\nb", "Ñ"]) == [fold_latin("a\nb"), "n"]
    assert fold_latins([]) == []


def test_russian_only_tokens_fold_as_the_full_path_would() -> None:
    import random
    import unicodedata

    from wayhome.names import normalise

    def full(token: str) -> str:  # fold_cyrillic without its shortcut
        text = normalise._PALOCHKA_STAND_INS.sub("ӏ", token)
        text = normalise._APOSTROPHES.sub("", text.casefold()).translate(normalise._CYRILLIC_FOLD)
        text = unicodedata.normalize("NFD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch) or ch in "\u0306\u0308")
        text = unicodedata.normalize("NFC", text).translate(normalise._CYRILLIC_FOLD)
        return "".join(ch for ch in text if ch.isalpha())

    rng = random.Random(8)
    russian = "".join(chr(c) for c in range(0x0410, 0x0450)) + "Ёё"
    tokens = ["".join(rng.choice(russian) for _ in range(rng.randint(1, 12))) for _ in range(2000)]
    assert all(normalise._RUSSIAN_ONLY.fullmatch(t) for t in tokens)
    assert [normalise.fold_cyrillic(t) for t in tokens] == [full(t) for t in tokens]
    for other in ("Ӏумар", "Iумар", "Раҳмон", "Ма'ри", "Зари\u0301на", "ӣ"):  # the full path
        assert normalise.fold_cyrillic(other) == full(other), other
