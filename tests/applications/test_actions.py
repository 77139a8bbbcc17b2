"""The actions layer: every step of handling, what it allows and what it refuses."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from tests.applications.helpers import ID_NUMBER, PHONE, apply, received, submission
from tests.factories import published_report
from xxgk.agencies.models import AuditEntry
from xxgk.applications import actions, pii
from xxgk.applications.models import Application, ApplicationEvent, Status
from xxgk.core import jobs
from xxgk.core.models import Job
from xxgk.core.steps import StepError
from xxgk.core.today import fixed_today

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """These tests read the English wording of the refusals."""
    with translation.override("en"):
        yield

MON = dt.date(2026, 11, 2)  # a Monday with no holiday in the following month


def test_submitting_stores_the_application_its_encrypted_identity_and_one_event(world):
    application, code = apply(world.education)
    assert application.number.startswith("110102-")
    assert len(code) == actions.QUERY_CODE_LENGTH
    assert application.status == Status.SUBMITTED
    assert application.received_on is None and application.due_on is None
    assert list(application.events.values_list("kind", flat=True)) == ["submitted"]
    stored = bytes(application.identity.encrypted)
    assert ID_NUMBER.encode() not in stored and PHONE.encode() not in stored
    assert pii.decrypt(stored).id_number == ID_NUMBER
    assert AuditEntry.objects.filter(action="application.submit").count() == 1


def test_numbers_are_sequential_per_government_and_year(world):
    first, _ = apply(world.education)
    second, _ = apply(world.subdistrict)
    assert int(second.number.rsplit("-", 1)[1]) == int(first.number.rsplit("-", 1)[1]) + 1


def test_the_same_client_token_returns_the_first_application_and_code(world):
    first = actions.submit_application(submission(world.education), client_token="abc")
    again = actions.submit_application(submission(world.education), client_token="abc")
    assert first == again
    assert Application.objects.count() == 1


def test_not_sure_goes_to_the_top_of_the_tree(world):
    application, _ = apply(None)
    assert application.agency == world.district and application.addressed_to is None


def test_the_query_code_opens_the_application_and_nothing_else(world):
    application, code = apply(world.education)
    assert actions.access_by_query_code(application.number, code.lower(),
                                        request=None) == application
    assert actions.access_by_query_code(application.number, "WRONGCODE1", request=None) is None
    assert actions.access_by_query_code("110102-2026-999999", code, request=None) is None


def test_confirming_receipt_starts_the_twenty_working_day_clock(world):
    application = received(world.education, MON, actor=world.handler)
    assert application.status == Status.IN_PROGRESS
    assert application.due_on == dt.date(2026, 11, 30)


def test_receipt_cannot_be_confirmed_twice_or_before_arrival(world):
    application, _ = apply(world.education, arrived=MON)
    with pytest.raises(StepError):
        actions.confirm_receipt(application, received_on=MON - dt.timedelta(days=1))
    actions.confirm_receipt(application, received_on=MON)
    with pytest.raises(StepError):
        actions.confirm_receipt(application, received_on=MON)


def test_a_handler_of_another_agency_may_not_act(world):
    application, _ = apply(world.education, arrived=MON)
    with pytest.raises(StepError):
        actions.confirm_receipt(application, received_on=MON, actor=world.finance_handler)
    assert application.events.count() == 1


def test_correction_restarts_the_period_from_the_corrected_application(world):
    application = received(world.education, MON)
    actions.request_correction(application, what="请明确项目名称", deadline=dt.date(2026, 11, 20),
                               on=dt.date(2026, 11, 3))
    assert application.status == Status.AWAITING_CORRECTION
    assert application.due_on is None
    actions.submit_correction(application, text="西城区2023年老旧小区整治（二龙路片区）立项批复",
                              on=dt.date(2026, 11, 9))
    assert application.status == Status.IN_PROGRESS
    assert application.due_on == dt.date(2026, 12, 7)  # 20 working days from 9 November


def test_a_second_correction_request_is_refused(world):
    application = received(world.education, MON)
    actions.request_correction(application, what="a", deadline=dt.date(2026, 11, 20),
                               on=dt.date(2026, 11, 3))
    actions.submit_correction(application, text="b", on=dt.date(2026, 11, 4))
    with pytest.raises(StepError, match="only once"):
        actions.request_correction(application, what="c", deadline=dt.date(2026, 11, 20),
                                   on=dt.date(2026, 11, 5))


# Received Monday 2 November 2026: the 7th working day after it is Wednesday 11 November.
LAST_CORRECTION_DAY = dt.date(2026, 11, 11)


def test_a_correction_may_be_requested_on_the_7th_working_day_after_receipt(world):
    application = received(world.education, MON)
    actions.request_correction(application, what="请明确项目名称", deadline=dt.date(2026, 11, 25),
                               on=LAST_CORRECTION_DAY)
    assert application.status == Status.AWAITING_CORRECTION


def test_a_correction_request_after_the_7th_working_day_is_refused_citing_art_30(world):
    application = received(world.education, MON)
    with pytest.raises(StepError) as refused:
        actions.request_correction(application, what="请明确项目名称",
                                   deadline=dt.date(2026, 11, 25),
                                   on=LAST_CORRECTION_DAY + dt.timedelta(days=1))
    message = str(refused.value)
    assert "第三十条" in message and "Art. 30" in message
    assert "2026-11-11" in message
    assert refused.value.field == "on"
    application.refresh_from_db()
    assert application.status == Status.IN_PROGRESS
    assert list(application.events.values_list("kind", flat=True)) == ["submitted", "receipt_confirmed"]
    assert not AuditEntry.objects.filter(action="application.request_correction").exists()


def test_a_late_correction_request_is_refused_also_when_the_date_is_left_to_today(world):
    application = received(world.education, MON)
    with fixed_today(dt.date(2026, 11, 16)), pytest.raises(StepError, match="Art. 30"):
        actions.request_correction(application, what="a", deadline=dt.date(2026, 11, 30))


def test_a_correction_is_not_refused_when_the_calendar_lacks_the_year(world):
    """Received on 28 December 2026, the 7 working days reach 2027, which the shipped
    calendar does not know: the day cannot be known, so the step is not refused on it."""
    with fixed_today(dt.date(2027, 1, 8)):
        application = received(world.education, dt.date(2026, 12, 28))
        actions.request_correction(application, what="a", deadline=dt.date(2027, 1, 20))
    assert application.status == Status.AWAITING_CORRECTION


def test_a_consultation_pauses_the_clock_until_answered(world):
    application = received(world.education, MON)
    actions.send_consultation(application, party="某公司", party_kind="third_party",
                              on=dt.date(2026, 11, 4))
    actions.record_consultation_answer(application, party="某公司", on=dt.date(2026, 11, 11))
    # 5 working days (5–11 November) are not counted.
    assert application.due_on == dt.date(2026, 12, 7)
    assert actions.open_consultations(application) == []


def test_an_answer_without_a_consultation_is_refused(world):
    application = received(world.education, MON)
    with pytest.raises(StepError):
        actions.record_consultation_answer(application, party="nobody", on=MON)


def test_an_extension_needs_approval_by_a_reviewer_and_is_granted_once(world):
    application = received(world.education, MON)
    actions.request_extension(application, days=10, reason="涉及档案检索", actor=world.handler)
    assert application.due_on == dt.date(2026, 11, 30)
    with pytest.raises(StepError, match="reviewer"):
        actions.approve_extension(application, approver=world.handler)
    actions.approve_extension(application, approver=world.reviewer, on=dt.date(2026, 11, 20))
    assert application.due_on == dt.date(2026, 12, 14)
    with pytest.raises(StepError, match="once"):
        actions.request_extension(application, days=5, reason="again", actor=world.handler)


def test_the_actions_themselves_keep_handling_to_handlers_and_the_ogi_office(world):
    """The same rule as both channels ask (``staff_may_handle``): a reviewer approves, an
    auditor reads, neither handles, whoever calls the action."""
    application = received(world.education, MON)
    for outsider in (world.reviewer, world.auditor):
        with translation.override("en"), pytest.raises(StepError, match="may not handle"):
            actions.assign(application, world.handler, actor=outsider)
        with pytest.raises(StepError):
            actions.request_extension(application, days=10, reason="涉及档案检索",
                                      actor=outsider)
    actions.assign(application, world.handler, actor=world.ogi)
    actions.request_extension(application, days=10, reason="涉及档案检索", actor=world.handler)
    with pytest.raises(StepError):
        actions.approve_extension(application, approver=world.auditor)
    actions.approve_extension(application, approver=world.reviewer, on=dt.date(2026, 11, 20))


@pytest.mark.parametrize("days", [0, 21, -3])
def test_an_extension_outside_one_to_twenty_days_is_refused(world, days):
    application = received(world.education, MON)
    with pytest.raises(StepError, match="1 to 20"):
        actions.request_extension(application, days=days, reason="r", actor=world.handler)


def test_the_wait_for_a_fee_is_not_counted_and_payment_resumes_the_clock(world):
    application = received(world.education, MON)
    actions.notify_fee(application, method="by_volume", amount=Decimal("700"), basis="按量计收",
                       on=dt.date(2026, 11, 5))
    actions.record_fee_payment(application, amount=Decimal("700"), on=dt.date(2026, 11, 12))
    assert application.due_on == dt.date(2026, 12, 7)


def test_a_payment_of_the_wrong_amount_or_without_notice_is_refused(world):
    application = received(world.education, MON)
    with pytest.raises(StepError):
        actions.record_fee_payment(application, amount=Decimal("1"), on=MON)
    actions.notify_fee(application, method="by_volume", amount=Decimal("700"), basis="b", on=MON)
    with pytest.raises(StepError):
        actions.record_fee_payment(application, amount=Decimal("699"), on=MON)


def test_a_waiver_needs_a_reason_and_ends_the_pause(world):
    application = received(world.education, MON)
    actions.notify_fee(application, method="by_application", amount=Decimal("100"), basis="b",
                       on=dt.date(2026, 11, 5))
    with pytest.raises(StepError):
        actions.waive_fee(application, reason=" ", on=dt.date(2026, 11, 6))
    actions.waive_fee(application, reason="申请人系低保对象", on=dt.date(2026, 11, 12))
    assert application.due_on == dt.date(2026, 12, 7)


def test_a_reply_closes_with_exactly_one_outcome(world):
    application = received(world.education, MON)
    actions.reply(application, outcome="disclosed", legal_basis="第三十六条第（二）项",
                  on=dt.date(2026, 11, 10), actor=world.handler)
    assert application.status == Status.CLOSED
    assert application.outcome == "disclosed"
    assert application.closed_on == dt.date(2026, 11, 10)
    assert application.clock_state == "closed"


def test_a_reply_needs_a_known_outcome_and_a_legal_basis(world):
    application = received(world.education, MON)
    with pytest.raises(StepError):
        actions.reply(application, outcome="made_up", legal_basis="x", on=MON)
    with pytest.raises(StepError):
        actions.reply(application, outcome="disclosed", legal_basis="", on=MON)
    assert application.events.count() == 2  # submitted, receipt confirmed


def test_lapse_outcomes_need_their_cause(world):
    application = received(world.education, MON)
    with pytest.raises(StepError):
        actions.reply(application, outcome="other.fee_unpaid", legal_basis="b", on=MON)
    with pytest.raises(StepError):
        actions.reply(application, outcome="unavailable.unclear_after_correction",
                      legal_basis="b", on=MON)


def test_a_closed_application_is_changed_only_by_a_correcting_event(world):
    application = received(world.education, MON)
    actions.reply(application, outcome="disclosed", legal_basis="b", on=dt.date(2026, 11, 10))
    with pytest.raises(StepError, match="closed"):
        actions.request_extension(application, days=5, reason="r")
    actions.correct_outcome(application, outcome="partially_disclosed", reason="复核发现部分涉密")
    assert application.outcome == "partially_disclosed"
    kinds = list(application.events.values_list("kind", flat=True))
    assert kinds[-2:] == ["replied", "outcome_corrected"]


def test_events_are_append_only(world):
    application = received(world.education, MON)
    event = application.events.first()
    event.note = "forged"
    with pytest.raises(PermissionError):
        event.save()


def test_withdrawal_closes_as_other(world):
    application = received(world.education, MON)
    actions.withdraw(application, on=dt.date(2026, 11, 3))
    assert application.status == Status.CLOSED and application.outcome == "other.other"


def test_a_transfer_keeps_the_receipt_date_within_the_same_government(world):
    application = received(world.education, MON)
    actions.transfer(application, world.finance, reason="属财政局职责", actor=world.ogi)
    assert application.agency == world.finance and application.handler is None
    assert application.received_on == MON and application.due_on == dt.date(2026, 11, 30)


def test_future_dates_are_refused(world):
    application = received(world.education, MON)
    with pytest.raises(StepError, match="future"):
        actions.reply(application, outcome="disclosed", legal_basis="b",
                      on=dt.date(2099, 1, 5))


def test_only_the_handling_agency_sees_the_identity_and_each_view_is_audited(world):
    application = received(world.education, MON)
    assert actions.view_identity(application, world.handler).phone == PHONE
    assert AuditEntry.objects.filter(action="application.identity_viewed").count() == 1
    for outsider in (world.ogi, world.auditor, world.finance_handler):
        with pytest.raises(StepError):
            actions.view_identity(application, outsider)
    assert AuditEntry.objects.filter(action="application.identity_viewed").count() == 1


def test_no_personal_information_reaches_the_audit_log_or_the_events(world):
    application = received(world.education, MON)
    actions.view_identity(application, world.handler)
    dumped = str(list(AuditEntry.objects.values())) + str(list(ApplicationEvent.objects.values()))
    assert ID_NUMBER not in dumped and PHONE not in dumped


def test_a_reply_queues_its_letter_for_the_worker(world):
    application = received(world.education, MON)
    actions.reply(application, outcome="disclosed", legal_basis="第三十六条第（二）项",
                  on=dt.date(2026, 11, 10), actor=world.handler)
    assert not application.documents.filter(kind="letter").exists()  # the request did not wait
    assert Job.objects.filter(task="xxgk.applications.tasks.issue_letter",
                              subject=f"application:{application.pk}").count() == 1
    jobs.run_pending()
    letters = application.documents.filter(kind="letter")
    assert sorted(d.filename.rsplit(".", 1)[1] for d in letters) == ["docx", "pdf"]
    assert all(d.visible_to_applicant for d in letters)


def test_a_refused_step_queues_no_letter(world):
    application = received(world.education, MON)
    with pytest.raises(StepError):
        actions.reply(application, outcome="disclosed", legal_basis="", on=dt.date(2026, 11, 10))
    assert not Job.objects.filter(task="xxgk.applications.tasks.issue_letter").exists()


def test_deferred_letters_are_not_queued_by_the_action(world):
    application = received(world.education, MON)
    with actions.letters_deferred():
        actions.reply(application, outcome="disclosed", legal_basis="b", on=dt.date(2026, 11, 10))
    jobs.run_pending()
    assert not application.documents.filter(kind="letter").exists()


def _published(agency, year):

    return published_report(agency, year)


def test_a_published_year_refuses_back_dated_steps(world):
    application = received(world.education, dt.date(2025, 12, 29))
    _published(world.education, 2025)
    with pytest.raises(StepError, match="2025"):
        actions.reply(application, outcome="disclosed", legal_basis="b",
                      on=dt.date(2025, 12, 31))
    actions.reply(application, outcome="disclosed", legal_basis="b", on=dt.date(2026, 1, 5))
    assert application.outcome == "disclosed"


def test_a_published_year_refuses_correcting_an_outcome_closed_in_it(world):
    application = received(world.education, dt.date(2025, 12, 1))
    actions.reply(application, outcome="disclosed", legal_basis="b", on=dt.date(2025, 12, 5))
    _published(world.district, 2025)
    world.district.report_covers_subtree = True
    world.district.save()
    with pytest.raises(StepError, match="locked"):
        actions.correct_outcome(application, outcome="partially_disclosed", reason="复核")
    assert Application.objects.get(pk=application.pk).outcome == "disclosed"
