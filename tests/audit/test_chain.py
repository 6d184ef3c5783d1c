import itertools

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from tests import factories
from wayhome.accounts.models import User
from wayhome.audit import chain
from wayhome.audit.models import AuditEvent
from wayhome.audit.services import audit_record, audit_verify


def _raw(sql: str, params: list[str | int]) -> None:
    """Tamper as someone with direct database access would, past the model's refusal."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_append_only")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@pytest.fixture
def three_events(caseworker: User) -> list[AuditEvent]:
    factories.person(caseworker, given="Chain")
    audit_record(actor=caseworker, action=AuditEvent.Action.VIEW, reason="ünïcødé и العربية")
    audit_record(actor=None, action=AuditEvent.Action.SYSTEM, changes={"n": 1.5, "xs": [1, 2]})
    return list(AuditEvent.objects.order_by("id"))


def test_events_link_to_the_one_before(three_events: list[AuditEvent]) -> None:
    assert three_events[0].prev_hash == chain.GENESIS
    for before, after in itertools.pairwise(three_events):
        assert after.prev_hash == before.hash
    assert len({e.hash for e in three_events}) == len(three_events)


def test_an_untouched_chain_verifies_after_a_round_trip(three_events: list[AuditEvent]) -> None:
    verdict = audit_verify()
    assert verdict.intact
    assert verdict.checked == len(three_events)


def test_an_edited_event_is_named(three_events: list[AuditEvent]) -> None:
    target = three_events[1]
    _raw("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["nothing to see", target.id])
    verdict = audit_verify()
    assert not verdict.intact
    assert verdict.first_broken_id == target.id
    assert "changed" in verdict.problem
    assert verdict.checked == 1


def test_a_removed_event_breaks_the_next_link(three_events: list[AuditEvent]) -> None:
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [three_events[1].id])
    verdict = audit_verify()
    assert verdict.first_broken_id == three_events[2].id
    assert "removed" in verdict.problem


def test_verify_command_reports_both_outcomes(
    three_events: list[AuditEvent], capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("audit", "verify")
    assert f"intact: {len(three_events)} events" in capsys.readouterr().out
    _raw(
        "UPDATE audit_auditevent SET actor_username = %s WHERE id = %s",
        ["someone", three_events[0].id],
    )
    with pytest.raises(CommandError, match=f"BROKEN at event {three_events[0].id}"):
        call_command("audit", "verify")


@pytest.mark.postgres
def test_postgres_refuses_to_change_or_delete_events(three_events: list[AuditEvent]) -> None:
    for sql in ("UPDATE audit_auditevent SET reason = 'x'", "DELETE FROM audit_auditevent"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert AuditEvent.objects.count() == len(three_events)


def test_ip_forms_hash_the_same() -> None:
    fields = {"ip": "2001:0db8:0000:0000:0000:0000:0000:0001"}
    assert chain.event_hash(fields, chain.GENESIS) == chain.event_hash(
        {"ip": "2001:db8::1"}, chain.GENESIS
    )
