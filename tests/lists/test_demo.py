"""The demo leaves one imported list and one file to try the wizard on."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from tests import factories
from wayhome.accounts.models import Agency
from wayhome.accounts.roles import Role
from wayhome.linkage.io import read_table
from wayhome.lists.demo import load_demo
from wayhome.lists.models import ImportRow, ListImport


def test_demo_lists(agency_a: Agency, settings: Any, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path
    user = factories.user(agency_a, Role.CASEWORKER, "ngo-caseworker")
    for given, family in [("Амина", "Тестова"), ("Муса", "Примеров"), ("Лейла", "Образцова")]:
        factories.person(user, given, family, birth=dt.date(2012, 4, 5))
    out = io.StringIO()
    load_demo(out)
    done = ListImport.objects.get()
    assert done.status == ListImport.State.COMMITTED
    assert ImportRow.objects.filter(outcome=ImportRow.Outcome.MATCHED).count() == 3
    table = read_table((tmp_path / "demo-lists" / "ministry-list-2019-05.xlsx").read_bytes())
    assert table.rows[0][1][0].startswith("Список детей")
    load_demo(out)  # a second run imports nothing more
    assert ListImport.objects.count() == 1
