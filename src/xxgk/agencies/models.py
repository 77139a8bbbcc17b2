"""Agencies form a tree; staff hold roles on a subtree; every change is audited."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Agency(models.Model):
    """A body that discloses information (公开主体): the district government, a department
    or a sub-district office.

    ``path`` is a materialised path of agency codes (``110102/110102017/``) so that "this
    agency and everything under it" is one indexed prefix query on both databases.
    """

    class Kind(models.TextChoices):
        DISTRICT = "district", _("District government")
        DEPARTMENT = "department", _("Department")
        SUBDISTRICT = "subdistrict", _("Sub-district office")

    code = models.CharField(
        _("code"), max_length=20, unique=True,
        validators=[RegexValidator(r"^[0-9A-Z]{2,20}$", _("Use 2–20 digits or capital letters."))],
        help_text=_("Used in index numbers and application numbers."),
    )
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent agency"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    address = models.CharField(_("office address"), max_length=200, blank=True)
    phone = models.CharField(_("office phone"), max_length=50, blank=True)
    office_hours = models.CharField(_("office hours"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    report_covers_subtree = models.BooleanField(
        _("annual report covers the agencies below"), default=False,
        help_text=_("A government's annual report usually covers its departments and "
                    "sub-district offices; a department's covers only itself."),
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        old_path = self.path
        self.path = f"{self.parent.path if self.parent else ''}{self.code}/"
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                # Moving or recoding an agency moves its whole subtree with it.
                Agency.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=Concat(Value(self.path), Substr("path", len(old_path) + 1))
                )

    def clean(self) -> None:
        if self.parent_id and self.pk and self.path and self.parent.path.startswith(self.path):
            raise ValidationError({"parent": _("An agency cannot be placed under itself.")})

    def subtree(self) -> models.QuerySet[Agency]:
        """This agency and every agency below it."""
        return Agency.objects.filter(path__startswith=self.path)

    def is_within(self, other: Agency) -> bool:
        return self.path.startswith(other.path)



def top_agency() -> Agency | None:
    """The government at the top of the tree: the site's name, the OGI office's agency."""
    return (Agency.objects.filter(parent__isnull=True, is_active=True)
            .order_by("sort_order", "path").first())

class StaffRole(models.Model):
    """A role that a staff account holds on an agency and everything below it."""

    class Role(models.TextChoices):
        HANDLER = "handler", _("Handler")
        REVIEWER = "reviewer", _("Reviewer")
        OGI_ADMIN = "ogi_admin", _("OGI-office administrator")
        AUDITOR = "auditor", _("Auditor")
        # The two duties of 三员分立 beside the OGI office's system administration: held
        # on the top agency, they give access to no agency's records (``access``).
        SECURITY_ADMIN = "security_admin", _("Security administrator")
        SECURITY_AUDITOR = "security_auditor", _("Security auditor")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
        related_name="staff_roles",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="staff_roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="unique_staff_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.agency}"


class AuditQuerySet(models.QuerySet):
    """Refuses bulk edits: the audit log only grows."""

    def update(self, **kwargs):
        raise PermissionError("the audit log is append-only")

    def delete(self):
        raise PermissionError("the audit log is append-only")

    def head(self) -> tuple[int, str] | None:
        """The hash chain's last link, ``(seq, entry_hash)``, or None for an empty log."""
        return (self.filter(seq__isnull=False).order_by("-seq")
                .values_list("seq", "entry_hash").first())


class AuditEntry(models.Model):
    """One state-changing action: who, what, when, on what object, from which address.

    Append-only by construction: the model refuses updates and deletes, the admin shows it
    read-only, and a database trigger (see the migration) refuses UPDATE on both engines.
    Tamper-evident besides: each entry is a link of a hash chain (``chain.py``), so an entry
    deleted, edited or inserted in SQL is found by ``xxgk audit verify``.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    # Set by ``audit.record`` before the entry is hashed (not auto_now_add, which would set
    # it again on save, after the hash).
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    # The entry's place in the hash chain, the hash of the entry before it, and its own.
    seq = models.PositiveBigIntegerField(_("number in the log"), null=True, unique=True,
                                         editable=False)
    previous_hash = models.CharField(max_length=64, blank=True, editable=False)
    entry_hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or '-'} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise PermissionError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the audit log is append-only")
