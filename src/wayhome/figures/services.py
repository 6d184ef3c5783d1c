"""Writes of the figures app: ledger entries (one by one or from a CSV file), and the
audit events of figures leaving the system (exports, the public report).

Each write is atomic and audited in its transaction; a ``ValidationError`` names what to
fix and nothing is written. An import checks every row before writing any.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record, diff, snapshot
from wayhome.figures.definitions import DEFINITIONS
from wayhome.figures.models import DatePrecision, Estimate

A = AuditEvent.Action
ESTIMATE_FIELDS = (
    "figure",
    "unit",
    "what_it_counts",
    "stated_by",
    "as_of",
    "as_of_precision",
    "published_in",
    "published_on",
    "published_precision",
    "source_url",
    "definition",
    "notes",
)
CSV_COLUMNS = (
    "figure",
    "unit",
    "what_it_counts",
    "stated_by",
    "as_of",
    "published_in",
    "published_on",
)


@dataclass(frozen=True)
class EstimateData:
    figure: int
    what_it_counts: str
    stated_by: str
    as_of: dt.date
    published_in: str
    unit: str = "persons"
    as_of_precision: str = DatePrecision.EXACT.value
    published_on: dt.date | None = None
    published_precision: str = DatePrecision.EXACT.value
    source_url: str = ""
    definition: str = ""
    notes: str = ""

    def cleaned(self) -> EstimateData:
        text = {
            f.name: getattr(self, f.name).strip()
            for f in fields(self)
            if isinstance(getattr(self, f.name), str)
        }
        return EstimateData(**{**self.__dict__, **text})


_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


def parse_partial_date(text: str) -> tuple[dt.date, str]:
    """ "2016", "2016-04" or "2016-04-30": the first day meant, and its precision."""
    m = _PARTIAL.match(text.strip())
    if not m:
        raise ValueError(text)
    year, month, day = int(m[1]), m[2], m[3]
    if month is None:
        return dt.date(year, 1, 1), DatePrecision.YEAR.value
    if day is None:
        return dt.date(year, int(month), 1), DatePrecision.MONTH.value
    return dt.date(year, int(month), int(day)), DatePrecision.EXACT.value


def office_only(stated_by: str) -> str:
    """ "Person Name, office" becomes "office": the demo names roles, never people."""
    _head, sep, tail = stated_by.partition(",")
    return tail.strip() if sep and tail.strip() else stated_by.strip()


def _check(data: EstimateData) -> None:
    errors: dict[str, str] = {}
    if data.figure < 0:
        errors["figure"] = _("A figure cannot be negative.")
    for name in ("what_it_counts", "stated_by", "published_in", "unit"):
        if not getattr(data, name):
            errors[name] = _("This field is required.")
    today = timezone.localdate()
    if data.as_of > today:
        errors["as_of"] = _("The date is in the future.")
    if data.published_on is not None and data.published_on > today:
        errors["published_on"] = _("The date is in the future.")
    if data.definition and data.definition not in DEFINITIONS:
        errors["definition"] = _("Choose a definition from the list.")
    if data.source_url:
        try:
            URLValidator(schemes=["http", "https"])(data.source_url)
        except ValidationError:
            errors["source_url"] = _("Enter a web address starting with http:// or https://.")
    valid = {c.value for c in DatePrecision}
    if data.as_of_precision not in valid or data.published_precision not in valid:
        errors["as_of_precision"] = _("Choose an exact date, a month or a year.")
    if errors:
        raise ValidationError(errors)


def _check_editor(actor: User) -> None:
    if not actor.has_cap(Cap.ESTIMATE_EDIT):
        raise ValidationError(_("Your role may not edit the ledger of estimates."))


def _create(actor: User, data: EstimateData) -> Estimate:
    estimate = Estimate.objects.create(
        agency_id=actor.agency_key, created_by=actor, **data.__dict__
    )
    audit_record(
        actor=actor, action=A.CREATE, obj=estimate, changes=snapshot(estimate, ESTIMATE_FIELDS)
    )
    return estimate


@transaction.atomic
def estimate_create(*, actor: User, data: EstimateData) -> Estimate:
    """Record a published figure in the agency's ledger."""
    _check_editor(actor)
    data = data.cleaned()
    _check(data)
    return _create(actor, data)


@transaction.atomic
def estimate_update(*, actor: User, estimate: Estimate, data: EstimateData) -> Estimate:
    """Correct a ledger entry; the audit event keeps the old and new values."""
    _check_editor(actor)
    if estimate.agency_id != actor.agency_key:
        raise ValidationError(_("This entry belongs to another agency."))
    data = data.cleaned()
    _check(data)
    before = snapshot(estimate, ESTIMATE_FIELDS)
    for key, value in data.__dict__.items():
        setattr(estimate, key, value)
    estimate.save()
    changes = diff(before, snapshot(estimate, ESTIMATE_FIELDS))
    if changes:
        audit_record(actor=actor, action=A.UPDATE, obj=estimate, changes=changes)
    return estimate


@transaction.atomic
def estimate_delete(*, actor: User, estimate: Estimate, reason: str) -> None:
    """Remove an entry recorded by mistake; the audit event keeps what it said."""
    _check_editor(actor)
    if estimate.agency_id != actor.agency_key:
        raise ValidationError(_("This entry belongs to another agency."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the entry is removed.")})
    audit_record(
        actor=actor,
        action=A.DELETE,
        obj=estimate,
        changes=snapshot(estimate, ESTIMATE_FIELDS),
        reason=reason.strip(),
    )
    estimate.delete()


@dataclass(frozen=True)
class ImportResult:
    created: int
    unchanged: int


def _row_data(row: Mapping[str, str | None], offices_only: bool) -> EstimateData:
    figure_text = (row.get("figure") or "").replace(",", "").replace(" ", "")
    if not figure_text.isdigit():
        raise ValueError("figure")
    try:
        as_of, as_of_precision = parse_partial_date(row.get("as_of") or "")
    except ValueError:
        raise ValueError("as_of") from None
    published_on, published_precision = None, DatePrecision.EXACT.value
    if (row.get("published_on") or "").strip():
        try:
            published_on, published_precision = parse_partial_date(row["published_on"] or "")
        except ValueError:
            raise ValueError("published_on") from None
    stated_by = (row.get("stated_by") or "").strip()
    return EstimateData(
        figure=int(figure_text),
        unit=(row.get("unit") or "").strip() or "persons",
        what_it_counts=(row.get("what_it_counts") or "").strip(),
        stated_by=office_only(stated_by) if offices_only else stated_by,
        as_of=as_of,
        as_of_precision=as_of_precision,
        published_in=(row.get("published_in") or "").strip(),
        published_on=published_on,
        published_precision=published_precision,
        source_url=(row.get("source_url") or "").strip(),
        definition=(row.get("definition") or "").strip(),
    )


def read_estimates_csv(text: str, *, offices_only: bool = False) -> list[EstimateData]:
    """Every row of a published-figures CSV, checked; a ValidationError lists every
    problem by line (nothing is returned half-read)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(
            _("The file lacks the columns: %(cols)s.") % {"cols": ", ".join(missing)}
        )
    rows: list[EstimateData] = []
    problems: list[str] = []
    for line, row in enumerate(reader, start=2):
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue  # blank line
        try:
            data = _row_data(row, offices_only).cleaned()
            _check(data)
        except ValueError as exc:
            problems.append(_("Line %(n)s: %(field)s cannot be read.") % {"n": line, "field": exc})
            continue
        except ValidationError as exc:
            for name, errs in exc.message_dict.items():
                for err in errs:
                    problems.append(
                        _("Line %(n)s, %(field)s: %(err)s") % {"n": line, "field": name, "err": err}
                    )
            continue
        rows.append(data)
    if problems:
        raise ValidationError(problems)
    return rows


def _same(estimate: Estimate, data: EstimateData) -> bool:
    return all(getattr(estimate, f) == v for f, v in data.__dict__.items() if f != "notes")


@transaction.atomic
def estimates_import(
    *, actor: User, rows: Iterable[EstimateData], source_name: str = ""
) -> ImportResult:
    """Add the rows to the agency's ledger, all or nothing; a row already in the ledger
    (same figure, unit, text, source, dates) is left alone, so importing a file twice
    changes nothing."""
    _check_editor(actor)
    existing = list(Estimate.objects.filter(agency_id=actor.agency_key))
    created = unchanged = 0
    for data in rows:
        data = data.cleaned()
        _check(data)
        if any(_same(e, data) for e in existing):
            unchanged += 1
            continue
        existing.append(_create(actor, data))
        created += 1
    audit_record(
        actor=actor,
        action=A.SYSTEM,
        changes={"import": "estimates", "file": source_name, "created": created},
    )
    return ImportResult(created, unchanged)


def figures_exported(*, actor: User, what: str, fmt: str, filters: Mapping[str, Any]) -> None:
    """Counts leaving the system (a table's CSV or XLSX, the public report) are audited
    like any export: who, which table, which filters, in what form."""
    audit_record(
        actor=actor,
        action=A.EXPORT,
        changes={"figures": what, "format": fmt, "filters": dict(filters)},
    )


def figures_viewed(*, actor: User, what: str, filters: Mapping[str, Any]) -> None:
    """The public report's page is audited when it is produced, before publication."""
    audit_record(actor=actor, action=A.VIEW, changes={"figures": what, "filters": dict(filters)})
