"""Mail backends for the tests of at-most-once sending (``xxgk.core.mail``): real backends
(Django's in-memory and file backends) that take the message, and then the sender dies or
loses the connection, as a worker does under a ``kill -9`` or a network cut."""

from __future__ import annotations

import os
import signal
import smtplib

from django.core.mail.backends import filebased, locmem


class KilledAfterSending(filebased.EmailBackend):
    """Writes the message to ``EMAIL_FILE_PATH``, then the process is killed (SIGKILL):
    for a worker run in a subprocess."""

    def send_messages(self, messages):
        count = super().send_messages(messages)
        os.kill(os.getpid(), signal.SIGKILL)
        return count


class ExitsAfterSending(locmem.EmailBackend):
    """Puts the message in the outbox, then the process exits (``SystemExit``, which no
    ``except Exception`` stops): the in-process form of a worker dying there."""

    def send_messages(self, messages):
        super().send_messages(messages)
        raise SystemExit("the worker stopped")


class DisconnectedAfterSending(locmem.EmailBackend):
    """The server took the message and the connection dropped before its answer came."""

    def send_messages(self, messages):
        super().send_messages(messages)
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class RefusingRecipients(locmem.EmailBackend):
    """The server refuses every recipient: certainly not delivered."""

    def send_messages(self, messages):
        refused = dict.fromkeys(messages[0].to, (550, b"mailbox unavailable"))
        raise smtplib.SMTPRecipientsRefused(refused)
