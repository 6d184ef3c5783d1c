"""Hand-written romanisation tables: the common Cyrillic schemes and Arabic seed spellings.

The schemes give the spellings officials and journalists actually use (a passport says
"Magomedov", a French paper "Magomedov" but "Tchetchenie", a German one "Tschetschenien").
The Arabic table only seeds the learned channel (see ``train.py``); Arabic spellings are
too variable for one table.
"""

from __future__ import annotations

from functools import cache

import numpy as np

_BASE = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "ӏ": "", "ҳ": "h", "ғ": "gh", "қ": "q", "ӣ": "i", "ӯ": "u", "ҷ": "j", "ә": "a",
    "ө": "o", "ү": "u", "ұ": "u", "і": "i", "ң": "ng", "һ": "h", "є": "ye", "ї": "yi",
}  # fmt: skip

# Each scheme lists only where it differs from the base (BGN/PCGN-like) spelling.
CYRILLIC_SCHEMES: dict[str, dict[str, str]] = {
    "bgn_pcgn": {},
    "icao_9303": {"й": "i", "ъ": "ie", "ю": "iu", "я": "ia", "ҷ": "dzh", "ә": "ae"},
    "iso_9": {
        "ж": "z", "й": "j", "х": "h", "ц": "c", "ч": "c", "ш": "s", "щ": "s", "ю": "u",
        "я": "a", "ы": "y",
    },
    "scholarly": {"ж": "z", "й": "j", "х": "x", "ц": "c", "ч": "c", "ш": "s", "щ": "sc",
                  "ю": "ju", "я": "ja"},
    "french": {"ж": "j", "й": "i", "у": "ou", "х": "kh", "ч": "tch", "ш": "ch", "щ": "chtch",
               "ю": "iou", "я": "ia", "ҷ": "dj"},
    "german": {"в": "w", "ж": "sch", "з": "s", "й": "j", "х": "ch", "ц": "z", "ч": "tsch",
               "ш": "sch", "щ": "schtsch", "ю": "ju", "я": "ja", "ҷ": "dsch"},
}  # fmt: skip

_CYRILLIC_EXTRA = {
    "е": ["ye", "ie", "je"], "ё": ["yo", "e", "io", "jo"], "г": ["h", "gh"], "х": ["h", "x"],
    "ц": ["tz"], "ь": ["i", "y"], "ъ": ["y"], "и": ["y", "ee"], "у": ["oo"], "к": ["c", "ck"],
    "с": ["ss", "c"], "кс": ["x"], "ий": ["y", "i"], "ый": ["y"], "ск": ["sk", "sc"],
}  # fmt: skip

_ARABIC_SEED = {
    "ا": ["a", "", "aa", "e", "i"], "ب": ["b", "p"], "ت": ["t"], "ث": ["th", "s", "t"],
    "ج": ["j", "g", "dj", "dzh", "zh"], "ح": ["h"], "خ": ["kh", "h", "ch", "x"],
    "د": ["d"], "ذ": ["dh", "z", "th"], "ر": ["r"], "ز": ["z", "s"], "س": ["s", "ss"],
    "ش": ["sh", "ch", "sch", "s"], "ص": ["s"], "ض": ["d", "dh"], "ط": ["t"],
    "ظ": ["z", "dh"], "ع": ["", "a", "e", "aa"], "غ": ["gh", "g"], "ف": ["f", "v"],
    "ق": ["q", "k", "g"], "ك": ["k", "c", "ck"], "ل": ["l"], "م": ["m"], "ن": ["n"],
    "ه": ["h", "a", "", "e"], "و": ["w", "u", "o", "ou", "v"],
    "ي": ["y", "i", "ee", "ie", "e"], "ء": [""], "پ": ["p"], "چ": ["ch"], "ژ": ["zh", "j"],
}  # fmt: skip


def cyrillic_spellings() -> dict[str, list[str]]:
    """Every letter's spellings across the schemes, most common first."""
    spellings: dict[str, list[str]] = {}
    for letter, base in _BASE.items():
        options = [base, *(scheme.get(letter, base) for scheme in CYRILLIC_SCHEMES.values())]
        options += _CYRILLIC_EXTRA.get(letter, [])
        spellings[letter] = list(dict.fromkeys(options))
    spellings["ё"] = ["yo", "e", "io", "jo"]
    for segment in ("кс", "ий", "ый", "ск"):
        spellings[segment] = _CYRILLIC_EXTRA[segment]
    return spellings


# Per scheme, one ``str.translate`` table (letters neither table knows stay as they are).
_SCHEME_TABLES = {
    name: str.maketrans({ch: scheme.get(ch, _BASE.get(ch, ch)) for ch in {**_BASE, **scheme}})
    for name, scheme in CYRILLIC_SCHEMES.items()
}


def romanise_cyrillic_schemes(token: str) -> dict[str, str]:
    """The token under each named scheme, e.g. {"german": "magomedow", ...}."""
    return {name: token.translate(table) for name, table in _SCHEME_TABLES.items()}


def seed_spellings(script: str) -> dict[str, list[str]]:
    """Seed spellings per foreign letter (or letter pair) for the learned channel."""
    table = (
        cyrillic_spellings() if script == "Cyrl" else {k: list(v) for k, v in _ARABIC_SEED.items()}
    )
    return table


def fallback_spelling(letter: str) -> str:
    """A spelling for a letter the learned channel never saw (Tajik ҳ, Persian ژ ...)."""
    if letter in _BASE:
        return _BASE[letter]
    return _ARABIC_SEED.get(letter, [letter])[0]


def romanise_cyrillic_text(text: str) -> dict[str, str]:
    """``romanise_cyrillic_schemes`` of a long text (a list's tokens joined): the same
    spellings, each scheme's table applied to the text's code points in numpy at once.
    ``str.translate`` looks each letter up in a dictionary and copies its replacement
    alone, which cost a tenth of keying a Cyrillic list."""
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    points = points.astype(np.int64)
    return {name: _translated(points, *_array_table(name)) for name in _SCHEME_TABLES}


@cache
def _array_table(name: str) -> tuple[np.ndarray, np.ndarray]:
    """A scheme's table as arrays over code points 0 to the largest it maps: each one's
    replacement length and its replacement's code points (itself where unmapped)."""
    table = _SCHEME_TABLES[name]
    size = max(table) + 1
    width = max([len(v) for v in table.values()] + [1])
    lengths = np.ones(size, dtype=np.int64)
    chars = np.zeros((size, width), dtype=np.int64)
    chars[:, 0] = np.arange(size)
    for point, replacement in table.items():
        lengths[point] = len(replacement)
        chars[point, :] = 0
        chars[point, : len(replacement)] = [ord(ch) for ch in replacement]
    return lengths, chars


def _translated(points: np.ndarray, lengths: np.ndarray, chars: np.ndarray) -> str:
    """``str.translate`` of the code points with the table ``_array_table`` made."""
    inside = points < len(lengths)
    known = np.where(inside, points, 0)
    sizes = np.where(inside, lengths[known], 1)
    owner = np.repeat(np.arange(len(points)), sizes)
    column = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    out = np.where(inside[owner], chars[known[owner], column], points[owner])
    return out.astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
