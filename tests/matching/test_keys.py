from __future__ import annotations

import pytest

from wayhome.matching import keys
from wayhome.matching.keys import features_of, query_keys, stored_keys
from wayhome.names.romanise import Spelling
from wayhome.names.similarity import NameFeatures, name_features


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


def _plain(name: NameFeatures) -> list[tuple[str, str, tuple[Spelling, ...]]]:
    return [(t.text, t.role, t.keys) for t in name.tokens]


PARTS = (
    ("Хадижат", "Руслановна", "Магомедова", ""),
    ("Khadizhat Ruslanovna", "", "Magomedova", "ignored when parts are given"),
    ("", "", "Aliyeva", "Madina Aliyeva"),
    ("Aisha", "", "", ""),
    ("Abu Muhammad", "", "al-Shishani", ""),
    ("  ", "", "", "عائشة محمد الشيشاني"),
    ("", "", "", "Magomedov Magomed Ruslanovich"),
    ("", "", "", ""),
)


def test_features_of_parts_met_before_are_those_of_the_name_core() -> None:
    for given, patronymic, family, full in PARTS * 2:  # the second time from the cache
        mine = features_of(given, patronymic, family, full)
        first = " ".join(p for p in (given, patronymic) if p)
        assert _plain(mine) == _plain(name_features(first, family, full))
    assert keys._PARTS  # the parts were kept


def test_the_parts_cache_starts_again_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keys, "_PARTS", {})
    monkeypatch.setattr(keys, "PARTS_MAX", 1)
    features_of(given="Zulfiya", family="Umarova")  # two parts not met yet
    assert len(keys._PARTS) == 1
    assert _plain(features_of(given="Zulfiya", family="Umarova")) == _plain(
        name_features("Zulfiya", "Umarova")
    )
