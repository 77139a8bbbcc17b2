"""``xxgk clock``: an application's statutory due date, with the reasons for it.

For handlers checking a date by hand and for anyone auditing one: the same pure clock the
workbench uses, on the calendar in force (shipped years plus those entered in the admin).
"""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from xxgk.applications import clock
from xxgk.holidays.calendar import current_calendar
from xxgk.workdays import UnknownYearError

EXIT_INPUT = 2

# Events given on the same day are applied in this order (a consultation answered the day
# it was sent, a fee paid the day it was notified).
_SAME_DAY_ORDER = {
    clock.CorrectionRequested: 0,
    clock.CorrectionReceived: 1,
    clock.ConsultationSent: 2,
    clock.ConsultationAnswered: 3,
    clock.FeeNotified: 4,
    clock.FeePaid: 5,
    clock.Extended: 6,
    clock.Replied: 7,
    clock.Withdrawn: 7,
}


def _date(option: str, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(
            f"{option}: {value!r} is not a date (use YYYY-MM-DD)", returncode=EXIT_INPUT
        ) from None


def _span(option: str, value: str) -> tuple[dt.date, dt.date | None]:
    """``START[:END]``: an event and, when it has happened, the event that ends it."""
    first, _, second = value.partition(":")
    return _date(option, first), (_date(option, second) if second.strip() else None)


class Command(BaseCommand):
    # The pure clock on the calendar in force: the system checks (which import every view
    # through the URLconf, and the font checks) would triple the time of a one-line answer.
    requires_system_checks: list[str] = []
    help = (
        "Compute an application's statutory due date and explain it, step by step, on the "
        "working-day calendar in force. Periods are counted from the next day (次日起算)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--received", required=True, metavar="DATE",
            help="the confirmed receipt date (Art. 31), YYYY-MM-DD",
        )
        parser.add_argument(
            "--correction", metavar="REQUESTED[:RECEIVED]",
            help="correction requested, and the day the corrected application arrived (Art. 30)",
        )
        parser.add_argument(
            "--correction-deadline", metavar="DATE",
            help="the deadline the applicant was given to correct",
        )
        parser.add_argument(
            "--consultation", action="append", default=[], metavar="SENT[:ANSWERED]",
            help="a third-party consultation (Art. 32); repeat for several",
        )
        parser.add_argument(
            "--agency-consultation", action="append", default=[], metavar="SENT[:ANSWERED]",
            help="a consultation of another agency (Art. 34); repeat for several",
        )
        parser.add_argument(
            "--fee", metavar="NOTIFIED[:PAID]", help="a fee notice and its payment"
        )
        parser.add_argument(
            "--extend", metavar="N[@DATE]",
            help="an extension of N working days (Art. 33), granted on DATE (default: the "
            "day the period started)",
        )
        parser.add_argument("--replied", metavar="DATE", help="the reply date")
        parser.add_argument("--withdrawn", metavar="DATE", help="the withdrawal date")
        parser.add_argument(
            "--today", metavar="DATE", help="the day to compute for (default: today in Beijing, or the scenario's last date "
                 "if that is later)"
        )
        parser.add_argument("--json", action="store_true", dest="as_json", help="JSON output")
        parser.add_argument(
            "--assume-weekends", action="store_true",
            help="treat years without holiday data as Monday–Friday (shown as a fallback)",
        )
        parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="explanation language")

    def handle(self, *args, **options) -> None:
        received = _date("--received", options["received"])
        events = self._events(received, options)
        if options["today"]:
            today = _date("--today", options["today"])
        else:
            # Without --today, a scenario dated in the future is computed as of its last date.
            today = max([timezone.localdate(), received, *(e.date for e in events)])
        calendar = current_calendar(assume_weekends=options["assume_weekends"])
        try:
            result = clock.compute_clock(
                received, events, today=today, calendar=calendar, rules=self._rules()
            )
        except (clock.ClockError, UnknownYearError) as exc:
            raise CommandError(str(exc), returncode=EXIT_INPUT) from None
        if options["as_json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write("\n".join(self._lines(result, options["lang"])))

    @staticmethod
    def _rules() -> clock.ClockRules:
        return clock.ClockRules(due_soon_working_days=settings.XXGK_DUE_SOON_WORKING_DAYS)

    @staticmethod
    def _events(received: dt.date, options: dict) -> list[clock.Event]:
        events: list[clock.Event] = []
        period_start = received
        if options["correction"]:
            requested, corrected = _span("--correction", options["correction"])
            deadline = options["correction_deadline"]
            events.append(
                clock.CorrectionRequested(
                    requested, _date("--correction-deadline", deadline) if deadline else None
                )
            )
            if corrected:
                events.append(clock.CorrectionReceived(corrected))
                period_start = corrected
        elif options["correction_deadline"]:
            raise CommandError(
                "--correction-deadline needs --correction", returncode=EXIT_INPUT
            )
        consultations = [
            (clock.ConsultationKind.THIRD_PARTY, "--consultation", value)
            for value in options["consultation"]
        ] + [
            (clock.ConsultationKind.AGENCY, "--agency-consultation", value)
            for value in options["agency_consultation"]
        ]
        for number, (kind, option, value) in enumerate(consultations, start=1):
            sent, answered = _span(option, value)
            # Concurrent consultations are told apart by party, so each gets its own.
            party = str(number) if len(consultations) > 1 else ""
            events.append(clock.ConsultationSent(sent, kind, party))
            if answered:
                events.append(clock.ConsultationAnswered(answered, party))
        if options["fee"]:
            notified, paid = _span("--fee", options["fee"])
            events.append(clock.FeeNotified(notified))
            if paid:
                events.append(clock.FeePaid(paid))
        if options["extend"]:
            days, _, on = options["extend"].partition("@")
            try:
                n = int(days)
            except ValueError:
                raise CommandError(
                    f"--extend: {days!r} is not a number of working days", returncode=EXIT_INPUT
                ) from None
            events.append(clock.Extended(_date("--extend", on) if on else period_start, n))
        if options["replied"]:
            events.append(clock.Replied(_date("--replied", options["replied"])))
        if options["withdrawn"]:
            events.append(clock.Withdrawn(_date("--withdrawn", options["withdrawn"])))
        return sorted(events, key=lambda e: (e.date, _SAME_DAY_ORDER[type(e)]))

    @staticmethod
    def _lines(result: clock.ClockResult, lang: str) -> list[str]:
        zh = lang == "zh"
        due = result.due.isoformat() if result.due else ("待定" if zh else "not yet known")
        lines = [
            f"{'答复期限' if zh else 'Due'}: {due}",
            result.headline_zh if zh else result.headline_en,
        ]
        if result.used is not None:
            lines.append(
                f"已用 {result.used} / {result.period_working_days} 个工作日，剩余 {result.left}，"
                f"暂停不计 {result.paused_working_days} 个工作日（状态 {result.state.value}）"
                if zh
                else f"{result.used} of {result.period_working_days} working days used, "
                f"{result.left} left, {result.paused_working_days} paused (state "
                f"{result.state.value})"
            )
        if result.assumed_years:
            years = ", ".join(map(str, result.assumed_years))
            lines.append(
                f"注意：{years} 年没有工作日历数据，已按“周一至周五上班、周末休息”推算"
                "（weekends-only fallback），结果仅供参考。"
                if zh
                else f"Note: no holiday data for {years}; computed on the weekends-only "
                "fallback (Monday to Friday), for orientation only."
            )
        lines.append("说明：" if zh else "Explanation:")
        for step in result.explanation:
            before = step.due_before.isoformat() if step.due_before else "—"
            after = step.due_after.isoformat() if step.due_after else "—"
            label, article = (
                (step.label_zh, step.article_zh) if zh else (step.label_en, step.article_en)
            )
            cited = f"（{article}）" if zh and article else f" ({article})" if article else ""
            mark = "! " if step.warning else "  "
            lines.append(f"{mark}[{before} → {after}] {label}{cited}")
        return lines
