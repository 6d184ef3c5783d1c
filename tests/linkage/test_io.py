"""Reading person lists: encodings, separators, XLSX, and errors that name the row and
column."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.linkage.factories import CP1251_ROWS, RIGHT_ROWS, write_csv, write_xlsx
from wayhome.linkage.io import ListFormatError, parse_birth, read_pairs, read_person_list


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
def test_csv_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    persons = read_person_list(write_csv(tmp_path / "r.csv", CP1251_ROWS, encoding))
    assert [p.family_name for p in persons][:2] == ["Налоева", "Магомедов"]
    assert persons[0].id == "R1"  # no BOM glued to the first header


def test_xlsx_reads_like_csv(tmp_path: Path) -> None:
    persons = read_person_list(write_xlsx(tmp_path / "r.xlsx", RIGHT_ROWS))
    assert persons[1].given_name == "Рустам"
    assert persons[1].birth == (1988, 3, 2)


def test_an_arabic_windows_1256_list_is_read(tmp_path: Path) -> None:
    rows = ["A1,عائشة,نالوييفا,,F,1995", "A2,,,عمر علييف,M,2014"]
    persons = read_person_list(write_csv(tmp_path / "a.csv", rows, "cp1256"))
    assert [(p.given_name, p.full_name) for p in persons] == [("عائشة", ""), ("", "عمر علييف")]


def test_a_list_separated_by_semicolons_is_read(tmp_path: Path) -> None:
    """As Excel saves CSV where the comma is the decimal sign (a Russian Windows)."""
    path = tmp_path / "s.csv"
    text = "id;given_name;family_name;sex;birth_date\nR1;Аиша;Налоева;F;1995-06-01\n"
    path.write_bytes(text.encode("cp1251"))
    (person,) = read_person_list(path)
    assert (person.id, person.family_name, person.birth) == ("R1", "Налоева", (1995, 6, 1))
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("left_id;right_id\nL1;R1\n\n", encoding="utf-8")
    assert read_pairs(pairs) == {("L1", "R1")}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (bytes(range(256)) * 4, "neither an XLSX workbook nor a CSV text list"),
        (b"PK\x03\x04" + bytes(200), "not a readable XLSX workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), "old Excel workbook (.xls)"),
    ],
)
def test_a_file_that_is_no_list_is_refused_as_such(
    tmp_path: Path, data: bytes, message: str
) -> None:
    path = tmp_path / "list.xlsx"
    path.write_bytes(data)
    with pytest.raises(ListFormatError, match=re.escape(message)) as excinfo:
        read_person_list(path)
    assert str(excinfo.value).startswith(f"{path}: ")


def test_extra_columns_are_allowed(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("id,full_name,camp\nA,Aisha Naloyeva,Hol\n", encoding="utf-8")
    assert read_person_list(path)[0].full_name == "Aisha Naloyeva"


@pytest.mark.parametrize(
    ("row", "where", "message"),
    [
        ("R9,Аиша,Налоева,,F,1995-13-01", "column birth_date", "month must be in 1..12"),
        ("R9,Аиша,Налоева,,F,about 1995", "column birth_date", "is not YYYY"),
        ("R9,Аиша,Налоева,,F,2999-01", "column birth_date", "in the future"),
        ("R9,Аиша,Налоева,,X,1995", "column sex", "not M, F or blank"),
        ("R9,Аиша,Налоева,,F,1995,Hol", "row 3:", "more cells than header"),
        ("R9,,,,F,1995", "column full_name", "no name at all"),
        (",Аиша,Налоева,,F,1995", "column id", "blank"),
        ("R1,Аиша,Налоева,,F,1995", "column id", "duplicate"),
    ],
)
def test_bad_cell_is_named_by_row_and_column(
    tmp_path: Path, row: str, where: str, message: str
) -> None:
    path = write_csv(tmp_path / "bad.csv", [RIGHT_ROWS[0], row])
    with pytest.raises(ListFormatError) as excinfo:
        read_person_list(path)
    text = str(excinfo.value)
    assert "row 3" in text
    assert where in text
    assert message in text
    assert "Аиша" not in text, "the message must not repeat personal data"


def test_a_list_without_persons_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("id,given_name,family_name\n,,\n", encoding="utf-8")
    with pytest.raises(ListFormatError, match="no persons after the header row"):
        read_person_list(path)


def test_header_without_id_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("name,sex\nAisha,F\n", encoding="utf-8")
    with pytest.raises(ListFormatError, match="row 1"):
        read_person_list(path)


def test_birth_dates_of_any_precision() -> None:
    assert parse_birth("1995") == (1995, None, None)
    assert parse_birth("1995-06") == (1995, 6, None)
    assert parse_birth(" ") is None
    with pytest.raises(ValueError, match="day is out of range"):
        parse_birth("2001-02-30")
