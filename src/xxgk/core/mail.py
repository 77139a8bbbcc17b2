"""Outgoing email at most once, never silently lost.

SMTP cannot give exactly once: a sender that dies after the server took a message and
before recording it cannot tell, when it runs again, whether the message went. So the
intent is recorded first (a :class:`~xxgk.core.models.Mail` row, committed, with the
Message-ID the message will carry), the message handed over, and the row marked sent. A
retry that finds the row marked sent does nothing; one that finds it still being sent does
not send again: it marks the mail *unconfirmed* and raises :class:`UnconfirmedMailError`,
which fails the job at once (``jobs.GiveUpError``) with a message for staff, who check with
the recipient and may send it again deliberately (:func:`forget_unconfirmed`).

A refusal by the mail server (an SMTP error code, a connection refused) is a certain
non-delivery: the row is removed and :class:`MailNotSentError` raised, so the job's retry
sends it. A
connection lost or timed out while the message was being handed over is not: the server
may have taken it, so that mail is unconfirmed too.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
from collections.abc import Callable

from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import make_msgid
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.utils import timezone

from .jobs import GiveUpError
from .models import Mail, MailState

logger = logging.getLogger(__name__)

# Errors that leave it open whether the server took the message.
UNCERTAIN = (smtplib.SMTPServerDisconnected, TimeoutError, ConnectionResetError)


class MailNotSentError(Exception):
    """The mail server refused the message, which is certainly not delivered: the job is
    retried. Its text is the server's, without the recipients' addresses (it is kept on the
    job and shown to staff)."""


class UnconfirmedMailError(GiveUpError):
    """An earlier attempt handed the mail over and never recorded the outcome."""

    def __init__(self, mail: Mail) -> None:
        super().__init__(f"{mail.key} may not have been delivered (Message-ID "
                         f"{mail.message_id})")
        self.mail = mail


def send_once(key: str, message: EmailMessage,
              on_sent: Callable[[], None] = lambda: None) -> bool:
    """Send ``message`` unless the mail ``key`` was sent already; True when sent now.

    Call it outside a transaction: the intent must be committed before the hand-off.
    ``on_sent`` (the caller's audit entry) runs in the transaction that marks it sent.
    Raises :class:`UnconfirmedMailError` when an earlier attempt's outcome is unknown, and
    :class:`MailNotSentError` when the server refused it (retrying is then right).
    """
    mail, created = Mail.objects.get_or_create(
        key=key, defaults={"message_id": make_msgid(domain=DNS_NAME)})
    if not created:
        if mail.state == MailState.SENT:
            return False
        _mark_unconfirmed(mail)
        raise UnconfirmedMailError(mail)
    message.extra_headers["Message-ID"] = mail.message_id
    connection = get_connection()
    try:
        connection.open()
    except Exception as exc:
        # Nothing was handed over: the next attempt sends it.
        mail.delete()
        raise _not_sent(exc, message) from None
    try:
        connection.send_messages([message])
    except UNCERTAIN:
        _close(connection)
        _mark_unconfirmed(mail)
        raise UnconfirmedMailError(mail) from None
    except Exception as exc:
        _close(connection)
        # Certainly not delivered: the next attempt sends it.
        mail.delete()
        raise _not_sent(exc, message) from None
    with transaction.atomic():
        Mail.objects.filter(pk=mail.pk).update(state=MailState.SENT, sent_at=timezone.now())
        on_sent()
    _close(connection)
    return True


def _not_sent(exc: Exception, message: EmailMessage) -> MailNotSentError:
    text = f"{type(exc).__name__}: {exc}"
    for address in message.recipients():
        text = text.replace(address, "<recipient>")
    return MailNotSentError(text)


def _mark_unconfirmed(mail: Mail) -> None:
    Mail.objects.filter(pk=mail.pk).exclude(state=MailState.SENT).update(
        state=MailState.UNCONFIRMED)
    mail.state = MailState.UNCONFIRMED
    # The key names the record (``letter:42``), never the recipient.
    logger.warning("mail %s: its delivery is unconfirmed", mail.key)


def _close(connection) -> None:
    # After the hand-off, a failed QUIT changes nothing about the message.
    with contextlib.suppress(Exception):
        connection.close()


def was_sent(key: str) -> bool:
    return Mail.objects.filter(key=key, state=MailState.SENT).exists()


def unconfirmed(key: str) -> Mail | None:
    return Mail.objects.filter(key=key, state=MailState.UNCONFIRMED).first()


def forget_unconfirmed(key: str) -> Mail | None:
    """Remove the unconfirmed mail ``key`` so that its task sends it again (a person
    decided so and audits it); the row removed, or None when it was not unconfirmed."""
    mail = unconfirmed(key)
    if mail is not None:
        Mail.objects.filter(pk=mail.pk, state=MailState.UNCONFIRMED).delete()
    return mail
