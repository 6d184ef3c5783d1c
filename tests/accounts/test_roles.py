from pathlib import Path

import pytest

from tests import factories
from wayhome.accounts.models import Agency
from wayhome.accounts.roles import ROLE_CAPS, Cap, Role, caps_for


def test_every_role_has_an_entry() -> None:
    assert set(ROLE_CAPS) == {r.value for r in Role}


def test_analyst_never_reads_persons_or_tracing() -> None:
    caps = caps_for(Role.ANALYST)
    assert caps == {Cap.STATS_VIEW, Cap.ESTIMATE_EDIT, Cap.FIGURES_PUBLISH}
    assert not {c for c in caps if c.value.endswith(".view")} - {Cap.STATS_VIEW}


def test_system_admin_does_not_read_case_files() -> None:
    assert Cap.PERSON_VIEW not in caps_for(Role.SYSTEM_ADMIN)
    assert Cap.TRACING_VIEW not in caps_for(Role.SYSTEM_ADMIN)


def test_unknown_role_has_nothing() -> None:
    assert caps_for("intruder") == frozenset()


@pytest.mark.django_db
def test_user_without_agency_or_inactive_has_no_capability(agency_a: Agency) -> None:
    loose = factories.user(None, Role.CASEWORKER)
    assert not loose.has_cap(Cap.PERSON_VIEW)
    with pytest.raises(PermissionError):
        _ = loose.agency_key
    inactive = factories.user(agency_a, Role.CASEWORKER)
    inactive.is_active = False
    assert not inactive.has_cap(Cap.PERSON_VIEW)


def test_security_doc_names_every_role_and_capability() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "security.md").read_text(encoding="utf-8")
    for role in Role:
        assert f"`{role.value}`" in doc, role
    for cap in Cap:
        assert f"`{cap.value}`" in doc, cap
