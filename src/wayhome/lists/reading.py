"""Reading a list as its sender laid it out: find the header under any title rows, map
its columns to fields, and read every row into a person, naming each problem by row and
column. The cells come from ``linkage.io.read_table`` (encodings, XLSX, Excel dates).

Messages name rows and columns, never a cell's content: they end up in job records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wayhome.core.forms import error_text
from wayhome.core.fuzzydate import FuzzyDate, FuzzyDateError
from wayhome.core.text import detect_script
from wayhome.linkage.io import Table
from wayhome.lists.dates import parse_written_date
from wayhome.people.models import Sex
from wayhome.people.services import NameData

FIELDS = {
    "key": gettext_lazy("Number or id in the list"),
    "full_name": gettext_lazy("Full name (any order)"),
    "family_name": gettext_lazy("Family name"),
    "given_name": gettext_lazy("Given name"),
    "patronymic": gettext_lazy("Patronymic or father's name"),
    "sex": gettext_lazy("Sex"),
    "birth_date": gettext_lazy("Birth date or age"),
    "age": gettext_lazy("Age (years)"),
    "birth_place": gettext_lazy("Birth place"),
    "notes": gettext_lazy("Notes"),
}
NAME_FIELDS = ("full_name", "family_name", "given_name", "patronymic")

# Headers as lists write them (lower case, punctuation dropped), per field.
_HEADERS = {
    "key": {
        "id",
        "no",
        "nr",
        "number",
        "#",
        "№",
        "n",
        "номер",
        "пп",
        "п п",
        "№ пп",
        "رقم",
        "الرقم",
        "م",
    },
    "full_name": {
        "full name",
        "name",
        "full_name",
        "фио",
        "ф и о",
        "фамилия имя отчество",
        "имя полностью",
        "الاسم",
        "الاسم الكامل",
        "الاسم الثلاثي",
        "الاسم الرباعي",
    },
    "family_name": {
        "family name",
        "family_name",
        "surname",
        "last name",
        "фамилия",
        "اللقب",
        "اسم العائلة",
        "الكنية",
    },
    "given_name": {
        "given name",
        "given_name",
        "first name",
        "forename",
        "имя",
        "الاسم الأول",
        "الاسم الاول",
    },
    "patronymic": {
        "patronymic",
        "father's name",
        "fathers name",
        "father name",
        "отчество",
        "اسم الأب",
        "اسم الاب",
    },
    "sex": {"sex", "gender", "пол", "الجنس"},
    "birth_date": {
        "birth date",
        "birth_date",
        "date of birth",
        "dob",
        "born",
        "дата рождения",
        "д р",
        "год рождения",
        "г р",
        "تاريخ الميلاد",
        "تاريخ الولادة",
        "المواليد",
        "التولد",
    },
    "age": {"age", "возраст", "лет", "العمر", "السن"},
    "birth_place": {
        "birth place",
        "birth_place",
        "place of birth",
        "место рождения",
        "مكان الولادة",
        "محل الولادة",
    },
    "notes": {"notes", "note", "comment", "comments", "примечание", "примечания", "ملاحظات"},
}

_SEXES = {
    Sex.MALE: {"m", "male", "man", "boy", "м", "муж", "мужской", "мальчик", "ذكر", "ذ"},
    Sex.FEMALE: {
        "f",
        "female",
        "woman",
        "girl",
        "ж",
        "жен",
        "женский",
        "девочка",
        "أنثى",
        "انثى",
        "ا",
        "أ",
    },
}
_SEX_OF = {word: sex for sex, words in _SEXES.items() for word in words}


def _folded(header: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[.,:;()\[\]/\\_\-]", " ", header.lower())).strip()


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, column “%(column)s”: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ListRow:
    """One row, read: the person it describes and anything wrong with it."""

    number: int
    key: str = ""
    digest: str = ""
    names: list[NameData] = field(default_factory=list)
    sex: str = Sex.UNKNOWN
    birth: FuzzyDate = field(default_factory=FuzzyDate)
    birth_place: str = ""
    notes: str = ""
    problems: list[Problem] = field(default_factory=list)
    cells: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def display_name(self) -> str:
        return self.names[0].text() if self.names else ""


@dataclass
class ReadList:
    """A whole list, read with one mapping."""

    encoding: str
    header_row: int
    headers: list[str]
    rows: list[ListRow]
    problems: list[Problem] = field(default_factory=list)  # problems of the list itself

    @property
    def invalid(self) -> list[ListRow]:
        return [r for r in self.rows if not r.ok]

    @property
    def valid(self) -> list[ListRow]:
        return [r for r in self.rows if r.ok]

    def all_problems(self) -> list[Problem]:
        return [*self.problems, *(p for r in self.rows for p in r.problems)]


def header_index(table: Table, look: int = 15) -> int:
    """Index in ``table.rows`` of the header: among the first non-blank rows, the first
    that fills as many cells as the fullest (a title row above it, often merged across
    the columns, fills one)."""
    filled = [
        (i, sum(1 for c in cells if c.strip()))
        for i, (_n, cells) in enumerate(table.rows[: look * 2])
        if any(c.strip() for c in cells)
    ][:look]
    if not filled:
        return 0
    most = max(n for _, n in filled)
    return next(i for i, n in filled if n == most)


def headers_of(table: Table, index: int) -> list[str]:
    """Column headers; a group label in the row above (merged over several columns, so
    written in the first of them only) is put in front: "Name / Given"."""
    cells = [c.strip() for c in table.rows[index][1]] if table.rows else []
    headers = []
    above = table.rows[index - 1][1] if index > 0 else []
    group = ""
    groups_used = sum(1 for c in above if c.strip()) >= 2
    for i, cell in enumerate(cells):
        if groups_used and i < len(above):
            group = above[i].strip() or group
        label = f"{group} / {cell}" if groups_used and group and cell else cell
        headers.append(label or _("Column %(n)s") % {"n": i + 1})
    return _unique(headers)


def _unique(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in headers:
        seen[h] = seen.get(h, 0) + 1
        out.append(h if seen[h] == 1 else f"{h} ({seen[h]})")
    return out


def suggest_mapping(headers: Sequence[str]) -> dict[str, str]:
    """{field: header} for the headers that say plainly what they hold."""
    mapping: dict[str, str] = {}
    for header in headers:
        folded = _folded(header.split(" / ")[-1])
        whole = _folded(header)
        for name, words in _HEADERS.items():
            if name not in mapping and (folded in words or whole in words):
                mapping[name] = header
                break
    return mapping


def read_list(
    table: Table,
    mapping: Mapping[str, str],
    as_of: dt.date,
    today: dt.date,
    header_row: int | None = None,
) -> ReadList:
    """Every row read with ``mapping`` ({field: header}); ages are taken on ``as_of``."""
    index = header_index(table) if header_row is None else _index_of(table, header_row)
    headers = headers_of(table, index)
    number = table.rows[index][0] if table.rows else 1
    result = ReadList(table.encoding, number, headers, [])
    unknown = [h for h in mapping.values() if h and h not in headers]
    for h in unknown:
        result.problems.append(
            Problem(number, h, _("this column is not in the list; choose the columns again."))
        )
    if not any(mapping.get(f) for f in NAME_FIELDS):
        result.problems.append(
            Problem(number, "", _("no column is chosen for a name: a person needs one."))
        )
    if result.problems:
        return result
    position = {h: i for i, h in enumerate(headers)}
    keys: dict[str, int] = {}
    for n, cells in table.rows[index + 1 :]:
        if not any(c.strip() for c in cells):
            continue  # blank lines between blocks of a list
        values = {
            f: (cells[position[h]].strip() if position[h] < len(cells) else "")
            for f, h in mapping.items()
            if h
        }
        row = _row(n, values, mapping, as_of, today)
        if row.key in keys:
            row.problems.append(
                Problem(
                    n,
                    mapping.get("key") or _("whole row"),
                    _("the same as row %(other)s: each row must be a different person.")
                    % {"other": keys[row.key]},
                )
            )
        keys.setdefault(row.key, n)
        result.rows.append(row)
    return result


def _index_of(table: Table, header_row: int) -> int:
    return next((i for i, (n, _c) in enumerate(table.rows) if n == header_row), 0)


def _row(
    n: int, values: dict[str, str], mapping: Mapping[str, str], as_of: dt.date, today: dt.date
) -> ListRow:
    row = ListRow(number=n, cells=values)

    def problem(f: str, message: str) -> None:
        row.problems.append(Problem(n, mapping.get(f, f), message))

    parts = {f: values.get(f, "") for f in NAME_FIELDS}
    if parts["given_name"] or parts["family_name"] or parts["patronymic"]:
        row.names.append(
            NameData(
                given=parts["given_name"][:100],
                patronymic=parts["patronymic"][:100],
                family=parts["family_name"][:100],
                script=detect_script(" ".join(parts.values())),
            )
        )
    if parts["full_name"] and not row.names:
        row.names.append(NameData(full=parts["full_name"][:300]))
    if not row.names:
        problem("full_name" if mapping.get("full_name") else "family_name", _("no name."))
    sex = values.get("sex", "").strip().lower().rstrip(".")
    if sex:
        if sex in _SEX_OF:
            row.sex = _SEX_OF[sex]
        else:
            problem("sex", _("not a sex this system reads (M/F, М/Ж, ذكر/أنثى)."))
    row.birth = _birth(values, as_of, today, problem)
    row.birth_place = values.get("birth_place", "")[:200]
    row.notes = values.get("notes", "")
    content = {f: values.get(f, "") for f in sorted(values) if f != "key"}
    row.digest = hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()
    key = values.get("key", "")
    row.key = f"id:{key}"[:200] if key else f"row:{row.digest}"
    return row


def _birth(
    values: dict[str, str], as_of: dt.date, today: dt.date, problem: Callable[[str, str], None]
) -> FuzzyDate:
    birth = FuzzyDate()
    for f, age_only in (("birth_date", False), ("age", True)):
        text = values.get(f, "")
        if not text or birth.is_known:
            continue
        try:
            birth = parse_written_date(text, as_of, age_only=age_only)
            birth.check_not_future(today, _("The birth date"))
        except FuzzyDateError as exc:
            problem(f, error_text(exc))
            return FuzzyDate()
    return birth
