"""The applications' slow work, run by the worker (``core.jobs``): letters, emails, reminders.

Each task takes ids and is idempotent, because a job runs at least once: a letter is stored
once per event (``letters.attach``), and the daily reminders (``reminders.daily_reminders``)
are queued once a day. An email is sent at most once per event and never silently lost
(``core.mail.send_once``): its intent is recorded before the mail server is given it, so a
job run again after its worker died between the two does not send it again; it fails at once
with "the email may not have been delivered", shown on the application's page with a button
to send it again (:func:`unconfirmed_emails`, ``actions.resend_letter_email``). A mail server
that refuses the message leaves it unsent, and the job's retry sends it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xxgk.agencies import audit
from xxgk.core import jobs, mail
from xxgk.core.models import Job, JobState, Mail, MailState

from . import letter_texts, letters, pii
from .models import Application, ApplicationEvent, Delivery, Document

EMAILED = "application.letter_emailed"


def queue_letter(event: ApplicationEvent) -> None:
    """Queue the rendering of ``event``'s letter (in the caller's transaction)."""
    jobs.enqueue(issue_letter, subject=jobs.subject_of(event.application),
                 dedupe_key=f"letter:{event.pk}", event_id=event.pk)


@jobs.task(label=gettext_lazy("Rendering the letter"))
def issue_letter(event_id: int) -> None:
    """Render and store the event's letter; then, for an applicant who chose delivery by
    email, queue the email that carries it."""
    event = ApplicationEvent.objects.select_related("application__agency").get(pk=event_id)
    key = letters.key_for_event(event)
    if key is None:
        return
    application = event.application
    letters.attach(application, event, key)
    if (application.delivery == Delivery.EMAIL and event.public
            and key != letter_texts.CONSULTATION):
        jobs.enqueue(email_letter, subject=jobs.subject_of(application),
                     dedupe_key=f"email:{event.pk}", event_id=event.pk)


class NoEmailAddressError(Exception):
    """The applicant chose delivery by email and gave no address: the office must post
    the letter instead."""


class EmailUnconfirmedError(jobs.GiveUpError):
    """An earlier attempt gave the mail server the letter and died before recording it."""


def mail_key(event_id: int) -> str:
    """The key of the email carrying an event's letter (``core.mail``)."""
    return f"letter:{event_id}"


@jobs.task(label=gettext_lazy("Emailing the letter to the applicant"))
def email_letter(event_id: int) -> None:
    """Send the applicant the event's letter (PDF and DOCX attached), at most once."""
    event = ApplicationEvent.objects.select_related("application__agency",
                                                    "application__identity").get(pk=event_id)
    application = event.application
    key = mail_key(event_id)
    if mail.was_sent(key):
        return
    address = pii.decrypt(application.identity.encrypted).email
    if not address:
        raise NoEmailAddressError("The applicant chose email delivery but gave no address.")
    files = list(Document.objects.filter(event=event, kind=Document.Kind.LETTER,
                                         visible_to_applicant=True).order_by("filename"))
    letter = letters.key_for_event(event) or ""
    name = letter_texts.name_of(letter)
    # In Chinese, like the letter it carries.
    message = EmailMessage(
        subject=f"【政府信息公开】{name}（申请编号：{application.number}）",
        body=(f"{application.applicant_name}：\n\n"
              f"{application.agency.name}就您的政府信息公开申请（申请编号："
              f"{application.number}）出具了《{name}》，见附件。\n"
              "您也可以凭申请编号和查询码在本网站查询申请的办理情况。\n\n"
              "本邮件由系统发送，请勿直接回复。"),
        from_email=settings.DEFAULT_FROM_EMAIL, to=[address])
    for document in files:
        message.attach(document.filename, bytes(document.content), document.content_type)
    try:
        # The address is never written to the log: the event and the files are enough.
        mail.send_once(key, message, on_sent=lambda: audit.record(
            EMAILED, obj=application,
            detail={"event_id": event_id, "letter": letter, "files": len(files)}))
    except mail.UnconfirmedMailError as exc:
        raise EmailUnconfirmedError(
            _("The email may not have been delivered: check with the applicant or post the "
              "letter, or send it again. Message-ID: %(message_id)s")
            % {"message_id": exc.mail.message_id}) from None


def unconfirmed_emails(application: Application) -> list[Job]:
    """The application's letter emails that may not have been delivered: their jobs,
    failed, for staff to check with the applicant and maybe send again."""
    failed = {mail_key(job.args["event_id"]): job for job in Job.objects.filter(
        subject=jobs.subject_of(application), task=jobs.task_path(email_letter),
        state=JobState.FAILED).order_by("pk")}
    found = set(Mail.objects.filter(key__in=failed, state=MailState.UNCONFIRMED)
                .values_list("key", flat=True))
    return [job for key, job in failed.items() if key in found]
