"""The index holds exactly the public items, whoever writes the catalogue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction

from tests.search import records
from xxgk.catalog import actions, bulk
from xxgk.catalog.actions import ItemText
from xxgk.catalog.models import InfoItem
from xxgk.core import jobs
from xxgk.core.today import fixed_today
from xxgk.search import indexing
from xxgk.search.models import PendingEntry, SearchEntry
from xxgk.search.service import SearchRequest, search

D = dt.date


@pytest.fixture
def catalogue(world):
    return records.build(world)


def public_ids() -> set[int]:
    return set(InfoItem.objects.filter(state="published", attribute="proactive")
               .values_list("pk", flat=True))


def test_after_the_actions_the_index_is_the_public_items(catalogue):
    assert set(SearchEntry.objects.values_list("item_id", flat=True)) == public_ids()


def test_what_the_actions_left_queued_changes_nothing_when_followed(catalogue):
    # Drafts are queued by the triggers (they are catalogue rows) but have no entry.
    indexing.process_pending()
    assert set(SearchEntry.objects.values_list("item_id", flat=True)) == public_ids()
    assert not PendingEntry.objects.exists()


def test_a_bulk_write_is_queued_in_its_transaction_and_followed_by_the_worker(world):
    with fixed_today(D(2025, 6, 2)):
        [pk] = bulk.publish_history(world.finance, [bulk.HistoryRecord(
            title="西城区2023年部门决算公开说明", published_on=D(2024, 2, 1))])
    assert PendingEntry.objects.filter(item_id=pk).exists()
    assert search(SearchRequest(q="部门决算")).total == 0
    jobs.run_idle_tasks()
    assert search(SearchRequest(q="部门决算")).total == 1
    assert not PendingEntry.objects.exists()


def test_a_change_made_with_update_is_queued_too(catalogue):
    InfoItem.objects.filter(pk=catalogue.insurance.pk).update(title="关于医疗救助的通知")
    indexing.process_pending()
    assert search(SearchRequest(q="医疗救助")).total == 1
    assert search(SearchRequest(q="缴费", field="title")).total == 0


def test_a_rolled_back_change_leaves_neither_entry_nor_queue(catalogue):
    indexing.process_pending()
    with pytest.raises(RuntimeError), transaction.atomic():
        InfoItem.objects.filter(pk=catalogue.insurance.pk).update(state="withdrawn")
        raise RuntimeError
    assert not PendingEntry.objects.exists()
    assert SearchEntry.objects.filter(item_id=catalogue.insurance.pk).exists()


def test_an_approved_correction_is_searched_in_its_new_words(catalogue, world):
    item = actions.publish(actions.create_item(world.education, records.text(
        "关于开展学生体质监测的通知", formed=D(2025, 3, 3))), D(2025, 3, 4))
    with fixed_today(records.TODAY):
        version = actions.propose_correction(item, ItemText(
            title="关于开展学生视力筛查的通知", formed_on=D(2025, 3, 3), body="正文"),
            "标题有误", actor=world.handler)
        actions.review_correction(version, approve=True, actor=world.reviewer)
    assert search(SearchRequest(q="视力筛查")).total == 1
    assert search(SearchRequest(q="体质监测")).total == 0


def test_a_repealed_document_is_marked_not_in_force(catalogue):
    entry = SearchEntry.objects.get(item_id=catalogue.old_rule.pk)
    assert entry.validity == "repealed" and not entry.in_force


def test_a_rebuild_writes_every_public_entry_again_and_drops_the_rest(catalogue):
    SearchEntry.objects.filter(item_id=catalogue.housing.pk).delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_pending")
    seen = []
    assert indexing.rebuild(lambda done, total: seen.append((done, total))) == len(public_ids())
    assert set(SearchEntry.objects.values_list("item_id", flat=True)) == public_ids()
    assert seen[-1] == (len(public_ids()), len(public_ids()))
    assert search(SearchRequest(q="公共租赁住房")).total == 1


def test_the_index_job_follows_the_queue_and_is_a_task():
    assert indexing.index_catalogue.xxgk_task


# ---- SQLite: the FTS5 rows the indexer writes beside the entries -------------------------

sqlite_only = pytest.mark.skipif("connection.vendor != 'sqlite'")


def fts_consistent() -> bool:
    """FTS5's own check that its index holds exactly the words of the entries."""
    with connection.cursor() as cursor:
        try:
            cursor.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")
        except Exception:  # noqa: BLE001 (SQLite reports a corrupt index as an error)
            return False
    return True


def fts_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM search_fts_docsize")
        return cursor.fetchone()[0]


@sqlite_only
def test_the_fts5_index_follows_the_actions_the_queue_and_a_rebuild(catalogue, world):
    assert fts_consistent() and fts_rows() == SearchEntry.objects.count()
    InfoItem.objects.filter(pk=catalogue.housing.pk).update(title="西城区人才公寓申请指南")
    indexing.process_pending()
    actions.withdraw(catalogue.insurance, "内容有误")
    assert fts_consistent() and fts_rows() == SearchEntry.objects.count()
    assert search(SearchRequest(q="人才公寓")).total == 1
    indexing.rebuild()
    assert fts_consistent() and fts_rows() == SearchEntry.objects.count()


@sqlite_only
def test_entries_removed_by_any_other_writer_leave_the_fts5_index(catalogue):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_searchentry WHERE item_id = %s",
                       [catalogue.housing.pk])
    assert fts_consistent() and fts_rows() == SearchEntry.objects.count()
    assert search(SearchRequest(q="公共租赁住房")).total == 0
