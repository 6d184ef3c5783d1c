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
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record
from wayhome.core.text import search_fold
from wayhome.jobs.models import Job
from wayhome.jobs.runner import Progress, is_stalled
from wayhome.jobs.services import job_enqueue
from wayhome.linkage.io import ListFormatError, Table, read_table
from wayhome.linkage.model import BIRTH_LEVELS, SEX_LEVELS
from wayhome.lists.models import ImportRow, ListImport, ListSource
from wayhome.lists.reading import FIELDS, ListRow, ReadList, read_list, suggest_mapping
from wayhome.matching.selectors import Candidate, candidates_for
from wayhome.people import services as people_services
from wayhome.people.models import Person, PersonName
from wayhome.review import services as review_services
from wayhome.review.models import MatchCandidate
from wayhome.tracing import services as tracing_services
from wayhome.tracing.models import InformationReport

A = AuditEvent.Action
O = ImportRow.Outcome  # noqa: E741

# A row joins a registered person on its own only when the best candidate holds this
# share of the chance (``share_of_best``: another candidate who fits too takes its
# share), the birth dates agree at least to the month (a year alone fits too many
# children of one camp), and the sexes do not differ.
# Anything less certain is a new person with a pair in the review queue
# (review.services.QUEUE_AT), where a caseworker decides.
MATCH_AT = 0.98
# By name, not number: the linkage model's levels change (a level "same year at given
# precision" was inserted before "same month", and a year-only row became "sure").
SURE_BIRTH_LEVEL = BIRTH_LEVELS.index("same month")
DIFFERENT_SEX = SEX_LEVELS.index("disagree")
QUEUE_AT = review_services.QUEUE_AT
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


@dataclass
class _Linked:
    outcome: str
    person: Person | None = None
    score: float | None = None
    candidate: MatchCandidate | None = None


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
    source = list_import.source
    report = tracing_services.report_create(
        actor=actor,
        received_on=list_import.list_date,
        channel=source.channel,
        source=source.name,
        reliability=source.reliability,
        summary=_("Imported list “%(file)s” (%(rows)s rows), SHA-256 %(sha)s, imported by %(who)s.")
        % {
            "file": list_import.file_name,
            "rows": len(read.rows),
            "sha": list_import.sha256,
            "who": actor.get_username(),
        },
    )
    previous = _previous_rows(list_import)
    rows: list[ImportRow] = []
    cited: set[int] = set()
    total = len(read.rows)
    for i, row in enumerate(read.rows, start=1):
        if progress is not None:
            progress(i - 1, total, _("Linking row %(n)s of %(total)s") % {"n": i, "total": total})
        linked = _link_row(actor, row, report, previous)
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
    actor: User, row: ListRow, report: InformationReport, previous: dict[tuple[str, str], int]
) -> _Linked:
    if not row.ok:
        return _Linked(O.SKIPPED)
    before = previous.get((row.key, row.digest))
    if before is not None and (person := _current(before)) is not None:
        return _Linked(O.UNCHANGED, person)
    found = candidates_for(actor, names=row.names, sex=row.sex, birth=row.birth, limit=5)
    best = found[0] if found else None
    if best is not None and _sure(best, found):
        _attach(actor, best.person, row, report)
        return _Linked(O.MATCHED, best.person, best.score)
    person = people_services.person_create(
        actor=actor,
        names=row.names,
        sex=row.sex,
        birth=row.birth,
        birth_place=row.birth_place,
        notes=row.notes,
    )
    if best is None or best.score < QUEUE_AT:
        return _Linked(O.NEW, person)
    candidate = review_services.candidate_propose(
        actor=actor,
        left=person,
        right=best.person,
        score=round(best.score, 4),
        explanation=_explanation(best),
        source=MatchCandidate.Source.IMPORT,
    )
    return _Linked(O.REVIEW, person, best.score, candidate)


def _sure(best: Candidate, found: list[Candidate]) -> bool:
    """Sure enough to attach without a person's decision (see MATCH_AT)."""
    _name, birth, sex = best.vector
    return share_of_best(found) >= MATCH_AT and birth >= SURE_BIRTH_LEVEL and sex != DIFFERENT_SEX


def share_of_best(found: list[Candidate]) -> float:
    """The chance that the best candidate, and not another one nor nobody, is the row's
    person: its odds over one plus everyone's odds (as ``linkage.link._decide`` does).
    Two registered persons who both fit well share it, and neither is sure."""
    if not found:
        return 0.0
    odds = [min(c.score, 1 - 1e-12) / (1 - min(c.score, 1 - 1e-12)) for c in found]
    return odds[0] / (1.0 + sum(odds))


def _explanation(c: Candidate) -> dict[str, Any]:
    reasons = [
        f"{f.field}: {f.agreement}" + ("" if f.weight is None else f" ({f.weight:+.1f})")
        for f in c.fields
    ]
    return {"alignment": c.alignment, "reasons": reasons}


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
