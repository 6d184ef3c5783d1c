"""Overdue aftercare follow-up visits on the figures dashboards: how many, and how late."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from wayhome.accounts.models import User
from wayhome.accounts.roles import Cap
from wayhome.aftercare import selectors
from wayhome.figures.panels import register_panel
from wayhome.figures.selectors import Filters, Table, formatter_for


def _band_labels() -> dict[str, str]:
    return {
        "week": _("1 to 7 days late"),
        "month": _("8 to 30 days late"),
        "longer": _("More than 30 days late"),
    }


@register_panel("aftercare-overdue", order=20)
def overdue_followups(user: User, filters: Filters) -> Table | None:
    """The count for every dashboard reader; the link to the visits themselves only for
    roles that read aftercare files (the list names the returnees)."""
    if not user.has_cap(Cap.STATS_VIEW):
        return None
    bands = selectors.overdue_by_band(user)
    fmt = formatter_for(user)
    table = Table(
        "aftercare-overdue",
        _("Overdue aftercare follow-up visits"),
        _("Overdue by"),
        [_("Visits")],
    )
    table.column_keys = ["visits"]
    table.add(_("All overdue visits"), [sum(bands.values())], fmt)
    # Beside an exact total, one band shown as "<5" could be worked out by subtraction:
    # aggregate-only roles get the total alone.
    if user.has_cap(Cap.PERSON_VIEW):
        labels = _band_labels()
        for key, _low, _high in selectors.OVERDUE_BANDS:
            table.add(labels[key], [bands[key]], fmt)
    table.note = _(
        "Visits due before today and not recorded, in open files: the filters above do not apply."
    )
    if user.has_cap(Cap.AFTERCARE_VIEW):
        table.link = reverse("aftercare:overdue")
        table.link_label = _("Open the list of overdue visits")
    return table
