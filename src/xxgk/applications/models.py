"""Disclosure on application: the application, its applicant, its history, its documents.

The history (``ApplicationEvent``) is the truth. The columns ``status``, ``due_on``,
``clock_state``, ``outcome`` and ``closed_on`` on ``Application`` are a cache that only
``actions.refresh_clock`` writes, recomputed from the events by the pure clock.
Personal information (ID number, phone, address, email) lives encrypted in
``ApplicantIdentity`` and never on ``Application``; the applicant's name and every stored
file are sealed with the same field key (``pii.seal``) in their own columns, and read
through the properties ``Application.applicant_name`` and ``Document.content``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xxgk import taxonomy
from xxgk.agencies.models import Agency

from . import pii

# What an applicant's name reads as once retention erased it, on every page and in the admin.
ERASED_NAME = "（已按保存期限删除）"

APPLICANT_COLUMN_CHOICES = [(c.key, c.label_zh) for c in taxonomy.APPLICANT_COLUMNS]
OUTCOME_CHOICES = [(c.key, f"{c.group_zh}·{c.label_zh}" if c.group_zh else c.label_zh)
                   for c in taxonomy.OUTCOMES]


class Status(models.TextChoices):
    """Workflow state (where the case is), separate from the statutory outcome."""

    SUBMITTED = "submitted", _("Submitted, receipt not yet confirmed")
    IN_PROGRESS = "in_progress", _("Being handled")
    AWAITING_CORRECTION = "awaiting_correction", _("Awaiting the applicant's correction")
    CLOSED = "closed", _("Closed")


class Channel(models.TextChoices):
    """How the application arrived; Art. 31 fixes the receipt date differently for each."""

    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
    REGISTERED_POST = "registered_post", _("Registered post")
    ORDINARY_POST = "ordinary_post", _("Ordinary letter")
    FAX = "fax", _("Fax")
    ORAL = "oral", _("Oral, form filled by the office")


class ProvisionForm(models.TextChoices):
    PAPER = "paper", _("Paper")
    ELECTRONIC = "electronic", _("Electronic")
    INSPECTION = "inspection", _("Inspection on site")


class Delivery(models.TextChoices):
    POST = "post", _("Post")
    EMAIL = "email", _("Email")
    COLLECT = "collect", _("Collect in person")
    ONLINE = "online", _("Download online")


class IdDocument(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident identity card")
    PASSPORT = "passport", _("Passport")
    HK_MACAO_PERMIT = "hk_macao_permit", _("Mainland travel permit for Hong Kong and Macao residents")
    TAIWAN_PERMIT = "taiwan_permit", _("Mainland travel permit for Taiwan residents")
    FOREIGNER_PERMIT = "foreigner_permit", _("Foreigner's permanent residence ID card")
    OTHER = "other", _("Other")


class NumberSequence(models.Model):
    """The last application number issued per prefix and year, taken under a row lock."""

    prefix = models.CharField(max_length=20)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="unique_sequence")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class Application(models.Model):
    number = models.CharField(_("application number"), max_length=30, unique=True)
    query_code_hash = models.CharField(max_length=64, editable=False)
    # The submission's idempotency key: a resubmitted form finds the first application.
    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True,
                                    editable=False)
    agency = models.ForeignKey(Agency, verbose_name=_("handling agency"),
                               on_delete=models.PROTECT, related_name="applications")
    addressed_to = models.ForeignKey(
        Agency, verbose_name=_("agency applied to"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
        help_text=_("Empty when the applicant was not sure and the OGI office routed it."),
    )
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("handler"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="+")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("applicant account"),
                                null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="applications")

    applicant_column = models.CharField(_("applicant type"), max_length=40,
                                        choices=APPLICANT_COLUMN_CHOICES)
    # The name, sealed (``applicant_name`` reads and writes it), and its blind index, by which
    # the inbox finds an applicant by exact name. Both empty once retention erased the name.
    applicant_name_sealed = models.BinaryField(editable=False, default=b"")
    applicant_name_index = models.CharField(max_length=64, db_index=True, editable=False,
                                            blank=True)
    # A keyed hash of the ID document or credit code, to find the same applicant's
    # applications (fees are counted per applicant per month) without storing the number.
    applicant_key = models.CharField(max_length=64, db_index=True, editable=False)

    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices,
                               default=Channel.ONLINE)
    arrived_at = models.DateTimeField(_("arrived"))
    received_on = models.DateField(_("confirmed receipt date"), null=True, blank=True)

    description = models.TextField(_("information sought"), max_length=5000)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    provision_form = models.CharField(_("form of provision"), max_length=20,
                                      choices=ProvisionForm.choices)
    delivery = models.CharField(_("delivery"), max_length=20, choices=Delivery.choices)

    status = models.CharField(_("status"), max_length=30, choices=Status.choices,
                              default=Status.SUBMITTED, db_index=True)
    due_on = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    clock_state = models.CharField(_("clock"), max_length=20, blank=True, db_index=True)
    working_days_left = models.IntegerField(null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=60, choices=OUTCOME_CHOICES,
                               blank=True, db_index=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, db_index=True)
    clock_refreshed_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-arrived_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "status", "due_on"]),
            models.Index(fields=["agency", "arrived_at", "id"]),
            # Covering the annual report's two aggregates (counting.py), so that a year's
            # section 三 is read from the indexes alone.
            models.Index(fields=["agency", "received_on", "closed_on", "applicant_column"],
                         name="application_report_open"),
            models.Index(fields=["agency", "closed_on", "outcome", "applicant_column"],
                         name="application_report_closed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="closed", closed_on__isnull=False)
                | (~models.Q(status="closed") & models.Q(closed_on__isnull=True)),
                name="closed_iff_closed_on",
            ),
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True) | ~models.Q(outcome=""),
                name="closed_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def applicant_name(self) -> str:
        if not self.applicant_name_sealed:
            return ERASED_NAME
        return pii.unseal(self.applicant_name_sealed).decode()

    @applicant_name.setter
    def applicant_name(self, name: str) -> None:
        self.applicant_name_sealed = pii.seal(name.encode())
        self.applicant_name_index = pii.name_index(name)

    @property
    def is_closed(self) -> bool:
        return self.status == Status.CLOSED

    @property
    def is_natural_person(self) -> bool:
        return self.applicant_column == taxonomy.NATURAL_PERSON

    def outcome_category(self) -> taxonomy.Category | None:
        return taxonomy.OUTCOMES_BY_KEY.get(self.outcome)


class ApplicantIdentity(models.Model):
    """The applicant's personal information, encrypted at rest (see ``pii.py``).

    Shown in full only to the handling agency's staff, and every viewing is audited.
    """

    application = models.OneToOneField(Application, on_delete=models.CASCADE,
                                       related_name="identity")
    id_document_type = models.CharField(max_length=30, choices=IdDocument.choices, blank=True)
    encrypted = models.BinaryField()

    class Meta:
        verbose_name = _("applicant identity")

    def __str__(self) -> str:
        return f"identity of {self.application_id}"


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RECEIPT_CONFIRMED = "receipt_confirmed", _("Receipt confirmed")
    ASSIGNED = "assigned", _("Assigned to a handler")
    TRANSFERRED = "transferred", _("Transferred to another agency")
    CORRECTION_REQUESTED = "correction_requested", _("Correction requested")
    CORRECTED = "corrected", _("Corrected by the applicant")
    CONSULTATION_SENT = "consultation_sent", _("Consultation sent")
    CONSULTATION_ANSWERED = "consultation_answered", _("Consultation answered")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
    EXTENDED = "extended", _("Extension approved")
    FEE_NOTIFIED = "fee_notified", _("Fee notice sent")
    FEE_WAIVED = "fee_waived", _("Fee reduced or waived")
    FEE_PAID = "fee_paid", _("Fee paid")
    REPLIED = "replied", _("Replied")
    WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")
    OUTCOME_CORRECTED = "outcome_corrected", _("Outcome corrected")
    NOTE = "note", _("Note")


class ApplicationEvent(models.Model):
    """One step in an application's history. Append-only, like the audit log."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                     related_name="events")
    kind = models.CharField(_("event"), max_length=30, choices=EventKind.choices)
    occurred_on = models.DateField(_("date"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    # Kind-specific facts: days of an extension, outcome of a reply, amount of a fee, …
    data = models.JSONField(default=dict, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=5000)
    # Shown to the applicant on the follow page (internal notes are not).
    public = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("application event")
        ordering = ["occurred_on", "id"]
        indexes = [models.Index(fields=["application", "kind"])]

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind} {self.occurred_on}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PermissionError("application events are append-only")
        super().save(*args, **kwargs)


class Document(models.Model):
    """A file attached to an application: the applicant's proof, a generated letter, or
    a released document. Stored in the database so a backup holds everything."""

    class Kind(models.TextChoices):
        IDENTITY_PROOF = "identity_proof", _("Identity proof")
        AUTHORISATION = "authorisation", _("Authorisation")
        APPLICANT_OTHER = "applicant_other", _("Other material from the applicant")
        LETTER = "letter", _("Letter")
        RELEASED = "released", _("Released document")

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="documents")
    event = models.ForeignKey(ApplicationEvent, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    # The file, sealed with the field key (``content`` reads and writes it): ID scans and
    # letters hold the applicant's identity, and a released document may hold a third party's.
    sealed = models.BinaryField()
    # Letters and released documents are the applicant's to download; proofs are not.
    visible_to_applicant = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.filename

    @property
    def content(self) -> bytes:
        return pii.unseal(self.sealed)

    @content.setter
    def content(self, data: bytes) -> None:
        self.sealed = pii.seal(bytes(data))


class LetterTemplate(models.Model):
    """An OGI office's wording of a letter, overriding the shipped default of its key.

    ``key`` names the letter: ``reply.<outcome key>`` for reply letters (答复书), and
    ``notice.correction``, ``notice.extension``, ``notice.fee``, ``letter.consultation``.
    ``body`` is Django template text rendered with the application's context.
    """

    key = models.CharField(_("letter"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.title
