"""Signals that let one domain tell others something happened without importing them.

``milestone_reached`` is sent (with ``transaction.on_commit``) when a sought person's case
reaches a step a relative should hear about; the comms app listens and notifies inquirers.
Senders pass keyword arguments:

- ``person``: the ``people.Person`` concerned;
- ``milestone``: one of ``Milestone``;
- ``actor``: the user who recorded it (or None for a system job);
- ``key``: a string unique to this occurrence (e.g. ``"arrived:<flight uuid>"``) so a
  listener can make sure nothing is sent twice.
"""

from __future__ import annotations

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
