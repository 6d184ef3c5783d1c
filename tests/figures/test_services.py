"""The ledger's writes: checked, audited, and imports all or nothing and idempotent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from wayhome.accounts.models import User
from wayhome.accounts.roles import Role
from wayhome.audit.models import AuditEvent
from wayhome.figures import services
from wayhome.figures.models import DatePrecision, Estimate
from wayhome.figures.services import EstimateData

pytestmark = pytest.mark.django_db

HEADER = "figure,unit,what_it_counts,stated_by,as_of,published_in,published_on\n"
ROWS = (
    "120,persons,synthetic women held in camps,Synthetic Ministry,2018-04,"
    "The Daily Example,2018-05-30\n"
    '35,persons,synthetic children returned,"Ivan Examplov, synthetic envoy",2018,'
    "Example Weekly,2019-02\n"
)


def _data(**kwargs: object) -> EstimateData:
    values: dict[str, object] = {
        "figure": 700,
        "what_it_counts": "women sought by relatives (synthetic)",
        "stated_by": "Synthetic Office",
        "as_of": dt.date(2019, 10, 1),
        "as_of_precision": DatePrecision.MONTH,
        "published_in": "Example News",
        **kwargs,
    }
    return EstimateData(**values)  # type: ignore[arg-type]


def test_partial_dates_keep_their_precision() -> None:
    assert services.parse_partial_date("2016") == (dt.date(2016, 1, 1), "year")
    assert services.parse_partial_date("2016-04") == (dt.date(2016, 4, 1), "month")
    assert services.parse_partial_date("2016-04-30") == (dt.date(2016, 4, 30), "exact")
    with pytest.raises(ValueError, match="spring"):
        services.parse_partial_date("spring 2016")


def test_office_only_drops_a_name_before_the_comma() -> None:
    assert services.office_only("Ivan Examplov, synthetic envoy") == "synthetic envoy"
    assert services.office_only("Synthetic Ministry") == "Synthetic Ministry"


def test_create_update_delete_are_audited(analyst: User) -> None:
    e = services.estimate_create(actor=analyst, data=_data(definition="sought_women"))
    assert e.agency_id == analyst.agency_key
    assert e.as_of_shown == "2019-10"
    assert e.as_of_end == dt.date(2019, 10, 31)
    services.estimate_update(actor=analyst, estimate=e, data=_data(figure=750))
    e.refresh_from_db()
    assert e.figure == 750
    events = AuditEvent.objects.filter(object_uuid=e.uuid).order_by("id")
    assert [ev.action for ev in events] == ["create", "update"]
    assert events[1].changes["figure"] == [700, 750]
    with pytest.raises(ValidationError):
        services.estimate_delete(actor=analyst, estimate=e, reason=" ")
    services.estimate_delete(actor=analyst, estimate=e, reason="entered twice")
    assert not Estimate.objects.exists()
    assert AuditEvent.objects.filter(object_uuid=e.uuid, action="delete").count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("figure", -1),
        ("what_it_counts", "  "),
        ("as_of", dt.date(2999, 1, 1)),
        ("definition", "no-such-definition"),
        ("source_url", "javascript:alert(1)"),
    ],
)
def test_bad_input_writes_nothing(analyst: User, field: str, value: object) -> None:
    with pytest.raises(ValidationError) as exc:
        services.estimate_create(actor=analyst, data=_data(**{field: value}))
    assert field in exc.value.message_dict
    assert not Estimate.objects.exists()


def test_roles_without_the_capability_may_not_write(users: dict[str, User]) -> None:
    with pytest.raises(ValidationError):
        services.estimate_create(actor=users[Role.CASEWORKER], data=_data())


def test_another_agency_cannot_edit(analyst: User, other_agency_user: User) -> None:
    from tests import factories

    e = services.estimate_create(actor=analyst, data=_data())
    foreign_analyst = factories.user(other_agency_user.agency, Role.ANALYST)
    with pytest.raises(ValidationError):
        services.estimate_update(actor=foreign_analyst, estimate=e, data=_data(figure=1))


def test_import_reads_the_published_format_and_is_idempotent(analyst: User) -> None:
    rows = services.read_estimates_csv(HEADER + ROWS + "\n")
    assert [r.as_of_precision for r in rows] == ["month", "year"]
    assert rows[1].stated_by == "Ivan Examplov, synthetic envoy"
    first = services.estimates_import(actor=analyst, rows=rows, source_name="x.csv")
    again = services.estimates_import(actor=analyst, rows=rows, source_name="x.csv")
    assert (first.created, first.unchanged) == (2, 0)
    assert (again.created, again.unchanged) == (0, 2)
    assert Estimate.objects.count() == 2


def test_import_can_keep_offices_only(analyst: User) -> None:
    rows = services.read_estimates_csv("\ufeff" + HEADER + ROWS, offices_only=True)
    assert rows[1].stated_by == "synthetic envoy"


def test_a_bad_row_imports_nothing_and_names_every_problem(analyst: User) -> None:
    bad = HEADER + ROWS + "many,persons,x,y,2018,z,2018\n" + "5,persons,,y,20X8,z,2018\n"
    with pytest.raises(ValidationError) as exc:
        services.read_estimates_csv(bad)
    text = " ".join(exc.value.messages)
    assert "Line 4" in text
    assert "Line 5" in text
    assert not Estimate.objects.exists()


def test_a_file_without_the_columns_is_refused() -> None:
    with pytest.raises(ValidationError):
        services.read_estimates_csv("number,text\n1,x\n")


def test_an_import_failing_midway_leaves_nothing(analyst: User) -> None:
    rows = [_data(), _data(figure=-5)]
    with pytest.raises(ValidationError):
        services.estimates_import(actor=analyst, rows=rows)
    assert not Estimate.objects.exists()
