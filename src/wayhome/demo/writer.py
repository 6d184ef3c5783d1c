"""Writes planned families in batches: COPY on PostgreSQL, executemany on SQLite.

The ORM's per-object save (and even bulk_create) spends most of its time building model
instances; at a million persons and ten rows each that is the difference between minutes
and an hour. Rows here are plain tuples in the models' own column order, with database
ids reserved up front from the table's sequence so that rows can point at each other
before they are written. Columns are read from the models, so a field another app adds
later gets its default without a change here.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from django.db import connection, models
from django.utils import timezone

from wayhome.accounts.models import Agency
from wayhome.core.text import detect_script, search_fold
from wayhome.demo.plans import FamilyPlan, PersonPlan, ReportPlan, RequestPlan, WhereaboutsPlan
from wayhome.demo.reference import ReferenceIds
from wayhome.people.models import (
    Citizenship,
    FamilyGroup,
    IdentityDocument,
    Person,
    PersonName,
    Relationship,
    joined_search_names,
)
from wayhome.tracing.models import (
    InformationReport,
    Inquirer,
    SoughtPerson,
    TracingRequest,
    Whereabouts,
)

Row = tuple[Any, ...]


def new_uuid_hex() -> str:
    """A random version-4 UUID as 32 hex digits: how Django stores one on SQLite, and a
    form PostgreSQL reads; about three times cheaper than ``uuid.uuid4()``."""
    n = int.from_bytes(os.urandom(16), "big")
    n = (n & ~(0xF000 << 64)) | (0x4000 << 64)  # version 4
    n = (n & ~(0xC000 << 48)) | (0x8000 << 48)  # RFC 4122 variant
    return f"{n:032x}"


class Table:
    """One table's rows. The columns a row gives come first, then those left to their
    model defaults (a fresh uuid, the batch's timestamp, a field's default), so that a
    row is one C-level itemgetter call plus a copied template."""

    def __init__(self, model: type[models.Model], *, with_id: bool) -> None:
        self.name = model._meta.db_table
        self.label = model._meta.label
        self.fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
        self.sqlite = connection.vendor == "sqlite"
        self.rows: list[Row] = []
        self.columns = ""
        self._get: Callable[[Mapping[str, Any]], tuple[Any, ...]] | None = None
        self._prep: list[tuple[int, models.Field[Any, Any]]] = []
        self._rest: list[models.Field[Any, Any]] = []
        self._uuids: list[int] = []
        self._template: list[Any] = []
        self._template_for: dt.datetime | None = None

    def _layout(self, values: Mapping[str, Any]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
        """Fix the column order from the first row (every row of a table gives the same)."""
        given = [f for f in self.fields if f.attname in values]
        self._rest = [f for f in self.fields if f.attname not in values]
        getter = itemgetter(*(f.attname for f in given))
        self.columns = ", ".join(connection.ops.quote_name(f.column) for f in given + self._rest)
        if self.sqlite:  # SQLite stores UUIDs as hex and dates as text; COPY adapts them
            kinds = (models.UUIDField, models.DateField)  # DateTimeField is a DateField
            self._prep = [(i, f) for i, f in enumerate(given) if isinstance(f, kinds)]
        self._uuids = [
            j
            for j, f in enumerate(self._rest)
            if isinstance(f, models.UUIDField) and f.has_default()
        ]
        get: Callable[[Mapping[str, Any]], tuple[Any, ...]] = (
            getter if len(given) > 1 else lambda v: (getter(v),)
        )
        self._get = get
        return get

    def _defaults(self, now: dt.datetime) -> list[Any]:
        out: list[Any] = []
        for field in self._rest:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value: Any = now
            elif field.has_default():
                value = field.get_default()
            else:
                value = None if field.null else ""
            out.append(None if value is None else field.get_db_prep_save(value, connection))
        return out

    def add(self, values: Mapping[str, Any], now: dt.datetime) -> None:
        get = self._get or self._layout(values)
        if self._template_for is not now:
            self._template, self._template_for = self._defaults(now), now
        row = get(values)
        if self._prep:
            given = list(row)
            for i, field in self._prep:
                if given[i] is not None:
                    given[i] = field.get_db_prep_value(given[i], connection)
            row = tuple(given)
        rest = self._template
        if self._uuids:
            rest = rest.copy()
            for j in self._uuids:
                rest[j] = new_uuid_hex()
        self.rows.append((*row, *rest))

    def flush(self) -> int:
        """Write the collected rows; return how many."""
        count = len(self.rows)
        if not count:
            return 0
        quoted = connection.ops.quote_name(self.name)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quoted} ({self.columns}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" * len(self.rows[0]))
                cursor.cursor.executemany(
                    f"INSERT INTO {quoted} ({self.columns}) VALUES ({marks})",  # noqa: S608
                    self.rows,
                )
        self.rows = []
        return count


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` fresh primary keys, taken from the sequence so concurrent inserts agree."""
    if not count:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [r[0] for r in cursor.fetchall()]
        # SQLite: the batch's transaction holds the write lock, so MAX(id) is stable.
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        start = int(cursor.fetchone()[0]) + 1
        return list(range(start, start + count))


class ReferenceNumbers:
    """``<prefix>-<year>-<5 digits>``, continuing after the agency's existing references."""

    def __init__(self, agency: Agency) -> None:
        self.prefix = agency.reference_prefix or "REQ"
        pattern = re.compile(rf"^{re.escape(self.prefix)}-(\d{{4}})-(\d+)$")
        self.last: Counter[int] = Counter()
        existing = TracingRequest.objects.filter(
            agency=agency, reference__startswith=f"{self.prefix}-"
        ).values_list("reference", flat=True)
        for ref in existing.iterator(chunk_size=10_000):
            m = pattern.match(ref)
            if m:
                year, number = int(m.group(1)), int(m.group(2))
                self.last[year] = max(self.last[year], number)

    def next(self, year: int) -> str:
        self.last[year] += 1
        return f"{self.prefix}-{year}-{self.last[year]:05d}"


class BatchWriter:
    """Turns planned families into rows for one agency; one ``write`` per transaction."""

    def __init__(self, agency: Agency, ref: ReferenceIds) -> None:
        self.agency_id = agency.pk
        self.ref = ref
        self.references = ReferenceNumbers(agency)
        self.person = Table(Person, with_id=True)
        self.name = Table(PersonName, with_id=False)
        self.citizenship = Table(Citizenship, with_id=False)
        self.document = Table(IdentityDocument, with_id=False)
        self.relationship = Table(Relationship, with_id=False)
        self.group = Table(FamilyGroup, with_id=True)
        self.group_member = Table(FamilyGroup.members.through, with_id=False)
        self.report = Table(InformationReport, with_id=True)
        self.report_person = Table(InformationReport.persons.through, with_id=False)
        self.whereabouts = Table(Whereabouts, with_id=True)
        self.whereabouts_report = Table(Whereabouts.reports.through, with_id=False)
        self.inquirer = Table(Inquirer, with_id=True)
        self.request = Table(TracingRequest, with_id=True)
        self.sought = Table(SoughtPerson, with_id=False)

    def write(self, families: Sequence[FamilyPlan]) -> Counter[str]:
        """Insert the families; the caller wraps this in one transaction."""
        now = timezone.now()
        persons = [p for f in families for p in f.persons]
        reports = [r for f in families for r in f.reports]
        entries = [w for p in persons for w in p.whereabouts]
        requests = [r for f in families for r in f.requests]
        grouped = [f for f in families if f.group_label]
        _assign(persons, reserve_ids(Person, len(persons)))
        _assign(reports, reserve_ids(InformationReport, len(reports)))
        _assign(entries, reserve_ids(Whereabouts, len(entries)))
        _assign([r.inquirer for r in requests], reserve_ids(Inquirer, len(requests)))
        _assign(requests, reserve_ids(TracingRequest, len(requests)))
        group_ids = reserve_ids(FamilyGroup, len(grouped))
        for person in persons:
            self._person(person, now)
        for family in families:
            self._relations(family, now)
        for group_id, family in zip(group_ids, grouped, strict=True):
            self.group.add(
                {"id": group_id, "agency_id": self.agency_id, "label": family.group_label}, now
            )
            for person in family.persons:
                self.group_member.add({"familygroup_id": group_id, "person_id": person.db_id}, now)
        for report in reports:
            self._report(report, now)
        for entry, person in ((w, p) for p in persons for w in p.whereabouts):
            self._whereabouts(entry, person, now)
        for request in requests:
            self._request(request, now)
        return Counter({t.label: t.flush() for t in self._tables()})

    def _tables(self) -> Iterable[Table]:
        return (
            self.person,
            self.name,
            self.citizenship,
            self.document,
            self.relationship,
            self.group,
            self.group_member,
            self.report,
            self.report_person,
            self.whereabouts,
            self.whereabouts_report,
            self.inquirer,
            self.request,
            self.sought,
        )

    def _person(self, p: PersonPlan, now: dt.datetime) -> None:
        latest = p.latest()
        countries, regions = self.ref.countries, self.ref.regions
        b = p.birth
        texts = [
            " ".join(x for x in (n.given, n.patronymic, n.family, n.full) if x) for n in p.names
        ]
        folded = [search_fold(t) for t in texts]
        self.person.add(
            {
                "id": p.db_id,
                "agency_id": self.agency_id,
                "sex": p.sex,
                "birth_precision": b.precision.value,
                "birth_year": b.year,
                "birth_month": b.month,
                "birth_day": b.day,
                "birth_age_years": b.age_years,
                "birth_age_as_of": b.as_of,
                "birth_earliest": b.earliest,
                "birth_latest": b.latest,
                "birth_place": p.birth_place,
                "birth_country_id": countries.get(p.birth_country or ""),
                "home_region_id": regions.get(p.home_region or ""),
                "notes": p.notes,
                "display_name": p.display_name,
                "search_names": joined_search_names(folded),
                "current_status": p.current_status,
                "current_facility_id": self._facility(latest.facility) if latest else None,
                "current_since": latest.start_date if latest else None,
            },
            now,
        )
        for n, text, search_text in zip(p.names, texts, folded, strict=True):
            self.name.add(
                {
                    "person_id": p.db_id,
                    "kind": n.kind,
                    "script": n.script or detect_script(text),
                    "given": n.given,
                    "patronymic": n.patronymic,
                    "family": n.family,
                    "full": n.full,
                    "is_primary": n.is_primary,
                    "search_text": search_text,
                },
                now,
            )
        for iso2, status in p.citizenships:
            self.citizenship.add(
                {"person_id": p.db_id, "country_id": countries[iso2], "status": status}, now
            )
        for d in p.documents:
            self.document.add(
                {
                    "person_id": p.db_id,
                    "kind": d.kind,
                    "status": d.status,
                    "number": d.number,
                    "issuing_country_id": countries.get(d.country or ""),
                },
                now,
            )

    def _relations(self, family: FamilyPlan, now: dt.datetime) -> None:
        for rel in family.relations:
            a, b = rel.from_person.db_id, rel.to_person.db_id
            if rel.kind in Relationship.SYMMETRIC and a > b:
                a, b = b, a  # stored once, in the canonical direction, as the service does
            self.relationship.add(
                {
                    "agency_id": self.agency_id,
                    "from_person_id": a,
                    "to_person_id": b,
                    "kind": rel.kind,
                },
                now,
            )

    def _report(self, r: ReportPlan, now: dt.datetime) -> None:
        self.report.add(
            {
                "id": r.db_id,
                "agency_id": self.agency_id,
                "received_on": r.received_on,
                "channel": r.channel,
                "source": r.source,
                "reliability": r.reliability,
                "summary": r.summary,
            },
            now,
        )
        for person in r.persons:
            self.report_person.add(
                {"informationreport_id": r.db_id, "person_id": person.db_id}, now
            )

    def _whereabouts(self, w: WhereaboutsPlan, person: PersonPlan, now: dt.datetime) -> None:
        country = w.country or (self.ref.facility_countries[w.facility] if w.facility else None)
        self.whereabouts.add(
            {
                "id": w.db_id,
                "agency_id": self.agency_id,
                "person_id": person.db_id,
                "status": w.status,
                "facility_id": self._facility(w.facility),
                "country_id": self.ref.countries.get(country or ""),
                "location": w.location,
                "start_date": w.start_date,
                "start_precision": w.start_precision,
                "end_date": w.end_date,
                "notes": w.notes,
            },
            now,
        )
        for report in w.reports:
            self.whereabouts_report.add(
                {"whereabouts_id": w.db_id, "informationreport_id": report.db_id}, now
            )

    def _request(self, r: RequestPlan, now: dt.datetime) -> None:
        q = r.inquirer
        self.inquirer.add(
            {
                "id": q.db_id,
                "agency_id": self.agency_id,
                "name": q.name,
                "relationship": q.relationship,
                "phone": q.phone,
                "email": q.email,
                "region_id": self.ref.regions.get(q.region or ""),
                "language": q.language,
                "consent_contact": q.consent_contact,
            },
            now,
        )
        r.reference = r.reference or self.references.next(r.received_on.year)
        self.request.add(
            {
                "id": r.db_id,
                "agency_id": self.agency_id,
                "reference": r.reference,
                "inquirer_id": q.db_id,
                "status": r.status,
                "closure_reason": r.closure_reason,
                "received_on": r.received_on,
                "located_on": r.located_on,
                "closed_on": r.closed_on,
                "consent_share": r.consent_share,
                "last_known": r.last_known,
                "last_known_place": r.last_known_place,
                "last_known_date": r.last_known_date,
                "last_known_precision": r.last_known_precision,
            },
            now,
        )
        for person, relation in r.sought:
            self.sought.add(
                {
                    "request_id": r.db_id,
                    "person_id": person.db_id,
                    "relation_to_inquirer": relation,
                },
                now,
            )

    def _facility(self, key: str | None) -> int | None:
        return self.ref.facilities[key] if key else None


def _assign(plans: Sequence[Any], ids: Sequence[int]) -> None:
    for plan, pk in zip(plans, ids, strict=True):
        plan.db_id = pk
