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
