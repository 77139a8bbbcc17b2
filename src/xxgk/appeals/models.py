"""Administrative reconsideration and litigation cases (行政复议 / 行政诉讼).

One ``AppealCase`` per case an agency is party to as respondent, whatever body or court
hears it. Section 四 of the annual report counts them by kind and result; the kinds and
results are the national format's own keys (``taxonomy.APPEAL_KIND_KEYS`` and
``APPEAL_RESULT_KEYS``), so that the report is one GROUP BY. Only ``actions.py`` (and the
OGI office's audited admin) writes these rows.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from xxgk import taxonomy
from xxgk.agencies.models import Agency
from xxgk.applications import pii
from xxgk.applications.models import Application
from xxgk.core.labels import category_choices

KIND_CHOICES = category_choices(taxonomy.APPEAL_KINDS, with_group=True)
RESULT_CHOICES = category_choices(taxonomy.APPEAL_RESULTS)
PENDING = "pending"


class AppealCase(models.Model):
    """A reconsideration or litigation case about an agency's OGI decision (or inaction).

    ``result`` is ``pending`` exactly while ``decided_on`` is empty (a database check): a
    decision always has its date, so the report can tell what was decided by 31 December.
    """

    agency = models.ForeignKey(Agency, verbose_name=_("respondent agency"),
                               on_delete=models.PROTECT, related_name="appeal_cases")
    application = models.ForeignKey(
        Application, verbose_name=_("application"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="appeal_cases",
        help_text=_("The disclosure application the case is about, if it was made on this platform."),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=KIND_CHOICES)
    case_number = models.CharField(_("case number"), max_length=100)
    filed_on = models.DateField(_("filed on"))
    body = models.CharField(_("reconsideration body or court"), max_length=200)
    result = models.CharField(_("result"), max_length=20, choices=RESULT_CHOICES,
                              default=PENDING, db_index=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("appeal case")
        verbose_name_plural = _("appeal cases")
        ordering = ["-filed_on", "-id"]
        indexes = [models.Index(fields=["agency", "filed_on"])]
        constraints = [
            # The case number is unique at the body that gives it.
            models.UniqueConstraint(fields=["body", "case_number"], name="unique_case_number"),
            models.CheckConstraint(condition=Q(kind__in=taxonomy.APPEAL_KIND_KEYS),
                                   name="appeal_kind_known"),
            models.CheckConstraint(condition=Q(result__in=taxonomy.APPEAL_RESULT_KEYS),
                                   name="appeal_result_known"),
            models.CheckConstraint(
                condition=Q(result=PENDING, decided_on__isnull=True)
                | (~Q(result=PENDING) & Q(decided_on__isnull=False)),
                name="pending_iff_undecided",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("filed_on")),
                name="decided_after_filed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_number}（{self.body}）"

    @property
    def is_pending(self) -> bool:
        return self.result == PENDING

    def kind_category(self) -> taxonomy.Category:
        return next(c for c in taxonomy.APPEAL_KINDS if c.key == self.kind)

    def clean(self) -> None:
        """The database's checks as field errors, for the admin's form."""
        errors = {}
        if self.result == PENDING and self.decided_on is not None:
            errors["decided_on"] = _("A pending case has no decision date.")
        elif self.result != PENDING and self.decided_on is None:
            errors["decided_on"] = _("Give the date of the decision.")
        elif self.decided_on and self.filed_on and self.decided_on < self.filed_on:
            errors["decided_on"] = _("The decision cannot be dated before the case was filed.")
        if self.application_id and self.agency_id and not self.application.agency.is_within(
                self.agency):
            errors["application"] = _("The application was not handled by this agency.")
        if errors:
            raise ValidationError(errors)


class AppealDocument(models.Model):
    """A file of a case (the application for reconsideration, a decision, a judgment),
    kept in the database so that a backup holds everything, sealed with the field key as
    an application's files are: an application for reconsideration names the applicant."""

    case = models.ForeignKey(AppealCase, on_delete=models.CASCADE, related_name="documents")
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sealed = models.BinaryField()
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.filename

    @property
    def content(self) -> bytes:
        return pii.unseal(self.sealed)

    @content.setter
    def content(self, data: bytes) -> None:
        self.sealed = pii.seal(bytes(data))
