"""Audit events held in a block and written in bulk still make one intact chain."""

from __future__ import annotations

import pytest
from django.db import transaction

from wayhome.accounts.models import User
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_deferred, audit_record, audit_verify

A = AuditEvent.Action


def test_deferred_events_are_chained_in_the_order_recorded(caseworker: User) -> None:
    audit_record(actor=caseworker, action=A.VIEW, reason="before")
    with transaction.atomic(), audit_deferred() as held:
        for n in range(5):
            audit_record(actor=caseworker, action=A.UPDATE, reason=f"held {n}")
        assert len(held) == 5
        assert AuditEvent.objects.filter(reason__startswith="held").count() == 0
    audit_record(actor=caseworker, action=A.VIEW, reason="after")
    reasons = list(AuditEvent.objects.order_by("id").values_list("reason", flat=True))
    assert reasons[-7:] == ["before", *[f"held {n}" for n in range(5)], "after"]
    verdict = audit_verify()
    assert verdict.intact, verdict.problem
    assert verdict.checked == AuditEvent.objects.count()


def _fail_after_recording(actor: User) -> None:
    with transaction.atomic(), audit_deferred():
        audit_record(actor=actor, action=A.UPDATE, reason="lost")
        raise ValueError("boom")


def test_a_failure_inside_the_block_writes_no_event(caseworker: User) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(ValueError, match="boom"):
        _fail_after_recording(caseworker)
    assert AuditEvent.objects.count() == before
    # The next event chains as if the failed block never happened.
    audit_record(actor=caseworker, action=A.VIEW)
    assert audit_verify().intact


def test_nested_blocks_join_the_outer_one(caseworker: User) -> None:
    with transaction.atomic(), audit_deferred() as outer:
        audit_record(actor=caseworker, action=A.UPDATE, reason="one")
        with audit_deferred() as inner:
            audit_record(actor=caseworker, action=A.UPDATE, reason="two")
        assert inner is outer
        assert AuditEvent.objects.filter(reason__in=["one", "two"]).count() == 0
    assert AuditEvent.objects.filter(reason__in=["one", "two"]).count() == 2
    assert audit_verify().intact


@pytest.mark.django_db(transaction=True)
def test_deferring_needs_the_callers_transaction(caseworker: User) -> None:
    with pytest.raises(RuntimeError, match="transaction"), audit_deferred():
        pass  # pragma: no cover  (never entered)
