"""The candidates benchmark starts each timed pass from names it has not seen."""

from __future__ import annotations

from bench.candidates import forget_names

from wayhome.names import normalise, structure
from wayhome.names.similarity import name_features, token_features


def test_forget_names_empties_the_caches_of_names_seen() -> None:
    name_features(full="Аиша Мурадовна Омарова")
    caches = (normalise.normalise_token, structure._own_role, token_features)
    assert all(cache.cache_info().currsize for cache in caches)
    forget_names()
    assert [cache.cache_info().currsize for cache in caches] == [0, 0, 0]
