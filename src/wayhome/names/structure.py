"""Name structure: split a name into tokens and say what each token is.

Roles matter for matching: a patronymic or a nisba may be missing on one side, a kunya
("Abu Muhammad") is a by-name rather than a legal one, and particles (al-, bin, ibn)
carry no identity of their own. Order is never trusted: lists write family names first
or last.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from wayhome.names.normalise import normalise_token

GIVEN, FAMILY, PATRONYMIC, PARTICLE, KUNYA, NISBA, NAME = (
    "given",
    "family",
    "patronymic",
    "particle",
    "kunya",
    "nisba",
    "name",
)

_PARTICLES = {"al", "el", "ul", "ibn", "bin", "bint", "ben", "binti", "ال", "بن", "ابن", "بنت"}
# Turkic "son of"/"daughter of" written as a word after the father's name.
_PATRONYMIC_WORDS = {
    "kyzy", "kizi", "qizi", "gizi", "uly", "ugli", "ogly", "oglu", "ogli",
    "кызы", "қызы", "улы", "ұлы", "оглы", "угли",
}  # fmt: skip
_KUNYA_HEADS = {"abu", "abou", "abo", "umm", "um", "oum", "ابو", "ام", "абу", "умм"}
_PATRONYMIC = re.compile(
    r"(ovich|evich|ich|ovna|evna|ichna|inichna|kyzy|kizi|qizi|uly|ugli|ogly|oglu|ogli"
    r"|ович|евич|ич|овна|евна|ична|инична|кызы|қызы|улы|ұлы|оглы|угли)$"
)
_FAMILY = re.compile(
    r"(ov|ova|ev|eva|yov|yova|in|ina|yn|yna|zoda|zade|zada|yan|ian|enko|sky|skaya|ski|skiy"
    r"|ов|ова|ев|ева|ёв|ёва|ин|ина|ын|ына|зода|заде|ян|енко|ский|ская)$"
)
_NISBA = re.compile(r"^(al-|el-|ال)?\w{3,}(i|iy|ee|y|ي)$")
_ARTICLES = {"al", "el", "ال"}
_SPLIT = re.compile(r"[\s,;/()]+")
_HYPHEN_PARTICLE = re.compile(r"^(al|el|ul|ال)[-‐ـ]", re.IGNORECASE)


class NameToken(NamedTuple):
    """One written token and its role in the name.

    A named tuple, not a dataclass: a registry's names make millions of them, and a
    frozen dataclass's ``__init__`` cost more than parsing the name.
    """

    text: str
    role: str


_new_token = tuple.__new__  # NameToken(...) without its Python-level __new__
_SPECIAL = re.compile(r"[,;/()\-]")  # what only the full split handles


def split_tokens(text: str) -> list[str]:
    """Tokens of free text; "al-Shishani" stays one token, "Abu-Muhammad" becomes two."""
    if not _SPECIAL.search(text):
        return text.split()  # whitespace alone: the same split, without the regex
    tokens: list[str] = []
    for raw in _SPLIT.split(text.strip()):
        if not raw:
            continue
        if _HYPHEN_PARTICLE.match(raw):
            tokens.append(raw)
        else:
            tokens.extend(part for part in raw.split("-") if part)
    return tokens


def _role(token: str, previous: str | None) -> str:
    """The role of a token after ``previous``: its own, unless ``previous`` is a kunya's
    head or an article (the only context a role depends on)."""
    if previous is None or _folded(previous) not in _CONTEXT_WORDS:
        return _own_role(token)
    return _role_after(token, _folded(previous))


def _folded(token: str) -> str:
    return normalise_token(token)[1]


_CONTEXT_WORDS = _KUNYA_HEADS | _ARTICLES


@lru_cache(maxsize=200_000)
def _own_role(token: str) -> str:
    """The role of a token on its own (cached: a list repeats its given names and
    family endings thousands of times)."""
    return _role_after(token, "")


def _role_after(token: str, previous: str) -> str:
    """The role of a token after a word whose folded form is ``previous`` ("" if none)."""
    folded = _folded(token)
    low = token.casefold()
    if folded in _PARTICLES or low in _PARTICLES:
        return PARTICLE
    if folded in _PATRONYMIC_WORDS:
        return PATRONYMIC
    if folded in _KUNYA_HEADS or previous in _KUNYA_HEADS:
        return KUNYA
    if _NISBA.match(low) and (previous in _ARTICLES or low.startswith(("al-", "el-", "ال"))):
        return NISBA
    if len(folded) > 5 and _PATRONYMIC.search(folded):
        return PATRONYMIC
    if len(folded) > 4 and _FAMILY.search(folded):
        return FAMILY
    return NAME


def parse_name(given: str = "", family: str = "", full: str = "") -> tuple[NameToken, ...]:
    """Tokens with roles from structured parts, or from free text when the parts are blank.

    Structured parts keep their declared role unless a token is plainly something else
    (a patronymic typed in the given-name field, a particle).
    """
    result: list[NameToken] = []
    if given.strip() or family.strip():
        for field, default in ((given, GIVEN), (family, FAMILY)):
            previous: str | None = None
            for token in split_tokens(field):
                role = _role(token, previous)
                result.append(_new_token(NameToken, (token, default if role == NAME else role)))
                previous = token
        return tuple(result)
    previous = None
    for token in split_tokens(full):
        result.append(_new_token(NameToken, (token, _role(token, previous))))
        previous = token
    return tuple(result)
