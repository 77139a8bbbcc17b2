"""The oversight records that no other part of xxgk keeps: training sessions.

The scorecards themselves are not stored: ``scores.py`` computes them from the records
of the applications, appeals and entered figures every time they are shown, so a score
can never disagree with the records it is drawn from. Only ``actions.py`` (and the OGI
office's audited admin) writes a ``Training``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xxgk.agencies.models import Agency


class Training(models.Model):
    """A training session on open government information (政府信息公开工作培训).

    ``agency`` organised it; ``agencies`` are the agencies whose staff attended, so that
    a scorecard can count the sessions each agency took part in. ``attendees`` is the
    number of people present, as the sign-in sheet gives it.
    """

    agency = models.ForeignKey(Agency, verbose_name=_("organiser"), on_delete=models.PROTECT,
                               related_name="trainings_organised")
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    attendees = models.PositiveIntegerField(_("attendees"))
    agencies = models.ManyToManyField(Agency, verbose_name=_("agencies attending"),
                                      related_name="trainings_attended")
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["agency", "date"])]
        constraints = [
            # A session is recorded once: the same organiser, day and title is a duplicate.
            models.UniqueConstraint(fields=["agency", "date", "title"],
                                    name="unique_training_session"),
            models.CheckConstraint(condition=Q(attendees__gte=1),
                                   name="training_has_attendees"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"
