"""The manifest as a PDF (WeasyPrint) and as a spreadsheet (openpyxl).

Both are built from the same rows as the page. The spreadsheet neutralises cells that a
spreadsheet program would read as a formula (names come from lists written by others).
"""

from __future__ import annotations

import importlib
import io
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from wayhome.operations.manifest import Manifest
from wayhome.operations.models import ManifestLine, Operation

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Row:
    position: int
    name: str
    sex: str
    birth: str
    minor: bool
    case: str
    unaccompanied: bool
    missing: list[str]
    outcome: str


def rows_for(manifest: Manifest, lines: list[ManifestLine]) -> list[Row]:
    """The frozen lines once confirmed (with today's flags), else the computed travellers."""
    flags = {t.person.pk: t for t in manifest.travellers}
    if lines:
        out = []
        for line in lines:
            t = flags.get(line.person_id)
            out.append(
                Row(
                    position=line.position,
                    name=line.person.display_name,
                    sex=line.person.get_sex_display(),
                    birth=str(line.person.birth),
                    minor=t.minor if t else False,
                    case=line.case.reference,
                    unaccompanied=t.unaccompanied if t else False,
                    missing=t.missing if t else [],
                    outcome=line.get_outcome_display(),
                )
            )
        return out
    return [
        Row(
            position=t.position,
            name=t.person.display_name,
            sex=t.person.get_sex_display(),
            birth=str(t.person.birth),
            minor=t.minor,
            case=t.case.reference,
            unaccompanied=t.unaccompanied,
            missing=t.missing,
            outcome="",
        )
        for t in manifest.travellers
    ]


def filename(operation: Operation, ext: str) -> str:
    """No names in a file name: the operation's date and id only."""
    return f"manifest-{operation.planned_on:%Y%m%d}-{str(operation.uuid)[:8]}.{ext}"


def as_pdf(operation: Operation, manifest: Manifest, rows: list[Row]) -> bytes:
    # Imported by name: WeasyPrint ships no type information, and importing it lazily
    # keeps its native libraries (Pango) out of every process that never prints a PDF.
    weasyprint = importlib.import_module("weasyprint")
    html = render_to_string(
        "operations/manifest_pdf.html",
        {"operation": operation, "manifest": manifest, "rows": rows},
    )
    # No base_url: the template loads nothing from outside itself.
    return bytes(weasyprint.HTML(string=html).write_pdf())


def _cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def as_xlsx(operation: Operation, manifest: Manifest, rows: list[Row]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101  (a new workbook has one sheet)
    sheet.title = _("Manifest")[:31]
    sheet.append([_cell(operation.label)])
    sheet.append(
        [
            _cell(
                f"{operation.planned_on:%Y-%m-%d} · {operation.from_country} "
                f"({operation.handover_point}) → {operation.to_country} "
                f"({operation.arrival_point})"
            )
        ]
    )
    sheet.append(
        [
            _("Seats: %(seats)d of %(capacity)d")
            % {"seats": manifest.seats, "capacity": operation.capacity}
        ]
    )
    sheet.append([])
    header = [
        _("No."),
        _("Name"),
        _("Sex"),
        _("Born"),
        _("Minor"),
        _("Case"),
        _("Unaccompanied"),
        _("Still missing"),
        _("Outcome"),
    ]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for r in rows:
        sheet.append(
            [
                r.position,
                _cell(r.name),
                r.sex,
                _cell(r.birth),
                _("yes") if r.minor else "",
                _cell(r.case),
                _("yes") if r.unaccompanied else "",
                _cell("; ".join(r.missing)),
                r.outcome,
            ]
        )
    for column, width in zip("ABCDEFGHI", (5, 34, 8, 14, 7, 16, 14, 60, 16), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A6"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
