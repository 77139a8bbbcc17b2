"""The statutory clock of one disclosure application, pure Python.

The due date of an application is a pure function of its confirmed receipt date, the
events that happened to it, the working-day calendar and a handful of conventions
(:class:`ClockRules`). Keeping it pure means the stored due date is only a cache that can
be recomputed at any time, and that staff and applicants can always be shown *why* the
due date is what it is: :func:`compute_clock` returns the result together with an
explanation, one step per event, each citing the article behind it.

How the events act on the 20 working days of Art. 33(2) (counted 次日起算):

- A correction request (Art. 30) makes the due date unknown; the period restarts from the
  day the corrected application arrives, so the correction time is never counted. Only
  one request is allowed, within 7 working days of receipt (:func:`last_correction_day`).
  The actions refuse a later one; but records made before they did (or imported) may hold
  one, and it did happen and the applicant was told, so the clock accepts it and flags it
  as a warning instead of refusing to compute.
- A pause (a consultation under Arts. 32/34, a fee notice until payment) from date A to
  date B removes the working days d with A < d <= B from the count; a consultation
  removes at most 15 working days; a pause still open runs up to today. Overlapping
  pauses remove each day once.
- One extension adds exactly its N working days (1 <= N <= 20) to the period; it cannot
  be granted while a correction is awaited (no period is running), and one granted before
  a correction request still lengthens the restarted period.
- A fee unpaid 20 working days after the notice, or a correction not received by the
  deadline the applicant was given, makes the application lapse (outcomes
  ``other.fee_unpaid`` / ``other.correction_overdue``): the result says so.

Event sequences the Regulation does not allow raise :class:`ClockError` with a message a
handler can act on; a year missing from the calendar raises
:class:`xxgk.workdays.UnknownYearError`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, ClassVar

from xxgk.taxonomy import OUTCOMES_BY_KEY, Category
from xxgk.workdays import WorkCalendar, shipped_calendar

# Looked up at import so that a renamed outcome key fails loudly here, not in a report.
CORRECTION_OVERDUE: Category = OUTCOMES_BY_KEY["other.correction_overdue"]
FEE_UNPAID: Category = OUTCOMES_BY_KEY["other.fee_unpaid"]


class ClockError(ValueError):
    """An event sequence that the Regulation does not allow or that is out of order."""


@dataclass(frozen=True)
class ClockRules:
    """Every number the clock uses, named, so that each convention is visible and settable.

    The defaults are the Regulation's (and the fee measures') own figures, except
    ``due_soon_working_days``, which is an xxgk convention.
    """

    reply_working_days: int = 20  # Art. 33(2)
    correction_request_working_days: int = 7  # Art. 30: tell the applicant within 7
    consultation_max_working_days: int = 15  # Arts. 32 and 34
    max_extension_working_days: int = 20  # Art. 33(2)
    extensions_allowed: int = 1  # Art. 33(2)
    fee_payment_working_days: int = 20  # 国办函〔2020〕109号
    due_soon_working_days: int = 5  # xxgk: "due soon" from this many working days left


DEFAULT_RULES = ClockRules()


class ClockState(StrEnum):
    """Where an application stands on a given day."""

    RUNNING = "running"
    PAUSED = "paused"  # awaiting a correction, a consultation answer or a fee payment
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    LAPSED = "lapsed"  # treated as abandoned; to be closed with the lapse outcome
    CLOSED = "closed"


class ConsultationKind(StrEnum):
    THIRD_PARTY = "third_party"  # Art. 32
    AGENCY = "agency"  # Art. 34


# ---- Events --------------------------------------------------------------------------


@dataclass(frozen=True)
class CorrectionRequested:
    """The applicant was asked, once, to correct the application, possibly by a deadline."""

    what: ClassVar[str] = "correction request"
    date: dt.date
    deadline: dt.date | None = None


@dataclass(frozen=True)
class CorrectionReceived:
    what: ClassVar[str] = "corrected application"
    date: dt.date


@dataclass(frozen=True)
class ConsultationSent:
    """A consultation sent; ``party`` pairs it with its answer when several overlap."""

    what: ClassVar[str] = "consultation"
    date: dt.date
    kind: ConsultationKind = ConsultationKind.THIRD_PARTY
    party: str = ""


@dataclass(frozen=True)
class ConsultationAnswered:
    what: ClassVar[str] = "consultation answer"
    date: dt.date
    party: str = ""


@dataclass(frozen=True)
class FeeNotified:
    what: ClassVar[str] = "fee notice"
    date: dt.date


@dataclass(frozen=True)
class FeePaid:
    what: ClassVar[str] = "fee payment"
    date: dt.date


@dataclass(frozen=True)
class Extended:
    what: ClassVar[str] = "extension"
    date: dt.date
    days: int


@dataclass(frozen=True)
class Replied:
    what: ClassVar[str] = "reply"
    date: dt.date


@dataclass(frozen=True)
class Withdrawn:
    what: ClassVar[str] = "withdrawal"
    date: dt.date


Event = (
    CorrectionRequested
    | CorrectionReceived
    | ConsultationSent
    | ConsultationAnswered
    | FeeNotified
    | FeePaid
    | Extended
    | Replied
    | Withdrawn
)


# ---- Result --------------------------------------------------------------------------


class StepKind(StrEnum):
    RECEIVED = "received"
    CORRECTION_REQUESTED = "correction_requested"
    CORRECTION_RECEIVED = "correction_received"
    CORRECTION_OVERDUE = "correction_overdue"
    CONSULTATION = "consultation"
    FEE = "fee"
    FEE_UNPAID = "fee_unpaid"
    EXTENDED = "extended"
    REPLIED = "replied"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Step:
    """One line of the explanation: what happened, its effect on the due date, and why.

    ``due_before``/``due_after`` are None while the due date cannot be known (awaiting a
    correction). ``warning`` marks an irregularity a handler should see, such as a
    correction request later than the law allows.
    """

    kind: StepKind
    date: dt.date
    end: dt.date | None
    due_before: dt.date | None
    due_after: dt.date | None
    article_zh: str
    article_en: str
    label_zh: str
    label_en: str
    warning: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "date": _iso(self.date),
            "end": _iso(self.end),
            "due_before": _iso(self.due_before),
            "due_after": _iso(self.due_after),
            "article_zh": self.article_zh,
            "article_en": self.article_en,
            "label_zh": self.label_zh,
            "label_en": self.label_en,
            "warning": self.warning,
        }


class PauseKind(StrEnum):
    CONSULTATION = "consultation"
    FEE = "fee"


@dataclass(frozen=True)
class PauseSpan:
    """The working days d with start < d <= end were not counted (for this pause)."""

    kind: PauseKind
    start: dt.date
    end: dt.date
    open: bool  # still pausing the clock on the day the result is for
    working_days: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "start": _iso(self.start),
            "end": _iso(self.end),
            "open": self.open,
            "working_days": self.working_days,
        }


@dataclass(frozen=True)
class ClockResult:
    """The clock of one application as of ``today``.

    ``used`` and ``left`` count working days of the reply period (paused days excluded)
    up to ``today``, or up to the closing date once closed; ``left`` goes negative when the
    due date has passed. Both, and ``due``, are None while a correction is awaited.
    ``paused_working_days`` is how many working days the pauses added before the due
    date. ``assumed_years`` lists the years computed on the weekends-only fallback.
    """

    received: dt.date
    today: dt.date
    period_start: dt.date | None
    due: dt.date | None
    period_working_days: int
    used: int | None
    left: int | None
    paused_working_days: int
    state: ClockState
    lapse: str | None
    closed_on: dt.date | None
    assumed_years: tuple[int, ...]
    pauses: tuple[PauseSpan, ...]
    explanation: tuple[Step, ...]
    headline_zh: str
    headline_en: str

    @property
    def warnings(self) -> tuple[Step, ...]:
        return tuple(step for step in self.explanation if step.warning)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready rendering (dates as YYYY-MM-DD) for the API and ``xxgk clock``."""
        return {
            "received": _iso(self.received),
            "today": _iso(self.today),
            "period_start": _iso(self.period_start),
            "due": _iso(self.due),
            "period_working_days": self.period_working_days,
            "used": self.used,
            "left": self.left,
            "paused_working_days": self.paused_working_days,
            "state": self.state.value,
            "lapse": self.lapse,
            "closed_on": _iso(self.closed_on),
            "assumed_years": list(self.assumed_years),
            "headline_zh": self.headline_zh,
            "headline_en": self.headline_en,
            "pauses": [p.as_dict() for p in self.pauses],
            "explanation": [s.as_dict() for s in self.explanation],
        }


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


# ---- Articles ------------------------------------------------------------------------

_ART_RECEIPT = ("第三十一条、第三十三条第二款", "Regulation Arts. 31 and 33(2)")
_ART_CORRECTION = ("第三十条", "Regulation Art. 30")
_ART_CONSULTATION = {
    ConsultationKind.THIRD_PARTY: ("第三十二条、第三十三条第三款", "Regulation Arts. 32 and 33(3)"),
    ConsultationKind.AGENCY: ("第三十四条、第三十三条第三款", "Regulation Arts. 34 and 33(3)"),
}
_ART_EXTENSION = ("第三十三条第二款", "Regulation Art. 33(2)")
_ART_FEE = (
    "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
    "Measures on OGI Processing Fees (Guobanhan [2020] No. 109)",
)
_ART_REPLY = ("第三十三条第二款", "Regulation Art. 33(2)")
_ART_NONE = ("", "")


# ---- Deadlines ---------------------------------------------------------------------------


def last_correction_day(
    received: dt.date, calendar: WorkCalendar | None = None, rules: ClockRules = DEFAULT_RULES
) -> dt.date:
    """The last day on which the applicant may be asked to correct an application received
    on ``received``: the ``rules.correction_request_working_days``-th (7th) working day after
    it, counted from the next day (次日起算), as Art. 30 says "自收到申请之日起7个工作日内".

    A request dated after this day is late, whether that day is a working day or not: the
    period ended with its last working day. Raises
    :class:`~xxgk.workdays.UnknownYearError` for a year the calendar lacks (unless the
    calendar assumes weekends, when the day is only the weekends-only estimate).
    """
    cal = shipped_calendar() if calendar is None else calendar
    return cal.add_working_days(received, rules.correction_request_working_days)


# ---- Reading the events ----------------------------------------------------------------


@dataclass
class _Consultation:
    index: int
    sent: ConsultationSent
    answered: ConsultationAnswered | None = None


@dataclass
class _Fee:
    index: int
    notified: FeeNotified
    paid: FeePaid | None = None


@dataclass
class _Timeline:
    """The validated events, with each pause paired to the event that ends it."""

    correction: CorrectionRequested | None = None
    corrected: CorrectionReceived | None = None
    consultations: list[_Consultation] = field(default_factory=list)
    fees: list[_Fee] = field(default_factory=list)
    extensions: int = 0
    closing: Replied | Withdrawn | None = None


def _read(
    received: dt.date, events: Sequence[Event], today: dt.date, rules: ClockRules
) -> _Timeline:
    if today < received:
        raise ClockError(f"today ({today}) is before the receipt date ({received})")
    timeline = _Timeline()
    open_consultations: dict[str, _Consultation] = {}
    open_fee: _Fee | None = None
    previous = received
    for index, event in enumerate(events):
        if not isinstance(event, Event):
            raise TypeError(f"not a clock event: {event!r}")
        when = event.date
        if timeline.closing is not None:
            raise ClockError(
                f"{event.what} on {when}: the application was closed by the "
                f"{timeline.closing.what} on {timeline.closing.date}; nothing can follow it"
            )
        if when < received:
            raise ClockError(f"{event.what} on {when} is before the receipt date {received}")
        if when < previous:
            raise ClockError(
                f"{event.what} on {when} follows an event dated {previous}: "
                "events must be given in date order"
            )
        if when > today:
            raise ClockError(f"{event.what} on {when} is after today ({today})")
        previous = when
        match event:
            case CorrectionRequested():
                if timeline.correction is not None:
                    raise ClockError(
                        f"a second correction request on {when} (the first was on "
                        f"{timeline.correction.date}): Art. 30 allows the applicant to be "
                        "asked to correct the application only once"
                    )
                if event.deadline is not None and event.deadline < when:
                    raise ClockError(
                        f"the correction deadline {event.deadline} is before the request "
                        f"on {when}"
                    )
                timeline.correction = event
            case CorrectionReceived():
                if timeline.correction is None or timeline.corrected is not None:
                    raise ClockError(
                        f"a corrected application on {when} without a pending correction "
                        "request"
                    )
                timeline.corrected = event
            case ConsultationSent():
                if event.party in open_consultations:
                    pending = open_consultations[event.party].sent
                    raise ClockError(
                        f"a consultation of {event.party or 'the same party'} on {when} while "
                        f"the one sent on {pending.date} is unanswered; give each concurrent "
                        "consultation its own party"
                    )
                consultation = _Consultation(index, event)
                open_consultations[event.party] = consultation
                timeline.consultations.append(consultation)
            case ConsultationAnswered():
                answered = open_consultations.pop(event.party, None)
                if answered is None:
                    raise ClockError(
                        f"a consultation answer on {when} from "
                        f"{event.party or 'a party'} that was never consulted (or already "
                        "answered)"
                    )
                answered.answered = event
            case FeeNotified():
                if open_fee is not None:
                    raise ClockError(
                        f"a fee notice on {when} while the one of {open_fee.notified.date} "
                        "is unpaid"
                    )
                open_fee = _Fee(index, event)
                timeline.fees.append(open_fee)
            case FeePaid():
                if open_fee is None:
                    raise ClockError(f"a fee payment on {when} without a fee notice")
                open_fee.paid = event
                open_fee = None
            case Extended():
                if not 1 <= event.days <= rules.max_extension_working_days:
                    raise ClockError(
                        f"an extension of {event.days} working days: Art. 33(2) allows 1 to "
                        f"{rules.max_extension_working_days}"
                    )
                if timeline.extensions >= rules.extensions_allowed:
                    raise ClockError(
                        f"a second extension on {when}: Art. 33(2) allows the period to be "
                        "extended once"
                    )
                if timeline.correction is not None and timeline.corrected is None:
                    raise ClockError(
                        f"an extension on {when} while a correction is awaited: the reply "
                        "period restarts only when the corrected application arrives"
                    )
                timeline.extensions += 1
            case Replied() | Withdrawn():
                timeline.closing = event
    return timeline


# ---- Counting --------------------------------------------------------------------------


class _Counter:
    """Working days on one calendar, minus the days removed by pauses."""

    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        self.spans: list[tuple[dt.date, dt.date]] = []

    def _counts(self, d: dt.date) -> bool:
        return self.calendar.is_working_day(d) and not any(a < d <= b for a, b in self.spans)

    def due(self, start: dt.date | None, period: int) -> dt.date | None:
        if start is None:
            return None
        d, n = start, period
        while n:
            d += dt.timedelta(days=1)
            if self._counts(d):
                n -= 1
        return d

    def counted(self, start: dt.date, end: dt.date) -> int:
        """Counted working days d with start < d <= end (negated if end < start)."""
        if end < start:
            return -self.counted(end, start)
        n, d = 0, start
        while d < end:
            d += dt.timedelta(days=1)
            n += self._counts(d)
        return n


def _days(n: int) -> tuple[str, str]:
    """``n`` working days, in Chinese and English."""
    return f"{n} 个工作日", f"{n} working day{'s' if n != 1 else ''}"


# ---- Pauses and lapses -------------------------------------------------------------------


@dataclass(frozen=True)
class _Pause:
    """A pause with the words that explain how it ended (or why it has not)."""

    span: PauseSpan
    note_zh: str
    note_en: str
    warning: bool
    limit: dt.date  # the 15-day cap or the payment deadline
    lapse: Step | None = None


def _consultation_pause(
    c: _Consultation, cal: WorkCalendar, rules: ClockRules, horizon: dt.date, closed: bool
) -> _Pause:
    a = c.sent.date
    cap = cal.add_working_days(a, rules.consultation_max_working_days)
    natural = c.answered.date if c.answered else horizon
    end = min(natural, cap)
    span = PauseSpan(
        PauseKind.CONSULTATION,
        a,
        end,
        c.answered is None and not closed and natural <= cap,
        cal.working_days_between(a, end),
    )
    n_zh, n_en = _days(span.working_days)
    max_zh, max_en = _days(rules.consultation_max_working_days)
    if natural > cap:
        got_zh = f"{c.answered.date} 才答复" if c.answered else f"截至 {horizon} 未答复"
        got_en = f"answered only on {c.answered.date}" if c.answered else f"unanswered on {horizon}"
        zh = f"{got_zh}；征求意见时间最多不计入 {max_zh}（至 {cap}），此后恢复计时。"
        en = (
            f"{got_en}; consultation time is not counted for at most {max_en} (to {cap}), "
            "after which the clock runs again."
        )
    elif c.answered:
        zh = f"{c.answered.date} 收到意见：其间 {n_zh}不计入答复期限。"
        en = f"answered on {c.answered.date}: those {n_en} are not counted."
    elif closed:
        zh = f"至结案（{end}）未收到意见：其间 {n_zh}不计入答复期限。"
        en = f"no answer by the closing date {end}: those {n_en} are not counted."
    else:
        zh = f"截至 {end} 尚未答复：暂停计时（已 {n_zh}，最多 {max_zh}，至 {cap}），答复期限为暂定。"
        en = (
            f"no answer by {end}: the clock is paused ({n_en} so far, at most {max_en}, "
            f"to {cap}); the due date is provisional."
        )
    return _Pause(span, zh, en, False, cap)


def _fee_pause(
    f: _Fee, cal: WorkCalendar, rules: ClockRules, horizon: dt.date, closed: bool
) -> _Pause:
    a = f.notified.date
    deadline = cal.add_working_days(a, rules.fee_payment_working_days)
    # An unpaid notice stops pausing the clock at the payment deadline: the application
    # has lapsed by then.
    end = f.paid.date if f.paid else min(horizon, deadline)
    span = PauseSpan(
        PauseKind.FEE,
        a,
        end,
        f.paid is None and not closed and horizon <= deadline,
        cal.working_days_between(a, end),
    )
    n_zh, n_en = _days(span.working_days)
    pay_zh, pay_en = _days(rules.fee_payment_working_days)
    if f.paid:
        late = f.paid.date > deadline
        zh = f"{f.paid.date} 缴费：等待缴费的 {n_zh}不计入答复期限（本系统约定）。"
        en = (
            f"paid on {f.paid.date}: the {n_en} waiting for payment are not counted "
            "(an xxgk convention)."
        )
        if late:
            zh += f"注意：缴费晚于缴费期限 {deadline}。"
            en += f" Warning: paid after the payment deadline {deadline}."
        return _Pause(span, zh, en, late, deadline)
    if horizon > deadline:
        lapse = Step(
            StepKind.FEE_UNPAID, deadline, None, None, None, *_ART_FEE,
            f"收费通知发出后 {pay_zh}内（至 {deadline}）未缴费：视为放弃申请，"
            f"行政机关不再处理（{FEE_UNPAID.label_zh}）。",
            f"No payment within {pay_en} of the fee notice (by {deadline}): the application "
            f"is treated as abandoned ({FEE_UNPAID.key}).",
        )
        return _Pause(
            span,
            f"至缴费期限 {deadline} 未缴费。",
            f"not paid by the payment deadline {deadline}.",
            False,
            deadline,
            lapse,
        )
    if closed:
        zh = f"至结案（{end}）未缴费：其间 {n_zh}不计入答复期限。"
        en = f"not paid by the closing date {end}: those {n_en} are not counted."
    else:
        zh = f"截至 {end} 尚未缴费（缴费期限 {pay_zh}，至 {deadline}）：暂停计时，答复期限为暂定。"
        en = (
            f"not paid by {end} (payment is due within {pay_en}, by {deadline}): the clock "
            "is paused and the due date is provisional."
        )
    return _Pause(span, zh, en, False, deadline)


def _correction_lapse(timeline: _Timeline, horizon: dt.date) -> Step | None:
    """The lapse of an application whose correction deadline passed without a correction."""
    request = timeline.correction
    if request is None or request.deadline is None or timeline.corrected is not None:
        return None
    if horizon <= request.deadline:
        return None
    return Step(
        StepKind.CORRECTION_OVERDUE, request.deadline, None, None, None, *_ART_CORRECTION,
        f"补正期限 {request.deadline} 已过，未收到补正：视为放弃申请，"
        f"行政机关不再处理（{CORRECTION_OVERDUE.label_zh}）。",
        f"The correction deadline {request.deadline} passed without a corrected "
        f"application: it is treated as abandoned ({CORRECTION_OVERDUE.key}).",
    )


# ---- Replaying the events ------------------------------------------------------------------


class _Replay:
    """Applies the events in order, recording how each one moved the due date."""

    def __init__(
        self,
        received: dt.date,
        cal: WorkCalendar,
        rules: ClockRules,
        pauses: dict[int, _Pause],
        correction: CorrectionRequested | None,
    ) -> None:
        self.received = received
        self.cal = cal
        self.rules = rules
        self.pauses = pauses
        self.correction = correction
        self.counter = _Counter(cal)
        self.start: dt.date | None = received
        self.period = rules.reply_working_days
        self.due = self.counter.due(received, self.period)
        p_zh, p_en = _days(self.period)
        self.steps = [
            Step(
                StepKind.RECEIVED, received, None, None, self.due, *_ART_RECEIPT,
                f"{received} 收到申请（以确认的收到日期为准）；自收到之日起 {p_zh}内答复"
                f"（次日起算），至 {self.due}。",
                f"Application received on {received} (the confirmed receipt date); the reply "
                f"is due within {p_en} counted from the next day: by {self.due}.",
            )
        ]

    def apply(self, index: int, item: Event | Step) -> None:
        before = self.due
        # Answers and payments have no step of their own: they are folded into the step of
        # the pause they end.
        match item:
            case Step():
                # A lapse moves nothing; it only says what the due date was at the time.
                self.steps.append(replace(item, due_before=before, due_after=before))
            case CorrectionRequested():
                self.start = self.due = None
                self.steps.append(self._correction_requested(item, before))
            case CorrectionReceived():
                self.start = item.date
                self.due = self.counter.due(self.start, self.period)
                self.steps.append(self._correction_received(item))
            case ConsultationSent() | FeeNotified():
                pause = self.pauses[index]
                self.counter.spans.append((pause.span.start, pause.span.end))
                self.due = self.counter.due(self.start, self.period)
                self.steps.append(self._pause_step(item, pause, before))
            case Extended():
                self.period += item.days
                self.due = self.counter.due(self.start, self.period)
                self.steps.append(self._extended(item, before))
            case Replied():
                self.steps.append(self._replied(item))
            case Withdrawn():
                self.steps.append(
                    Step(
                        StepKind.WITHDRAWN, item.date, None, before, before, *_ART_NONE,
                        f"{item.date} 申请人撤回申请，停止计时。",
                        f"{item.date}: the applicant withdrew the application; the clock stops.",
                    )
                )

    def _correction_requested(self, item: CorrectionRequested, before: dt.date | None) -> Step:
        nth = self.cal.working_days_between(self.received, item.date)
        last = last_correction_day(self.received, self.cal, self.rules)
        late = item.date > last
        limit_zh, limit_en = _days(self.rules.correction_request_working_days)
        by_zh = f"，补正期限至 {item.deadline}" if item.deadline else ""
        by_en = f" by {item.deadline}" if item.deadline else ""
        zh = (
            f"{item.date} 一次性告知申请人补正{by_zh}；答复期限自收到补正后的申请之日起重新计算，"
            "补正期间不计入，收到补正前答复期限无法确定。"
        )
        en = (
            f"On {item.date} the applicant was asked, once, to correct the application{by_en}; "
            "the period restarts when the corrected application arrives, the correction time "
            "is never counted, and until then the due date cannot be known."
        )
        if late:
            # A request on a rest day after the last one is late too, with the same count.
            zh += (
                f"注意：补正告知应在收到申请后 {limit_zh}内（至 {last}）作出，"
                f"实为第 {nth} 个工作日" + ("。" if self.cal.is_working_day(item.date)
                                           else f"之后的休息日 {item.date}。")
            )
            en += (
                f" Warning: the request is due within {limit_en} of receipt (by {last}); this "
                f"one came on " + (f"working day {nth}." if self.cal.is_working_day(item.date)
                                   else f"{item.date}, a rest day after working day {nth}.")
            )
        return Step(
            StepKind.CORRECTION_REQUESTED, item.date, item.deadline, before, None,
            *_ART_CORRECTION, zh, en, late,
        )

    def _correction_received(self, item: CorrectionReceived) -> Step:
        deadline = self.correction.deadline if self.correction else None
        late = deadline is not None and item.date > deadline
        p_zh, p_en = _days(self.period)
        zh = f"{item.date} 收到补正后的申请，答复期限重新计算：{p_zh}，至 {self.due}。"
        en = (
            f"Corrected application received on {item.date}: the period of {p_en} restarts "
            f"and ends on {self.due}."
        )
        if late:
            zh += f"注意：补正晚于补正期限 {deadline}。"
            en += f" Warning: it arrived after the correction deadline {deadline}."
        return Step(
            StepKind.CORRECTION_RECEIVED, item.date, None, None, self.due, *_ART_CORRECTION,
            zh, en, late,
        )

    def _pause_step(
        self, item: ConsultationSent | FeeNotified, pause: _Pause, before: dt.date | None
    ) -> Step:
        late = before is not None and item.date > before
        if isinstance(item, FeeNotified):
            kind, article = StepKind.FEE, _ART_FEE
            zh = f"{item.date} 发出收费通知，{pause.note_zh}"
            en = f"{item.date}: fee notice sent; {pause.note_en}"
            if late:
                zh += f"注意：收费通知应在答复期限（{before}）内发出。"
                en += f" Warning: the notice is due within the reply period (by {before})."
        else:
            kind, article = StepKind.CONSULTATION, _ART_CONSULTATION[item.kind]
            third = item.kind is ConsultationKind.THIRD_PARTY
            who_zh = "征求第三方意见" if third else "征求其他机关意见"
            who_en = "third party consulted" if third else "another agency consulted"
            if item.party:
                who_zh += f"（{item.party}）"
                who_en += f" ({item.party})"
            zh = f"{item.date} {who_zh}，{pause.note_zh}"
            en = f"{item.date}: {who_en}; {pause.note_en}"
            if late:
                zh += f"注意：征求意见晚于答复期限 {before}，不能顺延已届满的期限。"
                en += f" Warning: sent after the due date {before}, which it cannot move."
        return Step(
            kind, item.date, pause.span.end, before, self.due, *article, zh, en,
            late or pause.warning,
        )

    def _extended(self, item: Extended, before: dt.date | None) -> Step:
        late = before is not None and item.date > before
        n_zh, n_en = _days(item.days)
        zh = (
            f"{item.date} 经政府信息公开工作机构负责人同意并告知申请人，答复期限延长 {n_zh}。"
        )
        en = (
            f"{item.date}: with the approval of the head of the OGI office, and notified to "
            f"the applicant, the period is extended by {n_en}."
        )
        if late:
            zh += f"注意：延期告知晚于原答复期限 {before}。"
            en += f" Warning: notified after the original due date {before}."
        return Step(
            StepKind.EXTENDED, item.date, None, before, self.due, *_ART_EXTENSION, zh, en, late
        )

    def _replied(self, item: Replied) -> Step:
        due = self.due
        late = due is not None and item.date > due
        if due is None:
            zh = f"{item.date} 作出答复（补正期间）。"
            en = f"{item.date}: replied while a correction was awaited."
        elif not late:
            zh = f"{item.date} 作出答复，在答复期限 {due} 内。"
            en = f"{item.date}: replied within the period (due {due})."
        else:
            late_zh, late_en = _days(self.counter.counted(due, item.date))
            zh = f"{item.date} 作出答复，超过答复期限 {due} 共 {late_zh}。"
            en = f"{item.date}: replied {late_en} after the due date {due}."
        return Step(StepKind.REPLIED, item.date, None, due, due, *_ART_REPLY, zh, en, late)


# ---- The clock -------------------------------------------------------------------------


def compute_clock(
    received: dt.date,
    events: Sequence[Event] = (),
    *,
    today: dt.date,
    calendar: WorkCalendar | None = None,
    rules: ClockRules = DEFAULT_RULES,
) -> ClockResult:
    """The clock of an application received on ``received``, after ``events``, on ``today``.

    ``events`` must be in the order they happened (dates non-decreasing); ``today`` is
    passed in, never read from the system clock, so that every result is reproducible.
    Raises :class:`ClockError` for a sequence the Regulation does not allow and
    :class:`~xxgk.workdays.UnknownYearError` for a date in a year the calendar lacks.
    """
    cal = shipped_calendar() if calendar is None else calendar
    timeline = _read(received, events, today, rules)
    closing = timeline.closing
    # Once the application is closed, pauses and lapses are judged up to the closing date.
    horizon = closing.date if closing else today
    closed = closing is not None

    pauses = {
        c.index: _consultation_pause(c, cal, rules, horizon, closed)
        for c in timeline.consultations
    }
    pauses |= {f.index: _fee_pause(f, cal, rules, horizon, closed) for f in timeline.fees}
    lapses = [p.lapse for p in pauses.values() if p.lapse]
    if correction_lapse := _correction_lapse(timeline, horizon):
        lapses.append(correction_lapse)

    replay = _Replay(received, cal, rules, pauses, timeline.correction)
    items: list[tuple[dt.date, int, Event | Step]] = [
        (e.date, i, e) for i, e in enumerate(events)
    ]
    # A lapse takes effect at the end of its deadline day, after that day's events.
    items += [(step.date, len(events), step) for step in lapses]
    for _, index, item in sorted(items, key=lambda item: (item[0], item[1])):
        replay.apply(index, item)

    start, due, period = replay.start, replay.due, replay.period
    used = left = None
    paused = 0
    if start is not None and due is not None:
        used = replay.counter.counted(start, horizon)
        left = period - used
        paused = cal.working_days_between(start, due) - period

    lapse = None
    if lapses:
        # Whichever deadline passed first is the one the application lapsed on.
        first = min(lapses, key=lambda step: step.date)
        lapse = FEE_UNPAID if first.kind is StepKind.FEE_UNPAID else CORRECTION_OVERDUE
    spans = tuple(pauses[i].span for i in sorted(pauses))
    state = _state(closing, lapse, due, left, spans, today, rules)
    latest = max([horizon, due or received, *(p.limit for p in pauses.values())])
    headline_zh, headline_en = _headline(state, due, left, lapse, closing)
    return ClockResult(
        received=received,
        today=today,
        period_start=start,
        due=due,
        period_working_days=period,
        used=used,
        left=left,
        paused_working_days=paused,
        state=state,
        lapse=lapse.key if lapse else None,
        closed_on=closing.date if closing else None,
        assumed_years=cal.assumed_years(received, latest) if cal.assume_weekends else (),
        pauses=spans,
        explanation=tuple(replay.steps),
        headline_zh=headline_zh,
        headline_en=headline_en,
    )


def _state(
    closing: Replied | Withdrawn | None,
    lapse: Category | None,
    due: dt.date | None,
    left: int | None,
    pauses: tuple[PauseSpan, ...],
    today: dt.date,
    rules: ClockRules,
) -> ClockState:
    if closing is not None:
        return ClockState.CLOSED
    if lapse is not None:
        return ClockState.LAPSED
    if due is None:
        return ClockState.PAUSED
    if today > due:
        return ClockState.OVERDUE
    if any(p.open for p in pauses):
        return ClockState.PAUSED
    if left is not None and left <= rules.due_soon_working_days:
        return ClockState.DUE_SOON
    return ClockState.RUNNING


def _headline(
    state: ClockState,
    due: dt.date | None,
    left: int | None,
    lapse: Category | None,
    closing: Replied | Withdrawn | None,
) -> tuple[str, str]:
    if closing is not None:
        return (
            f"已于 {closing.date} 结案（{'答复' if isinstance(closing, Replied) else '撤回'}）",
            f"closed on {closing.date} ({closing.what})",
        )
    if lapse is not None:
        return (
            f"视为放弃申请，应以“{lapse.label_zh}”结案",
            f"treated as abandoned: close with outcome {lapse.key}",
        )
    if due is None or left is None:
        return "待补正：收到补正后的申请后重新计算答复期限", (
            "awaiting correction: the period restarts when the corrected application arrives"
        )
    if state is ClockState.OVERDUE:
        # The day after a Friday due date is already overdue, though no working day is lost.
        late_zh, late_en = _days(-left)
        return (
            f"已逾期：答复期限 {due} 已过" + (f"，超过 {late_zh}" if left else ""),
            f"overdue: due {due}" + (f", {late_en} late" if left else ""),
        )
    left_zh, left_en = _days(left)
    if state is ClockState.PAUSED:
        return f"暂停计时：答复期限暂定 {due}（剩余 {left_zh}）", (
            f"paused: due {due} for now ({left_en} left)"
        )
    return f"答复期限 {due}（剩余 {left_zh}）", f"due {due} ({left_en} left)"
