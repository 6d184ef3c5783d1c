"""The repatriation pipeline on the figures dashboards: cases by stage, and the steps
that hold them (counts only, small counts suppressed for aggregate-only roles)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.figures.panels import register_panel
from wayhome.figures.selectors import Filters, Table, formatter_for
from wayhome.repatriation import selectors
from wayhome.repatriation.models import RepatriationCase

_KEPT = "_repatriation_case_counts"


def _counts(user: User, filters: Filters) -> selectors.CaseCounts:
    """The counts both panels show, computed once per dashboard: ``panel_tables`` hands
    every panel the same ``filters`` object, so the counts are kept on the user with
    that object and reused while it is the same one (a later page has new filters, and
    counts afresh)."""
    kept: tuple[Filters, selectors.CaseCounts] | None = getattr(user, _KEPT, None)
    if kept is not None and kept[0] is filters:
        return kept[1]
    counts = selectors.case_counts(user)
    setattr(user, _KEPT, (filters, counts))
    return counts


def _note() -> str:
    return _("All the agency's cases as they stand today: the filters above do not apply.")


def _link(user: User, table: Table) -> None:
    if user.has_cap(Cap.CASE_VIEW):
        table.link = reverse("repatriation:case_list")
        table.link_label = _("Open the repatriation cases")


@register_panel("repatriation-stage", order=10)
def cases_by_stage(user: User, filters: Filters) -> Table | None:
    """Every stage, in pipeline order, even when empty: a reader sees where cases pile up."""
    if not user.has_cap(Cap.STATS_VIEW):
        return None
    counts = _counts(user, filters).by_stage
    fmt = formatter_for(user)
    table = Table("repatriation-stage", _("Repatriation cases by stage"), _("Stage"), [_("Cases")])
    table.column_keys = ["cases"]
    for stage in RepatriationCase.Stage:
        table.add(str(stage.label), [counts.get(stage.value, 0)], fmt)
    table.note = _note()
    _link(user, table)
    return table


@register_panel("repatriation-blockers", order=11)
def steps_blocked(user: User, filters: Filters) -> Table | None:
    """Blocked steps of cases not yet returned or closed, by step, most frequent first."""
    if not user.has_cap(Cap.STATS_VIEW):
        return None
    counts = _counts(user, filters).by_blocker
    labels = selectors.blocker_labels(user, list(counts))
    fmt = formatter_for(user)
    table = Table(
        "repatriation-blockers",
        _("Blocked steps of open repatriation cases"),
        _("Step"),
        [_("Blocked")],
    )
    table.column_keys = ["blocked"]
    for code, n in counts.items():
        table.add(labels.get(code, code), [n], fmt)
    table.note = _note()
    _link(user, table)
    return table
