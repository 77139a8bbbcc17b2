"""Reminders of open applications that are due soon or overdue, one email per agency.

The cached clock columns of an application (due date, working days left, state) are only
as fresh as the last action on it; a working day passing changes them without any action.
So the reminder run first recomputes every open application's clock as of today, then
selects from the fresh cache. Emails carry the application number, due date, working days
left and state, and no applicant information at all: the number is enough to find the
case in the workbench, and mail is a less guarded channel than the workbench.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from xxgk.agencies import audit
from xxgk.agencies.models import Agency, StaffRole
from xxgk.core import jobs, mail
from xxgk.core.today import today as current_day

from . import actions, clock
from .models import Application, Status

Role = StaffRole.Role
RECIPIENT_ROLES = (Role.HANDLER, Role.REVIEWER)
DEFAULT_WITHIN_WORKING_DAYS = 3
# States that need action whatever the number of days left.
ALWAYS_REMIND = (clock.ClockState.OVERDUE.value, clock.ClockState.LAPSED.value)

STATE_LABELS = {
    clock.ClockState.RUNNING.value: gettext_lazy("Running"),
    clock.ClockState.PAUSED.value: gettext_lazy("Paused (consultation or fee)"),
    clock.ClockState.DUE_SOON.value: gettext_lazy("Due soon"),
    clock.ClockState.OVERDUE.value: gettext_lazy("Overdue"),
    clock.ClockState.LAPSED.value: gettext_lazy("Lapsed: close it with the lapse outcome"),
}


@dataclass(frozen=True)
class DueItem:
    number: str
    due_on: dt.date | None
    working_days_left: int | None
    clock_state: str


@dataclass(frozen=True)
class AgencyReminder:
    agency_id: int
    agency_name: str
    recipients: tuple[str, ...]
    items: tuple[DueItem, ...]


def open_applications() -> QuerySet[Application]:
    return Application.objects.exclude(status=Status.CLOSED)


def refresh_open_clocks(
    today: dt.date | None = None, advance: Callable[[int], None] = lambda n: None
) -> list[str]:
    """Recompute the cached clock of every open application as of ``today``.

    Each application is locked while its cache is rewritten, so a handler acting at the
    same moment never loses a change. Returns the numbers whose events the clock refuses
    (they keep their old cache and need a look).
    """
    refused = []
    # The ids are read first: SQLite does not isolate a cursor from writes on its connection.
    for pk in list(open_applications().order_by("pk").values_list("pk", flat=True)):
        with transaction.atomic():
            application = Application.objects.select_for_update().filter(pk=pk).first()
            if application is not None and application.status != Status.CLOSED:
                try:
                    actions.refresh_clock(application, today)
                except clock.ClockError:
                    refused.append(application.number)
        advance(1)
    return refused


def collect(within: int = DEFAULT_WITHIN_WORKING_DAYS) -> list[AgencyReminder]:
    """Per agency, the open applications with at most ``within`` working days left, or
    overdue, or lapsed, from the cached clock (refresh it first), in agency order."""
    due = (open_applications()
           .filter(Q(working_days_left__lte=within) | Q(clock_state__in=ALWAYS_REMIND))
           .select_related("agency").order_by("agency__path", "due_on", "number"))
    grouped: dict[int, list[Application]] = {}
    for application in due:
        grouped.setdefault(application.agency_id, []).append(application)
    agencies = {agency_id: apps[0].agency for agency_id, apps in grouped.items()}
    recipients = _recipients(agencies.values())
    return [
        AgencyReminder(
            agency_id=agency_id,
            agency_name=agencies[agency_id].name,
            recipients=recipients.get(agency_id, ()),
            items=tuple(DueItem(a.number, a.due_on, a.working_days_left, a.clock_state)
                        for a in applications),
        )
        for agency_id, applications in grouped.items()
    ]


def _recipients(agencies: Iterable[Agency]) -> dict[int, tuple[str, ...]]:
    """The active handlers and reviewers of each agency itself; where an agency has none
    with an email address, the OGI office at the top of its tree, so nothing goes unseen."""
    agencies = list(agencies)
    roles = (StaffRole.objects.filter(user__is_active=True).exclude(user__email="")
             .order_by("user__email"))
    direct: dict[int, list[str]] = {}
    handlers = roles.filter(agency__in=agencies, role__in=RECIPIENT_ROLES)
    for agency_id, email in handlers.values_list("agency_id", "user__email"):
        direct.setdefault(agency_id, []).append(email)
    office: dict[str, list[str]] = {}
    top_offices = roles.filter(role=Role.OGI_ADMIN, agency__parent__isnull=True)
    for path, email in top_offices.values_list("agency__path", "user__email"):
        office.setdefault(path, []).append(email)
    result = {}
    for agency in agencies:
        top = agency.path.split("/", 1)[0] + "/"
        result[agency.pk] = tuple(dict.fromkeys(direct.get(agency.pk) or office.get(top, [])))
    return result


def render(reminder: AgencyReminder, within: int, today: dt.date) -> tuple[str, str]:
    """(subject, body) of one agency's email, in the site's default language."""
    with translation.override(settings.LANGUAGE_CODE):
        count = len(reminder.items)
        subject = ngettext(
            "[xxgk] %(count)d application due or overdue: %(agency)s",
            "[xxgk] %(count)d applications due or overdue: %(agency)s", count,
        ) % {"count": count, "agency": reminder.agency_name}
        lines = [
            reminder.agency_name,
            "",
            ngettext(
                "As of %(today)s, this open disclosure application is due within %(within)d "
                "working days, overdue or lapsed:",
                "As of %(today)s, these open disclosure applications are due within "
                "%(within)d working days, overdue or lapsed:", count,
            ) % {"today": today.isoformat(), "within": within},
            "",
        ]
        lines += [_line(item) for item in reminder.items]
        lines += ["", ngettext("Handle it in the staff workbench.",
                               "Handle them in the staff workbench.", count),
                  _("This email was sent by xxgk remind.")]
        return subject, "\n".join(lines)


def _line(item: DueItem) -> str:
    due = item.due_on.isoformat() if item.due_on else _("no due date")
    left = item.working_days_left
    if left is None:
        days = _("due date not yet known")
    elif left >= 0:
        days = ngettext("%(n)d working day left", "%(n)d working days left", left) % {"n": left}
    else:
        days = ngettext("%(n)d working day overdue", "%(n)d working days overdue",
                        -left) % {"n": -left}
    state = STATE_LABELS.get(item.clock_state, item.clock_state)
    return _("- %(number)s · due %(due)s · %(days)s · %(state)s") % {
        "number": item.number, "due": due, "days": days, "state": state}


def send(reminders: Sequence[AgencyReminder], within: int, today: dt.date | None = None,
         key: str | None = None) -> int:
    """Send one email per agency that has recipients; returns the number sent.

    With a ``key`` (the worker's daily run), each agency's email is sent at most once under
    it (``core.mail``), so a run taken again after its worker died sends only what had not
    gone; an email whose delivery is unconfirmed is not sent again, and the run then fails
    with its Message-ID for the OGI office. ``xxgk remind`` gives none: whoever runs it
    means to send.
    """
    today = today or current_day()
    sent, unconfirmed = 0, []
    for reminder in reminders:
        if not reminder.recipients:
            continue
        subject, body = render(reminder, within, today)
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL,
                               list(reminder.recipients))
        if key is None:
            sent += get_connection().send_messages([message]) or 0
            continue
        try:
            sent += mail.send_once(f"{key}:{reminder.agency_id}", message)
        except mail.UnconfirmedMailError as exc:
            unconfirmed.append(exc.mail.message_id)
    audit.record("applications.remind", detail={
        "within": within, "emails": sent,
        "applications": sum(len(r.items) for r in reminders if r.recipients),
    })
    if unconfirmed:
        raise jobs.GiveUpError(
            _("Reminder emails that may not have been delivered (the worker stopped while "
              "sending them), not sent again: Message-ID %(ids)s. Tomorrow's reminders are "
              "sent as usual.") % {"ids": ", ".join(unconfirmed)})
    return sent


@jobs.task(label=gettext_lazy("Daily reminders of applications falling due"))
def daily_reminders(within: int = DEFAULT_WITHIN_WORKING_DAYS) -> None:
    """What ``xxgk remind`` does, run once a day by the worker (``XXGK_DAILY_TASKS``)."""
    refresh_open_clocks()
    today = current_day()
    send(collect(within), within, today, key=f"applications.remind:{today.isoformat()}")
