"""Pages of the figures app: the staff dashboard and its exports, the public report, and
the ledger of published estimates. Counts only: no page here shows a person's name."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wayhome.accounts.models import User
from wayhome.accounts.permissions import cap_required
from wayhome.accounts.roles import Cap
from wayhome.core.views import GET_POST, acting_user, form_page
from wayhome.figures import services
from wayhome.figures.charts import bar_chart, line_chart
from wayhome.figures.definitions import DEFINITIONS
from wayhome.figures.exports import to_csv, to_xlsx
from wayhome.figures.forms import DeleteForm, EstimateForm, FilterForm, PublicForm
from wayhome.figures.models import Estimate
from wayhome.figures.panels import panel_tables
from wayhome.figures.public import PublicReport, public_report
from wayhome.figures.selectors import (
    Filters,
    Table,
    breakdown_tables,
    dashboard_tables,
    formatter_for,
    series_table,
)
from wayhome.web.selectors import suppress_small

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The monthly chart draws the statuses the brief of the dashboard names; the table beside
# it has every status.
CHARTED = ("sought", "located", "detained", "in_camp", "sentenced", "repatriated", "deceased")


def _filters(request: HttpRequest) -> tuple[FilterForm, Filters]:
    form = FilterForm(request.GET or None)
    return form, form.filters(timezone.localdate())


def _all_tables(user: User, f: Filters) -> list[Table]:
    return [*dashboard_tables(user, f), *panel_tables(user, f)]


def _table(user: User, f: Filters, key: str) -> Table | None:
    """Only the table asked for: an export need not pay for the others."""
    if key == "monthly":
        return series_table(user, f)
    if key in ("region", "country", "facility"):
        return next(t for t in breakdown_tables(user, f) if t.key == key)
    return next((t for t in panel_tables(user, f) if t.key == key), None)


def _monthly_chart(table: Table) -> object:
    charted = [
        (column, [row[i] for row in table.raw])
        for i, (column, key) in enumerate(zip(table.columns, table.column_keys, strict=True))
        if key in CHARTED
    ]
    return line_chart([label[:7] for label, _v in table.rows], charted)


def _bars(table: Table) -> object:
    rows = zip(table.rows, table.raw, strict=True)
    return bar_chart([(label, raw[0], str(cells[0])) for (label, cells), raw in rows])


@require_GET
@cap_required(Cap.STATS_VIEW)
def dashboard(request: HttpRequest) -> HttpResponse:
    """Counts over time and by place, filterable, each table with its chart and exports."""
    user = acting_user(request)
    form, f = _filters(request)
    tables = _all_tables(user, f)
    monthly, rest = tables[0], tables[1:]
    return render(
        request,
        "figures/dashboard.html",
        {
            "form": form,
            "f": f,
            "monthly": monthly,
            "monthly_chart": _monthly_chart(monthly),
            "panels": [(t, _bars(t)) for t in rest],
            "query": request.GET.urlencode(),
            "suppressed": not user.has_cap(Cap.PERSON_VIEW),
            "hidden_mark": suppress_small(1),
        },
    )


def _attachment(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=FORMATS.get(fmt, "application/pdf"))
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "no-store, private"
    return response


@require_GET
@cap_required(Cap.STATS_VIEW)
def export(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    """One dashboard table as CSV or XLSX, with the same suppression as the page; audited."""
    if fmt not in FORMATS:
        raise Http404
    user = acting_user(request)
    _form, f = _filters(request)
    found = _table(user, f, table)
    if found is None:
        raise Http404
    header = [found.first, *found.columns]
    rows = [[label, *cells] for label, cells in found.rows]
    period = _("Period: %(start)s to %(end)s.") % {
        "start": f.start.isoformat(),
        "end": f.end.isoformat(),
    }
    notes = [n for n in (period, found.note) if n]
    services.figures_exported(actor=user, what=found.key, fmt=fmt, filters=f.describe())
    content = (
        to_csv(header, rows, notes) if fmt == "csv" else to_xlsx(found.key, header, rows, notes)
    )
    return _attachment(content, fmt, f"figures-{found.key}-{f.end.isoformat()}")


# --- public figures ---------------------------------------------------------------------


def _report(request: HttpRequest) -> tuple[PublicForm, PublicReport]:
    form = PublicForm(request.GET or None)
    today = timezone.localdate()
    as_of = (form.cleaned_data.get("as_of") if form.is_valid() else None) or today
    return form, public_report(acting_user(request), as_of, today)


@require_GET
@cap_required(Cap.FIGURES_PUBLISH)
def public(request: HttpRequest) -> HttpResponse:
    """The report for publication, as it will be published; audited when produced."""
    form, report = _report(request)
    services.figures_viewed(
        actor=acting_user(request), what="public", filters={"as_of": report.as_of.isoformat()}
    )
    return render(
        request,
        "figures/public.html",
        {"form": form, "report": report, "query": request.GET.urlencode()},
    )


PRINT_CSS = Path(__file__).parent / "data" / "print.css"


def _pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML

    def no_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
        # The report is self-contained: nothing is fetched, from the network or the disk.
        raise ValueError("external resources are not loaded")

    document = HTML(string=html, url_fetcher=no_fetch)
    return cast(bytes, document.write_pdf(stylesheets=[CSS(filename=str(PRINT_CSS))]))


@require_GET
@cap_required(Cap.FIGURES_PUBLISH)
def public_file(request: HttpRequest, fmt: str) -> HttpResponse:
    """The public report as PDF (WeasyPrint) or CSV (every table, with its definitions)."""
    if fmt not in ("pdf", "csv"):
        raise Http404
    user = acting_user(request)
    _form, report = _report(request)
    services.figures_exported(
        actor=user, what="public", fmt=fmt, filters={"as_of": report.as_of.isoformat()}
    )
    name = f"figures-{report.as_of.isoformat()}"
    if fmt == "pdf":
        html = render_to_string("figures/public_print.html", {"report": report}, request)
        return _attachment(_pdf(html), "pdf", name)
    rows: list[list[object]] = []
    for table in report.tables:
        rows.append([table.title])
        rows.append([table.first, *table.columns])
        rows.extend([label, *cells] for label, cells in table.rows())
        rows.append([])
    rows.append([_("Definitions")])
    rows.extend([term, text] for term, text in report.definitions)
    title = _("Figures as of %(day)s") % {"day": report.as_of.isoformat()}
    return _attachment(to_csv([title], rows), "csv", name)


# --- ledger of published estimates -------------------------------------------------------


def _estimates(user: User) -> list[Estimate]:
    return list(Estimate.objects.filter(agency_id=user.agency_key).order_by("-as_of", "-id"))


def _estimate(user: User, uuid: str) -> Estimate:
    return get_object_or_404(Estimate, uuid=uuid, agency_id=user.agency_key)


@require_GET
@cap_required(Cap.STATS_VIEW)
def estimate_list(request: HttpRequest) -> HttpResponse:
    """Each published figure beside the registry's own count for the same definition, as
    of the date the figure speaks of and as of today."""
    user = acting_user(request)
    fmt = formatter_for(user)
    today = timezone.localdate()
    cache: dict[tuple[str, dt.date], int | None] = {}

    def count(key: str, on: dt.date) -> object:
        if (key, on) not in cache:
            cache[(key, on)] = DEFINITIONS[key].count(user, on)
        n = cache[(key, on)]
        return "—" if n is None else fmt(n)

    rows = []
    for e in _estimates(user):
        d = DEFINITIONS.get(e.definition)
        on = min(e.as_of_end, today)
        rows.append(
            {
                "e": e,
                "definition": d,
                "then": count(e.definition, on) if d else None,
                "then_on": on,
                "now": count(e.definition, today) if d else None,
            }
        )
    return render(
        request,
        "figures/estimate_list.html",
        {"rows": rows, "today": today, "can_edit": user.has_cap(Cap.ESTIMATE_EDIT)},
    )


@GET_POST
@cap_required(Cap.ESTIMATE_EDIT)
def estimate_create(request: HttpRequest) -> HttpResponse:
    form = EstimateForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: services.estimate_create(actor=acting_user(request), data=form.service_data),
        template="figures/estimate_form.html",
        done=reverse("figures:estimate_list"),
        success=_("The estimate is recorded."),
        context={"estimate": None},
    )


@GET_POST
@cap_required(Cap.ESTIMATE_EDIT)
def estimate_edit(request: HttpRequest, uuid: str) -> HttpResponse:
    user = acting_user(request)
    estimate = _estimate(user, uuid)
    form = EstimateForm(request.POST or None, instance=estimate)
    return form_page(
        request,
        form,
        lambda: services.estimate_update(actor=user, estimate=estimate, data=form.service_data),
        template="figures/estimate_form.html",
        done=reverse("figures:estimate_list"),
        success=_("The estimate is updated."),
        context={"estimate": estimate, "delete": DeleteForm()},
    )


@require_http_methods(["POST"])
@cap_required(Cap.ESTIMATE_EDIT)
def estimate_delete(request: HttpRequest, uuid: str) -> HttpResponse:
    user = acting_user(request)
    estimate = _estimate(user, uuid)
    form = DeleteForm(request.POST)
    if form.is_valid():
        try:
            services.estimate_delete(
                actor=user, estimate=estimate, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The estimate is removed from the ledger."))
            return redirect("figures:estimate_list")
    else:
        messages.error(request, _("Say why the entry is removed."))
    return redirect("figures:estimate_edit", uuid=estimate.uuid)
