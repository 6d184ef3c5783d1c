"""Import wizard (upload → columns and preview → commit in a job) and person exports.

Every view: the capability gate, then a scoped selector (another agency's import is a
404), then a form, then a service; a service's ValidationError goes back onto the form.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wayhome.accounts.permissions import cap_required, reauth_required
from wayhome.accounts.roles import Cap
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record
from wayhome.core.views import GET_POST, acting_user, attachment, attempt, form_page
from wayhome.lists import exporting, selectors, services
from wayhome.lists.forms import ExportForm, MappingForm, UploadForm
from wayhome.lists.models import ListImport
from wayhome.lists.reading import headers_of, suggest_mapping
from wayhome.people.selectors import persons_visible_to

PREVIEW_ROWS = 100
PROBLEMS_SHOWN = 500


@require_GET
@cap_required(Cap.IMPORT_RUN)
def import_list(request: HttpRequest) -> HttpResponse:
    imports = selectors.imports_visible_to(acting_user(request))
    page = Paginator(imports, 50).get_page(request.GET.get("page"))
    return render(request, "lists/import_list.html", {"page": page})


@GET_POST
@cap_required(Cap.IMPORT_RUN)
def import_upload(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    sources = list(selectors.sources_of(user).values_list("name", flat=True))
    form = UploadForm(request.POST or None, request.FILES or None, sources=sources)

    def upload() -> ListImport:
        d = form.cleaned_data
        return services.list_import_upload(
            actor=user,
            source_name=d["source"],
            file_name=d["file"].name,
            data=d["file"].read(),
            list_date=d["list_date"],
            encoding=d["encoding"] or "",
        )

    def uploaded(draft: ListImport) -> str:
        if draft.status == ListImport.State.COMMITTED:
            messages.info(request, _("This very file was already imported: nothing was changed."))
        return reverse("lists:detail", args=[draft.uuid])

    return form_page(
        request,
        form,
        upload,
        template="lists/upload.html",
        done=uploaded,
        context={"sources": sources},
    )


@GET_POST
@cap_required(Cap.IMPORT_RUN)
def import_detail(request: HttpRequest, import_uuid: str) -> HttpResponse:
    user = acting_user(request)
    list_import = selectors.import_get(user, import_uuid)
    if list_import.status == ListImport.State.COMMITTED:
        return _committed(request, list_import)
    table = services.table_of(list_import)
    headers = headers_of(table, _header_index(table, list_import.header_row))
    form = MappingForm(request.POST or None, headers=headers, list_import=list_import)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        mapping = form.mapping()
        if d["header_row"] != list_import.header_row:
            # Another header row has other headers: start again from what they say.
            new_table = services.table_of(list_import)
            mapping = suggest_mapping(
                headers_of(new_table, _header_index(new_table, d["header_row"]))
            )
        configured = attempt(
            form,
            lambda: services.list_import_configure(
                actor=user,
                list_import=list_import,
                mapping=mapping,
                encoding=d.get("encoding") or list_import.encoding,
                header_row=d["header_row"],
                list_date=d["list_date"],
                skip_invalid=d["skip_invalid"],
            ),
        )
        if configured is not None:
            return redirect("lists:detail", list_import.uuid)
    read = services.read_import(list_import)
    problems = read.all_problems()
    return render(
        request,
        "lists/import_draft.html",
        {
            "list_import": list_import,
            "form": form,
            "read": read,
            "preview": read.rows[:PREVIEW_ROWS],
            "mapped": [f for f, h in list_import.mapping.items() if h],
            "problems": problems[:PROBLEMS_SHOWN],
            "problem_count": len(problems),
            "can_commit": not read.problems and bool(read.valid),
            "running": services.import_running(list_import),
        },
    )


def _header_index(table: object, header_row: int) -> int:
    rows = getattr(table, "rows", [])
    return next((i for i, (n, _c) in enumerate(rows) if n == header_row), 0)


def _committed(request: HttpRequest, list_import: ListImport) -> HttpResponse:
    user = acting_user(request)
    audit_record(actor=user, action=AuditEvent.Action.VIEW, obj=list_import)
    rows = selectors.import_rows(list_import)
    outcome = request.GET.get("outcome", "")
    if outcome:
        rows = rows.filter(outcome=outcome)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "lists/import_done.html",
        {"list_import": list_import, "page": page, "outcome": outcome},
    )


@require_POST
@cap_required(Cap.IMPORT_RUN)
def import_commit(request: HttpRequest, import_uuid: str) -> HttpResponse:
    user = acting_user(request)
    list_import = selectors.import_get(user, import_uuid)
    try:
        job = services.list_import_start(actor=user, list_import=list_import)
    except ValidationError as exc:
        for message in exc.messages[:20]:
            messages.error(request, message)
        return redirect("lists:detail", list_import.uuid)
    return redirect("jobs:detail", job.uuid)


# --- exports ---------------------------------------------------------------------------


@GET_POST
@cap_required(Cap.PERSON_VIEW)
@cap_required(Cap.EXPORT_RUN)
@reauth_required
def export_persons(request: HttpRequest) -> HttpResponse:
    """The agency's persons as CSV, XLSX or PDF, with the columns chosen, for a reason."""
    user = acting_user(request)
    form = ExportForm(request.POST or None)

    def export() -> tuple[str, bytes, str]:
        return exporting.export_persons(
            actor=user,
            persons=persons_visible_to(user).order_by("display_name", "id"),
            **form.options(),
        )

    return form_page(request, form, export, template="lists/export.html", done=attachment)
