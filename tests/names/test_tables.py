"""The scheme tables applied to a whole text at once spell it as ``str.translate`` does."""

from __future__ import annotations

import random

import pytest

from wayhome.names.tables import CYRILLIC_SCHEMES, romanise_cyrillic_schemes, romanise_cyrillic_text

# Every letter a table knows, others it does not (Latin, a combining accent, the line
# break that joins tokens, a letter outside the Basic Multilingual Plane, a lone surrogate).
ALPHABET = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяӏҳғқӣӯҷәөүұіңһєї" + "\nabcXYZ\u0301€𝔸\ud800"


@pytest.mark.parametrize("seed", range(4))
def test_a_text_is_spelt_as_translate_spells_it(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(100):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 300)))
        assert romanise_cyrillic_text(text) == romanise_cyrillic_schemes(text), repr(text)


def test_every_scheme_and_the_empty_text() -> None:
    spelt = romanise_cyrillic_text("щука\nеж")
    assert list(spelt) == list(CYRILLIC_SCHEMES)
    assert spelt["german"] == "schtschuka\nesch"
    assert spelt["french"] == "chtchouka\nej"
    assert romanise_cyrillic_text("") == dict.fromkeys(CYRILLIC_SCHEMES, "")
