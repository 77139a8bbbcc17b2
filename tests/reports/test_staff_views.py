"""The staff pages of the annual report: dashboard, report, figures, import, parsing."""

import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from openpyxl import Workbook, load_workbook

from tests.factories import PASSWORD
from tests.reports.helpers import YEAR, build_year, finish_narrative
from xxgk.reports import actions
from xxgk.reports.models import AnnualReport, EnteredFigures, ImportedReport
from xxgk.reports.national_format import CELL_KEYS, NationalReport
from xxgk.reports.render import render

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client, settings):
    """The assertions below read the English pages."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

SEED = Path(__file__).parent / "fixtures" / "seed_xicheng_2023.txt"


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def report_url(agency, name="report", year=YEAR, **extra):
    return reverse(f"reports:{name}", kwargs={"code": agency.code, "year": year, **extra})


def workbook(rows, header=True) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    if header:
        sheet.append(["code", "year", "key", "value"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("figures.xlsx", out.getvalue())


def test_staff_pages_need_a_staff_login(client, world):
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 302 and "login" in response["Location"]
    outsider = world.ogi.__class__.objects.create_user("outsider", password=PASSWORD)
    assert login(client, outsider).get(reverse("reports:dashboard")).status_code == 403


def test_the_dashboard_lists_the_agencies_in_scope_with_what_is_missing(client, world):
    build_year(world)
    actions.start_draft(world.education, YEAR, actor=world.handler)
    response = login(client, world.ogi).get(reverse("reports:dashboard"), {"year": YEAR})
    assert response.status_code == 200
    page = response.content.decode()
    for agency in (world.district, world.education, world.finance, world.subdistrict):
        assert escape(agency.name_en) in page
    assert f"{YEAR + 1}-03-31" in page and f"{YEAR + 1}-01-31" in page
    assert "draft not approved" in page and "no entered figures" in page and "no draft" in page

    handler_page = login(client, world.finance_handler).get(reverse("reports:dashboard")).content
    assert world.finance.name_en in handler_page.decode()
    assert world.education.name_en not in handler_page.decode()


def test_the_report_page_shows_tables_checks_and_the_steps_by_role(client, world):
    build_year(world)
    login(client, world.handler)
    page = client.get(report_url(world.education)).content.decode()
    assert 'id="nr-applications"' in page and "Start the draft" in page
    assert client.post(report_url(world.education, "start")).status_code == 302
    page = client.get(report_url(world.education)).content.decode()
    assert "（四）依申请公开" in page and 'name="overview"' in page
    assert "Approve the report" not in page  # a handler drafts; the OGI office approves

    assert client.post(report_url(world.education, "approve")).status_code == 422
    assert AnnualReport.objects.get().state == "draft"

    ogi = login(client, world.ogi)
    response = ogi.post(report_url(world.education, "approve"))
    assert response.status_code == 422
    assert "still have parts to fill in" in response.content.decode()
    finish_narrative(AnnualReport.objects.get())
    assert "Approve the report" in ogi.get(report_url(world.education)).content.decode()
    assert ogi.post(report_url(world.education, "approve")).status_code == 302
    assert "Publish the report" in ogi.get(report_url(world.education)).content.decode()
    assert ogi.post(report_url(world.education, "publish")).status_code == 302
    page = ogi.get(report_url(world.education)).content.decode()
    assert "period locked" in page and 'name="reason"' in page and 'name="overview"' not in page


def test_a_refused_publication_lists_the_failed_checks(client, world):
    build_year(world)
    report = actions.start_draft(world.education, YEAR, actor=world.ogi)
    finish_narrative(report)
    actions.save_draft(report, {"overview": report.overview.replace("申请4件", "申请1016件")})
    actions.approve(report, actor=world.ogi)
    response = login(client, world.ogi).post(report_url(world.education, "publish"))
    assert response.status_code == 422
    page = response.content.decode()
    assert "cannot be published" in page
    assert "The text gives applications received as 1016, but the tables give" in page
    assert "the prose says" not in page and "prose" not in page  # no internal wording


def test_narrative_errors_stay_on_the_page(client, world):
    actions.start_draft(world.education, YEAR, actor=world.handler)
    response = login(client, world.handler).post(report_url(world.education, "narrative"), {
        "overview": "x" * (actions.MAX_NARRATIVE_CHARS + 1), "problems": "p", "other_matters": "o"})
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.content.decode()
    assert AnnualReport.objects.get().problems != "p"
    response = client.post(report_url(world.education, "narrative"), {
        "overview": "总体情况。", "problems": "问题。", "other_matters": "其他。"})
    assert response.status_code == 302
    assert AnnualReport.objects.get().overview == "总体情况。"


def test_reopening_without_a_reason_is_a_field_error(client, world):
    report = actions.start_draft(world.education, YEAR, actor=world.ogi)
    finish_narrative(report)
    actions.approve(report, actor=world.ogi)
    actions.publish(report, actor=world.ogi)
    login(client, world.ogi)
    response = client.post(report_url(world.education, "reopen"), {"reason": ""})
    assert response.status_code == 422
    assert 'id="id_reason_error"' in response.content.decode()
    assert AnnualReport.objects.get().locked
    assert client.post(report_url(world.education, "reopen"),
                       {"reason": "更正办理结果"}).status_code == 302
    assert not AnnualReport.objects.get().locked
    assert "更正办理结果" in client.get(report_url(world.education)).content.decode()


def test_an_agency_out_of_scope_does_not_exist_and_auditors_only_read(client, world):
    login(client, world.finance_handler)
    assert client.get(report_url(world.education)).status_code == 404
    assert client.post(report_url(world.education, "start")).status_code == 404
    login(client, world.auditor)
    page = client.get(report_url(world.education)).content.decode()
    assert "Start the draft" not in page
    assert client.post(report_url(world.education, "start")).status_code == 422
    assert not AnnualReport.objects.exists()
    assert client.get(report_url(world.education, year=1990)).status_code == 404


@pytest.mark.parametrize(("fmt", "start"), [
    ("pdf", b"%PDF"), ("docx", b"PK"), ("xlsx", b"PK"), ("json", b"{"), ("html", b"<!DOCTYPE"),
])
def test_downloads_in_every_format(client, world, fmt, start):
    build_year(world)
    response = login(client, world.auditor).get(report_url(world.education, "download", fmt=fmt))
    assert response.status_code == 200
    assert response.content.startswith(start)
    assert f"{world.education.code}-{YEAR}" in response["Content-Disposition"]
    assert client.get(report_url(world.education, "download", fmt="odt")).status_code == 404


def test_entering_figures_by_form(client, world):
    login(client, world.handler)
    url = report_url(world.education, "figures")
    assert client.get(url).status_code == 200
    response = client.post(url, {"proactive__rules__issued": "-1", "portal_items": "12"})
    assert response.status_code == 422 and not EnteredFigures.objects.exists()
    response = client.post(url, {"proactive__rules__issued": "2",
                                 "proactive__fees__amount_10k_yuan": "3.25",
                                 "portal_items": "12"})
    assert response.status_code == 302
    entered = EnteredFigures.objects.get()
    assert entered.proactive == {"proactive.rules.issued": 2,
                                 "proactive.fees.amount_10k_yuan": "3.25"}
    assert entered.portal_items == 12 and entered.weibo_items is None
    login(client, world.auditor)
    assert client.post(url, {"portal_items": "1"}).status_code == 403
    assert "disabled" in client.get(url).content.decode()


def test_figures_of_a_locked_period_are_shown_but_not_editable(client, world):
    report = actions.start_draft(world.education, YEAR, actor=world.ogi)
    finish_narrative(report)
    actions.approve(report, actor=world.ogi)
    actions.publish(report, actor=world.ogi)
    login(client, world.handler)
    url = report_url(world.education, "figures")
    page = client.get(url).content.decode()
    assert "period is locked" in page and "Save the figures" not in page
    assert client.post(url, {"portal_items": "1"}).status_code == 403


def test_importing_a_workbook_with_a_bad_row_stores_nothing(client, world):
    login(client, world.handler)
    url = reverse("reports:import_figures")
    response = client.post(url, {"workbook": workbook([
        [world.education.code, YEAR, "portal_items", 10],
        [world.education.code, YEAR, "proactive.rules.issued", -2],
        [world.education.code, YEAR, "no_such_key", 1],
        [world.finance.code, YEAR, "portal_items", 3],
    ])})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Row 3: column D" in page and "Row 4: column C: unknown figure no_such_key" in page
    assert not EnteredFigures.objects.exists()
    response = client.post(url, {"workbook": workbook([
        [world.education.code, YEAR, "portal_items", 10],
        [world.finance.code, YEAR, "portal_items", 3],
    ])})
    assert response.status_code == 422 and "Row 3: your account may not enter figures" in \
        response.content.decode()
    assert not EnteredFigures.objects.exists()
    response = client.post(url, {"workbook": workbook([
        [world.education.code, YEAR, "portal_items", 10],
        [world.education.code, str(YEAR), "proactive.fees.amount_10k_yuan", "1.5"],
    ])})
    assert response.status_code == 302
    entered = EnteredFigures.objects.get()
    assert entered.portal_items == 10
    assert entered.proactive == {"proactive.fees.amount_10k_yuan": "1.5"}


def test_a_file_that_is_not_a_workbook_is_refused(client, world):
    response = login(client, world.handler).post(reverse("reports:import_figures"), {
        "workbook": SimpleUploadedFile("figures.xlsx", b"not a workbook")})
    assert response.status_code == 422
    assert "not an Excel workbook" in response.content.decode()


def test_the_template_round_trips_through_the_import(client, world):
    actions.enter_figures(world.education, YEAR, {"portal_items": 7,
                                                  "proactive.fees.amount_10k_yuan": "2.5"})
    login(client, world.handler)
    response = client.get(reverse("reports:figures_template"),
                          {"year": YEAR, "agency": world.education.pk})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("机关代码 agency code", "年度 year", "指标 key", "数值 value")
    values = {row[2]: row[3] for row in rows[1:]}
    assert values["portal_items"] == 7 and values["proactive.fees.amount_10k_yuan"] == 2.5
    assert values["weibo_items"] is None
    response = client.post(reverse("reports:import_figures"), {
        "workbook": SimpleUploadedFile("t.xlsx", response.content)})
    assert response.status_code == 302
    entered = EnteredFigures.objects.get()
    assert entered.portal_items == 7 and entered.proactive == {
        "proactive.fees.amount_10k_yuan": "2.5"}

    every = client.get(reverse("reports:figures_template"), {"year": YEAR})
    agencies = {row[0] for row in list(load_workbook(io.BytesIO(every.content)).active
                                       .iter_rows(values_only=True))[1:]}
    assert agencies == {world.education.code}


def test_reading_the_seed_report_shows_section_four_and_can_keep_it(client, world):
    login(client, world.auditor)
    url = reverse("reports:parse")
    assert client.get(url).status_code == 200
    response = client.post(url, {"document": SimpleUploadedFile("seed.txt", SEED.read_bytes()),
                                 "store": "on"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "四 Reconsideration and litigation" in page and "complete" in page
    assert "Upheld 138; Corrected 8; Other result 92; Pending 8; Total 246" in page
    assert "Figures in the text</span> The text gives" in page
    for internal in ("appeals.reconsideration", "FAILED", "[prose]", "carried_over_"):
        assert internal not in page
    imported = ImportedReport.objects.get()
    assert (imported.agency_name, imported.year) == ("北京市西城区人民政府", 2023)
    assert imported.cells["appeals.reconsideration.total"] == 246
    assert imported.uploaded_by == world.auditor
    assert json.dumps(imported.cells)  # money as text: JSON-safe
    assert "seed.txt" in client.get(url).content.decode()


def test_the_parse_page_says_which_cells_the_arithmetic_read(client, world):
    login(client, world.auditor)
    text = (SEED.parent / "layout_run_together.txt").read_bytes()
    response = client.post(reverse("reports:parse"),
                           {"document": SimpleUploadedFile("copied.txt", text)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "How the cells were read:" in page
    assert escape("(by the format's arithmetic)") in page
    assert "by its label" in page
    assert "Possible readings: 3·1·46; 3·14·6; 31·4·6" in page  # 行政规范性文件 3146


def test_a_report_in_word_is_read_on_the_parse_page(client, world):
    login(client, world.auditor)
    report = NationalReport.from_flat({**dict.fromkeys(CELL_KEYS, 0), "agency": "某区教育委员会",
                                       "year": 2023, "format": "2021"})
    response = client.post(reverse("reports:parse"), {
        "document": SimpleUploadedFile("edu.docx", render(report, "docx"))})
    assert response.status_code == 200
    summary = response.content.decode().split("2021", 1)[1][:300]
    assert "Word document (DOCX)" in summary or "Word 文档" in summary
    assert f" {len(CELL_KEYS)} " in summary and " 0 " in summary  # every cell read, none lost


def test_an_upload_that_is_not_a_report_is_refused(client, world):
    login(client, world.auditor)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    response = client.post(reverse("reports:parse"),
                           {"document": SimpleUploadedFile("x.txt", png)})
    assert response.status_code == 422
    assert "text, HTML, PDF or Word (DOCX)" in response.content.decode()
    assert not ImportedReport.objects.exists()


def test_keeping_a_report_whose_title_names_no_year_asks_for_it(client, world):
    login(client, world.auditor)
    text = SEED.read_text().replace("2023 年政府信息公开工作年度报告", "政府信息公开工作年度报告")
    response = client.post(reverse("reports:parse"), {
        "document": SimpleUploadedFile("seed.txt", text.encode()), "store": "on"})
    assert response.status_code == 422
    assert 'id="id_agency_name_error"' in response.content.decode()
    assert not ImportedReport.objects.exists()
    response = client.post(reverse("reports:parse"), {
        "document": SimpleUploadedFile("seed.txt", text.encode()), "store": "on",
        "agency_name": "北京市西城区人民政府", "year": "2023", "agency": world.district.pk})
    assert response.status_code == 200
    assert ImportedReport.objects.get().agency == world.district


def test_figure_labels_and_help_texts_follow_the_page_language(client, world):
    login(client, world.ogi)  # English, as every page here
    figures = client.get(report_url(world.education, "figures")).content.decode()
    assert "Administrative licensing · Decisions this year" in figures
    assert "行政许可·本年处理决定数量" not in figures and "in xxgk" not in figures
    parse = client.get(reverse("reports:parse")).content.decode()
    assert "saved web page (HTML), PDF or Word (DOCX), at most" in parse and "不超过" not in parse
    client.cookies["django_language"] = "zh-hans"
    figures = client.get(report_url(world.education, "figures")).content.decode()
    assert "行政许可 · 本年处理决定数量" in figures
    # Both languages in one process: a help text fixed at import would fail one of them.
    assert "不超过" in client.get(reverse("reports:parse")).content.decode()
