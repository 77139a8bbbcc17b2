"""The catalogue (政府信息公开目录): published items, policy documents, interpretations.

Only ``actions.py`` writes these rows. An item's ``index_no`` (索引号) is taken from a
per-agency, per-year counter under a row lock, so two staff creating items at once never
share one. What the annual report and the scorecards need is counted from these rows by
``counting.py``: publication dates, the Art. 26 deadline (``publish_by``, fixed when the
item is formed so that a SQL comparison answers "published on time?"), the key-area flag,
and the validity history of policy documents (``ValidityChange``), from which the validity
on any past date can be read back.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xxgk import taxonomy
from xxgk.agencies.models import Agency
from xxgk.core.labels import category_choices


def _choices(categories: tuple[taxonomy.Category, ...]) -> list[tuple[str, Any]]:
    # Labelled in the page's language when shown (the admin in English, too).
    return category_choices(categories)


class ItemState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class IndexSequence(models.Model):
    """The last index number given to an agency's items in a year."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"],
                                               name="unique_index_sequence")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last}"


class InfoItem(models.Model):
    """One piece of government information in the catalogue (一条政府信息)."""

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="info_items")
    index_no = models.CharField(_("index number"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    body = models.TextField(_("text"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    attribute = models.CharField(_("disclosure attribute"), max_length=20,
                                 choices=_choices(taxonomy.DISCLOSURE_ATTRIBUTES),
                                 default="proactive")
    key_area = models.BooleanField(_("key area"), default=False)
    state = models.CharField(_("state"), max_length=20, choices=ItemState.choices,
                             default=ItemState.DRAFT)
    formed_on = models.DateField(_("formed or changed on"))
    publish_by = models.DateField(_("to be published by"))
    published_on = models.DateField(_("published on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")
        ordering = ["-published_on", "-pk"]
        indexes = [
            # The report's and the scorecard's counts (agency IN …, state =, published_on
            # in the year) read this index only: it covers every column they look at.
            models.Index(fields=["agency", "state", "published_on", "attribute", "key_area",
                                 "publish_by"], name="catalog_item_counts"),
        ]

    def __str__(self) -> str:
        return f"{self.index_no} {self.title}"


class PolicyDocument(InfoItem):
    """A policy document (政策文件): a government rule, a normative document or another."""

    kind = models.CharField(_("kind"), max_length=30, choices=_choices(taxonomy.POLICY_KINDS))
    doc_no = models.CharField(_("document number"), max_length=80, blank=True)
    issued_on = models.DateField(_("issued on"))
    # The validity today: the newest ValidityChange's, or in force when there is none.
    validity = models.CharField(_("validity"), max_length=20,
                                choices=_choices(taxonomy.VALIDITIES), default="in_force")

    class Meta:
        verbose_name = _("policy document")
        verbose_name_plural = _("policy documents")
        indexes = [models.Index(fields=["kind", "issued_on"], name="catalog_policy_kind")]


class ValidityChange(models.Model):
    """A dated change of a policy document's validity, with the document that made it."""

    document = models.ForeignKey(PolicyDocument, verbose_name=_("policy document"),
                                 on_delete=models.PROTECT, related_name="validity_changes")
    changed_on = models.DateField(_("effective on"))
    validity = models.CharField(_("validity"), max_length=20,
                                choices=_choices(taxonomy.VALIDITIES))
    by_document = models.ForeignKey(PolicyDocument, verbose_name=_("by document"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("validity change")
        verbose_name_plural = _("validity changes")
        ordering = ["changed_on", "pk"]
        indexes = [models.Index(fields=["validity", "changed_on"], name="catalog_validity")]

    def __str__(self) -> str:
        return f"{self.document.index_no} → {self.validity} ({self.changed_on})"


class Interpretation(InfoItem):
    """An interpretation (政策解读) of one policy document."""

    policy = models.ForeignKey(PolicyDocument, verbose_name=_("policy document"),
                               on_delete=models.PROTECT, related_name="interpretations")

    class Meta:
        verbose_name = _("interpretation")
        verbose_name_plural = _("interpretations")
