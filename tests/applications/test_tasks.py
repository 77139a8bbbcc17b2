"""Letters and their emails on the worker: an applicant who chose email delivery receives
every letter sent to them, attached, at most once; a failed send is retried and visible,
never dropped; one whose worker died after giving it to the mail server is not sent again
but shown to staff as unconfirmed, who may send it again deliberately."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from tests.applications.helpers import ADDRESS, EMAIL, ID_NUMBER, PHONE, received
from xxgk.agencies.models import AuditEntry
from xxgk.applications import actions, tasks
from xxgk.core import jobs
from xxgk.core.models import Job, JobState, Mail, MailState

MON = dt.date(2026, 11, 2)


@pytest.fixture
def outbox(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return mail.outbox


def test_an_emailed_applicant_receives_each_notice_and_the_reply_with_the_letter(world, outbox):
    application = received(world.education, MON)
    actions.request_extension(application, days=10, reason="需要调取档案", actor=world.handler)
    actions.approve_extension(application, approver=world.reviewer, on=dt.date(2026, 11, 20))
    actions.reply(application, outcome="disclosed", legal_basis="第三十六条第（二）项",
                  on=dt.date(2026, 11, 27), actor=world.handler)
    jobs.run_pending()
    assert [m.to for m in outbox] == [[EMAIL], [EMAIL]]
    extension, reply = outbox
    assert "延长答复期限告知书" in extension.subject or "延期" in extension.subject
    assert "答复书" in reply.subject and application.number in reply.subject
    names = sorted(name for name, _content, _type in reply.attachments)
    assert names == [f"答复书-{application.number}.docx", f"答复书-{application.number}.pdf"]
    pdf = next(c for n, c, _t in reply.attachments if n.endswith(".pdf"))
    assert pdf.startswith(b"%PDF")


def test_the_email_is_sent_once_however_often_its_job_runs(world, outbox):
    application = received(world.education, MON)
    event = actions.reply(application, outcome="disclosed", legal_basis="b",
                          on=dt.date(2026, 11, 10))
    jobs.run_pending()
    tasks.email_letter(event.pk)  # a repeated run, as after a worker's death
    assert len(outbox) == 1


def test_no_email_for_other_delivery_or_for_internal_letters(world, outbox):
    application = received(world.education, MON, delivery="post")
    actions.reply(application, outcome="disclosed", legal_basis="b", on=dt.date(2026, 11, 10))
    jobs.run_pending()
    assert outbox == [] and application.documents.filter(kind="letter").count() == 2
    emailed = received(world.education, MON)
    actions.send_consultation(emailed, party="某公司", party_kind="third_party",
                              on=dt.date(2026, 11, 4))
    jobs.run_pending()
    assert outbox == []  # the consultation letter goes to the third party, not the applicant


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError(f"mail server down, {messages[0].to[0]} not reached")


def test_a_failed_send_is_retried_and_visible_to_staff(world, settings, client):
    settings.EMAIL_BACKEND = "tests.applications.test_tasks.FailingBackend"
    application = received(world.education, MON)
    actions.reply(application, outcome="disclosed", legal_basis="b", on=dt.date(2026, 11, 10))
    jobs.run_pending()
    client.force_login(world.handler)
    job = Job.objects.get(task="xxgk.applications.tasks.email_letter")
    assert job.state == JobState.QUEUED and job.attempts == 1
    assert "mail server down" in job.last_error and EMAIL not in job.last_error
    page = client.get(reverse("applications:detail", args=[application.number])).content.decode()
    assert "向申请人发送文书电子邮件" in page and "mail server down" in page  # Chinese page
    assert EMAIL not in page
    assert list(jobs.for_subject(jobs.subject_of(application))) == [job]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    job.run_after = job.created_at
    job.save()
    jobs.run_pending()
    job.refresh_from_db()
    assert job.state == JobState.DONE and len(mail.outbox) == 1


def test_an_applicant_without_an_address_is_a_visible_failure(world, outbox):
    from xxgk.applications import pii

    application = received(world.education, MON, identity=pii.Identity(id_number=ID_NUMBER))
    actions.reply(application, outcome="disclosed", legal_basis="b", on=dt.date(2026, 11, 10))
    jobs.run_pending()
    job = Job.objects.get(task="xxgk.applications.tasks.email_letter")
    assert "no address" in job.last_error and outbox == []


def test_no_personal_information_in_the_jobs_or_the_audit_log(world, outbox):
    application = received(world.education, MON)
    actions.reply(application, outcome="disclosed", legal_basis="b", on=dt.date(2026, 11, 10))
    jobs.run_pending()
    dumped = str(list(Job.objects.values())) + str(list(AuditEntry.objects.values()))
    for secret in (EMAIL, ID_NUMBER, PHONE, ADDRESS):
        assert secret not in dumped


def _database_url() -> str:
    """The test database, for a worker in another process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


# A worker that sends with a backend killing its process (SIGKILL) right after the message
# is written: between the hand-off and the record, where a real worker may die.
WORKER = """
import sys
import django
django.setup()
from django.test import override_settings
from xxgk.core import jobs
with override_settings(EMAIL_BACKEND="tests.core.mail_backends.KilledAfterSending",
                       EMAIL_FILE_PATH=sys.argv[1]):
    jobs.run_pending()
"""


def _mails(directory: Path) -> list[str]:
    """The messages Django's file backend wrote (each followed by a line of 79 dashes)."""
    return [chunk for path in sorted(directory.iterdir())
            for chunk in path.read_text().split("\n" + "-" * 79 + "\n") if chunk.strip()]


@pytest.fixture
def mail_dir(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    return tmp_path


def test_a_worker_killed_after_sending_does_not_send_again_and_staff_see_it(
        transactional_db, world, mail_dir, client):
    application = received(world.education, MON)
    event = actions.reply(application, outcome="disclosed", legal_basis="b",
                          on=dt.date(2026, 11, 10))
    jobs.run_pending(limit=1)  # the letter, rendered here; its email is queued
    env = {key: value for key, value in os.environ.items() if key != "EMAIL_URL"}
    env.update(DATABASE_URL=_database_url(), DJANGO_SETTINGS_MODULE="xxgk.settings",
               PYTHONPATH=os.pathsep.join([str(Path(django_settings.BASE_DIR).parent),
                                           str(Path(__file__).resolve().parents[2])]))
    worker = subprocess.run([sys.executable, "-c", WORKER, str(mail_dir)], env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert worker.returncode == -9, worker.stderr
    assert len(_mails(mail_dir)) == 1
    job = Job.objects.get(task="xxgk.applications.tasks.email_letter")
    assert job.state == JobState.RUNNING  # as the killed worker left it
    taken = jobs.claim(timezone.now() + jobs.LEASE + dt.timedelta(seconds=1))
    assert taken.pk == job.pk
    with translation.override("en"):  # the error is kept in the worker's language
        jobs.run(taken)
    job.refresh_from_db()
    assert len(_mails(mail_dir)) == 1  # not sent again
    assert job.state == JobState.FAILED and "may not have been delivered" in job.last_error
    row = Mail.objects.get(key=tasks.mail_key(event.pk))
    assert row.state == MailState.UNCONFIRMED and row.message_id in job.last_error
    assert row.message_id in _mails(mail_dir)[0]  # the header a mail server's log shows
    assert EMAIL not in job.last_error
    client.force_login(world.ogi)
    page = client.get(reverse("jobs")).content.decode()
    assert "may not have been delivered" in page and escape(row.message_id) in page


def _unconfirmed(world, settings) -> tuple:
    """An application whose reply's email is unconfirmed: its worker died in between."""
    settings.EMAIL_BACKEND = "tests.core.mail_backends.ExitsAfterSending"
    application = received(world.education, MON)
    event = actions.reply(application, outcome="disclosed", legal_basis="b",
                          on=dt.date(2026, 11, 10))
    with pytest.raises(SystemExit):
        jobs.run_pending()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    job = jobs.claim(timezone.now() + jobs.LEASE + dt.timedelta(seconds=1))
    with translation.override("en"):  # the error is kept in the worker's language
        jobs.run(job)
    return application, event, job


def test_staff_send_an_unconfirmed_email_again_deliberately_once_and_audited(
        world, settings, client):
    application, event, job = _unconfirmed(world, settings)
    assert len(mail.outbox) == 1
    first = Mail.objects.get(key=tasks.mail_key(event.pk)).message_id
    url = reverse("applications:detail", args=[application.number])
    resend = reverse("applications:resend_email", args=[application.number, job.pk])
    client.force_login(world.handler)
    page = client.get(url).content.decode()
    assert "may not have been delivered" in page and resend in page
    client.post(resend)
    client.post(resend)  # a second click: nothing more is queued
    jobs.run_pending()
    assert len(mail.outbox) == 2 and mail.outbox[1].to == [EMAIL]
    job.refresh_from_db()
    assert job.state == JobState.DONE
    [entry] = AuditEntry.objects.filter(action="application.letter_resent")
    assert entry.actor == world.handler and entry.detail == {"event_id": event.pk,
                                                             "message_id": first}
    assert AuditEntry.objects.filter(action=tasks.EMAILED).count() == 1
    assert resend not in client.get(url).content.decode()
    jobs.run_pending()
    assert len(mail.outbox) == 2


def test_only_the_handling_agency_may_send_it_again(world, settings, client):
    application, _event, job = _unconfirmed(world, settings)
    resend = reverse("applications:resend_email", args=[application.number, job.pk])
    client.force_login(world.finance_handler)
    assert client.post(resend).status_code == 404
    client.force_login(world.auditor)
    assert client.post(resend).status_code == 403
    jobs.run_pending()
    assert len(mail.outbox) == 1 and Job.objects.get(pk=job.pk).state == JobState.FAILED
