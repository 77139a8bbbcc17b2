"""SQLite: in a large index, the matches are ranked by the query's particular words only,
each by itself, and are the same documents as when every word ranks (``backends/sqlite.py``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from tests.catalog.helpers import published_item
from xxgk.core.today import fixed_today
from xxgk.search.backends import sqlite
from xxgk.search.query import parse, to_fts5
from xxgk.search.service import SearchRequest, search
from xxgk.search.vocabulary import segmenter, synonyms

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's ranking")]
D = dt.date


@pytest.fixture
def notices(world):
    """Eight notices, two of them about social insurance: 通知 is in every one."""
    with fixed_today(D(2025, 6, 2)):
        titles = [f"关于做好{topic}工作的通知" for topic in
                  ("社会保险缴费", "社会保险待遇发放", "防汛", "供暖", "垃圾分类", "消防安全",
                   "义务教育入学", "老旧小区整治")]
        return [published_item(world.district, D(2025, 3, 3), D(2025, 3, 5 + n), title=title)
                for n, title in enumerate(titles)]


@pytest.fixture
def large(monkeypatch):
    """As if the index were large, with a word in more than a quarter of it common."""
    monkeypatch.setattr(sqlite, "RANK_EVERY_WORD_BELOW", 0)
    monkeypatch.setattr(sqlite, "COMMON_SHARE", 0.25)
    sqlite._counts.forget()
    yield
    sqlite._counts.forget()


def found(q: str) -> list[int]:
    return [hit.item_id for hit in search(SearchRequest(q=q)).hits]


def test_the_same_documents_match_when_the_common_word_is_not_ranked_by(notices, large):
    assert set(found("社会保险 通知")) == {notices[0].pk, notices[1].pk}
    assert set(found("防汛 通知")) == {notices[2].pk}


def ranked_by(q: str) -> str | None:
    """The MATCH expression the matches are ranked by (None: by date alone)."""
    ranked = sqlite.SqliteBackend()._ranked(parse(q, segmenter(), synonyms()), "zh")
    return None if ranked is None else to_fts5(ranked, "zh")


def test_the_ranking_reads_only_the_particular_words_each_alone(notices, large):
    particular = ranked_by("社会保险 通知")
    assert "社会保险" in particular and "通知" not in particular
    # A word's parts near each other are not ranked by: the costliest phrase to count.
    assert "NEAR" not in particular


def test_a_query_of_common_words_only_is_ordered_by_date(notices, large):
    assert ranked_by("工作 通知") is None
    hits = search(SearchRequest(q="工作 通知")).hits
    assert [hit.published_on for hit in hits] == sorted(
        (hit.published_on for hit in hits), reverse=True)
    assert len(hits) == len(notices)


def test_a_small_index_ranks_by_every_word(notices):
    sqlite._counts.forget()
    every_word = ranked_by("社会保险 通知")
    assert "通知" in every_word and "NEAR" in every_word


def test_a_word_most_documents_hold_is_not_required_in_a_large_index(notices, world):
    """Every notice says 通知; a bulletin that does not is found too once the index is
    large, as BM25 gives a word in more than half the documents no weight."""
    with fixed_today(D(2025, 6, 2)):
        bulletin = published_item(world.district, D(2025, 3, 3), D(2025, 4, 1),
                                  title="社会保险待遇调整公告")
    sqlite._counts.forget()
    assert bulletin.pk not in found("社会保险 通知")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sqlite, "RANK_EVERY_WORD_BELOW", 0)
        sqlite._counts.forget()
        assert set(found("社会保险 通知")) == {notices[0].pk, notices[1].pk, bulletin.pk}
        # Alone, or with only such words, they are still required.
        assert bulletin.pk not in found("通知")
        assert bulletin.pk not in found("工作 通知")
    sqlite._counts.forget()
