"""Structure parsing: roles of tokens in either order, structured or free text."""

from __future__ import annotations

from wayhome.names.structure import (
    FAMILY,
    GIVEN,
    KUNYA,
    NAME,
    NISBA,
    PARTICLE,
    PATRONYMIC,
    parse_name,
    split_tokens,
)


def _roles(full: str) -> list[tuple[str, str]]:
    return [(t.text, t.role) for t in parse_name(full=full)]


def test_kunya_and_nisba() -> None:
    assert _roles("Abu Muhammad al-Shishani") == [
        ("Abu", KUNYA),
        ("Muhammad", KUNYA),
        ("al-Shishani", NISBA),
    ]
    assert _roles("أبو محمد الشيشاني")[2] == ("الشيشاني", NISBA)
    assert _roles("Umm Khattab") == [("Umm", KUNYA), ("Khattab", KUNYA)]


def test_patronymic_and_family_in_either_order() -> None:
    assert _roles("Rustam Akhmedovich Magomedov") == [
        ("Rustam", NAME),
        ("Akhmedovich", PATRONYMIC),
        ("Magomedov", FAMILY),
    ]
    assert _roles("Магомедова Аминат Рустамовна") == [
        ("Магомедова", FAMILY),
        ("Аминат", NAME),
        ("Рустамовна", PATRONYMIC),
    ]
    assert _roles("Aigerim Nurlan kyzy")[2] == ("kyzy", PATRONYMIC)
    assert _roles("Firuza Rahmonzoda")[1] == ("Rahmonzoda", FAMILY)


def test_particles() -> None:
    assert _roles("Ali ibn Hassan")[1] == ("ibn", PARTICLE)
    assert _roles("Aisha bint Omar")[1] == ("bint", PARTICLE)


def test_structured_parts_keep_their_declared_roles() -> None:
    tokens = parse_name(given="Aisha", family="Naloyeva", full="ignored when parts are given")
    assert [(t.text, t.role) for t in tokens] == [("Aisha", GIVEN), ("Naloyeva", FAMILY)]


def test_split_keeps_article_with_its_name_but_splits_hyphenated_names() -> None:
    assert split_tokens("al-Shishani, Abu-Muhammad") == ["al-Shishani", "Abu", "Muhammad"]


def test_a_role_depends_on_the_word_before_only_after_an_article_or_kunya_head() -> None:
    assert _roles("Muhammad al Shishani")[1:] == [("al", PARTICLE), ("Shishani", NISBA)]
    assert _roles("Muhammad Shishani")[1] == ("Shishani", NAME)
    assert _roles("Ali Abu Bakr")[1:] == [("Abu", KUNYA), ("Bakr", KUNYA)]
    assert _roles("Bakr Ali")[0] == ("Bakr", NAME)  # the same word, its own role again
    tokens = parse_name(given="Abu Bakr", family="Omarov")
    assert [(t.text, t.role) for t in tokens] == [
        ("Abu", KUNYA), ("Bakr", KUNYA), ("Omarov", FAMILY),
    ]  # fmt: skip


def test_split_on_any_whitespace_as_on_the_separators() -> None:
    for text in ("  Aisha\u00a0 Naloyeva\t", "Aisha\u2003Naloyeva\n", "Aisha\u3000Naloyeva"):
        assert split_tokens(text) == ["Aisha", "Naloyeva"], repr(text)
        assert split_tokens(text + ",") == ["Aisha", "Naloyeva"], repr(text)
    assert split_tokens("") == []
    assert split_tokens(" \t ") == []
    assert split_tokens("al‐Shishani") == ["al‐Shishani"]  # U+2010 hyphen, no ASCII one
