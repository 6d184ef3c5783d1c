from __future__ import annotations

from wayhome.matching.keys import features_of, query_keys, stored_keys


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
