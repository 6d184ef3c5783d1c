from __future__ import annotations

import io
import json
from pathlib import Path

from django.core.management import call_command

from wayhome.matching.scoring import model_from

HEADER = "id,given_name,family_name,full_name,sex,birth_date\n"
FAMILIES = ("Aliyeva", "Eldarova", "Magomedova", "Tursynova", "Arsaeva", "Omarova")
GIVEN = ("Aminat", "Khadija", "Fatima", "Zarema", "Madina")
CYRILLIC = {"Aminat": "Аминат", "Khadija": "Хадижат", "Fatima": "Фатима", "Zarema": "Зарема",
            "Madina": "Мадина", "Aliyeva": "Алиева", "Eldarova": "Эльдарова",
            "Magomedova": "Магомедова", "Tursynova": "Турсынова", "Arsaeva": "Арсаева",
            "Omarova": "Омарова"}  # fmt: skip


def _lists(folder: Path) -> None:
    left, right = [HEADER], [HEADER]
    for n, (given, family) in enumerate((g, f) for g in GIVEN for f in FAMILIES):
        year = 1970 + n
        left.append(f"l{n},{given},{family},,F,{year if n % 4 else ''}\n")
        right.append(f"r{n},{CYRILLIC[given]},{CYRILLIC[family]},,F,{year}-0{1 + n % 9}-1{n % 9}\n")
    (folder / "left.csv").write_text("".join(left), encoding="utf-8")
    (folder / "right.csv").write_text("".join(right), encoding="utf-8")


def test_fit_default_learns_weights_without_labels(tmp_path: Path) -> None:
    _lists(tmp_path)
    out = tmp_path / "model.json"
    call_command(
        "matching", "fit-default", "--lists", str(tmp_path), "--out", str(out),
        stdout=io.StringIO(),
    )  # fmt: skip
    params = json.loads(out.read_text(encoding="utf-8"))
    assert all(x >= 1e-6 for row in params["m"] + params["u"] for x in row)
    model = model_from(params)
    assert model.weight((7, 4, 1)) > 0 > model.weight((0, 0, 0))
