"""The report computed from the records: exact figures, roll-up, fees, carry-over, drafts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from tests.reports.helpers import YEAR, build_year, d
from xxgk import taxonomy
from xxgk.core.steps import StepError
from xxgk.reports import actions, compute, proactive
from xxgk.reports import national_format as nf
from xxgk.reports.models import AnnualReport, EnteredFigures, ImportedReport

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """These tests read the English wording of the refusals."""
    with translation.override("en"):
        yield

T = taxonomy.TOTAL
NP, CE = "natural_person", "commercial_enterprise"


def cells(row: dict, *columns: str) -> tuple:
    return tuple(row[c] for c in columns)


def test_a_department_s_report_counts_exactly_its_own_records(world):
    build_year(world)
    report = compute.compute_report(world.education, YEAR)
    apps = report.applications
    assert cells(apps["received"], NP, CE, T) == (3, 1, 4)
    assert cells(apps["carried_over_from_last_year"], NP, CE, T) == (1, 0, 1)
    assert cells(apps["disclosed"], NP, CE, T) == (3, 0, 3)
    assert cells(apps["withheld.state_secret"], NP, CE, T) == (0, 1, 1)
    assert cells(apps["total"], NP, CE, T) == (3, 1, 4)
    assert cells(apps["carried_over_to_next_year"], NP, CE, T) == (1, 0, 1)
    assert apps["unavailable.not_held"][T] == 0  # the finance bureau's is not counted
    assert report.appeals["reconsideration"] == {
        "upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1}
    assert report.appeals["litigation_direct"]["pending"] == 1
    assert report.processing_fees == {
        "notices": 1, "billed_yuan": Decimal("100.00"), "collected_yuan": Decimal("100.00")}
    assert (report.agency, report.year) == (world.education.name, YEAR)
    assert nf.check(report).ok


def test_the_government_s_report_rolls_up_its_subtree_when_configured(world):
    build_year(world)
    alone = compute.compute_report(world.district, YEAR)
    assert alone.applications["total"][T] == 1
    assert compute.scope(world.district) == [world.district.pk]

    world.district.report_covers_subtree = True
    world.district.save()
    assert set(compute.scope(world.district)) == {
        world.district.pk, world.education.pk, world.finance.pk, world.subdistrict.pk}
    rolled = compute.compute_report(world.district, YEAR)
    apps = rolled.applications
    assert cells(apps["received"], NP, CE, T) == (5, 1, 6)
    assert apps["unavailable.not_held"][T] == 1
    assert apps["other.other"][T] == 1
    assert cells(apps["total"], NP, CE, T) == (5, 1, 6)
    assert rolled.appeals["reconsideration"]["total"] == 1
    assert rolled.processing_fees["notices"] == 1
    assert nf.check(rolled).ok


def test_other_years_are_not_counted(world):
    build_year(world)
    earlier = compute.compute_report(world.education, YEAR - 1)
    assert earlier.applications["received"][T] == 1
    assert earlier.applications["carried_over_to_next_year"][T] == 1
    assert earlier.appeals["reconsideration"]["total"] == 0
    assert earlier.processing_fees["notices"] == 0


def test_section_two_is_the_sum_of_the_entered_figures_and_a_gap_when_none(world):
    world.district.report_covers_subtree = True
    world.district.save()
    report = compute.compute_report(world.district, YEAR)
    assert report.proactive["rules"]["issued"] is None
    actions.enter_figures(world.education, YEAR, {
        "proactive.normative_documents.issued": 2, "proactive.fees.amount_10k_yuan": "1.5",
        "portal_items": 100}, actor=world.handler)
    actions.enter_figures(world.finance, YEAR, {
        "proactive.normative_documents.issued": 3, "proactive.fees.amount_10k_yuan": "0.25",
        "portal_items": 20}, actor=world.finance_handler)
    report = compute.compute_report(world.district, YEAR)
    assert report.proactive["normative_documents"]["issued"] == 5
    assert report.proactive["fees"]["amount_10k_yuan"] == Decimal("1.75")
    assert report.proactive["rules"]["issued"] is None
    figures = proactive.publishing_figures(compute.scope(world.district), YEAR)
    assert figures["portal_items"] == 120 and figures["weibo_items"] is None
    assert compute.compute_report(world.education, YEAR).proactive[
        "normative_documents"]["issued"] == 2


def test_entered_figures_are_validated_and_kept_as_flat_keys(world):
    with pytest.raises(StepError) as refused:
        actions.enter_figures(world.education, YEAR, {"proactive.rules.issued": "-1"},
                              actor=world.handler)
    assert refused.value.field == "proactive.rules.issued"
    with pytest.raises(StepError):
        actions.enter_figures(world.education, YEAR, {"portal_items": "2.5"}, actor=world.handler)
    with pytest.raises(StepError):
        actions.enter_figures(world.education, YEAR, {"proactive.rules.issued": 1},
                              actor=world.finance_handler)
    with pytest.raises(StepError):
        actions.enter_figures(world.education, YEAR, {"proactive.rules.issued": 1},
                              actor=world.auditor)
    assert not EnteredFigures.objects.exists()
    entered = actions.enter_figures(world.education, YEAR, {
        "proactive.rules.issued": "1,234", "proactive.fees.amount_10k_yuan": 12.5},
        actor=world.handler)
    assert entered.proactive == {"proactive.rules.issued": 1234,
                                 "proactive.fees.amount_10k_yuan": "12.5"}
    actions.enter_figures(world.education, YEAR, {"proactive.rules.issued": None},
                          actor=world.handler)
    entered.refresh_from_db()
    assert entered.proactive == {"proactive.fees.amount_10k_yuan": "12.5"}


def test_carry_over_is_checked_against_last_year_s_published_or_imported_report(world):
    build_year(world)
    report = compute.compute_report(world.education, YEAR)
    result = compute.carry_over_check(world.education, YEAR, report)
    assert result.ok and [s.rule for s in result.skipped] == [nf.Rule.CARRY_OVER]

    imported_cells = {f"applications.carried_over_to_next_year.{c}": 0
                      for c in taxonomy.REPORT_COLUMN_KEYS}
    imported_cells["applications.carried_over_to_next_year.natural_person"] = 1
    imported_cells["applications.carried_over_to_next_year.total"] = 1
    ImportedReport.objects.create(agency=world.education, agency_name=world.education.name,
                                  year=YEAR - 1, format="2021", cells=imported_cells,
                                  source_filename="edu-2022.pdf")
    assert compute.carry_over_check(world.education, YEAR, report).ok
    assert not compute.carry_over_check(world.education, YEAR, report).skipped

    last_year = compute.compute_report(world.education, YEAR - 1)
    last_year.applications["carried_over_to_next_year"]["natural_person"] = 2
    last_year.applications["carried_over_to_next_year"]["total"] = 2
    AnnualReport.objects.create(agency=world.education, year=YEAR - 1, state="published",
                                snapshot=last_year.to_json_object(), locked=True)
    mismatch = compute.carry_over_check(world.education, YEAR, report)
    assert not mismatch.ok
    messages = [f.message for f in mismatch.failures]
    assert ("applications.carried_over_from_last_year.natural_person = 1 in the 2023 report, "
            "but applications.carried_over_to_next_year.natural_person = 2 in the 2022 report "
            "(the published 2022 report)") in messages
    assert len(messages) == 2  # natural_person and total
    assert not compute.check_report(world.education, YEAR, report).ok


def test_the_draft_text_quotes_the_tables_and_the_entered_figures(world):
    build_year(world)
    world.district.report_covers_subtree = True
    world.district.save()
    actions.enter_figures(world.district, YEAR, {
        "key_area_items": 1506, "policy_documents": 49, "interpretations": 41,
        "consultations": 21, "executive_meeting_items": 24, "portal_items": 25284,
        "weibo_items": 2512, "wechat_items": 2613, "site_visits": 50_000_000,
        "site_visits_last_year": 31_250_000, "site_visitors": 12_000_000,
        "site_visitors_last_year": 12_000_000}, actor=world.ogi)
    report = actions.start_draft(world.district, YEAR, actor=world.ogi)
    text = report.overview
    for heading in ("（一）组织领导", "（二）主动公开", "（三）政民互动", "（四）依申请公开",
                    "（五）政府信息管理", "（六）政府信息公开平台建设", "（七）监督培训"):
        assert heading in text
    assert "公开重点领域信息1506条，发布政策文件49件，配套发布解读41篇" in text
    assert "面向社会公众广泛开展政策性文件意见征集21次，公开区政府常务会议信息24条" in text
    assert "全年通过门户网站发布信息25284条，官方微博发布信息2512条，微信公众号发布信息2613条" in text
    assert "全区共受理政府信息公开申请6件，上年结转1件；办结6件，结转下年度继续办理1件" in text
    assert "网站总点击量50000000次，同比增长60%，网站访问人数12000000人，与上年持平" in text
    assert "全年主动公开政府信息〔待填〕条" in text  # not entered: to be filled in
    assert report.other_matters == "本年度无其他需要报告的事项。"
    national = compute.with_narrative(compute.compute_report(world.district, YEAR), report)
    assert compute.prose_check(national).ok
    assert set(actions.unfinished_sections(report)) == {"overview", "problems"}


def test_section_six_states_the_fee_figures_once(world):
    from xxgk.reports.render import render

    report = actions.start_draft(world.subdistrict, YEAR, actor=world.ogi)
    assert "本机关共受理政府信息公开申请0件" in report.overview
    national = compute.with_narrative(compute.compute_report(world.subdistrict, YEAR), report)
    html = render(national, "html").decode()
    assert html.count("信息处理费的情况") == 1
    assert "发出收费通知的件数为0件" in html


def test_prose_that_contradicts_the_tables_fails_its_check(world):
    build_year(world)
    report = compute.compute_report(world.education, YEAR)
    report.overview = "全年共受理政府信息公开申请1016件。"
    result = compute.prose_check(report)
    assert not result.ok
    assert "1016" in result.failures[0].message


@pytest.mark.parametrize(("this", "last", "text"), [
    (150, 100, "，同比增长50%"), (50, 100, "，同比下降50%"), (100, 100, "，与上年持平"),
    (100, None, ""), (100, 0, ""), (None, 100, ""), (1005, 1000, "，同比增长1%"),
])
def test_year_on_year(this, last, text):
    assert compute.year_on_year(this, last) == text


def test_deadlines_by_kind_and_overridable(world, settings):
    assert compute.deadline(world.district, YEAR) == dt.date(2024, 3, 31)
    assert compute.deadline(world.education, YEAR) == dt.date(2024, 1, 31)
    assert compute.deadline(world.subdistrict, YEAR) == dt.date(2024, 1, 31)
    settings.XXGK_REPORT_DEADLINES = {"district": "02-15"}
    assert compute.deadline(world.district, YEAR) == dt.date(2024, 2, 15)
    assert compute.deadline(world.education, YEAR) == dt.date(2024, 1, 31)


def test_statuses_say_what_is_missing(world):
    build_year(world)
    statuses = {s.agency.code: s for s in compute.report_statuses(
        [world.district, world.education], YEAR, d(1, 20, YEAR + 1))}
    education = statuses[world.education.code]
    assert education.report is None and education.days_left == 11 and not education.overdue
    assert education.missing == ["no entered figures", "no draft"]
    actions.start_draft(world.education, YEAR, actor=world.handler)
    education = compute.report_statuses([world.education], YEAR, d(2, 1, YEAR + 1))[0]
    assert education.overdue
    assert education.missing == ["no entered figures", "draft not approved"]


def test_statuses_show_a_carry_over_mismatch_without_a_draft(world):
    build_year(world)
    last_year = compute.compute_report(world.education, YEAR - 1)
    last_year.applications["carried_over_to_next_year"]["natural_person"] = 3
    last_year.applications["carried_over_to_next_year"]["total"] = 3
    AnnualReport.objects.create(agency=world.education, year=YEAR - 1, state="published",
                                snapshot=last_year.to_json_object(), locked=True)
    status = compute.report_statuses([world.education], YEAR, d(1, 20, YEAR + 1))[0]
    assert status.missing == ["no entered figures", "no draft", "carry-over mismatch"]
    published = compute.report_statuses([world.education], YEAR - 1, d(1, 20, YEAR))[0]
    assert published.missing == [] and not published.overdue
