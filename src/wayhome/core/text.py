"""Small text helpers shared by search and display. Plain Python."""

from __future__ import annotations

import re
import unicodedata

# Arabic vowel marks (harakat), tatweel and Quranic annotation signs carry no identity.
_ARABIC_MARKS = {chr(c) for c in range(0x064B, 0x0660)} | {"\u0670", "\u0640"}
_FOLD = str.maketrans(
    {"ё": "е", "Ё": "Е", "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"}
)


def search_fold(text: str) -> str:
    """Fold a name for exact-or-contains search: case, accents, ё, Arabic letter variants.

    Cross-script matching is the linkage engine's job; this only makes "Ёлкина" find
    "Елкина" and "أحمد" find "احمد".
    """
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    kept = [
        ch
        for ch in text
        if ch not in _ARABIC_MARKS and not (unicodedata.combining(ch) and ch != "\u0306")
    ]
    # U+0306 (breve) is what distinguishes й from и; keep it, then recompose.
    return " ".join(unicodedata.normalize("NFC", "".join(kept)).casefold().split())


# Text of one script's basic letters only, the usual case, is told without the count.
_PLAIN: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[A-Za-z]+"), "Latn"),
    (re.compile(r"[А-яЁё]+"), "Cyrl"),
    (re.compile(r"[\u0621-\u064a]+"), "Arab"),
)


def detect_script(text: str) -> str:
    """ISO 15924 code of the dominant letters: Latn, Cyrl, Arab, or Zyyy (none or mixed)."""
    for plain, script in _PLAIN:
        if plain.fullmatch(text):
            return script
    counts = {"Latn": 0, "Cyrl": 0, "Arab": 0}
    for ch in text:
        if not ch.isalpha():
            continue
        cp = ord(ch)
        if 0x0400 <= cp <= 0x052F or 0x1C80 <= cp <= 0x1C8F or 0x2DE0 <= cp <= 0xA69F:
            counts["Cyrl"] += 1
        elif (
            0x0600 <= cp <= 0x06FF
            or 0x0750 <= cp <= 0x077F
            or 0x08A0 <= cp <= 0x08FF
            or 0xFB50 <= cp <= 0xFEFF
        ):
            counts["Arab"] += 1
        elif cp < 0x0250 or 0x1E00 <= cp <= 0x1EFF:
            counts["Latn"] += 1
    total = sum(counts.values())
    if not total:
        return "Zyyy"
    script, n = max(counts.items(), key=lambda kv: kv[1])
    return script if n * 10 >= total * 9 else "Zyyy"
