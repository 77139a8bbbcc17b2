"""`xxgk remind`: fresh clocks first, then one email per agency of what falls due."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.applications.helpers import ADDRESS, EMAIL, ID_NUMBER, PHONE, received
from xxgk.agencies.models import AuditEntry
from xxgk.applications import actions, reminders
from xxgk.applications.models import Application
from xxgk.core import jobs
from xxgk.core.models import Job, JobState, Mail, MailState
from xxgk.core.today import fixed_today
from xxgk.holidays.calendar import current_calendar

pytestmark = pytest.mark.django_db


# A Wednesday: on a weekend "due today" could not be (the day after a Friday is none).
TODAY = dt.date(2025, 11, 12)


@pytest.fixture(autouse=True)
def on_a_working_day():
    with fixed_today(TODAY):
        yield


def _working_days_ago(n: int) -> dt.date:
    calendar, day = current_calendar(assume_weekends=True), TODAY
    while n or not calendar.is_working_day(day):
        day -= dt.timedelta(days=1)
        if calendar.is_working_day(day):
            n -= 1
    return day


@pytest.fixture
def due(world):
    """Education: one due tomorrow-ish, one overdue (with a stale cache), one far off and
    one closed; finance: one due today."""
    for user, email in ((world.handler, "handler@example.org"),
                        (world.reviewer, "reviewer@example.org"), (world.ogi, "ogi@example.org")):
        user.email = email
        user.save()
    apps = {
        "soon": received(world.education, _working_days_ago(19)),
        "overdue": received(world.education, _working_days_ago(25)),
        "far": received(world.education, _working_days_ago(2)),
        "closed": received(world.education, _working_days_ago(25)),
        "finance": received(world.finance, _working_days_ago(20)),
    }
    actions.reply(apps["closed"], outcome="disclosed", legal_basis="第三十六条")
    # The cache as an earlier day left it: the overdue one looked fine then.
    Application.objects.filter(pk=apps["overdue"].pk).update(working_days_left=10,
                                                             clock_state="running")
    return {name: Application.objects.get(pk=a.pk) for name, a in apps.items()}


def test_one_email_per_agency_to_its_handlers_and_reviewers(due, mailoutbox):
    call_command("remind", verbosity=0)
    by_recipients = {tuple(sorted(m.to)): m for m in mailoutbox}
    assert set(by_recipients) == {("handler@example.org", "reviewer@example.org"),
                                  ("ogi@example.org",)}
    education = by_recipients[("handler@example.org", "reviewer@example.org")].body
    assert due["soon"].number in education and due["overdue"].number in education
    assert due["far"].number not in education and due["closed"].number not in education
    assert "北京市西城区教育委员会" in education
    # The finance bureau's handler has no email address: its OGI office is told instead.
    assert due["finance"].number in by_recipients[("ogi@example.org",)].body


def test_the_clock_is_refreshed_before_selecting(due, mailoutbox):
    call_command("remind", verbosity=0)
    overdue = Application.objects.get(pk=due["overdue"].pk)
    assert overdue.clock_state == "overdue" and overdue.working_days_left < 0
    assert overdue.clock_refreshed_on == TODAY


def test_emails_carry_no_personal_information(due, mailoutbox):
    call_command("remind", verbosity=0)
    for message in mailoutbox:
        text = message.subject + message.body
        for secret in (ID_NUMBER, PHONE, ADDRESS, EMAIL, "张三"):
            assert secret not in text


def test_within_narrows_the_selection(due, mailoutbox):
    call_command("remind", within=0, verbosity=0)
    text = "".join(m.body for m in mailoutbox)
    assert due["overdue"].number in text and due["finance"].number in text
    assert due["soon"].number not in text


def test_a_dry_run_prints_and_sends_nothing(due, mailoutbox, capsys):
    call_command("remind", dry_run=True, verbosity=0)
    out = capsys.readouterr().out
    assert not mailoutbox
    assert "To: handler@example.org, reviewer@example.org" in out
    assert due["overdue"].number in out and "nothing was sent" in out
    assert not AuditEntry.objects.filter(action="applications.remind").exists()


def test_sending_is_audited(due, mailoutbox):
    call_command("remind", verbosity=0)
    entry = AuditEntry.objects.get(action="applications.remind")
    assert entry.detail == {"within": 3, "emails": 2, "applications": 3}


def test_an_agency_with_nobody_to_tell_is_reported(world, mailoutbox, capsys):
    received(world.subdistrict, _working_days_ago(22))
    call_command("remind", verbosity=0)
    assert not mailoutbox
    assert "nobody to remind" in capsys.readouterr().err


def test_nothing_due_sends_nothing(world, mailoutbox, capsys):
    received(world.education, _working_days_ago(1))
    call_command("remind")
    assert not mailoutbox
    assert "Sent 0 email(s)" in capsys.readouterr().out


@pytest.mark.parametrize("value", ["x", "-1", "2.5"])
def test_a_bad_within_is_one_clear_error(db, value):
    with pytest.raises(CommandError, match="--within"):
        call_command("remind", within=value, verbosity=0)


def _worker_dies_after_the_first_email(settings) -> Job:
    """The daily run on the worker, killed right after the mail server took the first
    agency's email; the job is then taken again, as after its lease."""
    job = jobs.enqueue(reminders.daily_reminders)
    settings.EMAIL_BACKEND = "tests.core.mail_backends.ExitsAfterSending"
    with pytest.raises(SystemExit):
        jobs.run_pending()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    jobs.run(jobs.claim(timezone.now() + jobs.LEASE + dt.timedelta(seconds=1)))
    job.refresh_from_db()
    return job


def test_the_daily_run_sends_each_agency_s_email_at_most_once(due, mailoutbox, settings):
    job = _worker_dies_after_the_first_email(settings)
    # The first agency's email is not sent again; the second's is sent by the retry.
    assert len(mailoutbox) == 2
    assert len({tuple(sorted(m.to)) for m in mailoutbox}) == 2
    [unconfirmed] = Mail.objects.filter(state=MailState.UNCONFIRMED)
    assert job.state == JobState.FAILED and unconfirmed.message_id in job.last_error
    assert "handler@example.org" not in job.last_error
    jobs.run(job)  # the same day once more: nothing is sent
    assert len(mailoutbox) == 2


def test_the_command_sends_whenever_it_is_run(due, mailoutbox):
    reminders.daily_reminders()
    call_command("remind", verbosity=0)  # a person asks for it: sent again
    assert len(mailoutbox) == 4
