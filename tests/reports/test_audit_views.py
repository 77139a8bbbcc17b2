"""The staff page that audits many published reports: a ZIP or several files uploaded, the
same audit as ``xxgk report audit``; a zip bomb or an empty upload refused on the field."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import PASSWORD
from tests.reports.helpers import YEAR, build_year
from xxgk.reports import actions
from xxgk.reports import national_format as nf
from xxgk.reports.forms import MAX_AUDIT_FILES
from xxgk.reports.render import render

pytestmark = pytest.mark.django_db

EDU = "北京市西城区教育委员会"
URL = "reports:audit"


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _report(year: int, carried_in: int, carried_out: int) -> bytes:
    """The education commission's report as a web page: natural persons only, every
    application received closed as disclosed."""
    flat = {k: Decimal(0) if nf.is_money(k) else 0 for k in nf.CELL_KEYS}
    for row, value in (("carried_over_from_last_year", carried_in), ("received", 3),
                       ("disclosed", 3 + carried_in - carried_out),
                       ("total", 3 + carried_in - carried_out),
                       ("carried_over_to_next_year", carried_out)):
        flat[f"applications.{row}.natural_person"] = flat[f"applications.{row}.total"] = value
    report = nf.NationalReport.from_flat({**flat, "agency": EDU, "year": year})
    return render(report, "html")


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def _post(client, *files):
    return client.post(reverse(URL), {"documents": [SimpleUploadedFile(n, d) for n, d in files]})


def _signed_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_reports_page_links_to_the_audit(client, world):
    page = _signed_in(client, world.ogi).get(reverse("reports:dashboard")).content.decode()
    assert reverse(URL) in page


def test_a_zip_of_reports_is_audited_across_years(client, world):
    _signed_in(client, world.auditor)
    assert client.get(reverse(URL)).status_code == 200
    archive = _zip({"2022/edu.html": _report(2022, 0, 2), "2023/edu.html": _report(2023, 5, 0),
                    "__MACOSX/2022/._edu.html": b"\0", "notes.txt": b"just notes"})
    response = _post(client, ("reports.zip", archive))
    assert response.status_code == 200
    page = response.content.decode()
    assert "3 files: 0 could not be read, 1 name no agency or year, 0 fail their own checks." in page
    assert "2022/edu.html" in page and "__MACOSX" not in page
    assert "7 of 9 comparisons agree." in page  # natural persons and the total: 5 against 2
    for column in ("natural_person", "total"):
        assert (f"applications.carried_over_from_last_year.{column} = 5 in the 2023 report, "
                f"but applications.carried_over_to_next_year.{column} = 2 in the 2022 report"
                ) in page


def test_several_files_are_audited_together_and_with_xxgks_records(client, world):
    # xxgk's 2023: one application carried in from 2022, where the 2022 report carried 2.
    build_year(world)
    actions.start_draft(world.education, YEAR, actor=world.handler)
    _signed_in(client, world.ogi)
    response = _post(client, ("edu-2022.html", _report(2022, 0, 2)), ("broken.pdf", b"%PDF-1.4"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "cannot be read as a report" in page
    assert "Against xxgk's own reports" in page
    assert ("applications.carried_over_from_last_year.natural_person = 1 in the 2023 report, "
            "but applications.carried_over_to_next_year.natural_person = 2 in the 2022 report"
            ) in page


def test_a_zip_bomb_is_refused_on_the_field(client, world):
    _signed_in(client, world.auditor)
    bomb = _zip({"report.txt": bytes(20 * 1024 * 1024)})
    response = _post(client, ("reports.zip", bomb))
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_documents_error"' in page
    assert "as a zip bomb does" in page


@pytest.mark.parametrize(("files", "message"), [
    ((), "Choose a ZIP of reports, or the report files."),
    ((("reports.zip", b"PK\x03\x04 not really"),), "reports.zip cannot be opened as a ZIP."),
    ((("empty.zip", _zip({})),), "The upload holds no report."),
    ((("many.zip", _zip({f"{i}.txt": b"x" for i in range(MAX_AUDIT_FILES + 1)})),),
     f"at most {MAX_AUDIT_FILES} are audited at once"),
])
def test_an_upload_without_reports_is_refused_on_the_field(client, world, files, message):
    _signed_in(client, world.auditor)
    response = _post(client, *files)
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_documents_error"' in page and message in page
