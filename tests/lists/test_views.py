"""The import wizard and the person export, for those who may and those who may not."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable

import pyzipper  # type: ignore[import-untyped]
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories
from tests.assertions import assert_forbidden, assert_login_required, assert_not_found
from tests.lists.files import csv_bytes, xlsx_bytes
from wayhome.accounts.models import User
from wayhome.accounts.permissions import AUTH_AT
from wayhome.audit.models import AuditEvent
from wayhome.jobs.models import Job
from wayhome.lists.models import ImportRow, ListImport
from wayhome.people.models import Person

ROWS = [
    ["№", "ФИО", "Пол", "Дата рождения"],
    ["1", "Тестова Амина", "ж", "12.03.2015"],
    ["2", "Примеров Муса", "м", "около 4 лет"],
]
Login = Callable[[User], Client]


def _upload(client: Client, data: bytes, name: str = "list.csv") -> str:
    response = client.post(
        reverse("lists:upload"),
        {
            "file": SimpleUploadedFile(name, data, content_type="text/csv"),
            "source": "Ministry (synthetic)",
            "list_date": "2019-05-01",
            "encoding": "",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    return str(response["Location"])


def test_the_wizard_from_upload_to_job_to_imported_list(
    caseworker: User, client_for: Login
) -> None:
    client = client_for(caseworker)
    assert client.get(reverse("lists:upload")).status_code == 200
    draft_url = _upload(client, csv_bytes(ROWS, "cp1251"))
    page = client.get(draft_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Тестова Амина" in html
    assert "0 problems" in html
    list_import = ListImport.objects.get()
    response = client.post(reverse("lists:commit", args=[list_import.uuid]))
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.uuid])
    assert job.status == Job.Status.DONE
    job_page = client.get(response["Location"]).content.decode()
    assert reverse("lists:detail", args=[list_import.uuid]) in job_page
    done = client.get(draft_url)
    assert done.status_code == 200
    assert "Imported list" in done.content.decode()
    assert ImportRow.objects.count() == 2
    assert AuditEvent.objects.filter(action="view", object_uuid=list_import.uuid).exists()


def test_the_preview_names_each_problem_and_the_commit_refuses(
    caseworker: User, client_for: Login
) -> None:
    client = client_for(caseworker)
    draft_url = _upload(client, csv_bytes([*ROWS, ["3", "", "ж", "31.02.2015"]]))
    html = client.get(draft_url).content.decode()
    assert "Row 4, column “ФИО”: no name." in html
    assert "Row 4, column “Дата рождения”" in html
    list_import = ListImport.objects.get()
    response = client.post(reverse("lists:commit", args=[list_import.uuid]), follow=True)
    assert "1 row has problems" in response.content.decode()
    assert Person.objects.count() == 0
    assert Job.objects.count() == 0


def test_choosing_columns_and_encoding_reads_again(caseworker: User, client_for: Login) -> None:
    client = client_for(caseworker)
    draft_url = _upload(client, csv_bytes(ROWS, "cp1251"))
    list_import = ListImport.objects.get()
    form = {
        "encoding": "cp1251",
        "header_row": "1",
        "list_date": "2019-05-01",
        "map_key": "№",
        "map_full_name": "ФИО",
        "map_birth_date": "Дата рождения",
    }
    assert client.post(draft_url, form).status_code == 302
    list_import.refresh_from_db()
    assert list_import.mapping == {"key": "№", "full_name": "ФИО", "birth_date": "Дата рождения"}
    wrong = client.post(draft_url, {**form, "map_full_name": "ФИО", "map_notes": "ФИО"})
    assert "one field only" in wrong.content.decode()


def test_the_same_file_again_goes_to_the_imported_list(caseworker: User, client_for: Login) -> None:
    client = client_for(caseworker)
    data = csv_bytes(ROWS)
    _upload(client, data)
    client.post(reverse("lists:commit", args=[ListImport.objects.get().uuid]))
    again = client.get(_upload(client, data), follow=True)
    assert "already imported" in again.content.decode()
    assert ListImport.objects.count() == 1
    assert Person.objects.count() == 2


def test_who_may_not_import(
    users: dict[str, User], other_agency_user: User, client_for: Login
) -> None:
    draft_url = _upload(client_for(users["caseworker"]), csv_bytes(ROWS))
    list_import = ListImport.objects.get()
    for role in ("consular_officer", "analyst", "agency_admin", "system_admin"):
        client = client_for(users[role])
        assert_forbidden(client, reverse("lists:upload"))
        assert_forbidden(client, draft_url)
        assert_forbidden(client, reverse("lists:commit", args=[list_import.uuid]), "post")
    other = client_for(other_agency_user)
    assert_not_found(other, draft_url)
    assert_not_found(other, reverse("lists:commit", args=[list_import.uuid]), "post")
    assert_login_required(draft_url)
    assert Job.objects.count() == 0


def _export(client: Client, **extra: str) -> object:
    return client.post(
        reverse("lists:export_persons"),
        {
            "columns": ["display_name", "birth", "sex"],
            "fmt": "csv",
            "reason": "embassy list",
            **extra,
        },
    )


def test_export_persons_as_csv_with_an_audit_event(caseworker: User, client_for: Login) -> None:
    factories.person(caseworker, "Амина", "Тестова", birth=dt.date(2015, 3, 12))
    factories.person(caseworker, "=HYPERLINK(1)", "Testova")
    response = _export(client_for(caseworker))
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "no-store" in response["Cache-Control"]  # type: ignore[index]
    text = response.content.decode("utf-8-sig")  # type: ignore[attr-defined]
    assert "Амина Тестова,2015-03-12" in text
    assert "'=HYPERLINK(1) Testova" in text  # never a formula in a spreadsheet
    event = AuditEvent.objects.get(action="export")
    assert event.changes == {
        "kind": "persons",
        "rows": 2,
        "fields": ["display_name", "birth", "sex"],
        "format": "csv",
        "encrypted": False,
    }
    assert event.reason == "embassy list"
    assert "Амина" not in str(event.changes)


def test_export_xlsx_encrypted_opens_with_the_password(caseworker: User, client_for: Login) -> None:
    factories.person(caseworker, "Амина", "Тестова")
    response = _export(client_for(caseworker), fmt="xlsx", password="correct horse battery")
    data = response.content  # type: ignore[attr-defined]
    assert response["Content-Disposition"].endswith('.xlsx.zip"')  # type: ignore[index]
    with zipfile.ZipFile(io.BytesIO(data)) as plain, pyzipper.AESZipFile(io.BytesIO(data)) as aes:
        name = plain.namelist()[0]
        assert plain.getinfo(name).flag_bits & 0x1  # encrypted
        aes.setpassword(b"correct horse battery")
        book = load_workbook(io.BytesIO(aes.read(name)))
    sheet = book.active
    assert sheet is not None
    assert sheet["A2"].value == "Амина Тестова"


def test_export_pdf(caseworker: User, client_for: Login) -> None:
    factories.person(caseworker, "فاطمة", "حسن")
    response = _export(client_for(caseworker), fmt="pdf")
    assert response.content.startswith(b"%PDF")  # type: ignore[attr-defined]


def test_export_needs_a_reason_and_a_fresh_login(caseworker: User, client_for: Login) -> None:
    client = client_for(caseworker)
    refused = _export(client, reason=" ")
    assert refused.status_code == 200  # type: ignore[attr-defined]
    assert not AuditEvent.objects.filter(action="export").exists()
    session = client.session
    session[AUTH_AT] = 0
    session.save()
    stale = _export(client)
    assert stale.status_code == 302  # type: ignore[attr-defined]
    assert reverse("accounts:reauth") in stale["Location"]  # type: ignore[index]
    assert not AuditEvent.objects.filter(action="export").exists()


def test_who_may_not_export(users: dict[str, User], client_for: Login) -> None:
    for role in ("analyst", "agency_admin", "system_admin"):
        assert_forbidden(client_for(users[role]), reverse("lists:export_persons"), "post")
    assert_login_required(reverse("lists:export_persons"))
    assert not AuditEvent.objects.filter(action="export").exists()


def test_an_xlsx_list_with_a_title_row_through_the_wizard(
    caseworker: User, client_for: Login
) -> None:
    client = client_for(caseworker)
    data = xlsx_bytes(
        [["№", "ФИО", "Дата рождения"], [1, "Тестова Амина", dt.date(2015, 3, 12)]],
        title="Список (синтетический)",
    )
    draft_url = _upload(client, data, "list.xlsx")
    page = client.get(draft_url).content.decode()
    assert "Text encoding" not in page
    assert "2015-03-12" in page
    form = {"header_row": "2", "list_date": "2019-05-01", "map_full_name": "ФИО"}
    assert client.post(draft_url, form).status_code == 302
    list_import = ListImport.objects.get()
    assert list_import.encoding == "xlsx"
    assert list_import.mapping == {"full_name": "ФИО"}
    client.post(reverse("lists:commit", args=[list_import.uuid]))
    list_import.refresh_from_db()
    assert list_import.counts == {"rows": 1, "new": 1}
