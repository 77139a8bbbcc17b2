"""The catalogue (政府信息公开目录): the tree, items, policy documents, interpretations.

Only ``actions.py`` (and, for bulk history, ``bulk.py``) writes these rows. An item is public
— on a page, in a feed, the sitemap, the API or a search index — only when
``InfoItem.is_public``: published and proactive. Its versions (``ItemVersion``) keep each
correction and what it replaced; attachments and channels hang off the item. An item's ``index_no`` (索引号) is taken from a
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
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xxgk import taxonomy
from xxgk.agencies.models import Agency
from xxgk.core.labels import category_choices


def _choices(categories: tuple[taxonomy.Category, ...]) -> list[tuple[str, Any]]:
    # Labelled in the page's language when shown (the admin in English, too).
    return category_choices(categories)


class ItemState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In confidentiality review")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Origin(models.TextChoices):
    # Written in xxgk: drafted, reviewed and published here, counted in the annual report.
    XXGK = "xxgk", _("Published in xxgk")
    # Imported history: published elsewhere on its own dates; shown and searched, but the
    # reports of those years already counted it, so it is not counted again.
    IMPORTED = "imported", _("Imported")


class Category(models.Model):
    """A node of the catalogue tree (目录): a content class, a district item or a key area.

    The OGI office edits the tree; ``tree.DEFAULT_TREE`` ships with xxgk. ``code`` is part of
    public URLs and never changes; a node that is no longer used is retired (``is_active``),
    never deleted, because items keep pointing at it.
    """

    branch = models.CharField(_("branch"), max_length=20,
                              choices=_choices(taxonomy.CATALOGUE_BRANCHES))
    parent = models.ForeignKey("self", verbose_name=_("parent"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    article = models.CharField(_("article"), max_length=40, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("catalogue category")
        verbose_name_plural = _("catalogue categories")
        ordering = ["branch", "parent_id", "position", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_key_area(self) -> bool:
        return self.branch == "key_area"


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
    category = models.ForeignKey(Category, verbose_name=_("catalogue category"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="items")
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    doc_no = models.CharField(_("document number"), max_length=80, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    topic_words = models.CharField(_("topic words"), max_length=200, blank=True)
    # Sanitised HTML (``sanitize.clean_html``): never stored as typed.
    body = models.TextField(_("text"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    attribute = models.CharField(_("disclosure attribute"), max_length=20,
                                 choices=_choices(taxonomy.DISCLOSURE_ATTRIBUTES),
                                 default="proactive")
    # The legal ground of a withheld item (an ``OUTCOMES`` key under withheld.).
    withholding_ground = models.CharField(_("ground for withholding"), max_length=40,
                                          blank=True,
                                          choices=_choices(taxonomy.WITHHOLDING_GROUNDS))
    key_area = models.BooleanField(_("key area"), default=False)
    state = models.CharField(_("state"), max_length=20, choices=ItemState.choices,
                             default=ItemState.DRAFT)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices,
                              default=Origin.XXGK)
    # The page an imported item was first published on.
    source_url = models.URLField(_("original address"), max_length=500, blank=True)
    formed_on = models.DateField(_("formed or changed on"))
    publish_by = models.DateField(_("to be published by"))
    published_on = models.DateField(_("published on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=300,
                                         blank=True)
    # The reviewer's comment when a draft was returned; cleared when it is submitted again.
    review_comment = models.CharField(_("review comment"), max_length=500, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Anything a public page shows changed: the page caches and the sitemap read it.
    changed_at = models.DateTimeField(_("changed"), auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"),
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
            # Public listings: newest first, keyset-paged on (published_on, pk).
            models.Index(fields=["state", "attribute", "published_on", "id"],
                         name="catalog_item_public"),
            models.Index(fields=["category", "state", "published_on", "id"],
                         name="catalog_item_category"),
            # The public counts by category and by agency (the catalogue tree, the API): an
            # index-only scan of the public rows, never of their texts (15 s → 0.5 s at a
            # million items on SQLite).
            models.Index(fields=["state", "attribute", "category", "agency"],
                         name="catalog_item_public_counts"),
            # The agency's due and late list (Art. 26).
            models.Index(fields=["agency", "state", "publish_by"], name="catalog_item_due"),
        ]

    def __str__(self) -> str:
        return f"{self.index_no} {self.title}"

    def get_absolute_url(self) -> str:
        """The public page (``portal:item``); only meaningful when ``is_public``."""
        return reverse("portal:item", args=[self.pk])

    @property
    def is_public(self) -> bool:
        """Whether any public page, feed, sitemap, API answer or index may show it."""
        return self.state == ItemState.PUBLISHED and self.attribute == "proactive"


class Attachment(models.Model):
    """A file published with an item (PDF, DOCX, XLSX, OFD, images), judged by its content."""

    item = models.ForeignKey(InfoItem, verbose_name=_("item"), on_delete=models.CASCADE,
                             related_name="attachments")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField(_("content"))
    position = models.PositiveIntegerField(default=0)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class ItemChannel(models.Model):
    """Another channel an item went out on (section 一 counts Weibo and WeChat)."""

    item = models.ForeignKey(InfoItem, on_delete=models.CASCADE, related_name="channels")
    channel = models.CharField(_("channel"), max_length=20,
                               choices=_choices(taxonomy.CHANNELS))

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        constraints = [models.UniqueConstraint(fields=["item", "channel"],
                                               name="unique_item_channel")]

    def __str__(self) -> str:
        return self.channel


class ItemVersion(models.Model):
    """One version of an item's content: the first as published, then each correction.

    A correction of a published item is drafted as a new version in review; when a reviewer
    approves it, its content becomes the item's and the item's ``version`` moves on. The
    item's history is these versions and the audit log's entries for the item.
    """

    class State(models.TextChoices):
        REVIEW = "review", _("In confidentiality review")
        PUBLISHED = "published", _("Published")
        RETURNED = "returned", _("Returned")

    item = models.ForeignKey(InfoItem, verbose_name=_("item"), on_delete=models.CASCADE,
                             related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    # The content fields as staff wrote them (``actions.ItemText``'s fields, dates ISO).
    content = models.JSONField(_("content"))
    # The content this version replaced, kept when it is approved, so every earlier
    # version stays readable although the item holds only the newest.
    previous = models.JSONField(_("previous content"), null=True, blank=True)
    reason = models.CharField(_("reason for the correction"), max_length=300, blank=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("made by"),
                                null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    made_at = models.DateTimeField(_("made"), auto_now_add=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.CharField(_("review comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("item version")
        verbose_name_plural = _("item versions")
        ordering = ["item", "number", "pk"]

    def __str__(self) -> str:
        return f"{self.item_id} v{self.number} ({self.state})"


class PolicyDocument(InfoItem):
    """A policy document (政策文件): a government rule, a normative document or another."""

    kind = models.CharField(_("kind"), max_length=30, choices=_choices(taxonomy.POLICY_KINDS))
    issued_on = models.DateField(_("issued on"))
    # The validity today: the newest ValidityChange's, or in force when there is none.
    validity = models.CharField(_("validity"), max_length=20,
                                choices=_choices(taxonomy.VALIDITIES), default="in_force")

    class Meta:
        verbose_name = _("policy document")
        verbose_name_plural = _("policy documents")
        indexes = [models.Index(fields=["kind", "issued_on"], name="catalog_policy_kind"),
                   models.Index(fields=["validity", "issued_on"],
                                name="catalog_policy_validity")]


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


class ValidityReview(models.Model):
    """A policy document reviewed in the validity clean-up and confirmed still in force.

    It records nothing on the document (its validity is unchanged); it keeps the document
    off the clean-up list for ``policies.REVIEW_INTERVAL_YEARS`` years, and says who
    looked and why.
    """

    document = models.ForeignKey(PolicyDocument, verbose_name=_("policy document"),
                                 on_delete=models.PROTECT, related_name="validity_reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewer"),
                                 null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("validity review")
        verbose_name_plural = _("validity reviews")
        ordering = ["document", "reviewed_on", "pk"]
        indexes = [models.Index(fields=["document", "reviewed_on"],
                                name="catalog_validity_review")]

    def __str__(self) -> str:
        return f"{self.document_id} reviewed {self.reviewed_on}"
