"""Script detection and per-script normalisation of name tokens.

Normalisation removes what never distinguishes two people (case, accents, Arabic vowel
marks, letter variants that writers use interchangeably) so that the learned
romanisation and the keys see one canonical spelling per script.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from wayhome.core.text import detect_script

__all__ = [
    "detect_script", "fold_arabic", "fold_cyrillic", "fold_latin", "fold_latins", "normalise_token",
]  # fmt: skip

_ARABIC_MARKS = {chr(c) for c in range(0x064B, 0x0660)} | {"\u0670", "\u0640", "\u200c", "\u200f"}
_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ئ": "ي",
        "ؤ": "و",
        "ة": "ه",
        "ک": "ك",
        "ہ": "ه",
        "ھ": "ه",
        "ڤ": "ف",
        "ڨ": "ق",
        "گ": "ك",
    }
)
# Chechen palochka and the Latin letters and digit typed in its place; Tajik and Kazakh
# letters are kept (the romanisation tables know them) except where a plain Russian
# letter is the usual substitute.
_PALOCHKA_STAND_INS = re.compile(
    r"(?<=[\u0400-\u04ff])[Il1|]|[Il1|](?=[\u0400-\u04ff])|[\u04c0\u04cf]"
)
_CYRILLIC_FOLD = str.maketrans({"ё": "е", "ѐ": "е", "ѝ": "и", "ў": "у", "ј": "й", "ќ": "к"})
_LATIN_SPECIAL = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
_APOSTROPHES = re.compile(r"[\u2019\u02bc\u02bb`´'\"«».,]")


def fold_latin(token: str) -> str:
    """Lower-case ASCII letters only: "Muñoz" → "munoz", "Szarłowski" → "szarlowski"."""
    text = _APOSTROPHES.sub("", token.casefold()).translate(_LATIN_SPECIAL)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if "a" <= ch <= "z")


_NOT_LATIN_LETTER = re.compile(r"[^a-z\n]")


def fold_latins(tokens: Sequence[str]) -> list[str]:
    """``fold_latin`` of many tokens in one pass over them joined by newlines (every
    step maps characters one by one, a newline to itself, and NFKD decomposes none into
    one); a token holding a newline is folded on its own."""
    if not tokens or any("\n" in token for token in tokens):
        return [fold_latin(token) for token in tokens]
    text = _APOSTROPHES.sub("", "\n".join(tokens).casefold()).translate(_LATIN_SPECIAL)
    return _NOT_LATIN_LETTER.sub("", unicodedata.normalize("NFKD", text)).split("\n")


# Tokens of Russian letters only (most of a Cyrillic list): no palochka stand-in, mark
# or apostrophe to handle, and NFD then NFC gives back й and ё as they were, so folding
# is case and ё→е alone (tests/names/test_normalise.py checks it against the full path).
_RUSSIAN_ONLY = re.compile(r"[А-яЁё]+")


def fold_cyrillic(token: str) -> str:
    """Lower-case Cyrillic with ё→е and palochka (or its stand-ins I, l, 1) as "ӏ"."""
    if _RUSSIAN_ONLY.fullmatch(token):
        return token.casefold().translate(_CYRILLIC_FOLD)
    text = _PALOCHKA_STAND_INS.sub("ӏ", token)
    text = _APOSTROPHES.sub("", text.casefold()).translate(_CYRILLIC_FOLD)
    # NFC keeps й (и + breve) whole; other combining accents (stress marks) go.
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch) or ch in "\u0306\u0308")
    text = unicodedata.normalize("NFC", text).translate(_CYRILLIC_FOLD)
    return "".join(ch for ch in text if ch.isalpha())


def fold_arabic(token: str) -> str:
    """Arabic letters without marks, tatweel, and with alef/ya/waw/ta-marbuta variants folded."""
    text = unicodedata.normalize("NFKC", token)
    text = "".join(ch for ch in text if ch not in _ARABIC_MARKS).translate(_ARABIC_FOLD)
    return "".join(ch for ch in text if ch.isalpha())


_FOLDERS = {"Latn": fold_latin, "Cyrl": fold_cyrillic, "Arab": fold_arabic}


@lru_cache(maxsize=200_000)
def normalise_token(token: str) -> tuple[str, str]:
    """(script, folded token); script is Latn, Cyrl, Arab or Zyyy (nothing usable)."""
    script = detect_script(token)
    if script == "Zyyy":
        for candidate in ("Cyrl", "Arab", "Latn"):
            if detect_script(_FOLDERS[candidate](token)) == candidate:
                script = candidate
                break
        else:
            return "Zyyy", ""
    return script, _FOLDERS[script](token)
