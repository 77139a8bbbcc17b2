"""The statutory clock of a disclosure application (Arts. 30–34 of the Regulation).

Expected dates are worked out by hand on the State Council's holiday notices. In 2026,
November has no holidays: from Monday 2 November, the 20th working day is Monday 30
November, and the working days run Mon–Fri throughout November and December.
"""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xxgk.applications.clock import (
    ClockError,
    ClockRules,
    ClockState,
    ConsultationAnswered,
    ConsultationKind,
    ConsultationSent,
    CorrectionReceived,
    CorrectionRequested,
    Extended,
    FeeNotified,
    FeePaid,
    PauseKind,
    Replied,
    StepKind,
    Withdrawn,
    compute_clock,
    last_correction_day,
)
from xxgk.taxonomy import OUTCOME_KEYS
from xxgk.workdays import UnknownYearError, is_working_day, shipped_calendar

D = dt.date.fromisoformat
MON = D("2026-11-02")


def clock(*events, received=MON, today=None, **kwargs):
    """The clock after ``events``, on ``today`` (default: the day of the last event)."""
    on = D(today) if today else max([received, *(e.date for e in events)])
    return compute_clock(received, list(events), today=on, **kwargs)


# ---- The 20 working days ---------------------------------------------------------------


def test_the_reply_is_due_20_working_days_after_receipt_counted_from_the_next_day():
    result = clock()
    assert result.due == D("2026-11-30")
    assert (result.used, result.left, result.paused_working_days) == (0, 20, 0)
    assert result.state is ClockState.RUNNING
    [step] = result.explanation
    assert step.kind is StepKind.RECEIVED
    assert (step.due_before, step.due_after) == (None, D("2026-11-30"))
    assert "第三十三条第二款" in step.article_zh
    assert "20 个工作日" in step.label_zh and "次日起算" in step.label_zh
    assert "20 working days" in step.label_en


@pytest.mark.parametrize(
    ("received", "due", "why"),
    [
        ("2026-02-16", "2026-03-20", "received during the 2026 Spring Festival holiday"),
        ("2026-02-14", "2026-03-20", "received on the make-up Saturday before it"),
        ("2026-02-10", "2026-03-16", "the period spans the 2026 Spring Festival"),
        ("2026-09-25", "2026-10-29", "received on Mid-Autumn 2026, spanning National Day"),
        ("2025-01-27", "2025-03-03", "the eve of the 2025 Spring Festival holiday"),
        ("2025-09-28", "2025-10-31", "received on the make-up Sunday before National Day 2025"),
        ("2024-02-09", "2024-03-14", "Lunar New Year's Eve 2024, a working day"),
        ("2024-09-29", "2024-10-31", "received on the make-up Sunday before National Day 2024"),
    ],
)
def test_due_dates_across_spring_festivals_and_national_days(received, due, why):
    assert clock(received=D(received)).due == D(due), why


def test_five_working_days_before_the_due_date_the_application_is_due_soon():
    assert clock(today="2026-11-20").state is ClockState.RUNNING  # 6 left
    result = clock(today="2026-11-23")
    assert (result.used, result.left) == (15, 5)
    assert result.state is ClockState.DUE_SOON


def test_how_soon_is_due_soon_is_a_rule():
    result = clock(today="2026-11-20", rules=ClockRules(due_soon_working_days=6))
    assert result.state is ClockState.DUE_SOON


def test_the_day_after_the_due_date_the_application_is_overdue_with_negative_days_left():
    result = clock(today="2026-12-01")
    assert result.state is ClockState.OVERDUE
    assert result.left == -1
    assert "已逾期" in result.headline_zh


# ---- Correction (Art. 30) ---------------------------------------------------------------


def test_while_a_correction_is_awaited_the_due_date_cannot_be_known():
    result = clock(CorrectionRequested(D("2026-11-04")), today="2026-11-05")
    assert result.due is None
    assert result.used is None and result.left is None
    assert result.state is ClockState.PAUSED
    assert "待补正" in result.headline_zh
    step = result.explanation[-1]
    assert (step.due_before, step.due_after) == (D("2026-11-30"), None)
    assert step.article_zh == "第三十条"


def test_the_period_restarts_from_the_corrected_application_and_never_counts_the_wait():
    result = clock(CorrectionRequested(D("2026-11-04")), CorrectionReceived(D("2026-11-06")))
    # 20 working days from Fri 6 Nov: Mon 9 Nov … Fri 4 Dec.
    assert result.due == D("2026-12-04")
    assert result.period_start == D("2026-11-06")
    step = result.explanation[-1]
    assert (step.kind, step.due_before, step.due_after) == (
        StepKind.CORRECTION_RECEIVED, None, D("2026-12-04"),
    )


def test_a_correction_request_on_the_7th_working_day_after_receipt_is_in_time():
    # Tue 3 … Wed 11 Nov is the 7th working day.
    result = clock(CorrectionRequested(D("2026-11-11")))
    assert not result.warnings


def test_a_late_correction_request_is_flagged_not_refused_because_it_did_happen():
    result = clock(CorrectionRequested(D("2026-11-12")), CorrectionReceived(D("2026-11-13")))
    [warning] = result.warnings
    assert warning.kind is StepKind.CORRECTION_REQUESTED
    assert "第 8 个工作日" in warning.label_zh
    assert "working day 8" in warning.label_en
    assert result.due is not None


@pytest.mark.parametrize(
    ("received", "last", "why"),
    [
        ("2026-11-02", "2026-11-11", "Tue 3 … Wed 11 November, no holiday"),
        ("2026-11-04", "2026-11-13", "the 7th working day is a Friday"),
        ("2026-02-13", "2026-03-02", "make-up Saturdays 14 and 28 February around the Spring "
                                     "Festival 15–23 February 2026"),
        ("2026-09-23", "2026-10-10", "Mid-Autumn 25 September and National Day 1–7 October "
                                     "2026; the 7th is the make-up Saturday 10 October"),
        ("2026-02-16", "2026-03-03", "received during the Spring Festival holiday"),
    ],
)
def test_the_last_day_for_a_correction_request_is_the_7th_working_day_after_receipt(
        received, last, why):
    assert last_correction_day(D(received)) == D(last), why


def test_the_last_correction_day_follows_the_rules_field():
    assert last_correction_day(MON, rules=ClockRules(correction_request_working_days=3)) \
        == D("2026-11-05")
    assert ClockRules().correction_request_working_days == 7


def test_the_last_correction_day_needs_a_calendar_that_knows_the_year():
    with pytest.raises(UnknownYearError):
        last_correction_day(D("2026-12-28"))
    estimate = last_correction_day(D("2026-12-28"), shipped_calendar(assume_weekends=True))
    assert estimate == D("2027-01-06")


def test_every_last_correction_day_of_the_shipped_years_is_the_7th_working_day():
    """Exhaustive over 2024–2026: the day is a working day, exactly 7 working days after
    receipt counted from the next day, and the day before it is not yet the 7th."""
    cal = shipped_calendar()
    received, end = D("2024-01-01"), D("2026-12-20")
    while received <= end:
        last = last_correction_day(received, cal)
        assert cal.is_working_day(last), received
        assert cal.working_days_between(received, last) == 7, received
        assert cal.working_days_between(received, last - dt.timedelta(days=1)) == 6, received
        received += dt.timedelta(days=1)


@given(received=st.dates(min_value=dt.date(2004, 1, 1), max_value=dt.date(2026, 11, 30)),
       after=st.integers(min_value=0, max_value=30))
def test_a_correction_request_is_flagged_late_exactly_after_the_last_day(received, after):
    requested = received + dt.timedelta(days=after)
    last = last_correction_day(received)
    result = compute_clock(received, [CorrectionRequested(requested)], today=requested)
    assert bool(result.warnings) == (requested > last)
    if requested > last:
        assert str(last) in result.warnings[0].label_zh
        assert str(last) in result.warnings[0].label_en


def test_a_request_on_the_rest_day_after_the_7th_working_day_is_late():
    # Received Wed 4 November 2026: the 7th working day is Fri 13; Sat 14 is after it.
    result = clock(CorrectionRequested(D("2026-11-14")), received=D("2026-11-04"))
    [warning] = result.warnings
    assert "2026-11-13" in warning.label_zh and "休息日" in warning.label_zh
    assert "a rest day after working day 7" in warning.label_en


def test_no_correction_by_the_deadline_means_the_application_lapses():
    request = CorrectionRequested(D("2026-11-04"), deadline=D("2026-11-18"))
    assert clock(request, today="2026-11-18").state is ClockState.PAUSED
    result = clock(request, today="2026-11-19")
    assert result.state is ClockState.LAPSED
    assert result.lapse == "other.correction_overdue"
    assert result.explanation[-1].kind is StepKind.CORRECTION_OVERDUE
    assert "视为放弃申请" in result.explanation[-1].label_zh


def test_a_correction_after_the_deadline_is_accepted_with_a_warning():
    result = clock(
        CorrectionRequested(D("2026-11-04"), deadline=D("2026-11-10")),
        CorrectionReceived(D("2026-11-12")),
    )
    assert result.lapse is None
    assert [w.kind for w in result.warnings] == [StepKind.CORRECTION_RECEIVED]


# ---- Consultation (Arts. 32–34) -------------------------------------------------------------


def test_consultation_time_is_not_counted():
    # Paused Fri 6 … Thu 12 Nov: 6, 9, 10, 11, 12 = 5 working days.
    result = clock(ConsultationSent(D("2026-11-05")), ConsultationAnswered(D("2026-11-12")))
    assert result.due == D("2026-12-07")
    assert result.paused_working_days == 5
    step = result.explanation[-1]
    assert (step.kind, step.due_before, step.due_after) == (
        StepKind.CONSULTATION, D("2026-11-30"), D("2026-12-07"),
    )
    assert (step.date, step.end) == (D("2026-11-05"), D("2026-11-12"))
    assert step.article_zh == "第三十二条、第三十三条第三款"


def test_consulting_another_agency_cites_article_34():
    result = clock(ConsultationSent(D("2026-11-05"), ConsultationKind.AGENCY))
    assert result.explanation[-1].article_zh.startswith("第三十四条")


def test_an_open_consultation_pauses_the_clock_up_to_today():
    result = clock(ConsultationSent(D("2026-11-05")), today="2026-11-10")
    assert result.state is ClockState.PAUSED
    # 6, 9, 10 Nov paused so far: the provisional due date moves 3 working days.
    assert result.due == D("2026-12-03")
    [pause] = result.pauses
    assert (pause.kind, pause.open, pause.working_days) == (PauseKind.CONSULTATION, True, 3)


def test_a_consultation_pauses_at_most_15_working_days_then_the_clock_runs_again():
    # The 15th working day after Thu 5 Nov is Thu 26 Nov; the 20 days then end
    # 15 working days after Mon 30 Nov, on Mon 21 Dec.
    result = clock(ConsultationSent(D("2026-11-05")), today="2026-12-15")
    assert result.due == D("2026-12-21")
    assert result.paused_working_days == 15
    assert not result.pauses[0].open
    # Counted: 3, 4, 5 Nov, then 27 Nov to 15 Dec (13 days): 16 used, 4 left.
    assert (result.used, result.left) == (16, 4)
    assert result.state is ClockState.DUE_SOON
    assert "最多不计入 15 个工作日" in result.explanation[-1].label_zh


def test_overlapping_pauses_remove_each_day_once():
    alone = clock(ConsultationSent(D("2026-11-05")), ConsultationAnswered(D("2026-11-12")))
    overlapping = clock(
        ConsultationSent(D("2026-11-05")),
        FeeNotified(D("2026-11-09")),
        FeePaid(D("2026-11-11")),
        ConsultationAnswered(D("2026-11-12")),
    )
    assert overlapping.due == alone.due == D("2026-12-07")


def test_concurrent_consultations_are_told_apart_by_party():
    result = clock(
        ConsultationSent(D("2026-11-05"), party="A公司"),
        ConsultationSent(D("2026-11-06"), party="B公司"),
        ConsultationAnswered(D("2026-11-10"), party="A公司"),
        ConsultationAnswered(D("2026-11-12"), party="B公司"),
    )
    assert result.due == D("2026-12-07")
    assert "A公司" in result.explanation[1].label_zh


# ---- Fees (国办函〔2020〕109号) -------------------------------------------------------------


def test_the_wait_for_a_fee_payment_is_not_counted():
    # Paused Fri 6, Mon 9, Tue 10 Nov.
    result = clock(FeeNotified(D("2026-11-05")), FeePaid(D("2026-11-10")))
    assert result.due == D("2026-12-03")
    step = result.explanation[-1]
    assert step.kind is StepKind.FEE
    assert "信息处理费管理办法" in step.article_zh


def test_a_fee_unpaid_20_working_days_after_the_notice_means_the_application_lapses():
    notice = FeeNotified(D("2026-11-03"))  # the 20th working day after it is Tue 1 Dec
    assert clock(notice, today="2026-12-01").state is ClockState.PAUSED
    result = clock(notice, today="2026-12-02")
    assert result.state is ClockState.LAPSED
    assert result.lapse == "other.fee_unpaid"
    assert result.lapse in OUTCOME_KEYS
    assert result.explanation[-1].kind is StepKind.FEE_UNPAID
    assert "视为放弃申请" in result.headline_zh


# ---- Extension (Art. 33(2)) --------------------------------------------------------------


def test_an_extension_adds_exactly_its_working_days():
    result = clock(Extended(D("2026-11-20"), 10))
    assert result.due == D("2026-12-14")
    assert result.period_working_days == 30
    step = result.explanation[-1]
    assert (step.due_before, step.due_after) == (D("2026-11-30"), D("2026-12-14"))
    assert step.article_zh == "第三十三条第二款"


def test_an_extension_notified_after_the_due_date_is_flagged():
    result = clock(Extended(D("2026-12-01"), 5))
    assert [w.kind for w in result.warnings] == [StepKind.EXTENDED]


# ---- Closing -------------------------------------------------------------------------------


def test_a_reply_within_the_period_closes_the_clock():
    result = clock(Replied(D("2026-11-20")), today="2026-12-20")
    assert result.state is ClockState.CLOSED
    assert result.closed_on == D("2026-11-20")
    assert (result.used, result.left) == (14, 6)
    assert not result.warnings


def test_a_late_reply_is_flagged_with_how_late_it_was():
    result = clock(Replied(D("2026-12-03")))
    assert result.left == -3
    [warning] = result.warnings
    assert "超过答复期限 2026-11-30 共 3 个工作日" in warning.label_zh


def test_a_withdrawal_closes_the_clock():
    assert clock(Withdrawn(D("2026-11-05")), today="2026-12-20").state is ClockState.CLOSED


# ---- Rejected sequences ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([Extended(D("2026-11-05"), 21)], "extension of 21 working days"),
        ([Extended(D("2026-11-05"), 0)], "extension of 0 working days"),
        ([Extended(D("2026-11-05"), 5), Extended(D("2026-11-06"), 5)], "second extension"),
        (
            [
                CorrectionRequested(D("2026-11-03")),
                CorrectionReceived(D("2026-11-04")),
                CorrectionRequested(D("2026-11-05")),
            ],
            "second correction request",
        ),
        ([FeeNotified(D("2026-10-30"))], "before the receipt date"),
        ([ConsultationAnswered(D("2026-11-05"))], "never consulted"),
        ([FeePaid(D("2026-11-05"))], "without a fee notice"),
        ([CorrectionReceived(D("2026-11-05"))], "without a pending correction request"),
        (
            [FeeNotified(D("2026-11-06")), FeePaid(D("2026-11-05"))],
            "events must be given in date order",
        ),
        ([Replied(D("2026-11-05")), FeeNotified(D("2026-11-06"))], "nothing can follow"),
        ([Withdrawn(D("2026-11-05")), Replied(D("2026-11-06"))], "nothing can follow"),
        (
            [CorrectionRequested(D("2026-11-04")), Extended(D("2026-11-05"), 5)],
            "while a correction is awaited",
        ),
        (
            [ConsultationSent(D("2026-11-04")), ConsultationSent(D("2026-11-05"))],
            "own party",
        ),
        ([CorrectionRequested(D("2026-11-04"), deadline=D("2026-11-03"))], "deadline"),
    ],
)
def test_sequences_the_regulation_does_not_allow_are_refused_with_a_reason(events, message):
    with pytest.raises(ClockError, match=message):
        clock(*events, today="2026-12-31")


def test_an_event_after_today_is_refused():
    with pytest.raises(ClockError, match="after today"):
        compute_clock(MON, [Replied(D("2026-11-10"))], today=D("2026-11-09"))


def test_today_before_receipt_is_refused():
    with pytest.raises(ClockError, match="before the receipt date"):
        compute_clock(MON, [], today=D("2026-11-01"))


# ---- Unknown years -----------------------------------------------------------------------


def test_a_period_running_into_a_year_without_data_is_an_error():
    with pytest.raises(UnknownYearError) as caught:
        clock(received=D("2026-12-20"))
    assert caught.value.year == 2027


def test_the_weekends_only_fallback_says_which_years_it_assumed():
    result = clock(received=D("2026-12-20"), calendar=shipped_calendar(assume_weekends=True))
    assert result.due == D("2027-01-15")  # Mon–Fri only from 1 Jan 2027: the 19th is 15 Jan
    assert result.assumed_years == (2027,)
    assert clock().assumed_years == ()


def test_the_result_renders_as_json_ready_data():
    data = clock(ConsultationSent(D("2026-11-05")), today="2026-11-10").as_dict()
    assert data["due"] == "2026-12-03"
    assert data["state"] == "paused"
    assert data["explanation"][1]["due_before"] == "2026-11-30"
    assert data["pauses"][0]["open"] is True


# ---- Properties ------------------------------------------------------------------------------

# Events given on one day are applied in this order.
ORDER = [
    CorrectionRequested, CorrectionReceived, ConsultationSent, ConsultationAnswered,
    FeeNotified, FeePaid, Extended,
]


def in_order(events):
    return sorted(events, key=lambda e: (e.date, ORDER.index(type(e))))


days = st.integers(min_value=0, max_value=40).map(lambda n: dt.timedelta(days=n))
receipts = st.dates(min_value=dt.date(2004, 1, 1), max_value=dt.date(2025, 12, 31))


@st.composite
def pauses(draw, after):
    """A consultation or fee notice starting on or after ``after``, answered or still open."""
    start = after + draw(days)
    end = start + draw(days) if draw(st.booleans()) else None
    if draw(st.booleans()):
        kind = draw(st.sampled_from(ConsultationKind))
        return [ConsultationSent(start, kind)] + ([ConsultationAnswered(end)] if end else [])
    return [FeeNotified(start)] + ([FeePaid(end)] if end else [])


@st.composite
def histories(draw):
    """A receipt date and a valid history: maybe a correction, maybe an extension."""
    received = draw(receipts)
    events, start = [], received
    if draw(st.booleans()):
        requested = received + draw(days)
        start = requested + draw(days)
        events += [CorrectionRequested(requested), CorrectionReceived(start)]
    if draw(st.booleans()):
        events.append(Extended(start + draw(days), draw(st.integers(1, 20))))
    return received, start, events


def compute(received, events, today):
    return compute_clock(received, in_order(events), today=today)


@given(history=histories(), data=st.data(), later=days)
def test_a_pause_never_moves_the_due_date_earlier(history, data, later):
    received, start, events = history
    paused = data.draw(pauses(received))
    today = max(e.date for e in [*events, *paused]) + later
    without = compute(received, events, today)
    with_pause = compute(received, events + paused, today)
    assert with_pause.due >= without.due


@given(history=histories(), data=st.data(), n=st.integers(1, 20), when=days, later=days)
def test_an_extension_of_n_adds_exactly_n_counted_working_days(history, data, n, when, later):
    received, start, events = history
    events = [e for e in events if not isinstance(e, Extended)]
    paused = data.draw(pauses(received)) if data.draw(st.booleans()) else []
    extension = Extended(start + when, n)
    today = max(e.date for e in [*events, *paused, extension]) + later
    without = compute(received, events + paused, today)
    extended = compute(received, [*events, *paused, extension], today)
    spans = [(p.start, p.end) for p in extended.pauses]
    counted, d = 0, without.due
    while d < extended.due:
        d += dt.timedelta(days=1)
        counted += is_working_day(d) and not any(a < d <= b for a, b in spans)
    assert counted == n


@given(history=histories(), data=st.data(), later=days)
def test_the_due_date_is_always_a_working_day(history, data, later):
    received, start, events = history
    paused = data.draw(pauses(received))
    today = max([received, *(e.date for e in events + paused)]) + later
    result = compute(received, events + paused, today)
    assert is_working_day(result.due)
