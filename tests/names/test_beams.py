"""The compiled beam search gives the definition's spellings and costs, token by token."""

from __future__ import annotations

import random

import pytest

from wayhome.names import beams, romanise
from wayhome.names.romanise import BEAM, _beam, _channel, _compiled_channel, _keys_of_many
from wayhome.names.tables import fallback_spelling
from wayhome.names.train import units

ALPHABETS = {
    "Cyrl": "абвгдежзийклмнопрстуфхцчшщъыьэюяӏҳғқӣӯҷәөүұі",
    "Arab": "ابتثجحخدذرزسشصضطظعغفقكلمنهويءة",
}


def _folded(rng: random.Random, alphabet: str, count: int) -> list[str]:
    """Random folded tokens, many sharing beginnings (as a list's names do), some long."""
    stems = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 5))) for _ in range(40)]
    found = []
    for _ in range(count):
        tail = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        found.append(rng.choice(stems) + tail)
    return [*found, alphabet[0], alphabet[:2], alphabet * 2, "ж" * 30]


@pytest.mark.parametrize("script", sorted(ALPHABETS))
@pytest.mark.parametrize("k", [BEAM, 3, 1])
def test_compiled_beams_equal_the_definition(script: str, k: int) -> None:
    folded = _folded(random.Random(k), ALPHABETS[script], 1_500)
    got = beams.beams(_compiled_channel(script), folded, k)
    assert got == [_beam(script, units(f), k) for f in folded]
    assert any(len(beam) == k for beam in got)
    if k > 1:
        assert any(len({cost for cost, _ in beam}) < len(beam) for beam in got)  # ties


def test_letters_the_channel_never_saw_take_the_fallback() -> None:
    channel = beams.Channel({"а": [("a", 0.0)]}, fallback_spelling)
    assert beams.beams(channel, ["аҳ", "", "ҳ"], 4) == [
        ((6.0, "ah"),),
        ((0.0, ""),),
        ((6.0, "h"),),
    ]
    assert beams.beams(channel, [], 4) == []


def test_a_pair_of_letters_spelt_together() -> None:
    table = {"^к": [("k", 0.0)], "х$": [("h", 0.0)], "^кх$": [("ch", 0.5), ("kh", 1.0)]}
    channel = beams.Channel(table, fallback_spelling)
    assert beams.beams(channel, ["кх"], 3) == [((0.0, "kh"), (0.5, "ch"))]  # kh once, cheaper
    assert beams.beams(channel, ["кх"], 3) == [_reference(table, "кх", 3)]


def _reference(
    table: dict[str, list[tuple[str, float]]], folded: str, k: int
) -> tuple[tuple[float, str], ...]:
    """Every segmentation of a short token, k best distinct spellings: the beam is exact
    when k exceeds the spellings a token has."""
    letters = units(folded)
    best: dict[str, float] = {}

    def walk(at: int, text: str, cost: float) -> None:
        if at == len(letters):
            best[text] = min(best.get(text, cost), cost)
            return
        for width in (1, 2):
            segment = "".join(letters[at : at + width])
            if at + width <= len(letters) and segment in table:
                for latin, c in table[segment]:
                    walk(at + width, text + latin, cost + c)

    walk(0, "", 0.0)
    return tuple(sorted((cost, text) for text, cost in best.items())[:k])


def test_bulk_keys_use_the_compiled_search(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = beams.search

    def counted(channel: beams.Channel, folded: list[str], k: int) -> object:
        calls.append(len(folded))
        return real(channel, folded, k)

    monkeypatch.setattr(beams, "search", counted)
    many = list(dict.fromkeys(_folded(random.Random(2), ALPHABETS["Cyrl"], 3 * romanise.BULK_MIN)))
    assert len(many) >= romanise.BULK_MIN
    assert _keys_of_many(many)
    assert calls
    assert calls[0] >= romanise.BULK_MIN
    calls.clear()
    assert _keys_of_many(many[:3])  # a few tokens: one by one, in Python
    assert calls == []


@pytest.mark.parametrize("script", sorted(ALPHABETS))
def test_learned_spellings_in_bulk_are_penalised_as_one_by_one(script: str) -> None:
    folded = _folded(random.Random(9), ALPHABETS[script], 2 * romanise.BULK_MIN)
    if script == "Cyrl":
        folded += ["ь", "ъь"]  # spelt "" first: dropped, and the next one is the best
        assert _beam(script, units("ь"), BEAM)[0][1] == ""
    for many in (folded, folded[:7]):  # the compiled search, and one by one
        token, _place, latins, penalties = romanise._learned(script, many)
        got: list[list[tuple[str, float]]] = [[] for _ in many]
        for t, latin, penalty in zip(token.tolist(), latins, penalties.tolist(), strict=True):
            got[t].append((latin, penalty))
        assert got == [_penalised(f, script) for f in many]
        assert any(penalty > 0 for penalty in penalties.tolist())
    assert "" not in latins


def _penalised(folded: str, script: str) -> list[tuple[str, float]]:
    """The learned spellings of one token with their penalties, as first written."""
    spellings = romanise.learned_spellings(folded, script)
    best = spellings[0][1] if spellings else 0.0
    return [
        (latin, min(romanise.MAX_PENALTY, romanise.PENALTY_PER_COST * (cost - best)))
        for latin, cost in spellings
    ]


def test_channel_numbers_each_option_list_once() -> None:
    channel = beams.Channel(_channel()["Cyrl"], fallback_spelling)  # type: ignore[arg-type]
    assert channel.single("^а") == channel.single("^а")
    assert channel.pair("^а", "б") == channel.pair("^а", "б")
    assert channel.pair("ъ", "ъ") == beams.NO_PAIR
    starts, costs, text_starts, chars = channel.arrays()
    assert len(starts) == len(channel.lists) + 1
    assert len(costs) == starts[-1]
    assert len(text_starts) == len(costs) + 1
    assert len(chars) == text_starts[-1]
