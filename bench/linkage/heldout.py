"""Linkage quality on names the channel never saw: ``python -m bench.linkage heldout``.

The linker's learned channel (``names/data/channel.json``) is learnt from the training
splits in ``shared/data/names``, and linkage-dev's names come from those same splits: its
figures say how well the linker does on names it was taught, not on the ones a real list
will hold. This benchmark asks the other question. It

1. holds out a share of the training pairs' foreign forms (``HELD_OUT``, chosen by a hash
   of the folded form, so a form is held out in every source it appears in);
2. learns a channel from the rest, exactly as ``python -m wayhome.names.train`` does (one
   process per script);
3. builds, per script, two pairs of lists shaped like linkage-dev (3,000 Latin queries, 2,000
   of them with a partner, against a registry of 20,000; noise as measured on
   linkage-dev, ``NOISE``): one from held-out names only, one from names the new channel
   was taught, as the control;
4. links each with that channel and the linker's defaults, and runs the anyascii +
   rapidfuzz baseline (its threshold chosen on the answers) beside it.

What differs between the two rows of a script is whether the names were seen; the
lists' shape, noise and channel are the same. Every row is synthetic: invented
combinations of name tokens, no real person.
"""

from __future__ import annotations

import csv
import hashlib
import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from wayhome.names.train import Pair, Table, learn_channel, write_channel

HELD_OUT = 0.25  # share of foreign forms held out of the channel's training
SETS = {"Cyrl": "ru", "Arab": "ar"}
HEADER = ("id", "given_name", "family_name", "full_name", "sex", "birth_date")
QUERIES, PARTNERED, REGISTRY = 3_000, 2_000, 20_000  # linkage-dev's shape


@dataclass(frozen=True)
class Noise:
    """How a partnered query differs from its registry row: shares measured on
    linkage-dev's 2,000 true pairs per set (ru and ar within a point of each other);
    queries without a partner have both name parts and an exact date, as there."""

    typo: float = 0.105  # a name part one edit off its spelling (4,000 parts: 420-438)
    full_name: float = 0.30  # the name as free text, in either order (601-608 of 2,000)
    sex_blank: float = 0.095  # (183-190)
    birth_blank: float = 0.16  # (306-327)
    year_only: float = 0.34  # (658-692)
    year_off: float = 0.11  # of dated queries, the year one off either way (188-196 of ~1,690)


NOISE = Noise()


def held_out(form: str, share: float = HELD_OUT) -> bool:
    """Whether a folded foreign form is held out: a stable hash, the same on every run
    and machine (``hash()`` is salted per process)."""
    digest = hashlib.blake2b(form.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % 10_000 < share * 10_000


def split(
    pairs: Mapping[str, Sequence[Pair]], share: float = HELD_OUT
) -> tuple[dict[str, list[Pair]], dict[str, list[Pair]]]:
    """(taught, held out): per script, the (latin, foreign) pairs whose foreign form is
    not held out, and those whose form is."""
    taught: dict[str, list[Pair]] = {}
    unseen: dict[str, list[Pair]] = {}
    for script, found in pairs.items():
        taught[script] = [p for p in found if not held_out(p[1], share)]
        unseen[script] = [p for p in found if held_out(p[1], share)]
    return taught, unseen


def _learn(job: tuple[str, list[Pair]]) -> tuple[str, Table]:
    script, pairs = job
    return script, learn_channel(pairs, script)


def learn(pairs: Mapping[str, list[Pair]], out: Path, workers: int = 2) -> Path:
    """A channel learnt from ``pairs`` (per script, a process each), written to ``out``."""
    with ProcessPoolExecutor(workers) as pool:
        tables = dict(pool.map(_learn, sorted(pairs.items())))
    write_channel(tables, out)
    return out


def spellings(pairs: Sequence[Pair]) -> dict[str, list[str]]:
    """Each foreign form's Latin spellings (capitalised, as a list writes them)."""
    found: dict[str, list[str]] = defaultdict(list)
    for latin, foreign in pairs:
        if latin.isalpha() and len(latin) > 1 and latin.capitalize() not in found[foreign]:
            found[foreign].append(latin.capitalize())
    return dict(found)


def _typo(word: str, rng: random.Random) -> str:
    """One edit: a letter dropped, doubled into another or replaced (linkage-dev's typos
    are one Levenshtein edit from a spelling)."""
    at = rng.randrange(len(word))
    kind = rng.randrange(3)
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
    if kind == 0 and len(word) > 2:
        return word[:at] + word[at + 1 :]
    if kind == 1:
        return word[:at] + letter + word[at:]
    replaced = word[:at] + letter + word[at + 1 :]
    return replaced if replaced.lower() != word.lower() else word[:at] + word[at + 1 :]


def _date(rng: random.Random) -> tuple[int, int, int]:
    return rng.randint(1950, 2020), rng.randint(1, 12), rng.randint(1, 28)


def _query_birth(birth: tuple[int, int, int], rng: random.Random, noise: Noise) -> str:
    year, month, day = birth
    roll = rng.random()
    if roll < noise.birth_blank:
        return ""
    if rng.random() < noise.year_off:
        year += rng.choice((-1, 1))
    if roll < noise.birth_blank + noise.year_only:
        return f"{year:04d}"
    return _iso((year, month, day))


def _iso(date: tuple[int, int, int]) -> str:
    return "{:04d}-{:02d}-{:02d}".format(*date)


def write_set(
    folder: Path, pairs: Sequence[Pair], seed: int, noise: Noise = NOISE
) -> tuple[Path, Path, Path]:
    """left.csv, right.csv and truth.csv of lists built from ``pairs`` only: the
    registry in their foreign script, the queries in Latin. Returns the three paths."""
    rng = random.Random(seed)
    forms = spellings(pairs)
    pool = sorted(forms)
    if len(pool) < 2:
        raise ValueError("too few names to build lists from")
    folder.mkdir(parents=True, exist_ok=True)

    def person() -> tuple[str, str, str, tuple[int, int, int]]:
        return rng.choice(pool), rng.choice(pool), rng.choice("FM"), _date(rng)

    registry = [person() for _ in range(REGISTRY)]
    partnered = rng.sample(range(REGISTRY), PARTNERED)
    queries: list[tuple[str, ...]] = []
    truth: list[tuple[str, str]] = []
    for n, row in enumerate(partnered):
        given, family, sex, birth = registry[row]
        g, f = (rng.choice(forms[form]) for form in (given, family))
        g, f = (_typo(x, rng) if rng.random() < noise.typo else x for x in (g, f))
        sex_cell = "" if rng.random() < noise.sex_blank else sex
        when = _query_birth(birth, rng, noise)
        if rng.random() < noise.full_name:
            full = f"{g} {f}" if rng.random() < 0.5 else f"{f} {g}"
            queries.append((f"Q{n}", "", "", full, sex_cell, when))
        else:
            queries.append((f"Q{n}", g, f, "", sex_cell, when))
        truth.append((f"Q{n}", f"R{row}"))
    for n in range(PARTNERED, QUERIES):
        given, family, sex, born = person()
        g, f = (rng.choice(forms[form]) for form in (given, family))
        queries.append((f"Q{n}", g, f, "", sex, _iso(born)))
    rng.shuffle(queries)
    paths = folder / "left.csv", folder / "right.csv", folder / "truth.csv"
    rows: tuple[list[Sequence[str]], ...] = (
        [HEADER, *queries],
        [HEADER, *((f"R{n}", g, f, "", s, _iso(b)) for n, (g, f, s, b) in enumerate(registry))],
        [("left_id", "right_id"), *truth],
    )
    for path, content in zip(paths, rows, strict=True):
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(content)
    return paths
