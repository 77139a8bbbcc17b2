"""Drafting, approval, publication, the locked period and reopening."""

import datetime as dt

import pytest
from django.utils import translation

from tests.applications.helpers import received
from tests.reports.helpers import YEAR, build_year, closed, d, finish_narrative
from xxgk.agencies.models import AuditEntry
from xxgk.core.periods import period_locked
from xxgk.core.steps import StepError
from xxgk.reports import actions, compute
from xxgk.reports import national_format as nf
from xxgk.reports.models import AnnualReport, EnteredFigures, ReportReopening, ReportState
from xxgk.reports.proactive import WorkbookRow

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """These tests read the English wording of the refusals."""
    with translation.override("en"):
        yield


def approved(world, agency=None):
    agency = agency or world.education
    report = actions.start_draft(agency, YEAR, actor=world.ogi)
    finish_narrative(report, actor=world.ogi)
    return actions.approve(report, actor=world.ogi)


def published(world, agency=None):
    return actions.publish(approved(world, agency), actor=world.ogi)


def test_the_way_to_publication(world):
    build_year(world)
    report = actions.start_draft(world.education, YEAR, actor=world.handler)
    assert report.state == ReportState.DRAFT and not report.locked and report.snapshot is None
    with pytest.raises(StepError, match="fill in"):
        actions.approve(report, actor=world.ogi)  # the prompts are still there
    finish_narrative(report, actor=world.handler)
    with pytest.raises(StepError):
        actions.approve(report, actor=world.handler)  # only the OGI office approves
    with pytest.raises(StepError, match="approved"):
        actions.publish(report, actor=world.ogi)
    actions.approve(report, actor=world.ogi)
    assert report.state == ReportState.APPROVED and report.approved_by == world.ogi
    with pytest.raises(StepError):
        actions.publish(report, actor=world.handler)
    actions.publish(report, actor=world.ogi)
    assert report.state == ReportState.PUBLISHED and report.locked
    assert report.published_by == world.ogi and report.published_at is not None
    frozen = nf.NationalReport.from_json_object(report.snapshot)
    assert frozen.applications["received"]["total"] == 4
    assert frozen.overview == report.overview and frozen.problems == "已按要求完成。"
    assert list(AuditEntry.objects.filter(action__startswith="report.").order_by("id")
                .values_list("action", flat=True)) == [
        "report.start_draft", "report.save_draft", "report.approve", "report.publish"]


def test_starting_twice_returns_the_same_draft_and_the_future_is_refused(world):
    first = actions.start_draft(world.education, YEAR, actor=world.handler)
    assert actions.start_draft(world.education, YEAR, actor=world.handler) == first
    assert AnnualReport.objects.count() == 1
    with pytest.raises(StepError):
        actions.start_draft(world.education, dt.date.today().year + 1, actor=world.handler)
    with pytest.raises(StepError):
        actions.start_draft(world.education, YEAR - 1, actor=world.auditor)


def test_a_published_report_does_not_change_when_the_records_do(world):
    build_year(world)
    report = published(world)
    before = dict(report.snapshot)
    from xxgk.applications import actions as applications
    with pytest.raises(StepError, match="locked"):
        received(world.education, d(11, 1))
    # Records of the year change only once the OGI office reopens it, with a reason.
    actions.reopen(report, reason="补录一件漏登的申请", actor=world.ogi)
    late = received(world.education, d(11, 1))
    applications.reply(late, outcome="disclosed", legal_basis="b", on=d(11, 15))
    report.refresh_from_db()
    assert report.snapshot == before
    assert nf.NationalReport.from_json_object(report.snapshot).applications["received"][
        "total"] == 4
    assert compute.compute_report(world.education, YEAR).applications["received"]["total"] == 5


def test_publication_is_refused_while_the_prose_contradicts_the_tables(world):
    build_year(world)
    report = actions.start_draft(world.education, YEAR, actor=world.ogi)
    finish_narrative(report)
    actions.save_draft(report, {"overview": report.overview.replace(
        "共受理政府信息公开申请4件", "共受理政府信息公开申请1016件")}, actor=world.ogi)
    actions.approve(report, actor=world.ogi)
    with pytest.raises(StepError) as refused:
        actions.publish(report, actor=world.ogi)
    assert "1 checks" in refused.value.message
    assert any("1016" in failure for failure in refused.value.failures)
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED and not report.locked
    assert report.snapshot is None


def test_publication_is_refused_when_the_tables_fail_their_arithmetic(world, monkeypatch):
    build_year(world)
    report = approved(world)

    def broken_counts(agency_ids, year):
        from xxgk.applications.counting import application_counts
        table = application_counts(agency_ids, year)
        table["disclosed"]["natural_person"] += 1  # the row total no longer adds up
        return table

    monkeypatch.setattr(compute, "application_counts", broken_counts)
    with pytest.raises(StepError) as refused:
        actions.publish(report, actor=world.ogi)
    failures = refused.value.failures
    assert ("applications.disclosed.total = 3, but the applicant columns sum to 4 "
            "(4 + 0 + 0 + 0 + 0 + 0)") in failures
    assert AnnualReport.objects.get().snapshot is None


def test_publication_is_refused_on_a_carry_over_mismatch(world):
    build_year(world)
    last_year = compute.compute_report(world.education, YEAR - 1)
    last_year.applications["carried_over_to_next_year"]["natural_person"] = 7
    last_year.applications["carried_over_to_next_year"]["total"] = 7
    AnnualReport.objects.create(agency=world.education, year=YEAR - 1, state="published",
                                snapshot=last_year.to_json_object(), locked=True)
    report = approved(world)
    with pytest.raises(StepError) as refused:
        actions.publish(report, actor=world.ogi)
    assert any("carried_over_to_next_year.total = 7 in the 2022 report" in f
               for f in refused.value.failures)


def test_the_current_year_cannot_be_published(world):
    this_year = dt.date.today().year
    report = actions.start_draft(world.education, this_year, actor=world.ogi)
    finish_narrative(report)
    actions.approve(report, actor=world.ogi)
    with pytest.raises(StepError, match="not over"):
        actions.publish(report, actor=world.ogi)


def test_period_locked_covers_the_agency_and_a_subtree_its_government_reports_for(world):
    report = published(world)
    assert period_locked(world.education, d(6, 30))
    assert not period_locked(world.education, d(6, 30, YEAR + 1))
    assert not period_locked(world.finance, d(6, 30))
    assert not period_locked(world.district, d(6, 30))

    published(world, world.district)  # the district's report covers only itself
    assert period_locked(world.district, d(1, 1))
    assert not period_locked(world.finance, d(6, 30))
    world.district.report_covers_subtree = True
    world.district.save()
    assert period_locked(world.finance, d(6, 30))
    assert period_locked(world.subdistrict, d(12, 31))

    actions.reopen(report, reason="更正一件申请的办理结果", actor=world.ogi)
    world.district.report_covers_subtree = False
    world.district.save()
    assert not period_locked(world.education, d(6, 30))


def test_reopening_needs_a_reason_and_the_ogi_office(world):
    build_year(world)
    report = published(world)
    with pytest.raises(StepError) as refused:
        actions.reopen(report, reason="  ", actor=world.ogi)
    assert refused.value.field == "reason"
    for someone in (world.handler, world.auditor, world.reviewer):
        with pytest.raises(StepError):
            actions.reopen(report, reason="更正", actor=someone)
    assert AnnualReport.objects.get().locked

    snapshot = dict(report.snapshot)
    actions.reopen(report, reason="更正一件申请的办理结果", actor=world.ogi)
    assert report.state == ReportState.DRAFT and not report.locked
    assert report.snapshot == snapshot  # still public until it is published again
    reopening = ReportReopening.objects.get()
    assert (reopening.reason, reopening.by) == ("更正一件申请的办理结果", world.ogi)
    with pytest.raises(StepError, match="locked"):
        actions.reopen(report, reason="again", actor=world.ogi)

    closed(world.education, d(11, 1), d(11, 2))  # the correction the period was opened for
    actions.approve(report, actor=world.ogi)
    with pytest.raises(StepError) as refused:  # the text still says 4
        actions.publish(report, actor=world.ogi)
    assert len(refused.value.failures) == 2  # received and closed
    text = report.overview.replace("申请4件", "申请5件").replace("办结4件", "办结5件")
    actions.save_draft(report, {"overview": text}, actor=world.ogi)
    actions.approve(report, actor=world.ogi)
    actions.publish(report, actor=world.ogi)
    assert report.snapshot["applications"]["received"]["total"] == 5
    assert report.locked and report.snapshot["overview"] == text


def test_a_locked_report_s_text_and_figures_cannot_be_changed(world):
    report = published(world)
    with pytest.raises(StepError, match="reopen"):
        actions.save_draft(report, {"problems": "新的"}, actor=world.ogi)
    with pytest.raises(StepError, match="locked"):
        actions.enter_figures(world.education, YEAR, {"portal_items": 1}, actor=world.ogi)
    with pytest.raises(actions.ImportRefusedError) as refused:
        actions.import_figures([WorkbookRow(2, world.education.code, YEAR, "portal_items", 1)],
                               actor=world.ogi)
    assert "locked" in str(refused.value.errors[0])
    assert not EnteredFigures.objects.exists()


def test_changing_an_approved_text_withdraws_the_approval(world):
    report = approved(world)
    actions.save_draft(report, {"problems": "政策解读形式不够丰富。"}, actor=world.handler)
    assert report.state == ReportState.DRAFT and report.approved_by is None
    assert AuditEntry.objects.filter(action="report.save_draft").order_by("id").last().detail[
        "approval_withdrawn"] is True


def test_an_import_stores_all_rows_or_none(world):
    rows = [
        WorkbookRow(2, world.education.code, YEAR, "portal_items", 10),
        WorkbookRow(3, world.education.code, YEAR, "proactive.rules.issued", 1),
        WorkbookRow(4, world.finance.code, YEAR, "portal_items", 5),
        WorkbookRow(5, "999999", YEAR, "portal_items", 5),
    ]
    with pytest.raises(actions.ImportRefusedError) as refused:
        actions.import_figures(rows, actor=world.handler)
    assert [e.line for e in refused.value.errors] == [4, 5]  # finance: not theirs; unknown
    assert not EnteredFigures.objects.exists()
    assert actions.import_figures(rows[:2], actor=world.handler) == 2
    entered = EnteredFigures.objects.get()
    assert entered.portal_items == 10 and entered.proactive == {"proactive.rules.issued": 1}
    assert entered.updated_by == world.handler


def test_an_imported_report_is_kept_with_money_as_text(world):
    from decimal import Decimal
    imported = actions.store_imported_report(
        {"applications.received.total": 3, "processing_fees.billed_yuan": Decimal("12.50")},
        agency_name=" 某区政府 ", year=YEAR - 1, report_format="2021",
        source_filename="x.pdf", agency=world.education, actor=world.auditor)
    assert imported.cells == {"applications.received.total": 3,
                              "processing_fees.billed_yuan": "12.50"}
    assert imported.agency_name == "某区政府"
    with pytest.raises(StepError):
        actions.store_imported_report({}, agency_name=" ", year=YEAR, report_format="2021",
                                      source_filename="x.pdf", actor=world.auditor)
