"""Published history in bulk (bulk.publish_history): the actions layer's rules, in batches."""

import collections
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.catalog.helpers import published_item
from xxgk.agencies.models import AuditEntry
from xxgk.catalog import actions, bulk
from xxgk.catalog.bulk import HistoryRecord
from xxgk.catalog.models import (
    Category,
    IndexSequence,
    InfoItem,
    ItemChannel,
    ItemState,
    Origin,
    PolicyDocument,
    ValidityChange,
)
from xxgk.core import periods
from xxgk.core.steps import StepError
from xxgk.core.today import fixed_today

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"), fixed_today(D(2025, 6, 2)):
        yield


def _records(n: int, **extra) -> list[HistoryRecord]:
    return [HistoryRecord(title=f"关于印发第{i}号办法的通知", published_on=D(2024, 3, 1 + i % 28),
                          **extra) for i in range(n)]


def test_records_become_published_proactive_items_with_index_numbers_and_deadlines(world):
    category = Category.objects.get(code="gzhgfxwj")
    records = [
        HistoryRecord(title="  广东省人民政府关于调整一批省级行政职权事项的决定 ",
                      published_on=D(2023, 9, 25), formed_on=D(2023, 9, 13),
                      doc_no="粤府〔2023〕68号", body="第一段\n\n第二段<script>x</script>",
                      url="http://www.gd.gov.cn/post_4258480.html", category=category,
                      channels=("wechat", "weibo")),
        HistoryRecord(title="四川省水资源调度管理办法", published_on=D(2024, 1, 16)),
    ]
    pks = bulk.publish_history(world.education, records)
    first, second = (InfoItem.objects.get(pk=pk) for pk in pks)
    assert first.title == "广东省人民政府关于调整一批省级行政职权事项的决定"
    assert (first.state, first.attribute, first.origin) == (
        ItemState.PUBLISHED, "proactive", Origin.IMPORTED)
    assert first.is_public and first.published_on == D(2023, 9, 25)
    assert first.formed_on == D(2023, 9, 13)
    assert first.publish_by == actions.publication_deadline(D(2023, 9, 13))
    assert first.index_no == "110102103/2023-00001"
    assert first.source_url == "http://www.gd.gov.cn/post_4258480.html"
    assert "script" not in first.body and "第二段" in first.body
    assert first.category == category and first.doc_no == "粤府〔2023〕68号"
    assert sorted(ItemChannel.objects.filter(item=first).values_list("channel", flat=True)) \
        == ["wechat", "weibo"]
    # formed_on defaults to the publication date
    assert (second.formed_on, second.index_no) == (D(2024, 1, 16), "110102103/2024-00001")


def test_index_numbers_continue_the_agencys_counter_in_blocks_per_year(world):
    published_item(world.education, D(2024, 2, 1), D(2024, 2, 2))
    records = [HistoryRecord(title=f"通知{i}", published_on=day) for i, day in
               enumerate([D(2024, 5, 1), D(2023, 5, 1), D(2024, 5, 2), D(2023, 5, 2)])]
    pks = bulk.publish_history(world.education, records)
    numbers = [InfoItem.objects.get(pk=pk).index_no for pk in pks]
    assert numbers == ["110102103/2024-00002", "110102103/2023-00001",
                       "110102103/2024-00003", "110102103/2023-00002"]
    assert IndexSequence.objects.get(agency=world.education, year=2024).last == 3
    # the next item drafted one at a time follows the block
    later = published_item(world.education, D(2024, 6, 1), D(2024, 6, 2))
    assert later.index_no == "110102103/2024-00004"


def test_policy_documents_get_their_child_rows_and_a_validity_history(world):
    records = [
        HistoryRecord(title="云南省物业管理规定", published_on=D(2022, 9, 8),
                      formed_on=D(2022, 9, 6), kind="rules"),
        HistoryRecord(title="河南省城市维护建设税实施细则", published_on=D(2007, 3, 28),
                      formed_on=D(1985, 3, 27), kind="normative_documents",
                      validity="repealed", doc_no="豫政 〔1985〕58号"),
        HistoryRecord(title="一条普通信息", published_on=D(2022, 9, 9)),
    ]
    pks = bulk.publish_history(world.education, records)
    rules = PolicyDocument.objects.get(pk=pks[0])
    assert (rules.kind, rules.issued_on, rules.validity) == ("rules", D(2022, 9, 6), "in_force")
    assert not rules.validity_changes.exists()
    repealed = PolicyDocument.objects.get(pk=pks[1])
    assert (repealed.kind, repealed.issued_on, repealed.validity) == (
        "normative_documents", D(1985, 3, 27), "repealed")
    change = ValidityChange.objects.get(document=repealed)
    assert (change.changed_on, change.validity, change.note) == (
        D(2007, 3, 28), "repealed", "imported")
    assert repealed.index_no == "110102103/1985-00001"
    assert not PolicyDocument.objects.filter(pk=pks[2]).exists()
    assert InfoItem.objects.filter(pk__in=pks).count() == 3
    # a policy document imported in bulk behaves like one made by the actions layer
    actions.record_validity_change(rules, on=D(2024, 1, 1), validity="amended")
    assert PolicyDocument.objects.get(pk=rules.pk).validity == "amended"


def test_one_audit_entry_per_call_with_counts(world):
    before = AuditEntry.objects.count()
    records = _records(3) + [HistoryRecord(title="规章", published_on=D(2023, 1, 5),
                                           kind="rules")]
    bulk.publish_history(world.education, records, actor=world.handler)
    entries = AuditEntry.objects.order_by("-pk")[: AuditEntry.objects.count() - before]
    assert len(entries) == 1
    entry = entries[0]
    assert entry.action == "catalog.publish_history" and entry.agency == world.education
    assert entry.actor == world.handler
    assert entry.detail == {"origin": "imported", "items": 4, "policy_documents": 1,
                            "years": {"2023": 1, "2024": 3}}
    assert set(InfoItem.objects.values_list("created_by", flat=True)) == {world.handler.pk}


@pytest.mark.parametrize(("change", "field"), [
    ({"title": " "}, "title"),
    ({"title": "长" * 301}, "title"),
    ({"doc_no": "号" * 81}, "doc_no"),
    ({"published_on": D(2025, 6, 3), "formed_on": D(2025, 6, 1)}, "published_on"),
    ({"formed_on": D(1949, 9, 30), "published_on": D(1950, 1, 1)}, "formed_on"),
    ({"formed_on": D(2024, 3, 2), "published_on": D(2024, 3, 1)}, "published_on"),
    ({"kind": "decree"}, "kind"),
    ({"kind": "rules", "validity": "dead"}, "validity"),
    ({"channels": ("fax",)}, "channels"),
    ({"url": "javascript:alert(1)"}, "url"),
    ({"url": "http://x/" + "a" * 500}, "url"),
])
def test_a_record_that_breaks_a_rule_refuses_the_whole_call_before_anything_is_written(
        world, change, field):
    records = _records(5)
    records[3] = HistoryRecord(**{"title": "通知", "published_on": D(2024, 3, 1), **change})
    with pytest.raises(bulk.RecordError) as refused:
        bulk.publish_history(world.education, records)
    assert (refused.value.index, refused.value.field) == (3, field)
    assert not InfoItem.objects.exists() and not IndexSequence.objects.exists()


def test_a_retired_category_is_refused(world):
    category = Category.objects.get(code="gzhgfxwj")
    actions.update_category(category, actions.CategoryText(name=category.name),
                            is_active=False)
    with pytest.raises(StepError, match="no longer in use"):
        bulk.publish_history(world.education, _records(1, category=category))


def test_an_actor_who_may_not_write_the_agency_is_refused(world):
    with pytest.raises(StepError, match="may not edit"):
        bulk.publish_history(world.finance, _records(1), actor=world.handler)
    assert not InfoItem.objects.exists()


def test_imported_history_may_fall_in_a_locked_year_but_xxgk_items_may_not(world):
    periods.lock(world.education, 2023)
    records = [HistoryRecord(title="二〇二四年的", published_on=D(2024, 1, 2)),
               HistoryRecord(title="二〇二三年的", published_on=D(2023, 1, 2))]
    with pytest.raises(StepError, match="2023 has been published") as refused:
        bulk.publish_history(world.education, records, origin=Origin.XXGK)
    assert refused.value.field == "published_on"
    assert not InfoItem.objects.exists()
    # a lock on the district (covering its subtree) also holds
    periods.unlock(world.education, 2023)
    world.district.report_covers_subtree = True
    world.district.save()
    periods.lock(world.district, 2024)
    with pytest.raises(StepError, match="2024 has been published"):
        bulk.publish_history(world.education, records, origin=Origin.XXGK)
    pks = bulk.publish_history(world.education, records)
    assert set(InfoItem.objects.filter(pk__in=pks).values_list("origin", flat=True)) == {
        "imported"}
    periods.unlock(world.district, 2024)
    pks = bulk.publish_history(world.education, records, origin=Origin.XXGK)
    assert set(InfoItem.objects.filter(pk__in=pks).values_list("origin", flat=True)) == {
        "xxgk"}


def test_an_unknown_origin_is_refused(world):
    with pytest.raises(StepError, match="origin"):
        bulk.publish_history(world.education, _records(1), origin="elsewhere")


def test_batches_report_progress_and_take_a_bounded_number_of_queries(world):
    told = []
    records = _records(2500, kind="other", channels=("weibo",))
    with CaptureQueriesContext(connection) as queries:
        pks = bulk.publish_history(world.education, records, progress=told.append)
    assert told == [1000, 2000, 2500]
    assert len(pks) == len(set(pks)) == 2500
    assert PolicyDocument.objects.filter(pk__in=pks).count() == 2500
    assert ItemChannel.objects.filter(item_id__in=pks).count() == 2500
    # a few statements per batch, never one per record (SQLite splits a batch's INSERT by
    # its limit on parameters, about 36 rows a statement)
    inserts = collections.Counter(q["sql"].split("(")[0] for q in queries.captured_queries
                                  if q["sql"].startswith("INSERT"))
    assert len(queries) < 2500 // 20, inserts
    numbers = set(InfoItem.objects.values_list("index_no", flat=True))
    assert len(numbers) == 2500


def test_nothing_at_all_writes_nothing_but_the_audit_entry(world):
    assert bulk.publish_history(world.education, []) == []
    assert not InfoItem.objects.exists()
    entry = AuditEntry.objects.filter(action="catalog.publish_history").get()
    assert entry.detail["items"] == 0
