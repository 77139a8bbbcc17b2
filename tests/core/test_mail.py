"""Outgoing email at most once, never silently lost (``xxgk.core.mail``): the intent is
recorded before the mail server is given the message, so a sender that died in between
never sends it again but marks it unconfirmed; a refusal leaves it to be sent again."""

from __future__ import annotations

import pytest
from django.core import mail as django_mail
from django.core.mail import EmailMessage

from xxgk.core import jobs, mail
from xxgk.core.models import Mail, MailState

ADDRESS = "zhang.san@example.cn"
BACKENDS = "tests.core.mail_backends"


def message() -> EmailMessage:
    return EmailMessage("答复书", "见附件。", "xxgk@example.org", [ADDRESS])


@pytest.fixture
def outbox(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return django_mail.outbox


def test_a_mail_is_sent_once_under_its_key_with_the_recorded_message_id(db, outbox):
    recorded = []
    assert mail.send_once("letter:1", message(), on_sent=lambda: recorded.append(1))
    assert not mail.send_once("letter:1", message(), on_sent=lambda: recorded.append(2))
    row = Mail.objects.get(key="letter:1")
    assert len(outbox) == 1 and recorded == [1]
    assert (row.state, outbox[0].extra_headers["Message-ID"]) == (MailState.SENT,
                                                                    row.message_id)
    assert mail.was_sent("letter:1") and not mail.was_sent("letter:2")


def test_a_sender_that_died_after_the_hand_off_does_not_send_again(transactional_db,
                                                                    settings, outbox):
    settings.EMAIL_BACKEND = f"{BACKENDS}.ExitsAfterSending"
    with pytest.raises(SystemExit):
        mail.send_once("letter:1", message())
    assert Mail.objects.get(key="letter:1").state == MailState.SENDING  # committed before
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with pytest.raises(mail.UnconfirmedMailError) as raised:
        mail.send_once("letter:1", message())
    row = Mail.objects.get(key="letter:1")
    assert len(outbox) == 1 and row.state == MailState.UNCONFIRMED
    assert row.message_id in str(raised.value) and ADDRESS not in str(raised.value)
    assert isinstance(raised.value, jobs.GiveUpError)
    with pytest.raises(mail.UnconfirmedMailError):
        mail.send_once("letter:1", message())  # and it stays so: a person decides
    assert len(outbox) == 1


def test_a_connection_lost_during_the_hand_off_is_unconfirmed(db, settings, outbox):
    settings.EMAIL_BACKEND = f"{BACKENDS}.DisconnectedAfterSending"
    with pytest.raises(mail.UnconfirmedMailError):
        mail.send_once("letter:1", message())
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with pytest.raises(mail.UnconfirmedMailError):
        mail.send_once("letter:1", message())
    assert len(outbox) == 1


def test_a_refused_mail_is_sent_by_the_next_attempt_and_its_error_names_no_address(db,
                                                                                  settings,
                                                                                  outbox):
    settings.EMAIL_BACKEND = f"{BACKENDS}.RefusingRecipients"
    with pytest.raises(mail.MailNotSentError) as raised:
        mail.send_once("letter:1", message())
    assert "mailbox unavailable" in str(raised.value) and ADDRESS not in str(raised.value)
    assert not Mail.objects.exists() and outbox == []
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert mail.send_once("letter:1", message())
    assert len(outbox) == 1


def test_a_forgotten_unconfirmed_mail_is_sent_once_more(db, settings, outbox):
    settings.EMAIL_BACKEND = f"{BACKENDS}.DisconnectedAfterSending"
    with pytest.raises(mail.UnconfirmedMailError):
        mail.send_once("letter:1", message())
    first = mail.unconfirmed("letter:1")
    assert mail.forget_unconfirmed("letter:1").message_id == first.message_id
    assert mail.forget_unconfirmed("letter:1") is None  # a second click finds nothing
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert mail.send_once("letter:1", message())
    second = Mail.objects.get(key="letter:1")
    assert len(outbox) == 2 and second.state == MailState.SENT
    assert second.message_id != first.message_id
