"""Consultations (意见征集) and their feedback reports (意见采纳情况反馈).

Only ``actions.py`` writes these rows. The annual report's section 一 counts the
consultations held in a year, and the scorecards the share of them whose feedback report
was published; both come from here for agencies that keep their consultations in xxgk.
The public's own comments on a draft are the consultations issue's; the feedback report
states, as published feedback does, how many opinions were received and adopted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xxgk.agencies.models import Agency


class Consultation(models.Model):
    """An agency asking the public's opinion on a draft, from ``opened_on`` to ``closes_on``."""

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="consultations")
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    opened_on = models.DateField(_("opened on"))
    closes_on = models.DateField(_("closes on"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opened_on", "-pk"]
        indexes = [models.Index(fields=["agency", "opened_on"], name="consultation_agency")]

    def __str__(self) -> str:
        return self.title


class FeedbackReport(models.Model):
    """The published account of what the consultation received and what was adopted."""

    consultation = models.OneToOneField(Consultation, verbose_name=_("consultation"),
                                        on_delete=models.PROTECT, related_name="feedback")
    published_on = models.DateField(_("published on"))
    text = models.TextField(_("text"))
    opinions_received = models.PositiveIntegerField(_("opinions received"))
    opinions_adopted = models.PositiveIntegerField(_("opinions adopted"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("feedback report")
        verbose_name_plural = _("feedback reports")
        constraints = [models.CheckConstraint(
            condition=models.Q(opinions_adopted__lte=models.F("opinions_received")),
            name="feedback_adopted_within_received")]

    def __str__(self) -> str:
        return f"{self.consultation} ({self.published_on})"
