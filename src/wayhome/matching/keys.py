"""Which blocking keys a registered person is filed under, and which a search looks up.

The index side keeps the top 2 spellings of each token and the query side looks up 8,
the linker's split turned around (``linkage.link`` blocks its left side on 2 and its
right on 8): a pair shares a key under either split, and this way the million rows of
the index stay small while the one query pays for the breadth. Tokens also pair up into
a compound key, so that a common given name with a common family name still has a key
rare enough to use when each token alone is too common.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations

from wayhome.names.similarity import NameFeatures, TokenFeatures, block_keys, name_features

STORED_SPELLINGS = 2
QUERY_SPELLINGS = 8
COMPOUND_SPELLINGS_QUERY = 2
COMPOUND_PREFIX = 4
KEY_LENGTH = 64


# Features of name parts already met, by (field, text). The name core parses the given
# and family fields of a name each on its own (and ignores the written name when either is
# filled), so a name's features are those of its parts put together; and parts recur far
# more than whole names (a search's cold names are mostly new pairings of given names and
# family names already met), so a new name costs two lookups instead of a parse.
_PARTS: dict[tuple[str, str], tuple[TokenFeatures, ...]] = {}
PARTS_MAX = 200_000


def _part(field: str, text: str) -> tuple[TokenFeatures, ...]:
    found = _PARTS.get((field, text))
    if found is None:
        if len(_PARTS) >= PARTS_MAX:
            _PARTS.clear()
        found = name_features(**{field: text}).tokens
        _PARTS[(field, text)] = found
    return found


def features_of(
    given: str = "", patronymic: str = "", family: str = "", full: str = ""
) -> NameFeatures:
    """Name features of a name given in parts (the patronymic travels with the given name,
    where the name core recognises it by its ending) or as written: those of
    ``name_features`` (``tests/matching/test_keys.py``), its parts met before not parsed again."""
    first = " ".join(p for p in (given, patronymic) if p)
    if first.strip() or family.strip():
        return NameFeatures(_part("given", first) + _part("family", family))
    return NameFeatures(_part("full", full))


def _spellings(token: TokenFeatures, count: int) -> list[str]:
    return [k.key[:COMPOUND_PREFIX] for k in token.keys[:count] if not k.key.startswith("~")]


def _compound(name: NameFeatures, spellings: int) -> set[str]:
    keys: set[str] = set()
    for a, b in combinations(name.tokens, 2):
        for ka in _spellings(a, spellings):
            for kb in _spellings(b, spellings):
                keys.add("=" + "|".join(sorted((ka, kb))))
    return keys


def _keys(names: Iterable[NameFeatures], spellings: int, compound: int) -> set[str]:
    keys: set[str] = set()
    for name in names:
        for token in name.tokens:
            keys.update(block_keys(token, spellings))
        keys.update(_compound(name, compound))
    return {k[:KEY_LENGTH] for k in keys}


def stored_keys(names: Iterable[NameFeatures]) -> set[str]:
    """The keys a person is filed under, over all their names."""
    return _keys(names, STORED_SPELLINGS, 1)


def query_keys(names: Iterable[NameFeatures]) -> set[str]:
    """The keys a search for these names looks up."""
    return _keys(names, QUERY_SPELLINGS, COMPOUND_SPELLINGS_QUERY)
