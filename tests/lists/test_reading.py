"""Reading ugly lists: titles merged over the header, group headers, blank lines, Excel
dates, legacy encodings, mixed scripts; every problem named by row and column."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.lists.files import csv_bytes, xlsx_bytes
from wayhome.core.fuzzydate import FuzzyDate, Precision
from wayhome.linkage.io import ListFormatError, decode_list, read_table
from wayhome.lists.reading import read_list, suggest_mapping
from wayhome.people.models import Sex

ON = dt.date(2019, 5, 1)
TODAY = dt.date(2026, 1, 1)
RU_ROWS = [
    ["№", "ФИО", "Пол", "Дата рождения"],
    ["1", "Тестова Амина Руслановна", "ж", "12.03.2015"],
    ["2", "Примеров Муса", "м", "около 4 лет"],
]
AR_ROWS = [
    ["الرقم", "الاسم الكامل", "الجنس", "تاريخ الميلاد"],
    ["1", "فاطمة علي حسن", "أنثى", "2014"],
    ["2", "عمر خالد", "ذكر", "03/2016"],
]
# Windows-1256 has no Arabic-Indic digits; lists typed with them come as UTF-8.
AR_DIGITS = [
    AR_ROWS[0],
    ["١", "فاطمة علي حسن", "أنثى", "٢٠١٤"],
    ["٢", "عمر خالد", "ذكر", "٠٣/٢٠١٦"],
]


@pytest.mark.parametrize(
    ("rows", "encoding"),
    [(RU_ROWS, "utf-8"), (RU_ROWS, "utf-8-sig"), (RU_ROWS, "cp1251"), (AR_ROWS, "cp1256")],
)
def test_encodings_are_detected(rows: list[list[str]], encoding: str) -> None:
    table = read_table(csv_bytes(rows, encoding))
    assert table.encoding == encoding
    assert table.rows[1][1][1] == rows[1][1]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_separators_are_detected(delimiter: str) -> None:
    rows = [*RU_ROWS, ["3", "Образцова, Лейла", "ж", "2016"]]  # a comma inside a name
    table = read_table(csv_bytes(rows, "cp1251", delimiter))
    assert [cells for _, cells in table.rows] == rows
    read = read_list(table, suggest_mapping(rows[0]), ON, TODAY)
    assert not read.all_problems()
    assert read.rows[2].names[0].full == "Образцова, Лейла"


def test_a_list_of_one_column_is_read_as_one() -> None:
    rows = [["ФИО"], ["Тестова Амина"], ["Примеров Муса"]]
    assert [cells for _, cells in read_table(csv_bytes(rows)).rows] == rows


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (bytes(range(256)) * 40, "neither an XLSX workbook nor a CSV text list"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "old Excel workbook"),
        (b"PK\x03\x04" + bytes(200), "not a readable XLSX workbook"),
    ],
)
def test_files_that_are_no_list_are_refused_as_such(data: bytes, message: str) -> None:
    with pytest.raises(ListFormatError, match=message):
        read_table(data)


def test_a_chosen_encoding_that_does_not_fit_is_refused() -> None:
    with pytest.raises(ListFormatError):
        decode_list("Тестова".encode("cp1251"), "utf-8")


def test_a_wrong_encoding_choice_reads_gibberish_not_the_names() -> None:
    text, used = decode_list("Тестова Амина".encode("cp1251"), "cp1256")
    assert used == "cp1256"
    assert "Тестова" not in text


def test_russian_list_read_and_mapped_by_its_headers() -> None:
    table = read_table(csv_bytes(RU_ROWS, "cp1251"))
    read = read_list(table, suggest_mapping(RU_ROWS[0]), ON, TODAY)
    assert not read.all_problems()
    first, second = read.rows
    assert first.names[0].full == "Тестова Амина Руслановна"
    assert first.sex == Sex.FEMALE
    assert first.birth == FuzzyDate(Precision.EXACT, 2015, 3, 12)
    assert second.birth == FuzzyDate.about_age(4, ON)
    assert first.key == "id:1"


@pytest.mark.parametrize(("rows", "encoding"), [(AR_ROWS, "cp1256"), (AR_DIGITS, "utf-8")])
def test_arabic_list(rows: list[list[str]], encoding: str) -> None:
    table = read_table(csv_bytes(rows, encoding))
    read = read_list(table, suggest_mapping(rows[0]), ON, TODAY)
    assert not read.all_problems()
    assert read.rows[0].birth == FuzzyDate(Precision.YEAR, 2014)
    assert read.rows[1].sex == Sex.MALE
    assert read.rows[1].birth.month == 3


def test_title_row_group_headers_blank_lines_and_excel_dates() -> None:
    data = xlsx_bytes(
        [
            ["№", "Фамилия", "Имя", "Дата рождения", "Notes"],
            [1, "Тестова", "Amina", dt.date(2015, 3, 12), "mixed scripts"],
            [],
            [],
            [2, "Примерова", "Зарема", 42075, ""],
            [3, "", "", "2016", ""],
            [4, "Образцова", "Лейла", "soon", ""],
        ],
        title="Список детей, переданный министерством (синтетический)",
        group_row=["", "Name", "", "Birth", ""],
    )
    table = read_table(data)
    read = read_list(table, suggest_mapping(read_list(table, {}, ON, TODAY).headers), ON, TODAY)
    assert read.header_row == 3
    assert read.headers[1] == "Name / Фамилия"
    assert read.headers[2] == "Name / Имя"
    assert [r.number for r in read.rows] == [4, 7, 8, 9]  # as the spreadsheet numbers them
    assert read.rows[0].birth == FuzzyDate(Precision.EXACT, 2015, 3, 12)
    assert read.rows[1].birth == FuzzyDate(Precision.EXACT, 2015, 3, 12)  # a serial number
    problems = [str(p) for p in read.all_problems()]
    assert problems[0].startswith("Row 8, column “Name / Фамилия”: no name")
    assert problems[1].startswith("Row 9, column “Birth / Дата рождения”: Cannot read")
    assert len(problems) == 2


def test_problems_name_row_and_column_never_the_content() -> None:
    rows = [
        ["id", "full_name", "sex", "birth_date"],
        ["7", "Secretname Testova", "X", "2099"],
        ["7", "Other Testova", "F", ""],
    ]
    read = read_list(read_table(csv_bytes(rows)), suggest_mapping(rows[0]), ON, TODAY)
    problems = [str(p) for p in read.all_problems()]
    assert problems == [
        "Row 2, column “sex”: not a sex this system reads (M/F, М/Ж, ذكر/أنثى).",
        "Row 2, column “birth_date”: The birth date is in the future.",
        "Row 3, column “id”: the same as row 2: each row must be a different person.",
    ]
    assert not any("Secretname" in p for p in problems)


def test_a_mapping_without_a_name_column_is_a_problem_of_the_list() -> None:
    read = read_list(read_table(csv_bytes(RU_ROWS)), {"sex": "Пол"}, ON, TODAY)
    assert read.problems
    assert not read.rows


def test_unreadable_workbook() -> None:
    with pytest.raises(ListFormatError):
        read_table(b"PK\x03\x04 not really a workbook")
