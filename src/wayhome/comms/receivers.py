"""The comms app listens for milestones other apps reach and tells the inquirers."""

from __future__ import annotations

import logging
from typing import Any

from wayhome.comms.services import notifications_queue

log = logging.getLogger(__name__)


def on_milestone(sender: Any, *, person: Any, milestone: str, key: str, **kwargs: Any) -> None:
    """Queue the notifications; a failure here is logged, never raised back into the
    sender (it runs after the sender's commit, and the case itself is recorded)."""
    try:
        notifications_queue(
            actor=kwargs.get("actor"),
            person=person,
            milestone=milestone,
            key=key,
            request=kwargs.get("request"),
        )
    except Exception:
        log.exception(
            "milestone %s for person %s: notifications not queued", milestone, person.uuid
        )
