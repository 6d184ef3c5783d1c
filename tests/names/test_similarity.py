"""Name similarity: any order, any script, with an explanation a reviewer can read."""

from __future__ import annotations

from wayhome.names.similarity import compare_names, name_features, root_penalties, root_penalty


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
    bulk = root_penalties(keys, keys)
    assert bulk.tolist() == [[root_penalty(a, b) for b in keys] for a in keys]
