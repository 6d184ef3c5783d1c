"""Small synthetic person lists for linkage tests (invented names only)."""

from __future__ import annotations

from pathlib import Path

HEADER = "id,given_name,family_name,full_name,sex,birth_date"

LEFT_ROWS = [
    "L1,Aisha,Naloyeva,,F,1995",
    "L2,,,Magomedov Rustam,M,1988-03-02",
    "L3,Zarina,Rahmonzoda,,F,",
    "L4,Ostap,Quenby,,M,1970-01-01",
]
RIGHT_ROWS = [
    "R1,Аиша,Налоева,,F,1995-06-01",
    "R2,Рустам,Магомедов,,M,1988-03-02",
    "R3,Зарина,Раҳмонзода,,F,2001-11-30",
    "R4,Мадина,Исаева,,F,1990-05-05",
    "R5,Аиша,Налоева,,F,1962-02-02",
    "R6,Рустам,Магомедов,,M,1951-07-07",
]

# cp1251 has no Tajik letters: the rows a Russian-language office would send.
CP1251_ROWS = [row for row in RIGHT_ROWS if "ҳ" not in row]


def write_csv(path: Path, rows: list[str], encoding: str = "utf-8") -> Path:
    """A list file with the interchange header."""
    path.write_bytes("\n".join([HEADER, *rows]).encode(encoding) + b"\n")
    return path


def write_xlsx(path: Path, rows: list[str]) -> Path:
    """The same rows as an XLSX workbook (first sheet)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for line in [HEADER, *rows]:
        sheet.append(line.split(","))
    book.save(path)
    return path
