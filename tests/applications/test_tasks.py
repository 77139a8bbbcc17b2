"""Letters and their emails on the worker: an applicant who chose email delivery receives
every letter sent to them, attached; a failed send is retried and visible, never dropped."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from tests.applications.helpers import ADDRESS, EMAIL, ID_NUMBER, PHONE, received
from xxgk.agencies.models import AuditEntry
from xxgk.applications import actions, tasks
from xxgk.core import jobs
from xxgk.core.models import Job, JobState

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
