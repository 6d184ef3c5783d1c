"""Listeners that keep open cases' checklists in step with the registry's facts."""

from __future__ import annotations

from typing import Any

from wayhome.core.signals import FactChange


def rebuild_on_facts_changed(
    sender: Any, *, persons: tuple[Any, ...], cause: FactChange, actor: Any, **_: Any
) -> None:
    """``core.signals.facts_changed`` → rebuild the open cases concerned, in the same
    transaction as the change (the signal is sent synchronously from inside it)."""
    from wayhome.repatriation.services import checklists_rebuild_for_facts

    checklists_rebuild_for_facts(persons=persons, cause=cause, actor=actor)
