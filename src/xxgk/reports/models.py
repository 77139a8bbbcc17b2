"""The annual report's records: entered figures, the report itself, imported reports.

Only ``actions.py`` writes these rows (and the audited admin, read-only for reports). The
report's tables are not stored while it is worked on: they are computed from the records
(``compute.py``) every time they are shown, and frozen into ``AnnualReport.snapshot`` only
at publication, so that a published report never changes when the records do.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xxgk.agencies.models import Agency


class EnteredFigures(models.Model):
    """Figures an agency enters for a year until the catalogue can count them itself.

    ``proactive`` holds section 二 as flat keys of ``national_format``
    (``proactive.rules.issued``: a count; ``proactive.fees.amount_10k_yuan``: a decimal
    string); a key that is absent was not entered. The named fields are the publishing
    figures section 一 quotes; None means not entered (which is not zero).
    """

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="entered_figures")
    year = models.PositiveIntegerField(_("year"))
    proactive = models.JSONField(_("section 二 figures"), default=dict, blank=True)

    items_published = models.PositiveIntegerField(_("items proactively published"), null=True,
                                                  blank=True)
    key_area_items = models.PositiveIntegerField(_("items in key areas"), null=True, blank=True)
    policy_documents = models.PositiveIntegerField(_("policy documents issued"), null=True,
                                                   blank=True)
    # "figure": the count, as opposed to the catalogue's and consultations' model names.
    interpretations = models.PositiveIntegerField(pgettext_lazy("figure", "interpretations"),
                                                  null=True, blank=True)
    consultations = models.PositiveIntegerField(pgettext_lazy("figure", "consultations"),
                                                null=True, blank=True)
    executive_meeting_items = models.PositiveIntegerField(_("executive meeting items"),
                                                          null=True, blank=True)
    major_decisions = models.PositiveIntegerField(_("major administrative decisions"),
                                                  null=True, blank=True)
    portal_items = models.PositiveIntegerField(_("items on the portal website"), null=True,
                                               blank=True)
    weibo_items = models.PositiveIntegerField(_("items on Weibo"), null=True, blank=True)
    wechat_items = models.PositiveIntegerField(_("items on WeChat"), null=True, blank=True)
    columns_upgraded = models.PositiveIntegerField(_("website columns improved"), null=True,
                                                   blank=True)
    site_visits = models.PositiveIntegerField(_("website visits"), null=True, blank=True)
    site_visits_last_year = models.PositiveIntegerField(_("website visits last year"), null=True,
                                                        blank=True)
    site_visitors = models.PositiveIntegerField(_("website visitors"), null=True, blank=True)
    site_visitors_last_year = models.PositiveIntegerField(_("website visitors last year"),
                                                          null=True, blank=True)
    trainings = models.PositiveIntegerField(_("training sessions"), null=True, blank=True)

    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("updated by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("entered figures")
        verbose_name_plural = _("entered figures")
        ordering = ["-year", "agency__path"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="unique_entered_figures"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"


class ReportState(models.TextChoices):
    """Where the working copy of a report is; publication also freezes a snapshot."""

    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


class AnnualReport(models.Model):
    """One agency's 政府信息公开工作年度报告 for one calendar year.

    The narrative (sections 一, 五, 六) is kept here; the tables are computed from the
    records until publication freezes the whole report, narrative included, as the JSON of
    ``national_format.NationalReport`` in ``snapshot``. Reopening a published report
    unlocks its period and sends it back to draft, but the public keeps seeing the frozen
    snapshot until the report is published again.
    """

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="annual_reports")
    year = models.PositiveIntegerField(_("year"))
    state = models.CharField(_("state"), max_length=20, choices=ReportState.choices,
                             default=ReportState.DRAFT, db_index=True)
    overview = models.TextField(_("section 一: overview"), blank=True)
    problems = models.TextField(_("section 五: problems and improvements"), blank=True)
    other_matters = models.TextField(_("section 六: other matters"), blank=True)
    snapshot = models.JSONField(_("published report"), null=True, blank=True, editable=False)
    locked = models.BooleanField(_("period locked"), default=False)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"),
                                     null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year", "agency__path"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="unique_annual_report"),
            # A locked period always has a frozen report to show for it.
            models.CheckConstraint(condition=models.Q(locked=False)
                                   | models.Q(state="published", snapshot__isnull=False),
                                   name="locked_only_when_published"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"

    @property
    def is_public(self) -> bool:
        """Published at least once: the portal shows the snapshot."""
        return self.snapshot is not None


class ReportReopening(models.Model):
    """Why and by whom a published report was reopened (the period unlocked)."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="reopenings")
    reason = models.TextField(_("reason"), max_length=2000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reopened by"), null=True,
                           blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("reopened"), auto_now_add=True)

    class Meta:
        verbose_name = _("report reopening")
        verbose_name_plural = _("report reopenings")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.report} {self.at:%Y-%m-%d}"


class ImportedReport(models.Model):
    """Another agency's published report, read back by ``parse.py`` into flat cells.

    Kept for the carry-over check (last year's 结转下年度 must be this year's 上年结转) and
    for auditors comparing reports; ``cells`` are the flat keys of ``national_format``
    with money as decimal strings, gaps absent.
    """

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="imported_reports",
                               help_text=_("The agency whose report this is, if it is one of the agencies on this platform."))
    agency_name = models.CharField(_("agency name"), max_length=200)
    year = models.PositiveIntegerField(_("year"))
    format = models.CharField(_("format"), max_length=20)
    cells = models.JSONField(_("cells"), default=dict)
    source_filename = models.CharField(_("source file"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("imported report")
        verbose_name_plural = _("imported reports")
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["agency", "year"])]

    def __str__(self) -> str:
        return f"{self.agency_name} {self.year}"


class ReportFile(models.Model):
    """A published report as a file (DOCX, PDF, XLSX, JSON), rendered by the worker from the
    frozen snapshot of one publication (``published_at``), so that no visitor waits for a
    PDF and every visitor of that publication gets the same bytes."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="files",
                               verbose_name=_("annual report"))
    fmt = models.CharField(_("format"), max_length=10)
    published_at = models.DateTimeField(_("publication"))
    content = models.BinaryField(_("content"))
    created_at = models.DateTimeField(_("rendered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("published report file")
        verbose_name_plural = _("published report files")
        constraints = [models.UniqueConstraint(fields=["report", "fmt", "published_at"],
                                               name="one_file_per_format_and_publication")]

    def __str__(self) -> str:
        return f"{self.report_id}.{self.fmt}"
