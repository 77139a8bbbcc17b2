"""The daily reminders of items falling due for publication (Art. 26): one email per
handler a day, with index numbers and deadlines only."""

import datetime as dt
import json

import pytest
from django.conf import settings
from django.utils import timezone

from tests.catalog.helpers import published_item, text
from tests.factories import StaffRoleFactory, UserFactory
from xxgk.agencies.models import AuditEntry, StaffRole
from xxgk.catalog import actions, reminders
from xxgk.core import jobs
from xxgk.core.models import Job, JobState, Mail, MailState
from xxgk.core.today import fixed_today

pytestmark = pytest.mark.django_db

D = dt.date
# Wednesday 2 December 2026; five working days on is Wednesday 9 December.
TODAY = D(2026, 12, 2)
TITLE_LATE = "关于2026年秋季学期中小学校安全检查情况的通报"


@pytest.fixture
def due(world):
    """Education: a draft past its deadline, one in review due in 5 working days, one due
    in 6, a published one and a withheld one; finance: a draft due in 2 (its handler has no
    email address)."""
    for user, email in ((world.handler, "handler@example.org"),
                        (world.ogi, "ogi@example.org"),
                        (world.reviewer, "reviewer@example.org")):
        user.email = email
        user.save()
    with fixed_today(TODAY):
        items = {
            # Formed 2 November: due 30 November, two working days ago.
            "late": actions.create_item(world.education, text(TITLE_LATE, formed=D(2026, 11, 2))),
            # Formed 11 November: due 9 December.
            "review": actions.create_item(world.education, text(formed=D(2026, 11, 11))),
            # Formed 12 November: due 10 December, six working days away.
            "far": actions.create_item(world.education, text(formed=D(2026, 11, 12))),
            "withheld": actions.create_item(world.education, text(
                formed=D(2026, 11, 2), attribute="withheld",
                withholding_ground="withheld.state_secret")),
            # Formed 6 November: due 4 December.
            "finance": actions.create_item(world.finance, text(formed=D(2026, 11, 6))),
        }
        actions.submit(items["review"], actor=world.handler)
        items["published"] = published_item(world.education, D(2026, 11, 2), D(2026, 12, 1))
    assert (items["late"].publish_by, items["review"].publish_by, items["far"].publish_by) == (
        D(2026, 11, 30), D(2026, 12, 9), D(2026, 12, 10))
    return items


def _run_day(day: dt.date = TODAY) -> int:
    with fixed_today(day):
        reminders.daily_publication_reminders()
        return jobs.run_pending()


def test_the_task_is_run_daily_and_reminds_five_working_days_ahead_by_default():
    assert "xxgk.catalog.reminders.daily_publication_reminders" in settings.XXGK_DAILY_TASKS
    assert settings.XXGK_PUBLICATION_REMINDER_DAYS == 5


def test_each_handler_is_told_of_the_agency_s_items_due_within_n_working_days_or_late(
        due, mailoutbox):
    _run_day()
    by_recipient = {tuple(m.to): m for m in mailoutbox}
    # The reviewer gets nothing: handlers are reminded. Finance's handler has no address,
    # so the OGI office at the top of the tree is told of finance's item.
    assert set(by_recipient) == {("handler@example.org",), ("ogi@example.org",)}
    education = by_recipient[("handler@example.org",)].body
    assert due["late"].index_no in education and due["review"].index_no in education
    for other in ("far", "withheld", "published", "finance"):
        assert due[other].index_no not in education, other
    assert "北京市西城区教育委员会" in education
    assert "2026-11-30" in education and "2026-12-09" in education
    assert due["finance"].index_no in by_recipient[("ogi@example.org",)].body


def test_the_days_left_and_late_are_working_days(due):
    [education] = [r for r in reminders.collect(TODAY, 5) if r.email == "handler@example.org"]
    left = {item.index_no: item.working_days_left for item in education.agencies[0].items}
    assert left == {due["late"].index_no: -2, due["review"].index_no: 5}
    # Within 0: only what is due today or late (finance's item is due on Friday).
    assert [r.email for r in reminders.collect(TODAY, 0)] == ["handler@example.org"]
    narrowed = reminders.collect(TODAY, 0)[0].agencies[0].items
    assert [item.index_no for item in narrowed] == [due["late"].index_no]


def test_the_setting_widens_the_window(due, settings):
    settings.XXGK_PUBLICATION_REMINDER_DAYS = 6
    [education] = [r for r in reminders.collect(TODAY, reminders.reminder_days())
                   if r.email == "handler@example.org"]
    assert due["far"].index_no in {i.index_no for i in education.agencies[0].items}


def test_one_message_per_handler_per_day_however_often_the_day_runs(due, mailoutbox):
    _run_day()
    _run_day()  # a retried daily job, or a second worker
    assert len(mailoutbox) == 2
    assert Job.objects.filter(task="xxgk.catalog.reminders.send_publication_reminder").count() == 2
    _run_day(D(2026, 12, 3))  # the next day: reminded again
    assert len(mailoutbox) == 4


def test_a_handler_of_two_agencies_gets_one_message_covering_both(due, world, mailoutbox):
    StaffRoleFactory(user=world.handler, agency=world.finance, role=StaffRole.Role.HANDLER)
    _run_day()
    [message] = mailoutbox
    assert message.to == ["handler@example.org"]
    assert due["finance"].index_no in message.body and due["late"].index_no in message.body
    assert "北京市西城区财政局" in message.body


def test_a_message_queued_for_a_day_that_has_passed_is_not_sent(due, mailoutbox):
    with fixed_today(TODAY):
        reminders.daily_publication_reminders()
    with fixed_today(D(2026, 12, 3)):
        jobs.run_pending()
    assert mailoutbox == []


def test_an_item_published_meanwhile_is_not_reminded(due, world, mailoutbox):
    with fixed_today(TODAY):
        reminders.daily_publication_reminders()
        actions.publish(due["review"], actor=_second_reviewer(world))
        jobs.run_pending()
    body = next(m.body for m in mailoutbox if m.to == ["handler@example.org"])
    assert due["review"].index_no not in body and due["late"].index_no in body


def _second_reviewer(world):
    user = UserFactory(username="edu-reviewer")
    StaffRoleFactory(user=user, agency=world.education, role=StaffRole.Role.REVIEWER)
    return user


def test_no_title_text_or_address_is_mailed_or_audited(due, mailoutbox):
    _run_day()
    for message in mailoutbox:
        assert TITLE_LATE not in message.subject + message.body
        assert "正文" not in message.body
    entries = AuditEntry.objects.filter(action="catalog.remind")
    assert entries.count() == 2
    for entry in entries:
        assert set(entry.detail) == {"within", "emails", "items"}
        assert "example.org" not in str(entry.detail)
    assert all("example.org" not in json.dumps(job.args) for job in Job.objects.all())


def test_no_due_items_no_mail(world, mailoutbox):
    world.handler.email = "handler@example.org"
    world.handler.save()
    _run_day()
    assert mailoutbox == [] and not Job.objects.exists()


def test_a_worker_killed_after_sending_does_not_send_the_reminder_again(due, mailoutbox,
                                                                        settings):
    settings.EMAIL_BACKEND = "tests.core.mail_backends.ExitsAfterSending"
    with fixed_today(TODAY):
        reminders.daily_publication_reminders()
        with pytest.raises(SystemExit):
            jobs.run_pending()
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        later = timezone.now() + jobs.LEASE + dt.timedelta(seconds=1)
        while (job := jobs.claim(later)) is not None:
            jobs.run(job)
    assert len(mailoutbox) == 2  # one per handler, the first not sent twice
    failed = Job.objects.get(state=JobState.FAILED)
    assert "may not have been delivered" in failed.last_error
    assert "@example.org" not in failed.last_error
    assert Mail.objects.filter(state=MailState.UNCONFIRMED).count() == 1
