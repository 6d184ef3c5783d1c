"""``wayhome figures import-estimates FILE.csv --user NAME``."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.figures.test_services import HEADER, ROWS
from wayhome.accounts.models import User
from wayhome.accounts.roles import Role
from wayhome.figures.models import Estimate

pytestmark = pytest.mark.django_db


def test_import_from_the_command_line(analyst: User, tmp_path: Path) -> None:
    path = tmp_path / "figures.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    call_command("figures", "import-estimates", str(path), "--user", analyst.username)
    call_command("figures", "import-estimates", str(path), "--user", analyst.username)
    assert Estimate.objects.filter(agency_id=analyst.agency_key).count() == 2
    assert Estimate.objects.filter(stated_by="Ivan Examplov, synthetic envoy").exists()


def test_offices_only(analyst: User, tmp_path: Path) -> None:
    path = tmp_path / "figures.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    call_command(
        "figures", "import-estimates", str(path), "--user", analyst.username, "--offices-only"
    )
    assert set(Estimate.objects.values_list("stated_by", flat=True)) == {
        "Synthetic Ministry",
        "synthetic envoy",
    }


def test_a_bad_file_imports_nothing(analyst: User, tmp_path: Path) -> None:
    path = tmp_path / "figures.csv"
    path.write_text(HEADER + ROWS + "x,persons,a,b,2018,c,2018\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Line 4"):
        call_command("figures", "import-estimates", str(path), "--user", analyst.username)
    assert not Estimate.objects.exists()


def test_needs_a_user_who_may_edit_estimates(users: dict[str, User], tmp_path: Path) -> None:
    path = tmp_path / "figures.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command(
            "figures", "import-estimates", str(path), "--user", users[Role.CASEWORKER].username
        )
    with pytest.raises(CommandError):
        call_command(
            "figures", "import-estimates", str(tmp_path / "none.csv"), "--user", "a-analyst"
        )
