"""The years of the working-day calendar that the OGI office enters itself.

The shipped calendar (``xxgk.workdays``) ends with the last State Council holiday notice
published before a release. When the next notice comes out (usually in November), the
OGI office enters it here, in the admin, and every deadline in that year becomes
computable the same day, without a code release. Rows for a shipped year correct it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    """A year declared complete: its whole holiday notice has been entered."""

    year = models.PositiveSmallIntegerField(
        _("year"),
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    notice_title = models.CharField(
        _("notice title"),
        max_length=200,
        help_text=_(
            "As published, e.g. the State Council General Office's notice on the holiday "
            "arrangements for 2027."
        ),
    )
    notice_number = models.CharField(_("notice number"), max_length=100, blank=True)
    notice_date = models.DateField(_("notice date"), null=True, blank=True)
    created = models.DateTimeField(_("entered"), auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return f"{self.year}：{self.notice_title}"

    @property
    def source(self) -> str:
        """The notice the days of this year come from, as shown in due-date explanations."""
        return f"{self.notice_title}（{self.notice_number}）" if self.notice_number else self.notice_title


class CalendarDay(models.Model):
    """A day that differs from "Monday to Friday work, weekends off".

    Only holidays falling on weekdays and make-up working days (调休上班) on weekends
    need a row; holidays on weekends may be entered too, for their names.
    """

    year = models.ForeignKey(
        CalendarYear, on_delete=models.CASCADE, related_name="days", verbose_name=_("calendar year")
    )
    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(
        _("working day"),
        help_text=_("Tick for a weekend day made a working day; leave unticked for a day off."),
    )
    name = models.CharField(
        _("name"), max_length=50, blank=True, help_text=_("e.g. Spring Festival, make-up working day")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday or make-up working day")
        verbose_name_plural = _("holidays and make-up working days")

    def __str__(self) -> str:
        return f"{self.date} {self.name}".strip()

    def clean(self) -> None:
        # The calendar declares a year known as a whole; a day filed under the wrong year
        # would silently leave its own year incomplete.
        try:
            # In the admin the year is not saved yet while its days are validated, so
            # look at the related object rather than at year_id.
            year = self.year.year
        except CalendarYear.DoesNotExist:
            return  # the missing year is reported by field validation
        if self.date and year and self.date.year != year:
            raise ValidationError({"date": _("The date must be in %(year)s.") % {"year": year}})
