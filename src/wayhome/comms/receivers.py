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


def on_anonymised(sender: Any, *, instance: Any, created: bool, **kwargs: Any) -> None:
    """Retention and erasure (protection) mark what they anonymise; the family's words in
    the log, its attachments and relatives' photographs go with the request, and a
    relative's name typed into the log goes with the inquirer. Runs in the same
    transaction as the anonymisation, so both happen or neither."""
    if not created:
        return
    from django.db import transaction

    from wayhome.comms.models import CommEntry, Notification
    from wayhome.portal.models import PortalSubmission
    from wayhome.protection.models import Anonymisation

    files: list[tuple[Any, str]] = []
    if instance.kind == Anonymisation.Kind.REQUEST:
        entries = CommEntry.objects.filter(request__uuid=instance.object_uuid)
        files += [(e.attachment.storage, e.attachment.name) for e in entries if e.attachment]
        entries.update(summary="", relative="", attachment="", attachment_type="")
        submissions = PortalSubmission.objects.filter(request__uuid=instance.object_uuid)
        files += [(s.photo.storage, s.photo.name) for s in submissions if s.photo]
        submissions.update(photo="", photo_type="")
    elif instance.kind == Anonymisation.Kind.INQUIRER:
        CommEntry.objects.filter(inquirer__uuid=instance.object_uuid).update(relative="")
        Notification.objects.filter(
            inquirer__uuid=instance.object_uuid,
            status__in=(Notification.Status.QUEUED, Notification.Status.FAILED),
        ).update(status=Notification.Status.CANCELLED, body="", next_attempt_at=None)
    if files:

        def remove() -> None:
            for storage, name in files:
                storage.delete(name)

        # Files are not transactional: remove them once the rows are changed for good.
        transaction.on_commit(remove)
