"""Ugly, real-shaped lists built in the tests: title rows merged over the header, blank
lines, Excel serial dates, mixed scripts, legacy encodings. Every name is synthetic."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence

from openpyxl import Workbook

Row = Sequence[object]


def csv_bytes(rows: Sequence[Row], encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(
    rows: Sequence[Row], title: str = "", group_row: Row | None = None, date_cells: bool = True
) -> bytes:
    """A workbook: an optional title merged across the columns, an optional row of
    group labels (each merged over the columns it covers), then ``rows``."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    width = max(len(r) for r in rows)
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    if group_row is not None:
        sheet.append(list(group_row))
    for row in rows:
        sheet.append(list(row))
        if date_cells:
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "DD.MM.YYYY"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
