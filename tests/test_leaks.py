"""Personal information never leaks: an application is made with unique markers in every
personal field and handled through to its reply and letters, the catalogue is published and
indexed, the reports and the scorecard are exported; then every table of the database, every
log line, the exports and the answers of the public site and of another agency's staff are
searched for the markers. None holds one in clear: the name, the identity, the uploaded files
and the letters addressed to the applicant are all sealed with the field key."""

from __future__ import annotations

import datetime as dt
import io
import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from stdnum.cn import ric

from tests import files
from tests.applications.test_forms import form_data
from tests.applications.test_letters import pdf_text
from tests.catalog.helpers import published_item
from tests.signin import Client
from xxgk.applications import actions
from xxgk.applications.models import Application, Document
from xxgk.core import jobs
from xxgk.search import indexing

pytestmark = pytest.mark.django_db

_BASE = "11010219850312001"
MARKERS = {
    "name": "泄漏标记人",
    "id_number": _BASE + ric.calc_check_digit(_BASE),
    "phone": "13987654321",
    "email": "leak.marker@example.invalid",
    "address": "北京市西城区泄漏标记路9号",
    "postcode": "100099",
}


def _body(response) -> str:
    content = (b"".join(response.streaming_content) if response.streaming
               else response.content)
    return content.decode("utf-8", "replace")


def _logged(caplog) -> str:
    records = [*caplog.get_records("setup"), *caplog.get_records("call")]
    return "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in records)


# Columns that can hold text (a number column matching a digit marker would be noise).
TEXT_FIELDS = {"CharField", "TextField", "JSONField", "BinaryField", "GenericIPAddressField"}


def _holds_text(column) -> bool:
    try:
        return connection.introspection.get_field_type(column.type_code, column) in TEXT_FIELDS
    except KeyError:
        return True  # no declared type: SQLite's full-text tables (the search index), text


def _text_columns() -> dict[str, list[str]]:
    introspection = connection.introspection
    with connection.cursor() as cursor:
        return {table: [c.name for c in introspection.get_table_description(cursor, table)
                        if _holds_text(c)]
                for table in introspection.table_names(cursor)}


def _rows_holding(marker: str) -> list[tuple[str, str]]:
    """(table, column) of every text value in the database that contains ``marker``."""
    found = []
    with connection.cursor() as cursor:
        for table, columns in _text_columns().items():
            for column in columns:
                quoted = connection.ops.quote_name(column)
                cast = f"CAST({quoted} AS TEXT)"
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} "  # noqa: S608
                               f"WHERE {cast} LIKE %s LIMIT 1", [f"%{marker}%"])
                if cursor.fetchone():
                    found.append((table, column))
    return found


@pytest.fixture
def handled(world, client, caplog):
    """An application with the markers, submitted on the public form and handled to its
    reply with letters and an email, while every log line is kept."""
    caplog.set_level(logging.DEBUG)
    data = form_data(name=MARKERS["name"], id_number=MARKERS["id_number"],
                     phone=MARKERS["phone"], email=MARKERS["email"], address=MARKERS["address"],
                     postcode=MARKERS["postcode"], agency=str(world.education.pk),
                     client_token="test-token-leak-0000001")
    # The scan of an ID card: a file that holds the number in clear.
    scan = SimpleUploadedFile("id.pdf", files.pdf(MARKERS["id_number"]),
                              content_type="application/pdf")
    assert client.post("/apply/", {**data, "identity_proof": scan}).status_code == 302
    # A second try with a wrong phone: refused field by field, the value never in a log.
    bad = form_data(**{**data, "phone": MARKERS["phone"] + "00", "client_token": "test-token-leak-2"})
    assert client.post("/apply/", bad).status_code == 200
    application = Application.objects.get(client_token="test-token-leak-0000001")
    today = dt.date.today()
    actions.confirm_receipt(application, received_on=today, actor=world.handler)
    actions.reply(application, outcome="disclosed", legal_basis="第三十六条第（二）项", on=today,
                  actor=world.handler)
    jobs.run_pending()
    staff = client.__class__()
    staff.force_login(world.handler)
    for url in ("/staff/applications/", f"/staff/applications/{application.number}/",
                f"/api/staff/applications/{application.number}"):
        assert staff.get(url).status_code == 200, url
    # The handler opens the identity in full (audited): the values must not go further.
    identity = staff.post(f"/staff/applications/{application.number}/identity/")
    assert identity.status_code == 200 and MARKERS["phone"] in identity.content.decode()
    # What does get logged in production: refusals and not-found pages, a failed look-up.
    assert staff.get(f"/staff/applications/{application.number}/nothing/").status_code == 404
    assert client.post("/apply/follow/", {"number": application.number,
                                          "query_code": "WRONGWRONG"}).status_code == 200
    assert client.get("/apply/").status_code == 200
    logging.getLogger("xxgk.test").warning("handled %s", application.number)
    published_item(world.education, today, today)
    indexing.rebuild()
    return application


def test_no_column_holds_a_marker_in_clear(handled):
    # The scan finds what is there: the application's number, in its column.
    assert ("applications_application", "number") in _rows_holding(handled.number)
    for field, marker in MARKERS.items():
        assert _rows_holding(marker) == [], field


def test_every_stored_file_is_sealed_and_the_letters_hold_the_name_inside(handled):
    documents = list(Document.objects.filter(application=handled))
    kinds = {d.kind for d in documents}
    assert {Document.Kind.LETTER, Document.Kind.IDENTITY_PROOF} <= kinds, kinds
    for document in documents:
        assert not bytes(document.sealed).startswith((b"%PDF", b"PK", b"\xff\xd8", b"\x89PNG"))
        assert len(document.content) == document.size
    letter = next(d for d in documents if d.content_type == "application/pdf"
                  and d.kind == Document.Kind.LETTER)
    assert MARKERS["name"] in pdf_text(letter.content)
    media = Path(settings.MEDIA_ROOT)
    for path in (p for p in media.rglob("*") if p.is_file()) if media.is_dir() else ():
        for marker in MARKERS.values():
            assert marker.encode() not in path.read_bytes(), path


def test_no_log_line_holds_a_marker(handled, caplog):
    logged = _logged(caplog)
    assert "Not Found" in logged and handled.number in logged, "the test would prove nothing"
    for marker in MARKERS.values():
        assert marker not in logged


def test_the_applicant_is_mailed_and_nobody_else_sees_the_markers(handled, world):
    to_applicant = [m for m in mail.outbox if MARKERS["email"] in m.to]
    assert to_applicant, "the reply was emailed"
    for message in mail.outbox:
        if MARKERS["email"] not in message.to:
            for marker in MARKERS.values():
                assert marker not in message.body and marker not in message.subject


def test_staff_above_the_agency_see_masked_values_other_agencies_nothing(handled, world,
                                                                            client):
    # The district's OGI office and oversight auditor: they read it, masked.
    for user in (world.ogi, world.auditor):
        above = client.__class__()
        above.force_login(user)
        for url in ("/staff/applications/?show=all", "/api/staff/applications?show=all",
                    f"/staff/applications/{handled.number}/",
                    f"/api/staff/applications/{handled.number}"):
            response = above.get(url)
            assert response.status_code == 200, url
            for field in ("id_number", "phone", "email", "address"):
                assert MARKERS[field] not in _body(response), (field, url)
        refused = above.post(f"/staff/applications/{handled.number}/identity/")
        assert refused.status_code == 403
        for marker in MARKERS.values():
            assert marker not in _body(refused)
    other = client.__class__()
    other.force_login(world.finance_handler)  # another agency: not even the name
    for url in ("/staff/applications/?show=all", "/api/staff/applications?show=all"):
        body = _body(other.get(url))
        for marker in MARKERS.values():
            assert marker not in body, (marker, url)
    assert other.get(f"/staff/applications/{handled.number}/").status_code in (403, 404)


def test_the_public_never_sees_a_marker(handled, client):
    public = client.__class__()
    for url in ("/", "/xxgk/list/", "/search/?q=泄漏标记", "/api/search?q=泄漏标记", "/feeds/rss/",
                "/sitemap.xml", "/reports/"):
        body = _body(public.get(url, follow=True))
        for marker in MARKERS.values():
            assert marker not in body, (marker, url)


def test_the_exports_hold_no_marker(handled, world):
    import openpyxl

    staff = Client()
    staff.force_login(world.ogi)
    book = openpyxl.load_workbook(io.BytesIO(staff.get("/staff/oversight/scorecard.xlsx").content))
    cells = " ".join(str(c) for sheet in book for row in sheet.iter_rows(values_only=True)
                     for c in row if c is not None)
    assert cells, "the export is empty: the test would prove nothing"
    for marker in MARKERS.values():
        assert marker not in cells
