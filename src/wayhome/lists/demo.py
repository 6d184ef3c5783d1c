"""Demo lists: one imported already (so the Lists page shows outcomes), and one left in
var/demo-lists/ for users to try the wizard on: a ministry's workbook with a title row,
blank lines, Excel dates, names in two scripts, some people already in the registry and
one row with problems. Every name is synthetic; the output is the same on every run."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.conf import settings
from openpyxl import Workbook

from wayhome.accounts.models import User
from wayhome.lists import services
from wayhome.lists.models import ListImport
from wayhome.people.models import Person, PersonName

NEW_PEOPLE = [
    ("Синтетова", "Марьям", "ж", dt.date(2014, 7, 2)),
    ("Примеров", "Ибрагим", "м", "около 5 лет"),
    ("Образцова", "Хадижат", "ж", "03.2013"),
    ("Testova", "Zarema", "F", "2012"),
    ("حسن", "فاطمة", "أنثى", "٢٠١٥"),
    ("Условный", "Абдулла", "м", 41821),  # an Excel serial number: 2 July 2014
]


def _known_rows(agency_id: int, limit: int) -> list[tuple[str, str, str, Any]]:
    """Registered children of the agency, as a ministry would list them."""
    rows: list[tuple[str, str, str, Any]] = []
    persons = Person.objects.filter(
        agency_id=agency_id, merged_into=None, birth_precision="exact", birth_year__gte=2008
    ).order_by("pk")[: limit * 10]
    for person in persons:
        name = PersonName.objects.filter(person=person, script="Cyrl").first()
        if name is None or not (name.given and name.family):
            continue
        birth = dt.date(person.birth_year or 2010, person.birth_month or 1, person.birth_day or 1)
        sex = {"M": "м", "F": "ж"}.get(person.sex, "")
        rows.append((name.family, name.given, sex, birth))
        if len(rows) == limit:
            break
    return rows


def _workbook(rows: list[tuple[str, str, str, Any]], bad_row: bool) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101
    sheet.append(["Список детей, переданный министерством (синтетические данные)"])
    sheet.merge_cells("A1:E1")
    sheet.append(["№", "Фамилия", "Имя", "Пол", "Дата рождения"])
    for i, (family, given, sex, birth) in enumerate(rows, start=1):
        sheet.append([i, family, given, sex, birth])
        if isinstance(birth, dt.date):
            sheet.cell(sheet.max_row, 5).number_format = "DD.MM.YYYY"
        if i == 3:
            sheet.append([])  # a blank line between blocks, as lists have
    if bad_row:
        sheet.append([len(rows) + 1, "", "", "ж", "31.02.2014"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def load_demo(stdout: Any) -> None:
    user = User.objects.filter(username="ngo-caseworker").first()
    if user is None:
        return
    folder = settings.VAR_DIR / "demo-lists"
    folder.mkdir(parents=True, exist_ok=True)
    known = _known_rows(user.agency_key, 6)
    first = _workbook(known[:3] + NEW_PEOPLE[:3], bad_row=False)
    if not ListImport.objects.filter(agency_id=user.agency_key).exists():
        draft = services.list_import_upload(
            actor=user,
            source_name="Ministry of Labour and Social Protection (synthetic)",
            file_name="ministry-list-2019-03.xlsx",
            data=first,
            list_date=dt.date(2019, 3, 15),
        )
        done = services.list_import_commit(actor=user, list_import=draft)
        stdout.write(f"lists: imported a demo list ({done.counts})")
    try_it = folder / "ministry-list-2019-05.xlsx"
    try_it.write_bytes(_workbook(known[3:] + NEW_PEOPLE[3:], bad_row=True))
    stdout.write(f"lists: a list to try the import wizard on: {try_it}")
