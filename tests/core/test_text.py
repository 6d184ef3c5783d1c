"""Script detection: the shortcut for plain letters agrees with the count."""

from __future__ import annotations

import random

import pytest

from wayhome.core import text


def _counted(value: str) -> str:
    """``detect_script`` without its shortcut."""
    saved, text._PLAIN = text._PLAIN, ()
    try:
        return text.detect_script(value)
    finally:
        text._PLAIN = saved


@pytest.mark.parametrize(
    "letters",
    [
        "ABCxyz",
        "".join(chr(c) for c in range(0x0410, 0x0450)) + "Ёё",
        "".join(chr(c) for c in range(0x0621, 0x064B)),
    ],
)
def test_plain_letters_get_the_script_the_count_gives(letters: str) -> None:
    rng = random.Random(len(letters))
    for _ in range(500):
        value = "".join(rng.choice(letters) for _ in range(rng.randint(1, 10)))
        assert text.detect_script(value) == _counted(value) != "Zyyy", value


@pytest.mark.parametrize(
    ("value", "script"),
    [("", "Zyyy"), ("123", "Zyyy"), ("Аиша1", "Cyrl"), ("AишA", "Zyyy"), ("Раҳмон", "Cyrl"),
     ("Muñoz", "Latn"), ("عائشة", "Arab"), ("O'Neil", "Latn")],
)  # fmt: skip
def test_other_text_is_counted(value: str, script: str) -> None:
    assert text.detect_script(value) == script == _counted(value)
