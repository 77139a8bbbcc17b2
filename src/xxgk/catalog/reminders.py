"""Reminders of catalogue items falling due for publication (Art. 26): one email per
handler a day.

An item formed or changed must be published within 20 working days (``publish_by``). Every
day the worker runs :func:`daily_publication_reminders` (``XXGK_DAILY_TASKS``): it finds the
proactive items still a draft or in confidentiality review whose deadline is at most
``XXGK_PUBLICATION_REMINDER_DAYS`` working days away, or past, and queues one message for
each handler of their agencies, covering all of that handler's agencies. An agency with no
handler who has an email address is reminded through the OGI office at the top of its tree,
as for applications, so that nothing falls due unseen.

*Once a day per handler.* Each message is its own job with the handler and the day in its
``dedupe_key``, so a daily run retried after a failure, or run by two workers, queues no
second message; a message job that runs on a later day (the worker was stopped) sends
nothing, because that day's own run reminds afresh.

*What a message says.* The item's index number, state, deadline and working days left:
never its title or text. The item has not passed confidentiality review yet (that is what
it waits for), and mail is a less guarded channel than the workbench; the index number is
enough to find it there. Nothing about a handler (name, address) is written to a log or
the audit log: the audit entry counts messages and items.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from xxgk import workdays
from xxgk.agencies import audit
from xxgk.agencies.models import Agency, StaffRole
from xxgk.core import jobs, mail
from xxgk.core.today import today as current_day
from xxgk.holidays.calendar import current_calendar

from .models import InfoItem, ItemState, Origin
from .worklist import due_horizon

Role = StaffRole.Role
# Waiting to be published: drafted here, not yet out.
WAITING: tuple[str, ...] = (ItemState.DRAFT, ItemState.REVIEW)
STATE_LABELS = {
    ItemState.DRAFT.value: gettext_lazy("Draft"),
    ItemState.REVIEW.value: gettext_lazy("In confidentiality review"),
}


@dataclass(frozen=True)
class DueItem:
    index_no: str
    state: str
    publish_by: dt.date
    # Negative: working days past the deadline.
    working_days_left: int


@dataclass(frozen=True)
class AgencyItems:
    agency_name: str
    items: tuple[DueItem, ...]


@dataclass(frozen=True)
class HandlerReminder:
    user_id: int
    email: str
    agencies: tuple[AgencyItems, ...]

    @property
    def count(self) -> int:
        return sum(len(a.items) for a in self.agencies)


def reminder_days() -> int:
    """How many working days ahead a deadline is reminded of (the setting, at least 0)."""
    return max(int(settings.XXGK_PUBLICATION_REMINDER_DAYS), 0)


def due_items(today: dt.date, within: int) -> QuerySet[InfoItem]:
    """The proactive items not yet published whose deadline is at most ``within`` working
    days after ``today``, or past: through the index ``catalog_item_due``."""
    return (InfoItem.objects.filter(state__in=WAITING, attribute="proactive",
                                    origin=Origin.XXGK,
                                    publish_by__lte=due_horizon(today, within))
            .select_related("agency").order_by("agency__path", "publish_by", "index_no"))


def _days_left(today: dt.date, deadline: dt.date, calendar: workdays.WorkCalendar) -> int:
    if deadline >= today:
        return workdays.working_days_between(today, deadline, calendar=calendar)
    return -workdays.working_days_between(deadline, today, calendar=calendar)


def _recipients(agencies: Iterable[Agency]) -> dict[int, list[tuple[int, str]]]:
    """Each agency's active handlers with an email address, as ``(user id, email)``; for an
    agency with none, the OGI office at the top of its tree."""
    agencies = list(agencies)
    roles = (StaffRole.objects.filter(user__is_active=True).exclude(user__email="")
             .order_by("user__email", "user_id"))
    direct: dict[int, list[tuple[int, str]]] = {}
    for agency_id, user_id, email in (roles.filter(agency__in=agencies, role=Role.HANDLER)
                                      .values_list("agency_id", "user_id", "user__email")):
        direct.setdefault(agency_id, []).append((user_id, email))
    office: dict[str, list[tuple[int, str]]] = {}
    for path, user_id, email in (roles.filter(role=Role.OGI_ADMIN, agency__parent__isnull=True)
                                 .values_list("agency__path", "user_id", "user__email")):
        office.setdefault(path, []).append((user_id, email))
    return {agency.pk: list(dict.fromkeys(direct.get(agency.pk)
                                          or office.get(agency.path.split("/", 1)[0] + "/", [])))
            for agency in agencies}


def collect(today: dt.date, within: int,
            user_ids: Iterable[int] | None = None) -> list[HandlerReminder]:
    """One reminder per recipient (optionally only ``user_ids``), with the due items of
    each of their agencies, in agency order."""
    grouped: dict[int, list[InfoItem]] = {}
    agencies: dict[int, Agency] = {}
    for item in due_items(today, within):
        grouped.setdefault(item.agency_id, []).append(item)
        agencies[item.agency_id] = item.agency
    wanted = None if user_ids is None else set(user_ids)
    calendar = current_calendar(assume_weekends=True)  # read once, not once per item
    per_user: dict[int, tuple[str, list[AgencyItems]]] = {}
    for agency_id, people in _recipients(agencies.values()).items():
        entry = AgencyItems(agencies[agency_id].name, tuple(
            DueItem(item.index_no, item.state, item.publish_by,
                    _days_left(today, item.publish_by, calendar)) for item in grouped[agency_id]))
        for user_id, email in people:
            if wanted is None or user_id in wanted:
                per_user.setdefault(user_id, (email, []))[1].append(entry)
    return [HandlerReminder(user_id, email, tuple(entries))
            for user_id, (email, entries) in sorted(per_user.items())]


def render(reminder: HandlerReminder, within: int, today: dt.date) -> tuple[str, str]:
    """(subject, body) of one handler's email, in the site's default language."""
    with translation.override(settings.LANGUAGE_CODE):
        count = reminder.count
        subject = ngettext(
            "[xxgk] %(count)d catalogue item to publish by its deadline",
            "[xxgk] %(count)d catalogue items to publish by their deadlines", count,
        ) % {"count": count}
        lines = [ngettext(
            "As of %(today)s, this item is still unpublished and due within %(within)d "
            "working days or past its deadline (Art. 26: 20 working days after it was "
            "formed or changed):",
            "As of %(today)s, these items are still unpublished and due within %(within)d "
            "working days or past their deadlines (Art. 26: 20 working days after they "
            "were formed or changed):", count,
        ) % {"today": today.isoformat(), "within": within}]
        for agency in reminder.agencies:
            lines += ["", agency.agency_name]
            lines += [_line(item) for item in agency.items]
        lines += ["", ngettext("Publish it in the staff workbench.",
                               "Publish them in the staff workbench.", count),
                  _("This email was sent by xxgk's daily reminders.")]
        return subject, "\n".join(lines)


def _line(item: DueItem) -> str:
    left = item.working_days_left
    if left >= 0:
        days = ngettext("%(n)d working day left", "%(n)d working days left", left) % {"n": left}
    else:
        days = ngettext("%(n)d working day late", "%(n)d working days late",
                        -left) % {"n": -left}
    return _("- %(index_no)s · %(state)s · publish by %(due)s · %(days)s") % {
        "index_no": item.index_no, "state": STATE_LABELS.get(item.state, item.state),
        "due": item.publish_by.isoformat(), "days": days}


def dedupe_key(user_id: int, day: dt.date) -> str:
    return f"catalog.remind:{user_id}:{day.isoformat()}"


@jobs.task(label=gettext_lazy("Reminding a handler of items due for publication"))
def send_publication_reminder(user_id: int, day: str) -> None:
    """Send ``user_id`` the reminder of ``day``, unless that day has passed (the next
    day's run sends a fresh one) or nothing is due any more."""
    today = current_day()
    if day != today.isoformat():
        return
    within = reminder_days()
    reminders = collect(today, within, user_ids=[user_id])
    if not reminders:
        audit.record("catalog.remind", detail={"within": within, "emails": 0, "items": 0})
        return
    subject, body = render(reminders[0], within, today)
    # At most once (``core.mail``): a run taken again after its worker died does not send it
    # twice, and one whose delivery is unconfirmed fails, for the OGI office to see.
    mail.send_once(dedupe_key(user_id, today), EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, [reminders[0].email]),
        on_sent=lambda: audit.record("catalog.remind", detail={
            "within": within, "emails": 1, "items": reminders[0].count}))


def queue_reminders(today: dt.date | None = None) -> int:
    """Queue the day's message for every recipient who has items due; the number of
    recipients (those queued already today are not queued again)."""
    today = today or current_day()
    reminders = collect(today, reminder_days())
    for reminder in reminders:
        jobs.enqueue(send_publication_reminder, subject=f"user:{reminder.user_id}",
                     dedupe_key=dedupe_key(reminder.user_id, today),
                     user_id=reminder.user_id, day=today.isoformat())
    return len(reminders)


@jobs.task(label=gettext_lazy("Daily reminders of catalogue items due for publication"))
def daily_publication_reminders() -> None:
    """Run once a day by the worker (``XXGK_DAILY_TASKS``)."""
    queue_reminders()

