"""The staff import page: check a file (dry run), import it, download the template — and
every bad upload answered on the form, never with a 500."""

import datetime as dt
import io
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.catalog.test_importing import TABLE, _csv, _xlsx
from tests.factories import UserFactory
from xxgk.agencies.models import AuditEntry
from xxgk.catalog import forms_import, importing
from xxgk.catalog.models import InfoItem
from xxgk.core.today import fixed_today

pytestmark = pytest.mark.django_db
URL = "/staff/catalog/import/"


@pytest.fixture(autouse=True)
def _today():
    with fixed_today(dt.date(2025, 6, 2)):
        yield


@pytest.fixture
def client(client):
    """Pages in English, so that the tests read the source wording."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _post(client, world, data: bytes, name="items.csv", step="check", **extra):
    return client.post(URL, {"agency": world.education.pk, "step": step,
                             "file": SimpleUploadedFile(name, data), **extra})


def test_the_address_and_who_may_use_the_page(client, world):
    assert reverse("catalog_import:upload") == URL
    assert client.get(URL).status_code == 302
    client.force_login(UserFactory(username="nobody"))
    assert client.get(URL).status_code == 403
    client.force_login(world.auditor)
    assert client.get(URL).status_code == 403
    client.force_login(world.handler)
    page = client.get(URL)
    assert page.status_code == 200
    assert list(page.context["form"].fields["agency"].queryset) == [world.education]


def test_a_dry_run_reports_every_row_and_imports_nothing(client, world):
    client.force_login(world.handler)
    rows = TABLE + [{"title": "坏日期", "published_on": "2023年13月"},
                    {"title": TABLE[0]["title"], "doc_no": TABLE[0]["doc_no"],
                     "published_on": "2023-09-25"}]
    page = _post(client, world, _csv(rows, chinese=True, encoding="gbk"))
    assert page.status_code == 200
    counts = page.context["counts"]
    assert (counts["rows"], counts["valid"], counts["invalid"], counts["duplicates"],
            counts["encoding"]) == (5, 3, 1, 1, "GB18030")
    html = page.content.decode()
    assert "2023年13月 is not a date" in html and "发布日期 (published_on)" in html
    assert "The same 文号 as row 2." in html and 'id="blocked"' in html
    assert not InfoItem.objects.exists()


def test_import_is_refused_whole_with_an_invalid_row_unless_skipped(client, world):
    client.force_login(world.handler)
    data = _csv(TABLE + [{"title": "坏日期", "published_on": "2023-02-30"}], chinese=False)
    page = _post(client, world, data, step="import")
    assert page.status_code == 422
    assert "1 rows are invalid, so nothing was imported" in page.content.decode()
    assert not InfoItem.objects.exists()
    page = _post(client, world, data, step="import", skip_invalid="on")
    assert page.status_code == 200
    assert page.context["result"].imported == 3
    assert "3 items imported." in page.content.decode()
    assert set(InfoItem.objects.values_list("created_by", flat=True)) == {world.handler.pk}
    entry = AuditEntry.objects.get(action="catalog.publish_history")
    assert (entry.actor, entry.detail["items"]) == (world.handler, 3)


def test_an_xlsx_file_imports(client, world):
    client.force_login(world.handler)
    page = _post(client, world, _xlsx(TABLE, chinese=True), name="items.xlsx", step="import")
    assert page.status_code == 200 and page.context["result"].imported == 3


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"PK\x03\x04 broken", "items.xlsx", "Not a readable XLSX file"),
    (b"MZ\x90\x00 a program", "items.pdf", "Upload a CSV, XLSX or JSON Lines file."),
    (b"\xd0\xcf\x11\xe0", "items.xls", "old .xls"),
    (b"", "items.csv", "The submitted file is empty."),
    (b"name,date\nx,y\n", "items.csv", "No title column"),
    (b"\xff\xfe\xff\xfe\x00\x81", "items.csv", "neither UTF-8 nor GBK"),
])
def test_a_bad_file_is_one_message_on_the_form(client, world, data, name, message):
    client.force_login(world.handler)
    page = _post(client, world, data, name=name, step="import")
    assert page.status_code == 422
    assert message in page.content.decode()
    assert not InfoItem.objects.exists()


def test_an_oversized_file_is_refused(client, world, monkeypatch):
    monkeypatch.setattr(forms_import, "MAX_UPLOAD_BYTES", 1024 * 1024)
    client.force_login(world.handler)
    page = _post(client, world, b"title\n" + b"x" * (1024 * 1024 + 1))
    assert page.status_code == 422
    assert "The file is larger than 1 MB." in page.content.decode()


def test_another_agencys_catalogue_is_not_a_choice(client, world):
    client.force_login(world.handler)
    page = client.post(URL, {"agency": world.finance.pk, "step": "import",
                             "file": SimpleUploadedFile("a.csv", _csv(TABLE, chinese=False))})
    assert page.status_code == 422
    assert page.context["form"].errors["agency"]
    assert not InfoItem.objects.exists()


def test_the_template_reads_back_as_one_valid_row(client, world):
    client.force_login(world.handler)
    response = client.get(reverse("catalog_import:template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "catalog-import.xlsx" in response["Content-Disposition"]
    source = importing.read_bytes(response.content, "catalog-import.xlsx")
    assert source.notes == []
    plan = importing.plan_import(world.education, source)
    assert plan.problems == [] and len(plan.records) == 1
    record = plan.records[0][1]
    assert (record.kind, record.validity, record.category.code, record.formed_on) == (
        "normative_documents", "in_force", "gzhgfxwj", dt.date(2023, 3, 1))


def test_the_templates_guide_explains_every_column_in_chinese_and_english(client, world):
    import openpyxl

    client.force_login(world.handler)
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("catalog_import:template")).content))
    rows = [row for row in book["说明"].iter_rows(values_only=True) if any(row)]
    columns = [row for row in rows[1:] if row[0] and "(" in row[0]]
    assert [row[0] for row in columns] == [f"{zh} ({key})" for zh, key in importing.TEMPLATE_HEADERS]
    assert all(row[2] for row in columns)
    assert all(re.search(r"[A-Za-z]{4}", row[3]) for row in columns)
    assert ("gzhgfxwj", "规章和规范性文件", None, "Rules and normative documents") in rows
