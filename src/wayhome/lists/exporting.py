"""Exports: data leaving the system, as CSV, XLSX or PDF, optionally in an AES-encrypted
ZIP. Every export needs export.run and a reason, and leaves an audit event saying what
left (kind, rows, fields, format), never the data itself.

``export`` is generic: cases and manifests use it with their own columns and rows.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wayhome.accounts import sensitivity
from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record
from wayhome.people.models import Person

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
ZIP_TYPE = "application/zip"
MIN_PASSWORD = 12
# Spreadsheet programs run a cell that starts with one of these as a formula: a name
# typed as "=HYPERLINK(...)" in someone else's list must stay text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
)

Column = tuple[str, str]  # (key, heading)


def column_allowed(actor: User, kind: str, key: str) -> bool:
    """Whether ``actor`` may take field ``key`` of ``kind`` out of the system: only what
    the role sees in full on the pages (``sensitivity.may_export``, the same table)."""
    return sensitivity.may_export(actor, kind, key)


def export(
    *,
    actor: User,
    kind: str,
    reason: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[object]],
    fmt: str,
    password: str | None = None,
    title: str = "",
) -> tuple[str, bytes, str]:
    """``(file name, content, content type)`` of the rows in the format asked, audited.

    ``rows`` hold one value per column, in the columns' order. With a password the file
    is wrapped in a ZIP encrypted with AES-256 (WinZip AE-2: 7-Zip, WinZip, macOS
    Archive Utility with a plugin, and ``pyzipper`` open it).
    """
    if not actor.has_cap(Cap.EXPORT_RUN):
        raise PermissionError("Exporting needs export.run.")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the data leaves the system.")})
    if fmt not in FORMATS:
        raise ValidationError({"fmt": _("Choose CSV, XLSX or PDF.")})
    if password is not None and len(password) < MIN_PASSWORD:
        raise ValidationError(
            {"password": _("A password needs at least %(n)s characters.") % {"n": MIN_PASSWORD}}
        )
    if not columns:
        raise ValidationError({"columns": _("Choose at least one column.")})
    refused = [key for key, _h in columns if not column_allowed(actor, kind, key)]
    if refused:
        raise ValidationError(
            {"columns": _("Your role may not export: %(fields)s.") % {"fields": ", ".join(refused)}}
        )
    table = [[_text(v) for v in row] for row in rows]
    headings = [str(h) for _k, h in columns]
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"wayhome-{kind}-{stamp}.{fmt}"
    if fmt == "csv":
        data = _csv(headings, table)
    elif fmt == "xlsx":
        data = _xlsx(headings, table, title or kind)
    else:
        data = _pdf(headings, table, title or kind)
    content_type = FORMATS[fmt]
    if password is not None:
        data, name, content_type = _encrypted_zip(name, data, password), f"{name}.zip", ZIP_TYPE
    audit_record(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        changes={
            "kind": kind,
            "rows": len(table),
            "fields": [key for key, _h in columns],
            "format": fmt,
            "encrypted": password is not None,
        },
        reason=reason,
    )
    return name, data, content_type


def _text(value: object) -> str:
    if value is None:
        return ""
    return str(value)


def _safe_cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv(headings: list[str], table: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(headings)
    writer.writerows([_safe_cell(c) for c in row] for row in table)
    # With a BOM, spreadsheet programs read Cyrillic and Arabic as UTF-8.
    return out.getvalue().encode("utf-8-sig")


def _xlsx(headings: list[str], table: list[list[str]], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31] or "export")
    bold = Font(bold=True)
    heads = []
    for h in headings:
        cell = WriteOnlyCell(sheet, value=h)
        cell.font = bold
        heads.append(cell)
    sheet.append(heads)
    for row in table:
        # data_type "s": never a formula, whatever the text starts with.
        sheet.append([_string_cell(sheet, c) for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _string_cell(sheet: Any, text: str) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    return cell


def font_path() -> Path | None:
    """A TrueType font with Latin, Cyrillic and Arabic (Debian: fonts-dejavu-core)."""
    configured = getattr(settings, "EXPORT_PDF_FONT", "") or os.environ.get("WAYHOME_PDF_FONT")
    for candidate in (configured, *FONT_PATHS):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def _pdf(headings: list[str], table: list[list[str]], title: str) -> bytes:
    from fpdf import FPDF

    font = font_path()
    if font is None:
        raise ValidationError(
            _("PDF export needs a font with Cyrillic and Arabic (install fonts-dejavu-core).")
        )
    pdf = FPDF(orientation="L", format="A4")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_font("body", fname=str(font))
    bold = font.with_name(font.stem + "-Bold" + font.suffix)
    pdf.add_font("body", style="B", fname=str(bold if bold.is_file() else font))
    pdf.set_text_shaping(True)  # joins Arabic letters and orders right-to-left runs
    pdf.add_page()
    pdf.set_font("body", style="B", size=12)
    pdf.cell(text=f"{title} · {timezone.localtime():%Y-%m-%d %H:%M}")
    pdf.ln(9)
    pdf.set_font("body", size=8)
    with pdf.table(first_row_as_headings=True, repeat_headings=1) as out:
        for row in [headings, *table]:
            cells = out.row()
            for value in row:
                cells.cell(value)
    return bytes(pdf.output())


def _encrypted_zip(name: str, data: bytes, password: str) -> bytes:
    import pyzipper  # type: ignore[import-untyped]

    out = io.BytesIO()
    with pyzipper.AESZipFile(
        out, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
    ) as archive:
        archive.setpassword(password.encode("utf-8"))
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
        archive.writestr(name, data)
    return out.getvalue()


# --- persons ------------------------------------------------------------------------------

PERSON_COLUMNS: dict[str, Any] = {
    "uuid": gettext_lazy("Record id"),
    "display_name": gettext_lazy("Name"),
    "other_names": gettext_lazy("Other names"),
    "sex": gettext_lazy("Sex"),
    "birth": gettext_lazy("Birth"),
    "birth_place": gettext_lazy("Birth place"),
    "home_region": gettext_lazy("Home region"),
    "current_status": gettext_lazy("Status"),
    "current_facility": gettext_lazy("Facility"),
}


def _person_value(person: Person, key: str, names: dict[int, list[str]]) -> object:
    if key == "other_names":
        return "; ".join(n for n in names.get(person.pk, []) if n != person.display_name)
    if key == "sex":
        return person.get_sex_display()
    if key == "birth":
        return str(person.birth)
    if key == "current_status":
        return person.get_current_status_display() if person.current_status else ""
    return getattr(person, key) or ""


def export_persons(
    *,
    actor: User,
    persons: QuerySet[Person],
    columns: Sequence[str],
    reason: str,
    fmt: str,
    password: str | None = None,
) -> tuple[str, bytes, str]:
    """Persons (already scoped to what ``actor`` may see) with the chosen columns."""
    from wayhome.people.models import PersonName

    keys = [c for c in columns if c in PERSON_COLUMNS]
    rows = list(persons.select_related("home_region", "current_facility"))
    names: dict[int, list[str]] = {}
    if "other_names" in keys:
        for n in PersonName.objects.filter(person__in=rows):
            names.setdefault(n.person_id, []).append(n.text)
    return export(
        actor=actor,
        kind="persons",
        reason=reason,
        columns=[(k, str(PERSON_COLUMNS[k])) for k in keys],
        rows=([_person_value(p, k, names) for k in keys] for p in rows),
        fmt=fmt,
        password=password,
        title=_("Persons"),
    )


# --- repatriation cases -------------------------------------------------------------------

CASE_COLUMNS: dict[str, Any] = {
    "reference": gettext_lazy("Case reference"),
    "stage": gettext_lazy("Stage"),
    "host_country": gettext_lazy("Host country"),
    "member": gettext_lazy("Member"),
    "principal": gettext_lazy("Principal"),
    "blocked_steps": gettext_lazy("Blocked steps"),
    "pending_steps": gettext_lazy("Pending steps"),
    "operation": gettext_lazy("Operation"),
}
# A member's name is identifying; the rest is how the case is handled.
sensitivity.register_export(
    "cases",
    "repatriation.RepatriationCase",
    {
        "host_country": sensitivity.FieldClass.CASE,
        "member": sensitivity.FieldClass.IDENTIFYING,
        "principal": sensitivity.FieldClass.CASE,
        "blocked_steps": sensitivity.FieldClass.CASE,
        "pending_steps": sensitivity.FieldClass.CASE,
        "operation": sensitivity.FieldClass.CASE,
    },
)


def _steps(member: Any, status: str) -> str:
    return "; ".join(
        s.label + (f" ({s.blocker})" if s.blocker and status == "blocked" else "")
        for s in member.steps.all()
        if s.status == status and s.required
    )


def export_cases(
    *,
    actor: User,
    cases: QuerySet[Any],
    columns: Sequence[str],
    reason: str,
    fmt: str,
    password: str | None = None,
) -> tuple[str, bytes, str]:
    """Repatriation cases (already scoped to what ``actor`` may see and filtered as on
    the list page), a row per member the actor may see: reference, stage, host country,
    the member, the required steps blocked (with what blocks them) and pending, and the
    active operation the case is on."""
    from django.db.models import Prefetch

    from wayhome.operations.models import Operation, OperationCase
    from wayhome.people.selectors import persons_visible_to
    from wayhome.repatriation.models import CaseMember, CaseStep

    keys = [c for c in columns if c in CASE_COLUMNS]
    visible = persons_visible_to(actor)
    members = (
        CaseMember.objects.filter(person__in=visible)
        .select_related("person")
        .prefetch_related(Prefetch("steps", CaseStep.objects.order_by("sort", "id")))
        .order_by("-is_principal", "id")
    )
    active = OperationCase.objects.filter(operation__status__in=Operation.ACTIVE).select_related(
        "operation"
    )
    rows: list[list[object]] = []
    chosen = cases.select_related("rule_set__host_country").prefetch_related(
        Prefetch("members", members), Prefetch("operation_links", active)
    )
    for case in chosen.order_by("reference", "id"):
        operation = next((str(link.operation) for link in case.operation_links.all()), "")
        for member in case.members.all():
            values = {
                "reference": case.reference,
                "stage": case.get_stage_display(),
                "host_country": str(case.rule_set.host_country or ""),
                "member": member.person.display_name,
                "principal": _("yes") if member.is_principal else "",
                "blocked_steps": _steps(member, "blocked"),
                "pending_steps": _steps(member, "pending"),
                "operation": operation,
            }
            rows.append([values[k] for k in keys])
    return export(
        actor=actor,
        kind="cases",
        reason=reason,
        columns=[(k, str(CASE_COLUMNS[k])) for k in keys],
        rows=rows,
        fmt=fmt,
        password=password,
        title=_("Repatriation cases"),
    )


# --- legal cases --------------------------------------------------------------------------

LEGAL_CASE_COLUMNS: dict[str, Any] = {
    "person": gettext_lazy("Person"),
    "jurisdiction": gettext_lazy("Jurisdiction"),
    "country": gettext_lazy("Country"),
    "court": gettext_lazy("Court"),
    "case_number": gettext_lazy("Court case number"),
    "charges": gettext_lazy("Charges"),
    "status": gettext_lazy("Status"),
    "lawyer": gettext_lazy("Lawyer"),
    "verdict": gettext_lazy("Verdict"),
    "verdict_on": gettext_lazy("Verdict on"),
    "sentence": gettext_lazy("Sentence"),
    "sentence_deferred_until": gettext_lazy("Sentence deferred until"),
    "next_hearing": gettext_lazy("Next hearing"),
    "notes": gettext_lazy("Notes"),
}
# The person's name is identifying; the sentence and the next hearing are legal facts like
# the fields they come from. The case's own fields keep their classes (legal.sensitivity).
sensitivity.register_export(
    "legal_cases",
    "legal.LegalCase",
    {
        "person": sensitivity.FieldClass.IDENTIFYING,
        "sentence": sensitivity.FieldClass.LEGAL,
        "next_hearing": sensitivity.FieldClass.LEGAL,
    },
)
LEGAL_CASE_INITIAL = ["person", "jurisdiction", "country", "court", "status", "sentence"]


def export_legal_cases(
    *,
    actor: User,
    cases: QuerySet[Any],
    columns: Sequence[str],
    reason: str,
    fmt: str,
    password: str | None = None,
) -> tuple[str, bytes, str]:
    """Legal cases (already scoped to what ``actor`` may see and filtered as on the list
    page), a row per case of a person the actor may see, by the exports' rules: which
    columns leave for the role, the reason, the audit event, the optional password."""
    from django.db.models import Prefetch

    from wayhome.legal.models import Hearing
    from wayhome.people.selectors import persons_visible_to

    keys = [c for c in columns if c in LEGAL_CASE_COLUMNS]
    today = timezone.localdate()
    upcoming = Hearing.objects.filter(date__gte=today).order_by("date", "id")
    chosen = (
        cases.filter(person__in=persons_visible_to(actor))
        .select_related("person", "country")
        .prefetch_related(Prefetch("hearings", upcoming, to_attr="upcoming"))
        .order_by("person__display_name", "id")
    )
    rows: list[list[object]] = []
    for case in chosen:
        values = {
            "person": case.person.display_name,
            "jurisdiction": case.get_jurisdiction_display(),
            "country": str(case.country),
            "court": case.court,
            "case_number": case.case_number,
            "charges": case.charges,
            "status": case.get_status_display(),
            "lawyer": case.lawyer,
            "verdict": case.get_verdict_display() if case.verdict else "",
            "verdict_on": case.verdict_on,
            "sentence": case.sentence_text,
            "sentence_deferred_until": case.sentence_deferred_until,
            "next_hearing": case.upcoming[0].date if case.upcoming else None,
            "notes": case.notes,
        }
        rows.append([values[k] for k in keys])
    return export(
        actor=actor,
        kind="legal_cases",
        reason=reason,
        columns=[(k, str(LEGAL_CASE_COLUMNS[k])) for k in keys],
        rows=rows,
        fmt=fmt,
        password=password,
        title=_("Legal cases"),
    )
