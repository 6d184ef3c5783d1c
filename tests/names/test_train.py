"""The spelling channel generator: alignment learns correspondences from pairs alone."""

from __future__ import annotations

import json

from wayhome.names.train import CHANNEL_PATH, learn_channel, units


def test_units_mark_first_and_last_letters() -> None:
    assert units("абв") == ("^а", "б", "в$")
    assert units("а") == ("^а$",)


def test_alignment_learns_a_spelling_the_seed_ranks_low() -> None:
    # Invented German-style spellings: ш written "sch" everywhere.
    pairs = [("schura", "шура"), ("maschka", "машка"), ("dascha", "даша"), ("schamil", "шамил")]
    table = learn_channel(pairs * 3, "Cyrl", iterations=3)
    costs = {**table.get("ш", {}), **table.get("^ш", {})}
    assert min(costs, key=costs.__getitem__) == "sch"


def test_generated_channel_is_small_and_covers_both_scripts() -> None:
    assert CHANNEL_PATH.stat().st_size < 1_000_000
    channel = json.loads(CHANNEL_PATH.read_text(encoding="utf-8"))
    assert set(channel) == {"Cyrl", "Arab"}
    assert "ш" in channel["Cyrl"]
    assert "ش" in channel["Arab"]
