"""Reading person lists in the interchange format (CSV or XLSX) and writing pair files.

Columns: id, given_name, family_name, full_name, sex, birth_date; extra columns are
ignored. CSV may be UTF-8, UTF-8 with BOM, cp1251 or Windows-1256, separated by commas,
semicolons or tabs (``read_rows``, as imports read them). Any bad cell raises
``ListFormatError`` naming the file, the row (as a spreadsheet shows it, header = 1)
and the column, so the person who sent the list can fix it. Messages never repeat the
cell's content: these are lists of people, and stderr ends up in logs.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

NAME_COLUMNS = ("given_name", "family_name", "full_name")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_SEX = {"M": "M", "F": "F", "": "", "m": "M", "f": "F", "М": "M", "Ж": "F", "м": "M", "ж": "F"}


class ListFormatError(ValueError):
    """A person list that cannot be read; the message names row and column."""


@dataclass(frozen=True, slots=True)
class Person:
    """One row of a person list, validated."""

    id: str
    given_name: str
    family_name: str
    full_name: str
    sex: str
    birth: tuple[int, int | None, int | None] | None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_birth(text: str) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) at the precision given; None when blank; ValueError when bad."""
    text = text.strip()
    if not text:
        return None
    m = _DATE.match(text)
    if not m:
        raise ValueError("the birth date is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(m[1]), m[2] and int(m[2]), m[3] and int(m[3])
    if dt.date(year, month or 1, day or 1) > dt.datetime.now(dt.UTC).date():  # or ValueError
        raise ValueError("the birth date is in the future")
    return year, month or None, day or None


def _person(row: dict[str, str], where: str) -> Person:
    def fail(column: str, message: str) -> ListFormatError:
        return ListFormatError(f"{where}, column {column}: {message}")

    pid = row.get("id", "").strip()
    if not pid:
        raise fail("id", "the id is blank")
    names = {c: row.get(c, "").strip() for c in NAME_COLUMNS}
    if not any(names.values()):
        raise fail("full_name", "no name at all (given_name, family_name and full_name blank)")
    sex = row.get("sex", "").strip()
    if sex not in _SEX:
        raise fail("sex", "sex is not M, F or blank")
    try:
        birth = parse_birth(row.get("birth_date", ""))
    except ValueError as exc:
        raise fail("birth_date", str(exc)) from exc
    return Person(
        pid, names["given_name"], names["family_name"], names["full_name"], _SEX[sex], birth
    )


def _persons(rows: Iterable[tuple[int, list[str]]], path: Path) -> list[Person]:
    iterator = iter(rows)
    first, cells = next(iterator, (1, []))
    header = [h.strip().lower() for h in cells]
    if "id" not in header or not set(NAME_COLUMNS) & set(header):
        raise ListFormatError(
            f"{path}: row {first}: the header needs an id column and at least one of "
            + ", ".join(NAME_COLUMNS)
        )
    persons: list[Person] = []
    seen: set[str] = set()
    for number, values in iterator:
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header):
            raise ListFormatError(f"{path}: row {number}: more cells than header columns")
        person = _person(dict(zip(header, values, strict=False)), f"{path}: row {number}")
        if person.id in seen:
            raise ListFormatError(f"{path}: row {number}, column id: duplicate id {person.id!r}")
        seen.add(person.id)
        persons.append(person)
    if not persons:
        raise ListFormatError(f"{path}: no persons after the header row")
    return persons


def read_person_list(path: str | os.PathLike[str]) -> list[Person]:
    """All persons of a CSV or XLSX list, or ListFormatError naming the bad row and column.
    The file is read as an import reads it (``read_rows``)."""
    p = Path(path)
    return _persons(_rows(p), p)


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """``read_rows`` of the file, its errors naming the file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ListFormatError(f"{path}: cannot read ({exc.strerror})") from exc
    try:
        rows = read_rows(data)[1]
        del data  # the rows hold the text: the bytes need not stay while they are read
        yield from rows
    except ListFormatError as exc:
        raise ListFormatError(f"{path}: {exc}") from exc


# --- any person list, for imports (wayhome.lists): rows as the spreadsheet numbers them ---

ENCODINGS = ("utf-8", "utf-8-sig", "cp1251", "cp1256")
_LETTERS = re.compile(r"[^\W\d_]+")


def _implausible_words(text: str) -> int:
    """Words no one writes: scripts mixed inside a word, or a capital after a small letter
    (what Cyrillic read as Arabic, or Arabic read as Cyrillic, looks like)."""
    bad = 0
    for word in _LETTERS.findall(text):
        scripts = {_script_of(c) for c in word}
        if len(scripts) > 1 or any(
            a.islower() and b.isupper() for a, b in itertools.pairwise(word)
        ):
            bad += 1
    return bad


def _script_of(char: str) -> str:
    code = ord(char)
    if 0x0400 <= code <= 0x04FF:
        return "cyrillic"
    if 0x0600 <= code <= 0x06FF or 0xFB50 <= code <= 0xFEFF:
        return "arabic"
    return "latin" if code < 0x0250 else "other"


def decode_list(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """The text of a CSV and the encoding read: ``encoding`` when given, else UTF-8 (with
    or without BOM), else whichever of cp1251 (Cyrillic) and Windows-1256 (Arabic) reads
    as words people write. ListFormatError when the given encoding does not fit."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise ListFormatError(f"the file is not valid {encoding} text") from exc
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    readings = []
    for name in ("cp1251", "cp1256"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        readings.append((_implausible_words(text), name, text))
    if not readings:
        raise ListFormatError("the file is neither UTF-8, cp1251 nor Windows-1256 text")
    _, name, text = min(readings, key=lambda r: r[0])
    return text, name


@dataclass(frozen=True)
class Table:
    """The cells of a list, each row with its number as a spreadsheet shows it."""

    encoding: str  # "xlsx" for a workbook
    rows: list[tuple[int, list[str]]]


_OLD_EXCEL = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an .xls workbook (OLE2)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
DELIMITERS = ",;\t"  # comma; semicolon, as Excel saves CSV where the comma is decimal; tab


def read_table(data: bytes, encoding: str | None = None) -> Table:
    """Every row of a CSV or XLSX list (first sheet), blank rows included, cells as text
    (dates as YYYY-MM-DD, whole numbers without ".0").

    A CSV may be separated by commas, semicolons (Excel in Russian and many other
    locales) or tabs: the separator is the one its lines agree on. A file that is
    neither a workbook nor text (random bytes named .xlsx, an old .xls) is refused as
    such, not read as one column of gibberish.
    """
    used, rows = read_rows(data, encoding)
    return Table(used, list(rows))


def read_rows(
    data: bytes, encoding: str | None = None
) -> tuple[str, Iterator[tuple[int, list[str]]]]:
    """``read_table``'s encoding and numbered rows, the rows read as they are asked for
    (a list of a million persons is not held twice)."""
    if data[:4] == b"PK\x03\x04":
        return "xlsx", _numbered_xlsx_rows(data)
    if data[:8] == _OLD_EXCEL:
        raise ListFormatError("an old Excel workbook (.xls): save it as .xlsx or CSV")
    text, used = decode_list(data, encoding)
    sample = text[:65_536]
    if "\x00" in sample or len(_CONTROL.findall(sample)) > len(sample) // 100:
        raise ListFormatError("the file is neither an XLSX workbook nor a CSV text list")
    return used, _numbered_csv_rows(text, _delimiter(sample))


def _numbered_csv_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    try:
        yield from enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1)
    except csv.Error as exc:
        raise ListFormatError(f"not a readable CSV file ({exc})") from exc


def _delimiter(sample: str) -> str:
    """The separator of a CSV's first lines (csv.Sniffer, among DELIMITERS); a comma when
    they hold none of them consistently (a list of one column)."""
    lines = [line for line in sample.splitlines()[:50] if line.strip()]
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","


def _numbered_xlsx_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise ListFormatError(f"not a readable XLSX workbook ({type(exc).__name__})") from exc
    try:
        sheet = book.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            rows = [r for c in cells if isinstance(r := getattr(c, "row", None), int)]
            row = rows[0] if rows else number
            yield row, [_cell_text(c.value) for c in cells]
    finally:
        book.close()


def read_pairs(path: str | os.PathLike[str]) -> set[tuple[str, str]]:
    """(left_id, right_id) pairs from a CSV with those two columns (confirmed matches)."""
    p = Path(path)
    rows = _rows(p)
    first, cells = next(rows, (1, []))
    header = [h.strip().lower() for h in cells]
    if not {"left_id", "right_id"} <= set(header):
        raise ListFormatError(f"{p}: row {first}: the header needs left_id and right_id columns")
    pairs: set[tuple[str, str]] = set()
    for number, values in rows:
        if not any(v.strip() for v in values):
            continue
        row = dict(zip(header, values, strict=False))
        left_id = (row.get("left_id") or "").strip()
        right_id = (row.get("right_id") or "").strip()
        if not left_id or not right_id:
            raise ListFormatError(f"{p}: row {number}: left_id and right_id are both needed")
        pairs.add((left_id, right_id))
    return pairs


def write_pairs(
    path: str | os.PathLike[str], header: Sequence[str], rows: Iterable[Sequence[object]]
) -> None:
    """Write a CSV atomically: a failure half-way leaves no output file behind."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".pairs-", suffix=".csv", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
