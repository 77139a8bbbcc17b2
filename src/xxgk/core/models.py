"""The shared mechanisms' records: locked periods and the job queue.

They live here, below every domain, so that the domains' actions layers can read a lock and
queue a job without importing the apps that write locks (reports) or run jobs (all of them).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LockedPeriod(models.Model):
    """A year of an agency's records that a published annual report was computed from.

    Written only by the reports' actions (publishing locks, reopening unlocks) through
    :mod:`xxgk.core.periods`, read by every actions layer before it records something dated
    in that year. A lock of an agency whose ``report_covers_subtree`` is set covers the
    agencies below it too (decided when asked, so that changing the setting takes effect).
    """

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("agency"))
    year = models.PositiveSmallIntegerField(_("year"))
    locked_at = models.DateTimeField(_("locked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("locked period")
        verbose_name_plural = _("locked periods")
        constraints = [models.UniqueConstraint(fields=["agency", "year"],
                                               name="one_lock_per_agency_year")]

    def __str__(self) -> str:
        return f"{self.agency_id}:{self.year}"


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """One piece of slow work (render a letter, send an email, the daily reminders).

    The row is the durable record: it is written in the transaction of the action that
    needs the work, so the work is queued exactly when the action commits; a worker leases
    it for a while, and a job whose worker died is leased again when the lease runs out.
    Jobs are therefore run at least once, and every task is written to be idempotent.
    """

    task = models.CharField(_("task"), max_length=100)
    args = models.JSONField(_("arguments"), default=dict)
    # What the job is about (``application:42``), for the pages that show its progress.
    subject = models.CharField(_("subject"), max_length=100, blank=True, db_index=True)
    # At most one job per key is ever queued (the day's reminders, one letter's email).
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, null=True,
                                  blank=True, unique=True)
    state = models.CharField(_("state"), max_length=10, choices=JobState.choices,
                             default=JobState.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("maximum attempts"), default=5)
    run_after = models.DateTimeField(_("run after"))
    leased_until = models.DateTimeField(_("leased until"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["state", "run_after"], name="job_due")]

    def __str__(self) -> str:
        return f"{self.task} #{self.pk} ({self.state})"


class RateCount(models.Model):
    """How many requests one client made in one minute, for one budget (``core.ratelimit``):
    the sum every app server adds its own counts to, so a budget holds across servers."""

    scope = models.CharField(_("budget"), max_length=20)
    client = models.CharField(_("client"), max_length=64)
    window = models.BigIntegerField(_("minute"))  # minutes since 1970 (UTC)
    count = models.PositiveIntegerField(_("requests"))

    class Meta:
        verbose_name = _("request count")
        verbose_name_plural = _("request counts")
        constraints = [models.UniqueConstraint(fields=["scope", "client", "window"],
                                               name="one_count_per_client_minute")]
        indexes = [models.Index(fields=["scope", "window"], name="ratecount_window")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.client}:{self.window}"


class MailState(models.TextChoices):
    SENDING = "sending", _("Being handed to the mail server")
    SENT = "sent", _("Sent")
    UNCONFIRMED = "unconfirmed", _("May not have been delivered")


class Mail(models.Model):
    """One email that xxgk means to send, recorded before it is handed to the mail server
    (``core.mail.send_once``), so that a retry never sends it a second time.

    ``sending`` while the server has it; ``sent`` once the server accepted it; a row found
    still ``sending`` by a retry is ``unconfirmed``: its sender died in between, and whether
    the server took it is unknown (its ``message_id`` is what the mail server's log would
    show). No address or text is kept: the task that sends the mail builds it again.
    """

    # What the mail is (``letter:42``, one letter's email): at most one row per key.
    key = models.CharField(_("key"), max_length=200, unique=True)
    message_id = models.CharField(_("Message-ID"), max_length=200)
    state = models.CharField(_("state"), max_length=12, choices=MailState.choices,
                             default=MailState.SENDING)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")

    def __str__(self) -> str:
        return f"{self.key} ({self.state})"
