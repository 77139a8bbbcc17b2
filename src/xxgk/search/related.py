"""Recommendation: the public items to offer beside an item, and the published items that
may already answer an application.

Beside a public item (``related_items``), in this order:

1. **The policy family**: what a policy document amends or repeals, what amended or
   repealed it (``catalog.policies.links``, the one record of those links) and its
   interpretations; for an interpretation, the policy it interprets and that policy's
   other interpretations.
2. **The same topic**: items whose topic words (主题词, the agency's own summary of what
   an item is about) share one of the item's.
3. **Similar text**: a relaxed query (any word, ranked) of the item's title words and
   topic words, through the same parser and engines as the search page.

For a handler (``for_application``): Art. 36(1) lets the reply to an application for
information that is already public say where it is published. The items the application
names (its 文号, a 文号 or a 《title》 in its description) come first, then a relaxed
ranked query of the description's words over the handling agency's subtree, then over
every agency.

Every step is one indexed or ranked query with a ``LIMIT``, whatever the size of the
index: no list is read whole. Only public items are offered: the index holds nothing else,
and every row shown is read through ``portal.queries.public_items`` (the family's links are
to published documents, which may still be withheld).

An application's description may hold the applicant's name, ID or phone number: its words
reach the database as query parameters only, never a log or an error message, and words
holding digits (ID and phone numbers, dates) or an address's ``@`` are not searched for.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xxgk.catalog import policies
from xxgk.catalog.models import InfoItem, Interpretation, PolicyDocument
from xxgk.docnumbers import doc_no_key
from xxgk.portal.queries import public_items

from .backends import Filters, backend
from .models import SearchEntry
from .query import MAX_QUERY_CHARACTERS, MAX_TERMS, Query, parse
from .text import fold, is_word, title_key
from .vocabulary import segmenter, split_terms, synonyms

if TYPE_CHECKING:
    # Only the type: search sits below the applications, which call it.
    from xxgk.applications.models import Application

FAMILY = "family"
TOPIC = "topic"
SIMILAR = "similar"
NAMED = "named"
REASONS = {
    FAMILY: _("policy family"),
    TOPIC: _("same topic"),
    SIMILAR: _("similar"),
    NAMED: _("named in the application"),
}

# Ranked candidates read per query, beyond the places left: a candidate may turn out not
# to share a topic word, or to be one already offered.
CANDIDATES = 12
# The words a query is built from, at most (the query's own limit is 12 terms).
MAX_WORDS = 8
# A word in more items than this is too common to tell what an item is about; ranking
# the items holding up to MAX_WORDS such words stays within some ten thousand matches.
COMMON = 1_000
# Words that stand in the titles of most government documents and say what kind of
# document it is, not what it is about: a relaxed query for them finds nearly everything.
GENERIC_WORDS = frozenset([
    "关于", "通知", "印发", "转发", "公告", "通告", "公示", "意见", "办法", "规定", "决定",
    "方案", "细则", "批复", "报告", "函", "工作", "实施", "做好", "开展", "加强", "进一步",
    "有关", "事项", "情况", "相关", "文件", "年度", "年", "月", "日",
])
# What an application says around what it asks for: every description holds these.
APPLICATION_WORDS = frozenset([
    "申请", "公开", "政府信息", "信息", "提供", "请求", "本人", "要求", "依据", "根据",
    "条例", "获取", "查询", "复印件", "原件", "电子版", "纸质", "贵单位", "贵局", "贵委",
])
# A 文号 standing in running text, as GB/T 9704 writes it or as people type it.
_DOC_NO_IN_TEXT = re.compile(r"(?P<issuer>[\u4e00-\u9fff]{2,12})(?P<rest>\s*[\[(〔【〖（]\s*"
                             r"(?:19|20)\d\d\s*[\])〕】〗）]\s*第?\s*\d{1,5}\s*号)")
_BOOK_TITLE = re.compile(r"《([^《》]{4,300})》")


@dataclass(frozen=True)
class Related:
    """One item offered, as a link: its title in the page's language when it has one."""

    item_id: int
    title: str
    url: str
    published_on: dt.date
    reason: str
    # On an English page, an item without an English title is shown in Chinese.
    chinese_only: bool = False

    @property
    def reason_label(self) -> str:
        return str(REASONS[self.reason])


# ---- Beside an item ---------------------------------------------------------------------

def related_items(item: InfoItem, *, limit: int = 6, language: str = "zh-hans"
                  ) -> list[Related]:
    """At most ``limit`` public items to offer on ``item``'s page: its policy family,
    then items of the same topic, then similar ones; never ``item`` itself."""
    if limit <= 0:
        return []
    family = [pk for pk in _family_ids(item) if pk != item.pk]
    exclude = Filters(exclude_ids=(item.pk, *family))
    topics = _topic_words(item.topic_words)[:MAX_WORDS]
    title_words = _telling_words(item.title, GENERIC_WORDS)
    telling = set(_particular([*topics, *title_words]))
    topic_ids = _ranked(_query([w for w in topics if w in telling]), exclude,
                        limit + CANDIDATES)
    similar_ids = _ranked(_query([w for w in [*title_words, *topics] if w in telling]),
                          exclude, limit + CANDIDATES)
    rows = _rows([*family, *topic_ids, *similar_ids])
    chosen: list[tuple[int, str]] = [(pk, FAMILY) for pk in family]
    chosen += [(pk, TOPIC) for pk in topic_ids
               if pk in rows and set(topics) & set(_topic_words(rows[pk]["topic_words"]))]
    chosen += [(pk, SIMILAR) for pk in similar_ids]
    return _offered(chosen, rows, limit, language, own_title=item.title)


def _child(item: InfoItem, model: type[InfoItem]) -> InfoItem | None:
    """``item`` as a ``PolicyDocument`` or an ``Interpretation``, when it is one (the
    view has fetched both children with the item, so this reads nothing more)."""
    if isinstance(item, model):
        return item
    try:
        return getattr(item, model._meta.model_name)
    except ObjectDoesNotExist:
        return None


def _family_ids(item: InfoItem) -> list[int]:
    """The ids of ``item``'s policy family, nearest first: what replaced or amended it (a
    reader wants the text in force), its interpretations, then what it amended or
    repealed. Published documents; whether public is read with their rows."""
    policy = _child(item, PolicyDocument)
    if policy is not None:
        links = policies.links(policy)
        interpretations = list(Interpretation.objects.filter(policy=policy)
                               .order_by("-published_on", "-pk").values_list("pk", flat=True))
        newer = sorted([*links.repealed_by, *links.amended_by],
                       key=lambda d: (d.issued_on, d.pk), reverse=True)
        return _unique([*(d.pk for d in newer), *interpretations,
                        *(d.pk for d in [*links.amends, *links.repeals])])
    interpretation = _child(item, Interpretation)
    if interpretation is not None:
        siblings = (Interpretation.objects.filter(policy_id=interpretation.policy_id)
                    .order_by("-published_on", "-pk").values_list("pk", flat=True))
        return _unique([interpretation.policy_id, *siblings])
    return []


def _topic_words(text: str) -> list[str]:
    """The topic words, each whole (an agency's 住房保障 is one topic, not 住房 and 保障),
    folded as the index holds words."""
    return list(dict.fromkeys(fold(word) for word in split_terms(text or "") if is_word(word)))


# ---- For an application -----------------------------------------------------------------

def for_application(application: Application, *, limit: int = 5) -> list[Related]:
    """At most ``limit`` published public items that may already answer ``application``:
    those it names, then the best matches of what it asks for in the handling agency's
    subtree, then anywhere. Shown in Chinese (staff pages read the catalogue as written)."""
    if limit <= 0:
        return []
    named = _named_ids(application)
    query = _query(_particular(_telling_words(application.description,
                                              GENERIC_WORDS | APPLICATION_WORDS)))
    subtree = tuple(application.agency.subtree().values_list("pk", flat=True))
    nearby = _ranked(query, Filters(agency_ids=subtree, exclude_ids=tuple(named)), limit)
    everywhere: list[int] = []
    # Below the top of the tree there are agencies outside the subtree to look in.
    if application.agency.parent_id is not None and len(named) + len(nearby) < limit:
        everywhere = _ranked(query, Filters(exclude_ids=(*named, *nearby)), limit)
    chosen = [(pk, NAMED) for pk in named]
    chosen += [(pk, SIMILAR) for pk in [*nearby, *everywhere]]
    return _offered(chosen, _rows(pk for pk, _reason in chosen), limit, "zh-hans")


def _named_ids(application: Application) -> list[int]:
    """The public items the application names by 文号 or by 《title》, by indexed
    equality on the index's keys (newest first when a number is shared)."""
    doc_nos = {doc_no_key(application.document_number)} if application.document_number else set()
    for found in _DOC_NO_IN_TEXT.finditer(application.description):
        # Where the issuer's characters begin is not known in running text (请提供京西政发…):
        # every beginning is looked up, and only a 文号 that exists is found.
        issuer, rest = found.group("issuer"), found.group("rest")
        doc_nos |= {doc_no_key(issuer[start:] + rest) for start in range(len(issuer) - 1)}
    titles = {title_key(found) for found in _BOOK_TITLE.findall(application.description)}
    ids: list[int] = []
    for column, keys in (("doc_no_key", doc_nos), ("title_key", titles)):
        keys = {key for key in keys if key}
        if keys:
            ids += (SearchEntry.objects.filter(**{f"{column}__in": keys})
                    .order_by("-in_force", "-published_on", "-item_id")
                    .values_list("item_id", flat=True)[:CANDIDATES])
    return _unique(ids)


# ---- Shared -------------------------------------------------------------------------------

def _telling_words(text: str, generic: frozenset[str]) -> list[str]:
    """``text``'s words that tell what it is about, longest first (a longer word is a
    more particular one): no numbers, single characters or ``generic`` words."""
    words = [word for word in segmenter().query_words(text)
             if len(word) >= 2 and word not in generic and "@" not in word
             and not any(character.isdigit() for character in word)]
    return sorted(words, key=len, reverse=True)[:MAX_WORDS]


def _particular(words: Sequence[str]) -> list[str]:
    """``words`` without those found in more than ``COMMON`` items: a word most items
    hold (西城区, an agency's name) says nothing of what an item is about, and a query
    ranking every item that holds it would read much of the index (seconds at a million
    items). Each word is counted no further than ``COMMON``, so common ones cost little."""
    engine = backend()
    return [word for word in dict.fromkeys(words)
            if engine.count_upto(_query([word]), "zh", Filters(), COMMON + 1) <= COMMON]


class _Words:
    """A cutter for ``parse`` whose query words are the words it is given, separated by
    spaces (chosen already, each kept whole); documents' words are the segmenter's."""

    def query_words(self, text: str) -> list[str]:
        return list(dict.fromkeys(text.split()))

    def index_words(self, text: str) -> list[str]:
        return segmenter().index_words(text)


def _query(words: Sequence[str]) -> Query:
    """The relaxed query (any of the words, ranked) of ``words``, each with its synonyms,
    through the search page's parser."""
    kept: list[str] = []
    for word in dict.fromkeys(words):
        # Whole words only: the parser cuts a longer text, possibly inside a word.
        if len(kept) == MAX_TERMS or len(" ".join([*kept, word])) > MAX_QUERY_CHARACTERS:
            break
        kept.append(word)
    return parse(" ".join(kept), _Words(), synonyms()).relax()


def _ranked(query: Query, filters: Filters, limit: int) -> list[int]:
    """The ids of the ``limit`` best matches of ``query`` (Chinese columns: every item
    has a Chinese title, so similarity is judged in Chinese on both languages' pages)."""
    if not query.terms:
        return []
    return [pk for pk, _score in backend().page(query, "zh", filters, sort="relevance",
                                                offset=0, limit=limit)]


def _rows(ids: Iterable[int]) -> dict[int, dict]:
    """The public items among ``ids``, with what a link shows: one query."""
    wanted = set(ids)
    if not wanted:
        return {}
    return {row["pk"]: row for row in public_items().filter(pk__in=wanted).values(
        "pk", "title", "title_en", "published_on", "topic_words")}


def _offered(chosen: Sequence[tuple[int, str]], rows: dict[int, dict], limit: int,
             language: str, own_title: str = "") -> list[Related]:
    """The links, in the order chosen. An item found by its words whose title is the
    page's own or one already offered is left out: catalogues hold many items of one
    title (a notice issued again, an appointment), and a list of the same title six times
    tells a reader nothing. The policy family is always offered: a revision may keep its
    predecessor's title."""
    english = language == "en"
    offered: dict[int, Related] = {}
    titles = {own_title} if own_title else set()
    for pk, reason in chosen:
        row = rows.get(pk)
        if row is None or pk in offered:
            continue
        if reason != FAMILY and row["title"] in titles:
            continue
        titles.add(row["title"])
        shown_english = english and bool(row["title_en"])
        offered[pk] = Related(
            item_id=pk, title=row["title_en"] if shown_english else row["title"],
            url=reverse("portal:item", args=[pk]), published_on=row["published_on"],
            reason=reason, chinese_only=english and not shown_english)
        if len(offered) == limit:
            break
    return list(offered.values())


def _unique(ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(ids))
