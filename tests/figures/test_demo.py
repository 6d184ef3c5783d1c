"""The demo loads published figures at run time and keeps offices, never names."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.figures.test_services import HEADER
from wayhome.accounts.models import User
from wayhome.figures import demo
from wayhome.figures.models import Estimate

pytestmark = pytest.mark.django_db


def test_demo_keeps_offices_and_links_definitions(
    analyst: User, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / demo.FILE_NAME
    path.write_text(
        HEADER
        + '50,persons,Russian women held in Iraqi prisons (more than),"Ivan Examplov, synthetic'
        ' envoy",2018-07,Example News,2018-07-23\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("WAYHOME_PUBLISHED_FIGURES", str(path))
    monkeypatch.setattr(demo, "DEMO_USER", analyst.username)
    out = io.StringIO()
    demo.load_demo(out)
    e = Estimate.objects.get()
    assert e.stated_by == "synthetic envoy"
    assert "Examplov" not in e.stated_by
    assert e.definition == "held_women_ru_iq"
    assert "1 published figures loaded" in out.getvalue()


def test_demo_without_the_file_says_so(analyst: User, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "published_figures_path", lambda: None)
    monkeypatch.setattr(demo, "DEMO_USER", analyst.username)
    out = io.StringIO()
    demo.load_demo(out)
    assert "left empty" in out.getvalue()
    assert not Estimate.objects.exists()
