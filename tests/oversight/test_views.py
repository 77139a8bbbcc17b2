"""The scorecard pages: who sees which agencies, the year, sorting, the workbook."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import html
from openpyxl import load_workbook

from tests.catalog.helpers import published_item
from tests.factories import PASSWORD
from tests.oversight.helpers import small_year
from xxgk.agencies.models import Agency
from xxgk.oversight.views import tree_order

pytestmark = pytest.mark.django_db

URL = reverse("oversight:dashboard")
EXPORT = reverse("oversight:export")


@pytest.fixture
def year(world):
    small_year(world)
    return world


def _login(client, username):
    """Logged in, reading the pages in English (their source language)."""
    assert client.login(username=username, password=PASSWORD)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _text(element) -> str:
    return " ".join(" ".join(element.itertext()).split())


def _row_headers(response):
    page = html.fromstring(response.content.decode())
    return [_text(th) for th in page.xpath(
        "//table[contains(@class, 'scorecard')]/tbody//th[@scope='row']")]


def test_the_ogi_office_sees_every_agency_and_the_district_total(client, year):
    response = _login(client, "ogi").get(URL, {"year": 2023})
    assert response.status_code == 200
    # The tree's order: siblings by sort order, then code (all 0 in the test district).
    assert _row_headers(response) == [year.district.name_en, year.subdistrict.name_en,
                                      year.education.name_en, year.finance.name_en]
    page = html.fromstring(response.content.decode())
    [total] = page.xpath("//table[contains(@class, 'scorecard')]/tfoot/tr[@class='total']")
    assert year.district.name_en in total.text_content()
    # 2 of the 4 that fell due district-wide (3 closed with a due date, 1 open past it).
    assert "50.0%" in total.text_content() and "2/4" in total.text_content()


def test_a_handler_sees_only_their_agency(client, year):
    response = _login(client, "handler").get(URL, {"year": 2023})
    assert response.status_code == 200
    assert _row_headers(response) == [year.education.name_en]
    body = response.content.decode()
    assert year.finance.name_en not in body and year.subdistrict.name_en not in body
    assert "tfoot" not in body  # a scope of one agency has no total
    assert reverse("oversight:training_create") not in body


def test_the_page_shows_rates_and_not_recorded_figures(client, year):
    response = _login(client, "handler").get(URL, {"year": 2023})
    page = html.fromstring(response.content.decode())
    [row] = page.xpath("//table[contains(@class, 'scorecard')]/tbody/tr")
    cells = [_text(td) for td in row.xpath("td")]
    # Replied on time: 1 of the 2 closed with a due date and the 1 still open past it.
    assert cells[2] == "33.3% 1/3 of which 1 still open past due"
    assert cells[3].startswith("2 ")  # overdue: one open, one late
    assert cells[4] == "50.0% 1/2"  # appeal results corrected
    assert cells[5].startswith("not recorded") and "120" in cells[5]
    assert cells[6].startswith("not recorded")
    assert cells[8] == "2"  # trainings attended


def test_the_page_says_the_on_time_rate_counts_the_open_overdue_applications(client, year):
    response = _login(client, "handler").get(URL, {"year": 2023})
    page = html.fromstring(response.content.decode())
    terms = page.xpath("//details[contains(@class, 'definitions')]//dt")
    [on_time] = [dt for dt in terms if _text(dt) == "Replied on time"]
    definition = _text(on_time.getnext())
    assert "still open today past a due date" in definition
    assert "count as not on time" in definition


def test_staff_without_a_role_are_refused_and_visitors_sent_to_log_in(client, year):
    from tests.factories import UserFactory

    assert client.get(URL).status_code == 302
    UserFactory(username="nobody")
    assert _login(client, "nobody").get(URL).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_the_page_is_this_years_by_default_and_a_bad_year_is_a_field_error(client, year):
    client = _login(client, "ogi")
    response = client.get(URL)
    assert response.context["year"] == timezone.localdate().year
    for bad in ("1999", "abc", "2023'--"):
        response = client.get(URL, {"year": bad})
        assert response.status_code == 400
        assert response.context["form"].errors["year"]
        assert 'aria-invalid="true"' in response.content.decode()
    assert client.get(EXPORT, {"year": "1999"}).status_code == 400


def test_the_years_offered_start_with_the_first_record(client, year):
    response = _login(client, "ogi").get(URL, {"year": 2023})
    years = [value for value, _label in response.context["form"].fields["year"].choices]
    assert years[0] == timezone.localdate().year and years[-1] == 2022


def test_sorting_by_a_column_and_back(client, year):
    client = _login(client, "ogi")
    response = client.get(URL, {"year": 2023, "sort": "on_time", "dir": "desc"})
    assert _row_headers(response) == [year.finance.name_en, year.education.name_en,
                                      year.district.name_en, year.subdistrict.name_en]
    page = html.fromstring(response.content.decode())
    [sorted_th] = page.xpath("//th[@aria-sort]")
    assert sorted_th.get("aria-sort") == "descending"
    link = sorted_th.xpath("a")[0].get("href")
    assert "sort=on_time" in link and "dir=asc" in link
    response = client.get(URL, {"year": 2023, "sort": "nonsense", "dir": "desc"})
    assert _row_headers(response)[0] == year.district.name_en


def test_the_charts_are_inline_svg_next_to_their_tables(client, year):
    response = _login(client, "ogi").get(URL, {"year": 2023})
    body = response.content.decode()
    assert "<script" not in body
    page = html.fromstring(body)
    figures = page.xpath("//figure[@class='chart-pair']")
    assert len(figures) == 3
    for figure in figures:
        [svg] = figure.xpath(".//svg")
        assert svg.get("role") == "img" and svg.get("aria-labelledby")
        assert figure.xpath(".//table[@class='data']")
    # The bars are labelled with the names less the prefix they share.
    assert "Education Commission" in figures[0].text_content()


def _workbook(response):
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    return load_workbook(io.BytesIO(response.content))


def test_the_workbook_has_numbers_as_numbers_and_rates_as_percentages(client, year):
    response = _login(client, "ogi").get(EXPORT, {"year": 2023})
    assert response.status_code == 200
    assert 'filename="scorecard-2023.xlsx"' in response["Content-Disposition"]
    book = _workbook(response)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
    assert set(rows) == {year.district.code, year.education.code, year.finance.code,
                         year.subdistrict.code}
    total = next(sheet.iter_rows(min_row=2, max_row=2))  # the district total comes first
    assert total[0].font.bold
    education = rows[year.education.code]

    def cell(row, name):
        return row[header.index(name)]

    received = cell(education, "Applications received")
    assert received.value == 5 and isinstance(received.value, int)
    on_time = cell(education, "Replied on time (%)")
    assert on_time.value == pytest.approx(1 / 3) and on_time.number_format == "0.0%"
    corrected = cell(education, "Appeal results corrected (%)")
    assert corrected.value == 0.5 and corrected.number_format == "0.0%"
    assert cell(education, "Items published").value == 120
    assert cell(education, "Published within 20 working days (%)").value == "not recorded"
    subdistrict = rows[year.subdistrict.code]
    assert cell(subdistrict, "Replied on time (%)").value is None  # nothing to count
    assert cell(subdistrict, "Applications received").value == 0
    assert book.worksheets[1].max_row > 5  # the definitions


def test_the_workbook_of_a_handler_holds_only_their_agency(client, year):
    book = _workbook(_login(client, "handler").get(EXPORT, {"year": 2023}))
    codes = [row[1].value for row in book.worksheets[0].iter_rows(min_row=2)]
    assert codes == [year.education.code]


def test_the_page_in_english_names_the_agencies_in_english(client, year):
    response = _login(client, "ogi").get(URL, {"year": 2023})
    assert "Agency scorecards, 2023" in response.content.decode()
    assert year.education.name_en in response.content.decode()


def test_rows_follow_the_tree_with_siblings_in_their_sort_order():
    top = Agency(code="A", path="A/")
    second = Agency(code="B", path="A/B/", sort_order=2)
    first = Agency(code="C", path="A/C/", sort_order=1)
    below_first = Agency(code="D", path="A/C/D/", sort_order=9)
    assert tree_order([second, below_first, top, first]) == [top, first, below_first, second]


def test_the_scorecard_says_how_many_items_were_late(client, year):
    published_item(year.finance, dt.date(2023, 3, 1), dt.date(2023, 3, 29))  # on time
    published_item(year.finance, dt.date(2023, 3, 1), dt.date(2023, 4, 3))  # late
    response = _login(client, "ogi").get(URL, {"year": 2023})
    page = html.fromstring(response.content.decode())
    [row] = [tr for tr in page.xpath("//table[contains(@class, 'scorecard')]/tbody/tr")
             if year.finance.name_en in _text(tr)]
    assert "2 items published, 1 late or still unpublished past the deadline" in _text(row)
