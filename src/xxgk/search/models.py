"""The search index's rows, the vocabulary the OGI office edits, and what people searched.

``SearchEntry`` is one public item as the engines see it: its filter columns, the keys
that find it exactly (文号, 索引号, title) and its text segmented into words separated by
spaces. The engine's own index is built over these columns (SQLite: an FTS5 table with
this table as its external content; PostgreSQL: generated ``tsvector`` columns with GIN
indexes), both created in this app's migrations.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xxgk.agencies.models import Agency
from xxgk.catalog.models import Category, InfoItem


class SearchEntry(models.Model):
    """A public item in the index (absent for every item that is not public)."""

    item = models.OneToOneField(InfoItem, primary_key=True, on_delete=models.CASCADE,
                                related_name="search_entry")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, null=True, on_delete=models.SET_NULL,
                                 related_name="+")
    # The policy document's kind and validity; empty for an item that is not one.
    kind = models.CharField(max_length=30, blank=True)
    validity = models.CharField(max_length=20, blank=True)
    # False for an expired or repealed policy document: ranked after those in force.
    in_force = models.BooleanField(default=True)
    published_on = models.DateField()
    index_no = models.CharField(max_length=40, db_index=True)
    doc_no_key = models.CharField(max_length=80, db_index=True, blank=True)
    title_key = models.CharField(max_length=300, db_index=True)
    # The English title's key, for suggestions on the English pages. Null when there is
    # none: SQLite then adds the column in place (a rebuilt table would lose the FTS5
    # triggers), and items without an English title stay out of its index.
    title_en_key = models.CharField(max_length=300, null=True, db_index=True)  # noqa: DJ001
    title_words = models.TextField(blank=True)
    doc_no_words = models.TextField(blank=True)
    summary_words = models.TextField(blank=True)
    body_words = models.TextField(blank=True)
    title_en_words = models.TextField(blank=True)
    body_en_words = models.TextField(blank=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        indexes = [models.Index(fields=["published_on", "item"], name="search_entry_date")]

    def __str__(self) -> str:
        return self.index_no


class PendingEntry(models.Model):
    """An item whose entry may be stale: written by database triggers in the transaction
    that changed the item (every writer counts: actions, bulk inserts, ``update()``, the
    admin), removed once the entry follows. The durable queue of the index."""

    item_id = models.BigIntegerField(primary_key=True)

    class Meta:
        db_table = "search_pending"

    def __str__(self) -> str:
        return str(self.item_id)


class DictionaryWord(models.Model):
    """A word the segmenter keeps whole, added by the OGI office to the shipped dictionary."""

    word = models.CharField(_("word"), max_length=30, unique=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("added by"),
                                 null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("dictionary word")
        verbose_name_plural = _("dictionary words")
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word


class SynonymGroup(models.Model):
    """Words that mean the same to a searcher (社保 = 社会保险): a query for one finds all."""

    terms = models.CharField(_("terms"), max_length=300,
                             help_text=_("The words of the group, separated by spaces or commas."))
    shipped = models.BooleanField(_("shipped with xxgk"), default=False)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("changed by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.terms


class QueryCount(models.Model):
    """How often a query was searched on a day and how many results it had: hot searches
    (public) and zero-result queries (for the OGI office) are read from these. A query that
    looks like personal data (an ID or phone number) is never recorded."""

    day = models.DateField()
    query = models.CharField(max_length=100)
    language = models.CharField(max_length=10)
    count = models.PositiveIntegerField(default=0)
    results = models.PositiveIntegerField(default=0)
    # Which of 62 buckets the clients who asked fell in (``querylog.client_bit``): how
    # many different people asked, never who.
    clients = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "query", "language"],
                                               name="search_query_count_once")]
        indexes = [models.Index(fields=["day", "results"], name="search_query_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.query}"


class HiddenQuery(models.Model):
    """A query the OGI office keeps out of the hot searches and the suggestions: the public
    pages show what people typed, and some of it is not for a government site to repeat
    (abuse, a name, a campaign flooding the box). Still searched and counted."""

    query = models.CharField(max_length=100, unique=True)
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    hidden_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hidden query")
        verbose_name_plural = _("hidden queries")

    def __str__(self) -> str:
        return self.query


class SuggestionTerm(models.Model):
    """A word or phrase offered as people type, with its pinyin and initials so that
    ``shebao`` and ``sb`` find 社保; rebuilt from the index (titles' words, topic words),
    the dictionary and popular queries."""

    text = models.CharField(max_length=100, unique=True)
    pinyin = models.CharField(max_length=300, db_index=True)
    initials = models.CharField(max_length=100, db_index=True)
    # How many public items hold the term (or how often it was searched): the order.
    weight = models.PositiveIntegerField(default=0)
    # How often it was searched, when it is a popular query (``querylog.popular_queries``);
    # null for a word. Null, so that SQLite adds the column in place (a rebuilt table would
    # lose the public generation's triggers, migration 0004).
    searched = models.PositiveIntegerField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["text", "weight"], name="search_term_prefix"),
            # The popular queries are few: their own small indexes answer the suggestions'
            # prefix lookups without reading the terms'.
            *(models.Index(fields=[field], condition=models.Q(searched__isnull=False),
                           name=f"search_term_popular_{field}")
              for field in ("text", "pinyin", "initials")),
        ]

    def __str__(self) -> str:
        return self.text
