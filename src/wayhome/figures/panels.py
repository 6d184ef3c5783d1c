"""A small registry of dashboard panels that other apps contribute.

The figures dashboard draws what the registry's timelines say; pipelines that live in other
apps (repatriation cases by stage and blocker, overdue aftercare follow-ups) plug in here
without the figures app importing them. An app defines a function that takes the user and
the dashboard's filters and returns a ``Table`` (or None when the user may not see it),
and registers it in a ``panels`` module of its own, found at start-up:

    # src/wayhome/repatriation/panels.py
    from wayhome.figures.panels import register_panel

    @register_panel("repatriation-pipeline", order=10)
    def pipeline(user, filters):
        ...  # aggregate in SQL, agency-scoped, counts only
        return Table("repatriation-pipeline", _("Repatriation cases by stage"), ...)

A panel counts only (never a name), scopes by ``user.agency_key``, checks its own
capability, and formats counts with ``selectors.formatter_for(user)`` so small counts are
suppressed for aggregate-only roles. Its table is drawn as a bar chart beside the table and
exported like every other table of the dashboard.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from wayhome.accounts.models import User
from wayhome.figures.selectors import Filters, Table

log = logging.getLogger(__name__)

PanelFunction = Callable[[User, Filters], Table | None]


@dataclass(frozen=True)
class _Entry:
    order: int
    function: PanelFunction


_PANELS: dict[str, _Entry] = {}


def register_panel(key: str, order: int = 100) -> Callable[[PanelFunction], PanelFunction]:
    """Add a panel to the dashboard under ``key`` (registering a key again replaces it)."""

    def decorator(function: PanelFunction) -> PanelFunction:
        _PANELS[key] = _Entry(order, function)
        return function

    return decorator


def unregister_panel(key: str) -> None:
    _PANELS.pop(key, None)


def registered() -> list[str]:
    return [k for k, _e in sorted(_PANELS.items(), key=lambda kv: (kv[1].order, kv[0]))]


def panel_tables(user: User, filters: Filters) -> list[Table]:
    """Every registered panel's table for this user, in order; a panel that fails is
    left out and logged (by key only) so one app's bug does not take the dashboard down."""
    out = []
    for key in registered():
        try:
            table = _PANELS[key].function(user, filters)
        except Exception:  # isolate other apps' panels
            log.exception("figures panel %s failed", key)
            continue
        if table is not None:
            out.append(table)
    return out
