"""Shipped rule sets: a changed file becomes a new version; cases keep theirs."""

from __future__ import annotations

from pathlib import Path

import pytest

from wayhome.repatriation import shipped
from wayhome.repatriation.models import RuleSet
from wayhome.repatriation.rules import RulesError


def test_a_changed_file_becomes_a_new_version(
    db: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = RuleSet.objects.get(slug="iraq", agency=None, status=RuleSet.Status.ACTIVE)
    text = (shipped.RULESETS_DIR / "iraq.yaml").read_text("utf-8")
    (tmp_path / "iraq.yaml").write_text(text.replace("amount: 400", "amount: 350"), "utf-8")
    monkeypatch.setattr(shipped, "RULESETS_DIR", tmp_path)
    added = shipped.sync_shipped_rule_sets()
    assert [rs.version for rs in added] == [before.version + 1]
    before.refresh_from_db()
    assert before.status == RuleSet.Status.RETIRED
    assert added[0].previous == before
    assert shipped.sync_shipped_rule_sets() == []  # unchanged: nothing added


def test_a_broken_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RulesError) as exc:
        shipped.parse_rule_set("slug: x\nname: X\nhost_country: IQ\nrules: {steps: [{}]}")
    assert any("code" in p for p in exc.value.problems)
    with pytest.raises(RulesError):
        shipped.parse_rule_set("slug: [unclosed")
