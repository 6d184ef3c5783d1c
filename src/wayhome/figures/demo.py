"""Demo ledger: the published figures of ``shared/data/published-figures.csv``, read when
the demo starts (never copied into the code), with the office kept and any person's name
dropped from "Person Name, office" sources. A few rows are tied to registry definitions
so the ledger shows the registry's own count beside them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TextIO

from django.core.exceptions import ValidationError

from wayhome.accounts.models import User
from wayhome.figures.services import EstimateData, estimates_import, read_estimates_csv

FILE_NAME = "published-figures.csv"
DEMO_USER = "ngo-analyst"

# Words of ``what_it_counts`` -> the registry definition that counts the same thing.
LINKS = (
    ("Russian women held in Iraqi prisons", "held_women_ru_iq"),
    ("Russian children held in Iraqi prisons", "held_children_ru_iq"),
    ("Russian women awaiting sentencing in Iraq", "awaiting_women_ru_iq"),
    ("Russian women sentenced to life", "sentenced_women_ru_iq"),
    ("women returned to Russia from", "repatriated_women_ru"),
    ("children returned to Russia from", "repatriated_children_ru"),
    ("Tajik women and children in camps", "held_tj_sy"),
    ("Tajik children to bring home from Iraq", "held_children_tj_iq"),
    ("Tajik women to bring home from Iraq", "held_women_tj_iq"),
    ("women from Russia Kazakhstan and Uzbekistan sought", "sought_women"),
    ("children from Russia Kazakhstan and Uzbekistan sought", "sought_children"),
)


def published_figures_path() -> Path | None:
    """The shared data file: $WAYHOME_PUBLISHED_FIGURES, or shared/ beside the checkout."""
    candidates = [
        Path(os.environ.get("WAYHOME_PUBLISHED_FIGURES", "")),
        Path(__file__).resolve().parents[4] / "shared" / "data" / FILE_NAME,
        Path.cwd().parent / "shared" / "data" / FILE_NAME,
    ]
    return next((p for p in candidates if p.name == FILE_NAME and p.is_file()), None)


def _linked(data: EstimateData) -> EstimateData:
    for words, key in LINKS:
        if words.lower() in data.what_it_counts.lower():
            return EstimateData(**{**data.__dict__, "definition": key})
    return data


def load_demo(stdout: TextIO) -> None:
    actor = User.objects.filter(username=DEMO_USER).first()
    path = published_figures_path()
    if actor is None or path is None:
        stdout.write("Ledger of estimates: no published-figures.csv found; left empty.\n")
        return
    try:
        rows = read_estimates_csv(path.read_text(encoding="utf-8-sig"), offices_only=True)
        result = estimates_import(
            actor=actor, rows=[_linked(r) for r in rows], source_name=path.name
        )
    except ValidationError as exc:
        stdout.write(f"Ledger of estimates not loaded: {'; '.join(exc.messages)}\n")
        return
    stdout.write(f"Ledger of estimates: {result.created} published figures loaded.\n")
