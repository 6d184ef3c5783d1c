"""Writes of the lists app: upload a list, choose how to read it, commit it.

A commit is one transaction: the list becomes an information report, each row is linked
to the registry with the matcher (an existing person, a new one, or a new one with a
pair to review), and every row's outcome is kept. A failure, or a process killed
halfway, leaves nothing of it; committing the same file again changes nothing.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_deferred, audit_record
from wayhome.core.text import search_fold
from wayhome.jobs.models import Job
from wayhome.jobs.runner import Progress, is_stalled
from wayhome.jobs.services import job_enqueue
from wayhome.linkage.io import ListFormatError, Table, read_table
from wayhome.linkage.model import FellegiSunter
from wayhome.lists.linking import (
    MATCH_AT as MATCH_AT,
)
from wayhome.lists.linking import (
    QUEUE_AT,
    BatchLinker,
    Linked,
    batch_size,
    explanation,
    sure,
)
from wayhome.lists.linking import (
    share_of_best as share_of_best,
)
from wayhome.lists.models import ImportRow, ListImport, ListSource
from wayhome.lists.reading import FIELDS, ListRow, ReadList, read_list, suggest_mapping
from wayhome.matching.scoring import model_for
from wayhome.matching.selectors import candidates_for
from wayhome.people import services as people_services
from wayhome.people.models import Person, PersonName
from wayhome.review import services as review_services
from wayhome.review.models import MatchCandidate
from wayhome.tracing import services as tracing_services
from wayhome.tracing.models import InformationReport

A = AuditEvent.Action
O = ImportRow.Outcome  # noqa: E741
MAX_BYTES = 20 * 1024 * 1024
ENCODING_CHOICES = ("utf-8", "utf-8-sig", "cp1251", "cp1256")


def _today() -> dt.date:
    return timezone.localdate()


def _check_can_import(actor: User) -> None:
    if not (actor.has_cap(Cap.IMPORT_RUN) and actor.has_cap(Cap.PERSON_VIEW)):
        raise PermissionError("Importing needs import.run and person.view.")


def _check_own(actor: User, *objs: Any) -> None:
    if any(o.agency_id != actor.agency_key for o in objs):
        raise PermissionError("Record belongs to another agency.")


def file_bytes(list_import: ListImport) -> bytes:
    return base64.b64decode(list_import.content)


def table_of(list_import: ListImport) -> Table:
    """The uploaded file's cells, read with the import's chosen encoding."""
    encoding = list_import.encoding if list_import.encoding != "xlsx" else None
    try:
        return read_table(file_bytes(list_import), encoding or None)
    except ListFormatError as exc:
        raise ValidationError(str(exc)) from exc


def read_import(list_import: ListImport, today: dt.date | None = None) -> ReadList:
    """The list read as the import is set up (header row, mapping, date)."""
    return read_list(
        table_of(list_import),
        list_import.mapping,
        list_import.list_date,
        today or _today(),
        header_row=list_import.header_row or None,
    )


def already_imported(actor: User, sha256: str) -> ListImport | None:
    return ListImport.objects.filter(
        agency_id=actor.agency_key, sha256=sha256, status=ListImport.State.COMMITTED
    ).first()


@transaction.atomic
def list_import_upload(
    *,
    actor: User,
    source_name: str,
    file_name: str,
    data: bytes,
    list_date: dt.date,
    encoding: str = "",
) -> ListImport:
    """Keep an uploaded list as a draft, read with the source's remembered mapping (or
    one guessed from the headers). The same file already imported comes back as that
    import, and nothing is written."""
    _check_can_import(actor)
    source_name = source_name.strip()
    if not source_name:
        raise ValidationError({"source": _("Say where the list comes from.")})
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    if len(data) > MAX_BYTES:
        raise ValidationError({"file": _("A list may be at most 20 MB.")})
    if list_date > _today():
        raise ValidationError({"list_date": _("The date of the list is in the future.")})
    if encoding and encoding not in ENCODING_CHOICES:
        raise ValidationError({"encoding": _("Choose an encoding from the list.")})
    sha = hashlib.sha256(data).hexdigest()
    done = already_imported(actor, sha)
    if done is not None:
        return done
    try:
        table = read_table(data, encoding or None)
    except ListFormatError as exc:
        raise ValidationError({"file": str(exc)}) from exc
    source, created = ListSource.objects.get_or_create(
        agency_id=actor.agency_key, name=source_name[:200], defaults={"created_by": actor}
    )
    if created:
        audit_record(actor=actor, action=A.CREATE, obj=source, changes={"name": source.name})
    read = read_list(table, {}, list_date, _today())
    known = {f: h for f, h in source.mapping.items() if h in read.headers}
    mapping = known or suggest_mapping(read.headers)
    list_import = ListImport.objects.create(
        agency_id=actor.agency_key,
        created_by=actor,
        source=source,
        file_name=file_name[:255],
        sha256=sha,
        content=base64.b64encode(data).decode("ascii"),
        size=len(data),
        encoding=table.encoding,
        header_row=read.header_row,
        mapping=mapping,
        list_date=list_date,
    )
    audit_record(
        actor=actor,
        action=A.CREATE,
        obj=list_import,
        changes={
            "source": source.name,
            "file_name": list_import.file_name,
            "sha256": sha,
            "size": len(data),
        },
    )
    return list_import


@transaction.atomic
def list_import_configure(
    *,
    actor: User,
    list_import: ListImport,
    mapping: Mapping[str, str],
    encoding: str,
    header_row: int,
    list_date: dt.date,
    skip_invalid: bool = False,
) -> ListImport:
    """Set how the draft is read; the mapping is remembered for the source's next list."""
    _check_own(actor, list_import)
    if list_import.status != ListImport.State.DRAFT:
        raise ValidationError(_("This list is already imported."))
    if list_date > _today():
        raise ValidationError({"list_date": _("The date of the list is in the future.")})
    if encoding not in (*ENCODING_CHOICES, "xlsx"):
        raise ValidationError({"encoding": _("Choose an encoding from the list.")})
    clean = {f: h for f, h in mapping.items() if f in FIELDS and h}
    chosen = list(clean.values())
    if len(chosen) != len(set(chosen)):
        raise ValidationError(_("A column can be read as one field only."))
    list_import.mapping = clean
    list_import.encoding = encoding
    list_import.header_row = header_row
    list_import.list_date = list_date
    list_import.skip_invalid = skip_invalid
    read = read_import(list_import)  # a wrong encoding or header fails here, not at commit
    if read.problems:
        raise ValidationError([str(p) for p in read.problems])
    list_import.save()
    source = list_import.source
    source.mapping, source.encoding = clean, encoding
    source.save(update_fields=["mapping", "encoding", "updated_at"])
    audit_record(
        actor=actor,
        action=A.UPDATE,
        obj=list_import,
        changes={"mapping": clean, "encoding": encoding, "header_row": header_row},
    )
    return list_import


def _blocking_problems(read: ReadList, skip_invalid: bool) -> list[str]:
    if read.problems:
        return [str(p) for p in read.problems]
    if not read.valid:
        return [_("No row of this list can be imported.")]
    if read.invalid and not skip_invalid:
        problems = [str(p) for r in read.invalid for p in r.problems]
        head = ngettext(
            "%(n)s row has problems: correct the list, or choose to leave it out.",
            "%(n)s rows have problems: correct the list, or choose to leave them out.",
            len(read.invalid),
        ) % {"n": len(read.invalid)}
        return [head, *problems[:50]]
    return []


@transaction.atomic
def list_import_start(*, actor: User, list_import: ListImport) -> Job:
    """Check the draft can be committed, then commit it in a background job."""
    _check_own(actor, list_import)
    _check_can_import(actor)
    if list_import.status != ListImport.State.DRAFT:
        raise ValidationError(_("This list is already imported."))
    if import_running(list_import):
        raise ValidationError(_("This list is being imported already: see the job's page."))
    read = read_import(list_import)
    blocking = _blocking_problems(read, list_import.skip_invalid)
    if blocking:
        raise ValidationError(blocking)
    job = job_enqueue(
        actor=actor,
        kind=Job.Kind.IMPORT,
        params={"import": str(list_import.uuid)},
        total=len(read.rows),
    )
    list_import.job = job
    list_import.save(update_fields=["job", "updated_at"])
    return job


def import_running(list_import: ListImport) -> bool:
    """A job is committing this list now (queued, or running and not stalled)."""
    job = list_import.job
    if job is None or job.is_finished:
        return False
    return job.status == Job.Status.QUEUED or not is_stalled(job)


@transaction.atomic
def list_import_commit(
    *, actor: User, list_import: ListImport, progress: Progress | None = None
) -> ListImport:
    """Import every row in one transaction (see the module docstring). Committing a
    list already imported, or a file already imported, changes nothing."""
    _check_own(actor, list_import)
    _check_can_import(actor)
    list_import = ListImport.objects.select_for_update().get(pk=list_import.pk)
    if list_import.status == ListImport.State.COMMITTED:
        return list_import
    earlier = already_imported(actor, list_import.sha256)
    if earlier is not None:
        return earlier
    read = read_import(list_import)
    blocking = _blocking_problems(read, list_import.skip_invalid)
    if blocking:
        raise ValidationError(blocking)
    # Every event of the commit (a person per new row, an alias, a pair to review) is
    # chained and written in bulk at the end of the block: same events, same order.
    with audit_deferred():
        source = list_import.source
        report = tracing_services.report_create(
            actor=actor,
            received_on=list_import.list_date,
            channel=source.channel,
            source=source.name,
            reliability=source.reliability,
            summary=_(
                "Imported list “%(file)s” (%(rows)s rows), SHA-256 %(sha)s, imported by %(who)s."
            )
            % {
                "file": list_import.file_name,
                "rows": len(read.rows),
                "sha": list_import.sha256,
                "who": actor.get_username(),
            },
        )
        linker = BatchLinker(
            actor=actor,
            report=report,
            previous=_previous_rows(list_import),
            model=model_for(actor.agency_key),  # a commit cannot refit it: read it once
        )
        rows: list[ImportRow] = []
        cited: set[int] = set()
        total = len(read.rows)
        size = batch_size(total)
        for start in range(0, total, size):
            if progress is not None:
                message = _("Linking row %(n)s of %(total)s") % {"n": start + 1, "total": total}
                progress(start, total, message)
            batch = read.rows[start : start + size]
            for row, linked in zip(batch, linker.link(batch), strict=True):
                if linked.person is not None:
                    cited.add(linked.person.pk)
                rows.append(
                    ImportRow(
                        list_import=list_import,
                        number=row.number,
                        key=row.key,
                        digest=row.digest,
                        outcome=linked.outcome,
                        person=linked.person,
                        score=linked.score,
                        candidate=linked.candidate,
                    )
                )
        report.persons.add(*cited)
        ImportRow.objects.bulk_create(rows, batch_size=1000)
        counts: dict[str, int] = {"rows": total}
        for r in rows:
            counts[str(r.outcome)] = counts.get(str(r.outcome), 0) + 1
        list_import.status = ListImport.State.COMMITTED
        list_import.report = report
        list_import.committed_at = timezone.now()
        list_import.counts = counts
        list_import.save()
        audit_record(
            actor=actor,
            action=A.UPDATE,
            obj=list_import,
            changes={
                "status": [ListImport.State.DRAFT, ListImport.State.COMMITTED],
                "report": report,
                "counts": counts,
                "sha256": list_import.sha256,
            },
        )
    if progress is not None:
        progress(total, total, _("Saving"))
    return list_import


def _previous_rows(list_import: ListImport) -> dict[tuple[str, str], int]:
    """Rows of the source's earlier lists, by (key, digest): their person's id."""
    found = ImportRow.objects.filter(
        list_import__source=list_import.source,
        list_import__status=ListImport.State.COMMITTED,
        person__isnull=False,
    ).values_list("key", "digest", "person_id")
    return {(k, d): p for k, d, p in found if p is not None}


def _current(person_id: int) -> Person | None:
    """The person, or the record they were merged into since."""
    person = Person.objects.filter(pk=person_id).first()
    seen = set()
    while person is not None and person.merged_into_id is not None and person.pk not in seen:
        seen.add(person.pk)
        person = Person.objects.filter(pk=person.merged_into_id).first()
    return person


def _link_row(
    actor: User,
    row: ListRow,
    report: InformationReport,
    previous: dict[tuple[str, str], int],
    model: FellegiSunter | None = None,
) -> Linked:
    """One row linked through the plain services, as an import did before it linked in
    batches: the reference ``linking.BatchLinker`` must agree with (tests)."""
    if not row.ok:
        return Linked(O.SKIPPED)
    before = previous.get((row.key, row.digest))
    if before is not None and (person := _current(before)) is not None:
        return Linked(O.UNCHANGED, person)
    found = candidates_for(
        actor, names=row.names, sex=row.sex, birth=row.birth, limit=5, model=model
    )
    best = found[0] if found else None
    if best is not None and sure(best, found):
        _attach(actor, best.person, row, report)
        return Linked(O.MATCHED, best.person, best.score)
    person = people_services.person_create(
        actor=actor,
        names=row.names,
        sex=row.sex,
        birth=row.birth,
        birth_place=row.birth_place,
        notes=row.notes,
    )
    if best is None or best.score < QUEUE_AT:
        return Linked(O.NEW, person)
    candidate = review_services.candidate_propose(
        actor=actor,
        left=person,
        right=best.person,
        score=round(best.score, 4),
        explanation=explanation(best),
        source=MatchCandidate.Source.IMPORT,
        left_is_new=True,
    )
    return Linked(O.REVIEW, person, best.score, candidate)


def _attach(actor: User, person: Person, row: ListRow, report: InformationReport) -> None:
    """The list's row is this registered person: the report will cite them, and the
    list's spelling of the name is kept as an alias when the person lacks it."""
    known = set(PersonName.objects.filter(person=person).values_list("search_text", flat=True))
    for name in row.names:
        if search_fold(name.text()) not in known:
            people_services.name_add(
                actor=actor,
                person=person,
                data=people_services.NameData(
                    given=name.given,
                    patronymic=name.patronymic,
                    family=name.family,
                    full=name.full,
                    kind=PersonName.Kind.ALIAS,
                ),
            )
    audit_record(
        actor=actor,
        action=A.UPDATE,
        obj=person,
        person_uuid=person.uuid,
        changes={"reports": [None, report], "list_row": row.number},
        reason=_("Matched a row of an imported list."),
    )
