"""Operation pages: plan a flight or convoy, put ready cases on it, read and confirm the
manifest, export it (after a fresh login, with a reason), record the arrivals.

Every view: the capability gate, then a scoped selector (another agency's operation is a
404), then a form, then a service whose ValidationError goes back onto the form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wayhome.accounts.permissions import cap_required, reauth_required
from wayhome.accounts.roles import Cap
from wayhome.core.views import GET_POST, acting_user, attempt
from wayhome.operations import export, selectors, services
from wayhome.operations import manifest as manifests
from wayhome.operations.forms import (
    ArrivalForm,
    CancelForm,
    CaseChoiceForm,
    ExportForm,
    OperationForm,
)
from wayhome.operations.models import Operation


def _to_op(op: Operation) -> HttpResponse:
    return redirect("operations:detail", key=op.uuid)


@require_GET
@cap_required(Cap.OPERATION_VIEW)
def operation_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    rows = selectors.operations_listed(acting_user(request), status)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "operations/list.html",
        {"page": page, "status": status, "statuses": Operation.State.choices},
    )


@GET_POST
@cap_required(Cap.OPERATION_EDIT)
def operation_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = OperationForm(request.POST or None, initial={"kind": Operation.Kind.FLIGHT})
    if request.method == "POST" and form.is_valid():
        op = attempt(
            form, lambda: services.operation_create(actor=user, data=form.operation_data())
        )
        if op is not None:
            messages.success(request, _("Operation planned."))
            return _to_op(op)
    return render(request, "operations/form.html", {"form": form, "operation": None})


@GET_POST
@cap_required(Cap.OPERATION_EDIT)
def operation_edit(request: HttpRequest, key: str) -> HttpResponse:
    user = acting_user(request)
    op = selectors.operation_whole(user, key)
    form = OperationForm(request.POST or None, initial=OperationForm.initial_for(op))
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            form,
            lambda: services.operation_update(actor=user, operation=op, data=form.operation_data()),
        )
        if saved is not None:
            messages.success(request, _("Operation saved."))
            return _to_op(op)
    return render(request, "operations/form.html", {"form": form, "operation": op})


def _detail(request: HttpRequest, op: Operation, **extra: Any) -> HttpResponse:
    user = acting_user(request)
    m = selectors.manifest_seen_by(user, op)
    lines, lines_withheld = selectors.lines_seen_by(user, op)
    selectors.persons_read(
        user, op, [t.person for t in m.travellers] or [ln.person for ln in lines]
    )
    # Changing or exporting acts on every traveller: only for a reader who sees them all.
    whole = m.whole and not lines_withheld
    can_edit = whole and user.has_cap(Cap.OPERATION_EDIT)
    context: dict[str, Any] = {
        "operation": op,
        "manifest": m,
        "rows": export.rows_for(m, lines),
        "lines": lines,
        "whole": whole,
        "withheld": lines_withheld if op.lines.exists() else len(m.withheld),
        "can_edit": can_edit,
        "can_export": whole and user.has_cap(Cap.EXPORT_RUN),
        "ready_cases": selectors.ready_cases_free(user) if can_edit and op.is_planned else [],
        "add_form": extra.pop("add_form", None) or CaseChoiceForm(),
        "cancel_form": extra.pop("cancel_form", None) or CancelForm(),
        "confirm_errors": extra.pop("confirm_errors", None),
        "history": selectors.operation_history(op),
        **extra,
    }
    return render(request, "operations/detail.html", context)


@require_GET
@cap_required(Cap.OPERATION_VIEW)
def operation_detail(request: HttpRequest, key: str) -> HttpResponse:
    return _detail(request, selectors.operation_get(acting_user(request), key))


@require_POST
@cap_required(Cap.OPERATION_EDIT)
def case_add(request: HttpRequest, key: str) -> HttpResponse:
    user = acting_user(request)
    op = selectors.operation_whole(user, key)
    form = CaseChoiceForm(request.POST)
    if form.is_valid():
        case = selectors.case_for_operation(user, form.cleaned_data["case"])
        if attempt(form, lambda: services.operation_case_add(actor=user, operation=op, case=case)):
            messages.success(request, _("Case added to the operation."))
            return _to_op(op)
    return _detail(request, op, add_form=form)


@require_POST
@cap_required(Cap.OPERATION_EDIT)
def case_remove(request: HttpRequest, key: str, case_key: str) -> HttpResponse:
    user = acting_user(request)
    op = selectors.operation_whole(user, key)
    case = selectors.case_for_operation(user, case_key)
    try:
        services.operation_case_remove(actor=user, operation=op, case=case)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Case removed from the operation."))
    return _to_op(op)


@require_POST
@cap_required(Cap.OPERATION_EDIT)
def operation_confirm(request: HttpRequest, key: str) -> HttpResponse:
    user = acting_user(request)
    op = selectors.operation_whole(user, key)
    try:
        services.operation_confirm(actor=user, operation=op)
    except ValidationError as exc:
        return _detail(request, op, confirm_errors=exc.messages)
    messages.success(request, _("Manifest confirmed. Relatives who asked will be told."))
    return _to_op(op)


@require_POST
@cap_required(Cap.OPERATION_EDIT)
def operation_cancel(request: HttpRequest, key: str) -> HttpResponse:
    user = acting_user(request)
    op = selectors.operation_whole(user, key)
    form = CancelForm(request.POST)
    if form.is_valid():
        cancelled = attempt(
            form,
            lambda: services.operation_cancel(
                actor=user, operation=op, reason=form.cleaned_data["reason"]
            ),
        )
        if cancelled is not None:
            messages.success(request, _("Operation cancelled; its cases are ready again."))
            return _to_op(op)
    return _detail(request, op, cancel_form=form)


@GET_POST
@cap_required(Cap.OPERATION_EDIT)
def arrivals(request: HttpRequest, key: str) -> HttpResponse:
    user = acting_user(request)
    op = selectors.operation_whole(user, key)
    lines = list(selectors.lines_of(op))
    form = ArrivalForm(request.POST or None, lines=lines)
    if op.status != Operation.State.CONFIRMED:
        messages.error(request, _("Arrivals are recorded on a confirmed operation, once."))
        return _to_op(op)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        outcomes = {
            line.pk: services.Outcome(
                arrived=bool(d[f"arrived_{line.uuid}"]), reason=d[f"reason_{line.uuid}"]
            )
            for line in lines
        }
        summary = attempt(
            form,
            lambda: services.arrivals_record(
                actor=user, operation=op, arrived_on=d["arrived_on"], outcomes=outcomes
            ),
        )
        if summary is not None:
            messages.success(
                request,
                _(
                    "Arrivals recorded: %(arrived)d arrived, %(not_arrived)d did not; "
                    "%(returned)d cases returned, %(reopened)d ready again; %(closed)d "
                    "tracing requests closed, %(located)d located; %(files)d aftercare "
                    "files opened."
                )
                % {
                    "arrived": summary.arrived,
                    "not_arrived": summary.not_arrived,
                    "returned": summary.cases_returned,
                    "reopened": summary.cases_reopened,
                    "closed": summary.requests_closed,
                    "located": summary.requests_located,
                    "files": summary.files_opened,
                },
            )
            return _to_op(op)
    selectors.persons_read(user, op, [line.person for line in lines])
    return render(request, "operations/arrivals.html", {"operation": op, "form": form})


@GET_POST
@cap_required(Cap.OPERATION_VIEW)
@cap_required(Cap.EXPORT_RUN)
@reauth_required
def manifest_export(request: HttpRequest, key: str) -> HttpResponse:
    """The manifest as PDF or XLSX, after a fresh login and with a reason (audited)."""
    user = acting_user(request)
    op = selectors.operation_whole(user, key)
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        m = manifests.build(op)
        lines = list(selectors.lines_of(op))
        rows = export.rows_for(m, lines)
        fmt = form.cleaned_data["fmt"]
        persons = [ln.person for ln in lines] if lines else [t.person for t in m.travellers]
        recorded = attempt(
            form,
            lambda: (
                services.manifest_export_record(
                    actor=user,
                    operation=op,
                    fmt=fmt,
                    reason=form.cleaned_data["reason"],
                    persons=persons,
                )
                or True
            ),
        )
        if recorded is not None:
            if fmt == "pdf":
                body = export.as_pdf(op, m, rows)
                content_type = "application/pdf"
            else:
                body = export.as_xlsx(op, m, rows)
                content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            response = HttpResponse(body, content_type=content_type)
            response["Content-Disposition"] = f'attachment; filename="{export.filename(op, fmt)}"'
            response["Cache-Control"] = "no-store, private"
            return response
    return render(request, "operations/export.html", {"operation": op, "form": form})
