"""Learn the spelling channel (foreign letters → Latin letters) from name pairs.

Run ``python -m wayhome.names.train [DATA_DIR [OUT]]`` to regenerate
``src/wayhome/names/data/channel.json`` (about 4 minutes). The model is a many-to-many character
alignment (foreign segments of 1–2 letters, Latin segments of 0–4 letters) estimated by
hard (Viterbi) EM, seeded with the hand-written romanisation tables. Only the training
splits in ``shared/data/names`` are read; nothing from the linkage sets.
"""

from __future__ import annotations

import json
import math
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from wayhome.names.normalise import fold_arabic, fold_cyrillic, fold_latin
from wayhome.names.tables import seed_spellings

MAX_FOREIGN = 2
MAX_LATIN = 4
MIN_PROB = 0.004
Pair = tuple[str, str]
Table = dict[str, dict[str, float]]
CHANNEL_PATH = Path(__file__).with_name("data") / "channel.json"


def _pairs_wd(path: Path, fold: Callable[[str], str]) -> Iterator[Pair]:
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            yield fold_latin(parts[0]), fold(parts[1].replace(" ", ""))


def _pairs_google(path: Path) -> Iterator[Pair]:
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 2:
            yield fold_latin(parts[1]), fold_arabic(parts[0])


def units(folded: str) -> tuple[str, ...]:
    """Letters of a folded token, the first marked "^x" and the last "x$".

    Spelling depends on position (final ة is "a", initial ا is "a", "e" or "i"), so the
    channel learns initial and final letters as units of their own.
    """
    letters = list(folded)
    if letters:
        letters[0] = "^" + letters[0]
        letters[-1] += "$"
    return tuple(letters)


def bare(unit: str) -> str:
    """A unit without its position marks."""
    return unit.strip("^$")


def training_pairs(data_dir: Path) -> dict[str, list[Pair]]:
    """(latin, foreign) pairs per script, folded exactly as at match time."""
    cyrl = list(_pairs_wd(data_dir / "wd_russian_80", fold_cyrillic))
    arab = [
        *_pairs_wd(data_dir / "wd_arabic_80", fold_arabic),
        *_pairs_google(data_dir / "ar2en-train.txt"),
    ]
    return {
        script: [(lat, frn) for lat, frn in pairs if lat and frn and len(lat) <= 3 * len(frn) + 3]
        for script, pairs in (("Cyrl", cyrl), ("Arab", arab))
    }


def _seed_table(script: str) -> Table:
    """Initial costs: seed spellings cheap, any other first-letter-compatible chunk dearer."""
    table: Table = defaultdict(dict)
    for foreign, spellings in seed_spellings(script).items():
        for rank, latin in enumerate(spellings):
            for unit in (foreign, "^" + foreign, foreign + "$", "^" + foreign + "$"):
                table[unit][latin] = 1.0 + 0.3 * rank
    return table


def _cost(table: Table, foreign: str, latin: str, default: float) -> float:
    return table.get(foreign, {}).get(latin, default)


def _viterbi(table: Table, latin: str, word: str, default: float) -> list[Pair] | None:
    """Cheapest monotone segmentation of the pair into (foreign, latin) chunk pairs."""
    foreign = units(word)
    n, m = len(foreign), len(latin)
    inf = math.inf
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(1, n + 1):
        for j in range(m + 1):
            for a in range(1, min(MAX_FOREIGN, i) + 1):
                f = "".join(foreign[i - a : i])
                row = best[i - a]
                for b in range(min(MAX_LATIN, j) + 1):
                    prev = row[j - b]
                    if prev == inf:
                        continue
                    c = prev + _cost(table, f, latin[j - b : j], default * a + 0.5 * b)
                    if c < best[i][j]:
                        best[i][j] = c
                        back[i][j] = (a, b)
    if best[n][m] == inf:
        return None
    chunks: list[Pair] = []
    i, j = n, m
    while i or j:
        step = back[i][j]
        if step is None:
            return None
        a, b = step
        chunks.append(("".join(foreign[i - a : i]), latin[j - b : j]))
        i, j = i - a, j - b
    return chunks[::-1]


def _estimate(alignments: Iterable[list[Pair]]) -> Table:
    """Negative log P(latin | foreign segment), pruned below MIN_PROB."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for chunks in alignments:
        for foreign, latin in chunks:
            counts[foreign][latin] += 1
    table: Table = {}
    for foreign, latins in counts.items():
        total = sum(latins.values()) + 1.0
        kept = {lat: c / total for lat, c in latins.items() if c / total >= MIN_PROB and c >= 2}
        if kept:
            table[foreign] = {lat: round(-math.log(p), 3) for lat, p in kept.items()}
    return table


def learn_channel(pairs: list[Pair], script: str, iterations: int = 4) -> Table:
    """Hard-EM alignment of the pairs; returns the pruned cost table."""
    table = _seed_table(script)
    default = 9.0
    for _ in range(iterations):
        aligned = (_viterbi(table, lat, frn, default) for lat, frn in pairs)
        table = _estimate(a for a in aligned if a is not None)
        default = 12.0
    return table


def main(argv: list[str] | None = None) -> None:
    """Regenerate the channel file: ``python -m wayhome.names.train [DATA_DIR [OUT]]``."""
    args = sys.argv[1:] if argv is None else argv
    data_dir = Path(args[0]) if args else Path(__file__).parents[4] / "shared" / "data" / "names"
    out = Path(args[1]) if len(args) > 1 else CHANNEL_PATH
    result = {
        script: learn_channel(pairs, script) for script, pairs in training_pairs(data_dir).items()
    }
    write_channel(result, out)


def write_channel(tables: dict[str, Table], out: Path) -> None:
    """Save learnt tables (per script) as the channel file ``romanise`` reads."""
    out.write_text(
        json.dumps(tables, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
        encoding="utf-8",
    )


if __name__ == "__main__":  # pragma: no cover
    main()
