"""Synthetic person lists of any size for the scale benchmark and the engine tests.

The right list is a registry in Cyrillic; the left list holds Latin-script queries with
noise like linkage-dev's (typos, a free-text name in either order, birth dates exact,
year only, blank or a year off, sex sometimes blank); two thirds have a partner. Names
come from the demo seed tables (frequent names, as in real lists) and, for the long tail,
from the name-token pairs of the training split ``wd_russian_80``. All invented
combinations: no row is a real person.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from wayhome.demo.names import BOYS, CULTURES, GIRLS, feminine_family

HEADER = ("id", "given_name", "family_name", "full_name", "sex", "birth_date")
TAIL = Path(__file__).resolve().parents[3] / "shared" / "data" / "names" / "wd_russian_80"
TAIL_SHARE = 0.5  # how often a name part comes from the long tail rather than the tables


@dataclass(frozen=True)
class Token:
    """One name part: its Cyrillic form and its Latin spellings."""

    cyrl: str
    latn: tuple[str, ...]


def _tables() -> tuple[list[Token], list[Token], list[Token], list[Token]]:
    """(women, men, female family names, male family names) from the demo tables."""
    women = [Token(w.cyrl, w.latn) for c in CULTURES.values() for w in c.women]
    women += [Token(g.by_style["ru"], g.latn) for g in GIRLS]
    men = [Token(w.cyrl, w.latn) for c in CULTURES.values() for w in c.men]
    men += [Token(b.by_style["ru"], b.latn) for b in BOYS]
    fam_m = [Token(w.cyrl, w.latn) for c in CULTURES.values() for w in c.families]
    fam_f = [Token(f.cyrl, f.latn) for f in (feminine_family(w) for c in CULTURES.values()
                                              for w in c.families)]  # fmt: skip
    return women, men, fam_f, fam_m


def _tail(path: Path) -> list[Token]:
    """Long-tail tokens (Latin, Cyrillic) of the training pairs, capitalised."""
    tokens: dict[str, Token] = {}
    if not path.exists():
        return []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].isalpha() and len(parts[0]) > 2:
            cyrl = parts[1].replace(" ", "").capitalize()
            tokens.setdefault(cyrl, Token(cyrl, (parts[0].capitalize(),)))
    return list(tokens.values())


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    at = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.33:
        return word[:at] + word[at + 1 :]
    if kind < 0.66:
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    return word[:at] + rng.choice("aeioulnrstkm") + word[at + 1 :]


def _birth(rng: random.Random) -> tuple[int, int, int]:
    return rng.randint(1955, 2019), rng.randint(1, 12), rng.randint(1, 28)


def _query_birth(birth: tuple[int, int, int], rng: random.Random) -> str:
    year, month, day = birth
    roll = rng.random()
    if roll < 0.5:
        return f"{year:04d}-{month:02d}-{day:02d}"
    if roll < 0.7:
        return f"{year:04d}"
    if roll < 0.85:
        return ""
    return f"{year + rng.choice((-1, 1)):04d}"


class Generator:
    """Draws persons from the tables and the tail with a seeded random source."""

    def __init__(self, seed: int, tail: Path = TAIL) -> None:
        self.rng = random.Random(seed)
        self.women, self.men, self.fam_f, self.fam_m = _tables()
        self.tail = _tail(tail)

    def _pick(self, pool: list[Token]) -> Token:
        if self.tail and self.rng.random() < TAIL_SHARE:
            return self.rng.choice(self.tail)
        return self.rng.choice(pool)

    def person(self) -> tuple[Token, Token, str, tuple[int, int, int]]:
        """(given, family, sex, birth) of a new person."""
        female = self.rng.random() < 0.6
        given = self._pick(self.women if female else self.men)
        family = self._pick(self.fam_f if female else self.fam_m)
        return given, family, "F" if female else "M", _birth(self.rng)

    def query(
        self, pid: str, person: tuple[Token, Token, str, tuple[int, int, int]]
    ) -> tuple[str, ...]:
        """The person as a noisy Latin-script query row."""
        rng = self.rng
        given, family, sex, birth = person
        g, f = (rng.choice(t.latn) for t in (given, family))
        if rng.random() < 0.3:
            g = _typo(g, rng)
        if rng.random() < 0.3:
            f = _typo(f, rng)
        sex_cell = "" if rng.random() < 0.1 else sex
        if rng.random() < 0.3:
            full = f"{f} {g}" if rng.random() < 0.5 else f"{g} {f}"
            return (pid, "", "", full, sex_cell, _query_birth(birth, rng))
        return (pid, g, f, "", sex_cell, _query_birth(birth, rng))


def write_lists(folder: Path, left: int, right: int, seed: int = 7) -> tuple[Path, Path, Path]:
    """left.csv, right.csv and truth.csv in ``folder``; returns their paths."""
    gen = Generator(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = folder / "left.csv", folder / "right.csv", folder / "truth.csv"
    partners = [
        gen.rng.randrange(right) if right and gen.rng.random() < 2 / 3 else None
        for _ in range(left)
    ]
    wanted = set(partners)
    registry: dict[int, tuple[Token, Token, str, tuple[int, int, int]]] = {}
    with paths[1].open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for n in range(right):
            given, family, sex, (y, m, d) = person = gen.person()
            if n in wanted:
                registry[n] = person
            out.writerow((f"R{n}", given.cyrl, family.cyrl, "", sex, f"{y:04d}-{m:02d}-{d:02d}"))
    with (
        paths[0].open("w", encoding="utf-8", newline="") as lh,
        paths[2].open("w", encoding="utf-8", newline="") as th,
    ):
        rows, truth = csv.writer(lh), csv.writer(th)
        rows.writerow(HEADER)
        truth.writerow(("left_id", "right_id"))
        for n, partner in enumerate(partners):
            if partner is None:
                rows.writerow(gen.query(f"L{n}", gen.person()))
            else:
                rows.writerow(gen.query(f"L{n}", registry[partner]))
                truth.writerow((f"L{n}", f"R{partner}"))
    return paths
