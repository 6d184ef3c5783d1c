"""``wayhome review refit``: supervisors only, refusals as clear errors."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests import factories
from tests.review.helpers import candidate, events
from wayhome.accounts.models import User
from wayhome.audit.models import AuditEvent
from wayhome.review import services


def test_refit_runs_as_a_supervisor_and_is_audited(
    users: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    caseworker, supervisor = users["caseworker"], users["supervisor"]
    a, b = factories.person(caseworker, "Aisha"), factories.person(caseworker, "Aysha")
    services.candidate_confirm(actor=caseworker, candidate=candidate(caseworker, a, b))

    def fake_refit(**kwargs: Any) -> str:
        return f"fitted on {len(kwargs['confirmed_pairs'])}"

    monkeypatch.setattr(services, "model_refit", fake_refit)
    out = StringIO()
    call_command("review", "refit", "--user", supervisor.username, stdout=out)
    assert "fitted on 1" in out.getvalue()
    assert events(AuditEvent.Action.SYSTEM, actor=supervisor)[-1].changes["pairs"] == [
        [str(a.uuid), str(b.uuid)]
    ]


def test_refit_refuses_non_supervisors_and_an_empty_queue(users: dict[str, User]) -> None:
    with pytest.raises(CommandError, match="supervisor"):
        call_command("review", "refit", "--user", users["caseworker"].username)
    with pytest.raises(CommandError, match="supervisor"):
        call_command("review", "refit", "--user", "nobody")
    with pytest.raises(CommandError, match="No confirmed pair"):
        call_command("review", "refit", "--user", users["supervisor"].username)
