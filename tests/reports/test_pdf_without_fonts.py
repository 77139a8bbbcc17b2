"""A report PDF asked for on a machine without Chinese fonts: a clear page, not a 500 and
not a PDF of empty boxes; the other formats are unaffected.

The machine without fonts is a real fontconfig configuration (an empty font directory).
Setting it in this process is safe: the font question loads its own configuration and
frees it, and the refusal comes before WeasyPrint is asked anything.
"""

from __future__ import annotations

import pytest

from tests.documents.test_fonts import fonts_conf
from tests.reports.helpers import build_year
from tests.reports.test_staff_views import login, report_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def without_chinese_fonts(tmp_path, monkeypatch):
    empty = tmp_path / "fonts"
    empty.mkdir()
    monkeypatch.setenv("FONTCONFIG_FILE", str(fonts_conf(tmp_path, font_dir=empty)))


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_the_staff_pdf_download_says_what_to_install(client, world, without_chinese_fonts):
    build_year(world)
    login(client, world.auditor)
    response = client.get(report_url(world.education, "download", fmt="pdf"))
    assert response.status_code == 503
    page = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert "The PDF cannot be made right now" in page
    assert "apt-get install fonts-noto-cjk libharfbuzz-subset0" in page
    assert report_url(world.education) in page
    other = client.get(report_url(world.education, "download", fmt="docx"))
    assert other.status_code == 200 and other.content.startswith(b"PK")


def test_with_the_fonts_the_same_download_is_a_pdf(client, world):
    build_year(world)
    login(client, world.auditor)
    response = client.get(report_url(world.education, "download", fmt="pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
