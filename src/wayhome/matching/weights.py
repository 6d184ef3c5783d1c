"""How the shipped default weights were made: EM, without labels, on linkage-dev lists.

``wayhome matching fit-default [--lists DIR]`` links DIR/left.csv (Latin-script reports)
to DIR/right.csv (a Cyrillic registry) with ``linkage.link``, which fits the
Fellegi–Sunter m/u probabilities by EM on the candidate pairs it finds, and writes them
to data/default_model.json. No answer key is read (truth.csv stays closed) and nothing
is tuned: the file is whatever EM converged to on ``linkage-dev/ru``.

Why not the seed generator: its families share family names within one list, and EM's
"match" class then converged on "same family" (birth years disagreeing in 72% of its
pairs) rather than "same person". An agency's own confirmed pairs later replace these
weights (``services.model_refit``).
"""

from __future__ import annotations

import json
from pathlib import Path

from wayhome.linkage.io import read_person_list
from wayhome.linkage.link import link
from wayhome.linkage.model import FellegiSunter
from wayhome.matching.scoring import DEFAULT_MODEL_PATH, params_of

DEFAULT_LISTS = Path("../shared/data/linkage-dev/ru")
FLOOR = 1e-6  # no level is impossible: a zero would make its weight infinite


def fit_default(lists: Path = DEFAULT_LISTS) -> FellegiSunter:
    """EM on the candidate pairs of lists/left.csv against lists/right.csv."""
    left, right = read_person_list(lists / "left.csv"), read_person_list(lists / "right.csv")
    _, model = link(left, right, progress=None)
    return model


def write_default(model: FellegiSunter, path: Path = DEFAULT_MODEL_PATH) -> None:
    params = params_of(model)
    rounded = {
        "m": [[round(max(x, FLOOR), 6) for x in row] for row in params["m"]],
        "u": [[round(max(x, FLOOR), 6) for x in row] for row in params["u"]],
        "prior": round(params["prior"], 6),
    }
    path.write_text(json.dumps(rounded, indent=1) + "\n", encoding="utf-8")
