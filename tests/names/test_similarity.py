"""Name similarity: any order, any script, with an explanation a reviewer can read."""

from __future__ import annotations

import pytest

from wayhome.names import similarity
from wayhome.names.pair_scores import KeyTable
from wayhome.names.similarity import (
    TokenFeatures,
    block_key_code,
    block_keys,
    compare_names,
    name_features,
    root_penalties,
    root_penalty,
)

# Synthetic names in three scripts, with shared endings, swapped and dropped letters
# near the start, short tokens and learned (doubted) spellings: every branch of the
# root penalty and of the best-spelling choice.
NAMES = [
    "Aisha Naloyeva", "Аиша Налоева", "عائشة نالوييفا", "Эльмурзаева Зарема",
    "Бекмурзаева Зарема", "Elmurzaeva Zaryema", "Сайдуллаев Ахмед", "Абдуллаев Ахмад",
    "Mahomedov Rustam", "Магомедов Рустам", "Amagomedov Rustom", "Mgomedov R",
    "Юсупов Ибрагим", "Usupov Ibragim", "Yusupov Ibrahim", "Рахмонзода Зарина",
    "Раҳмонзода Зарина", "Rakhmonzoda Zarina", "Umm Muhammad al-Shishani", "أبو محمد الشيشاني",
    "Ли Ан", "Li An", "Ab Ob", "محمد علي", "Мухаммад Али", "Muhammad Ali",
]  # fmt: skip


def _tokens() -> list[TokenFeatures]:
    found = {id(t): t for n in NAMES for t in name_features(full=n).tokens}
    return list(found.values())


def test_same_woman_in_three_scripts() -> None:
    latin = "Aisha Naloyeva"
    for other in ("Аиша Налоева", "Налоева Аиша", "عائشة نالوييفا"):
        assert compare_names(latin, other).score >= 0.85, other


def test_explanation_names_the_aligned_tokens_and_the_bridge() -> None:
    comparison = compare_names("Aisha Naloyeva", "Налоева Аиша")
    pairs = {(m.left, m.right) for m in comparison.matches}
    assert pairs == {("Aisha", "Аиша"), ("Naloyeva", "Налоева")}
    text = comparison.explain()
    assert "Naloyeva~Налоева 1.00" in text
    assert all(m.via for m in comparison.matches)


def test_extra_patronymic_costs_a_little_not_a_whole_token() -> None:
    comparison = compare_names("Rustam Magomedov", "Магомедов Рустам Ахмедович")
    assert 0.9 <= comparison.score < 1.0
    assert comparison.unmatched_right == ("Ахмедович",)


def test_blank_name_scores_zero() -> None:
    assert compare_names("", "Аиша").score == 0.0


def test_features_drop_particles_and_offer_blocking_keys() -> None:
    features = name_features(full="Ali ibn Hassan")
    assert [t.text for t in features.tokens] == ["Ali", "Hassan"]
    assert features.blocking_keys


def test_family_names_differing_in_their_root_are_not_close() -> None:
    for left, right in (("Elmurzaeva", "Бекмурзаева"), ("Saidullaev", "Абдуллаев")):
        (match,) = compare_names(left, right).matches
        assert match.score < 0.65, (left, right)


def test_a_typo_or_variant_near_the_start_stays_close() -> None:
    for left, right in (
        ("Elmurzaeva", "Эльмурзаева"),
        ("Nagomedov", "Магомедов"),
        ("Mgomedov", "Магомедов"),
        ("Amagomedov", "Магомедов"),
        ("Usupov", "Юсупов"),
    ):
        (match,) = compare_names(left, right).matches
        assert match.score >= 0.8, (left, right, match.score)


def test_root_penalties_in_bulk_equal_one_by_one() -> None:
    keys = ["elmurzaefa", "bekmurzaefa", "mgomedof", "amagomedof", "usupof", "ab", ""]
    keys += ["magomedof", "magamedof", "mahomedof", "bekmurzaeva"]  # spellings sharing a root
    bulk = root_penalties(keys, keys)
    assert bulk.tolist() == [[root_penalty(a, b) for b in keys] for a in keys]
    assert root_penalties(keys[:3], keys[::-1]).tolist() == bulk[:3, ::-1].tolist()
    assert root_penalties([], keys).shape == (0, len(keys))
    assert root_penalties(keys, []).shape == (len(keys), 0)


def test_token_match_in_bulk_is_the_loop_to_the_last_bit() -> None:
    tokens = _tokens()
    for left in tokens:
        for right in tokens:
            assert similarity._token_match(left, right) == similarity._token_match_loop(
                left, right
            ), (left.text, right.text)


def test_block_key_codes_tell_every_key_apart() -> None:
    keys = {k for t in _tokens() for k in block_keys(t, 8, (3, 4))}
    keys |= {"pa", "sa", "ca", "4pa", "paa", "saa", "4pzzzz", "4szzzz", "pz", "sz"}
    codes = {block_key_code(k) for k in keys}
    assert len(codes) == len(keys)
    assert max(codes) < 2**32  # the linker packs a token id above them
    with pytest.raises(ValueError, match="not a block key"):
        block_key_code("x")


def test_block_key_codes_of_nothing() -> None:
    latin = name_features(full="Rustam").tokens[0]
    bare = TokenFeatures(latin.text, latin.role, ())
    assert KeyTable([bare]).block_key_codes(8, (3,)).shape == (0, 2)
    assert KeyTable([]).block_key_codes(8, (3,)).shape == (0, 2)
