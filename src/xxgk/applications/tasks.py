"""The applications' slow work, run by the worker (``core.jobs``): letters, emails, reminders.

Each task takes ids and is idempotent, because a job runs at least once: a letter is stored
once per event (``letters.attach``), an email is sent once per event unless the worker dies
between sending and recording it (then it is sent again: the applicant may receive a letter
twice, never not at all), and the daily reminders (``reminders.daily_reminders``) are queued once a day.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils.translation import gettext_lazy

from xxgk.agencies import audit
from xxgk.agencies.models import AuditEntry
from xxgk.core import jobs

from . import letter_texts, letters, pii
from .models import ApplicationEvent, Delivery, Document

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


class EmailNotSentError(Exception):
    """The mail server did not take the message; the job is retried."""


class NoEmailAddressError(Exception):
    """The applicant chose delivery by email and gave no address: the office must post
    the letter instead."""


@jobs.task(label=gettext_lazy("Emailing the letter to the applicant"))
def email_letter(event_id: int) -> None:
    """Send the applicant the event's letter (PDF and DOCX attached), once."""
    event = ApplicationEvent.objects.select_related("application__agency",
                                                    "application__identity").get(pk=event_id)
    application = event.application
    if AuditEntry.objects.filter(action=EMAILED, object_id=str(application.pk),
                                 detail__event_id=event_id).exists():
        return
    address = pii.decrypt(application.identity.encrypted).email
    if not address:
        raise NoEmailAddressError("The applicant chose email delivery but gave no address.")
    files = Document.objects.filter(event=event, kind=Document.Kind.LETTER,
                                    visible_to_applicant=True).order_by("filename")
    key = letters.key_for_event(event) or ""
    name = letter_texts.name_of(key)
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
        get_connection().send_messages([message])
    except Exception as exc:
        # The job's error is shown to staff and kept: never with the address in clear.
        text = f"{type(exc).__name__}: {exc}".replace(address, pii.mask_email(address))
        raise EmailNotSentError(text) from None
    # The address is never written to the log: the event and the files are enough.
    audit.record(EMAILED, obj=application,
                 detail={"event_id": event_id, "letter": key, "files": files.count()})
