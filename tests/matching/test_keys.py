from __future__ import annotations

import json

from wayhome.matching.keys import (
    features_json,
    features_of,
    features_read,
    query_keys,
    stored_keys,
)
from wayhome.names.similarity import NameFeatures, score_features


def test_the_same_name_in_two_scripts_shares_keys() -> None:
    latin = features_of(given="Aminat", family="Aliyeva")
    cyrillic = features_of(given="Аминат", family="Алиева")
    assert query_keys([latin]) & stored_keys([cyrillic])
    assert query_keys([cyrillic]) & stored_keys([latin])


def test_the_index_side_is_narrower_than_the_query_side() -> None:
    name = features_of(given="Магомед", family="Магомедов")
    assert stored_keys([name]) <= query_keys([name])
    assert len(stored_keys([name])) < len(query_keys([name]))


def test_two_name_parts_make_a_compound_key_and_one_part_none() -> None:
    both = stored_keys([features_of(given="Aminat", family="Aliyeva")])
    alone = stored_keys([features_of(full="Aminat")])
    assert any(k.startswith("=") for k in both)
    assert not any(k.startswith("=") for k in alone)


def test_different_names_share_no_compound_key() -> None:
    a = query_keys([features_of(given="Aminat", family="Aliyeva")])
    b = stored_keys([features_of(given="Rustam", family="Eldarov")])
    assert not {k for k in a & b if k.startswith("=")}


def test_a_name_without_letters_has_no_keys() -> None:
    assert stored_keys([features_of(full="123")]) == set()


def _as_tuples(name: NameFeatures) -> list[tuple[str, str, tuple[object, ...]]]:
    return [(t.text, t.role, t.keys) for t in name.tokens]


def test_stored_features_read_back_as_computed() -> None:
    name = features_of(given="Хадижат", patronymic="Руслановна", family="Магомедова")
    stored = json.loads(json.dumps(features_json(name)))  # as the JSON column returns it
    read = features_read(stored)
    assert _as_tuples(read) == _as_tuples(name)
    assert score_features(read, name).score == 1.0
    assert features_read(stored).tokens[0] is read.tokens[0]  # one object per token
