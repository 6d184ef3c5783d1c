"""The demo shows legal and repatriation cases in the states a visitor should see."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from wayhome.legal.models import LegalCase
from wayhome.repatriation.models import CaseStep, RepatriationCase

pytestmark = pytest.mark.django_db


def test_demo_loads_cases_in_several_states() -> None:
    out = StringIO()
    call_command("demo", no_serve=True, persons=100, stdout=out, stderr=StringIO())
    assert "demo repatriation cases opened" in out.getvalue()
    ready = RepatriationCase.objects.get(family_group__label="Elmurzaev family (showcase)")
    assert ready.stage == RepatriationCase.Stage.READY
    waiting = RepatriationCase.objects.get(family_group__label="Bobozoda family (showcase)")
    assert waiting.stage == RepatriationCase.Stage.IN_PROGRESS
    blocked = CaseStep.objects.filter(member__case=waiting, status=CaseStep.Status.BLOCKED)
    assert set(blocked.values_list("blocker", flat=True)) == {"DNA test result pending"}
    consent = CaseStep.objects.filter(member__case=waiting, code="parent_consent")
    assert set(consent.values_list("status", flat=True)) == {CaseStep.Status.DONE}
    sentenced = LegalCase.objects.get(case_number="DEMO-2018-0113")
    assert sentenced.sentence_kind == LegalCase.SentenceKind.YEARS
    assert sentenced.events.exclude(source=None).exists()
