"""Tables of counts as CSV and XLSX files: the same cells the page shows, nothing more."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook

Row = Sequence[object]


def _safe(value: object) -> object:
    """A cell a spreadsheet will not run as a formula (labels come from reference data
    typed by users: a facility named "=cmd..." must stay text)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(header: Row, rows: Sequence[Row], notes: Sequence[str] = ()) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_safe(h) for h in header])
    for row in rows:
        writer.writerow([_safe(v) for v in row])
    for note in notes:
        writer.writerow([_safe(note)])
    # A byte-order mark so that spreadsheet programs read the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(title: str, header: Row, rows: Sequence[Row], notes: Sequence[str] = ()) -> bytes:
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = title[:31] or "figures"
    sheet.append([_safe(h) for h in header])
    for row in rows:
        sheet.append([_safe(v) for v in row])
    for note in notes:
        sheet.append([_safe(note)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
