"""The spelling channel generator: alignment learns correspondences from pairs alone."""

from __future__ import annotations

import json
from pathlib import Path

from wayhome.names.train import CHANNEL_PATH, learn_channel, main, training_pairs, units


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


def test_generator_reads_both_sources_and_writes_the_table(tmp_path: Path) -> None:
    (tmp_path / "wd_russian_80").write_text("schura\tш у р а\t2\nbad line\n", encoding="utf-8")
    (tmp_path / "wd_arabic_80").write_text("samir\tس م ي ر\t1\n", encoding="utf-8")
    (tmp_path / "ar2en-train.txt").write_text("سمير\tsamir\nسارة\tsara\n", encoding="utf-8")
    pairs = training_pairs(tmp_path)
    assert pairs["Cyrl"] == [("schura", "шура")]
    assert ("sara", "ساره") in pairs["Arab"]  # ta marbuta folded as at match time
    out = tmp_path / "channel.json"
    main([str(tmp_path), str(out)])
    assert set(json.loads(out.read_text(encoding="utf-8"))) == {"Cyrl", "Arab"}
