"""Signals that let one domain tell others something happened without importing them.

``milestone_reached`` is sent (with ``transaction.on_commit``) when a sought person's case
reaches a step a relative should hear about; the comms app listens and notifies inquirers.
Senders pass keyword arguments:

- ``person``: the ``people.Person`` concerned;
- ``milestone``: one of ``Milestone``;
- ``actor``: the user who recorded it (or None for a system job);
- ``key``: a string unique to this occurrence (e.g. ``"arrived:<flight uuid>"``) so a
  listener can make sure nothing is sent twice.

``facts_changed`` is sent by people, tracing and legal services when a fact the
repatriation rules engine reads changes; see ``announce_facts_changed``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _


class Milestone(models.TextChoices):
    LOCATED = "located", _("Located")
    SENTENCED = "sentenced", _("Sentenced")
    CONSENT_NEEDED = "consent_needed", _("Consent needed")
    ON_FLIGHT = "on_flight", _("On a flight")
    ARRIVED = "arrived", _("Arrived")


milestone_reached = Signal()


class FactChange(models.TextChoices):
    """Which fact about a person changed, as ``facts_changed`` names its cause."""

    BIRTH = "birth", _("birth date changed")
    CITIZENSHIP = "citizenship", _("citizenship changed")
    RELATIONSHIP = "relationship", _("family link changed")
    STATUS = "status", _("death or detention recorded")
    LEGAL_CASE = "legal_case", _("legal case or sentence changed")
    DOCUMENT = "document", _("identity document changed")
    MERGE = "merge", _("records merged or separated")


facts_changed = Signal()
"""Sent *inside* the writing service's transaction when a fact that repatriation checklists
read changes, so the rebuild commits or rolls back with the change itself.

Keyword arguments: ``persons`` (the ``people.Person`` rows whose facts changed; listeners
widen this to their family as they need), ``cause`` (a ``FactChange``) and ``actor`` (the
user whose write it was, or None).
"""


def announce_facts_changed(
    *, sender: type, persons: Iterable[Any], cause: FactChange, actor: Any
) -> None:
    """Tell listeners (repatriation) that these persons' facts changed, in this transaction.

    Sent synchronously rather than on commit: a listener's writes must belong to the same
    transaction, and an error in them must undo the change that caused them.
    """
    facts_changed.send(sender=sender, persons=tuple(persons), cause=cause, actor=actor)
