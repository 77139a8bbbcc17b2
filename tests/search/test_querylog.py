"""Counting what people search for (``xxgk.search.querylog``)."""

from __future__ import annotations

import datetime as dt
import logging
import threading

import pytest
from django.db import connection, connections, transaction

from tests.search.records import askers
from xxgk.core.today import fixed_today
from xxgk.search import querylog
from xxgk.search.models import QueryCount
from xxgk.search.querylog import popular_queries, record, zero_result_queries

D = dt.date
TODAY = D(2025, 6, 2)


def counts() -> dict[tuple[dt.date, str, str], tuple[int, int]]:
    return {(row.day, row.query, row.language): (row.count, row.results)
            for row in QueryCount.objects.all()}


def record_on(day: dt.date, query: str, results: int, language: str = "zh-hans",
              times: int = 1) -> None:
    with fixed_today(day):
        for client in askers(query, times):
            record(query, results, language=language, client=client)


@pytest.mark.django_db
def test_a_query_is_counted_once_a_day_with_its_latest_number_of_results():
    record_on(TODAY, "社会保险", 3)
    record_on(TODAY, "社会保险", 4)
    record_on(TODAY + dt.timedelta(days=1), "社会保险", 4)
    assert counts() == {(TODAY, "社会保险", "zh-hans"): (2, 4),
                        (TODAY + dt.timedelta(days=1), "社会保险", "zh-hans"): (1, 4)}


@pytest.mark.django_db
def test_each_language_counts_apart():
    record_on(TODAY, "housing", 1, language="en")
    record_on(TODAY, "housing", 0)
    assert counts() == {(TODAY, "housing", "en"): (1, 1), (TODAY, "housing", "zh-hans"): (1, 0)}


@pytest.mark.django_db
def test_a_query_is_counted_folded_so_that_its_spellings_count_together():
    for written in ("社會保險", "  社会保险 ", "ＡＢＣ 社保", "abc   社保"):
        record_on(TODAY, written, 1)
    assert counts() == {(TODAY, "社会保险", "zh-hans"): (2, 1),
                        (TODAY, "abc 社保", "zh-hans"): (2, 1)}


@pytest.mark.django_db
def test_a_long_query_is_cut_to_the_column():
    record_on(TODAY, "长" * 150, 0)
    assert list(QueryCount.objects.values_list("query", flat=True)) == ["长" * 100]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "   ", "\u200b"])
def test_an_empty_query_is_not_counted(query):
    record_on(TODAY, query, 0)
    assert not QueryCount.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("query", [
    "110101199003074578",           # an ID number
    "11010119900307457X",           # with its check letter
    "11010119900307457x 申请进度",   # inside other words
    "１１０１０１１９９００３０７４５７８",  # typed full-width
    "13800138000",                  # a mobile number
    "138 0013 8000",                # typed in groups
    "010-66012345",                 # a fixed line
    "我的电话6601234",               # any run of seven digits
    "zhang.san@example.com",        # an e-mail address
    "查询 someone@163.com 的申请",
])
def test_a_query_holding_personal_data_is_never_counted(query):
    record_on(TODAY, query, 0)
    assert not QueryCount.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["京西政发〔2024〕5号", "12345热线", "2025年 预算",
                                   "第123456号", "@西城"])
def test_numbers_of_documents_and_hotlines_are_counted(query):
    record_on(TODAY, query, 1)
    assert QueryCount.objects.count() == 1


@pytest.mark.django_db
def test_who_asked_is_kept_as_one_bit_in_sixty_two_never_as_the_address():
    first, second = askers("社会保险", 2)
    with fixed_today(TODAY):
        for client in (first, first, second):
            record("社会保险", 3, language="zh-hans", client=client)
    row = QueryCount.objects.get()
    assert row.clients.bit_count() == 2
    assert 0 < row.clients < 2**62
    stored = " ".join(map(str, QueryCount.objects.values_list().get()))
    assert "192.0.2" not in stored


@pytest.mark.django_db
def test_a_query_is_popular_once_several_different_clients_asked_it():
    with fixed_today(TODAY):
        for _ in range(10):
            record("某某的名字", 1, language="zh-hans", client="192.0.2.200")
        assert popular_queries(language="zh-hans", days=30) == []
        for client in askers("某某的名字", 3):
            record("某某的名字", 1, language="zh-hans", client=client)
        assert popular_queries(language="zh-hans", days=30) == [("某某的名字", 13)]


@pytest.mark.django_db
def test_the_clients_of_every_day_in_the_window_count_together():
    one, two, three = askers("公租房", 3)
    for days_ago, client in ((2, one), (1, two), (0, three)):
        record_on_from(TODAY - dt.timedelta(days=days_ago), "公租房", client)
    for days_ago in (2, 1, 0):  # one client every day is one client
        record_on_from(TODAY - dt.timedelta(days=days_ago), "公租屋", "192.0.2.200")
    with fixed_today(TODAY):
        assert popular_queries(language="zh-hans", days=30) == [("公租房", 3)]
        assert popular_queries(language="zh-hans", days=2) == []


def record_on_from(day: dt.date, query: str, client: str) -> None:
    with fixed_today(day):
        record(query, 1, language="zh-hans", client=client)


@pytest.mark.django_db
def test_the_statement_writes_the_models_table():
    # record() writes SQL of its own (an upsert): it must name the model's table.
    assert QueryCount._meta.db_table in querylog._UPSERT


@pytest.mark.django_db(transaction=True)
def test_concurrent_searches_lose_no_count():
    threads, each = 6, 5
    start = threading.Barrier(threads)
    errors: list[BaseException] = []

    def search() -> None:
        try:
            start.wait()
            record_on(TODAY, "公租房", 2, times=each)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=search) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert counts() == {(TODAY, "公租房", "zh-hans"): (threads * each, 2)}


class _TableGone:
    """The table is unreachable for a while (as it is to a request during a failover): a
    real database error, inside the caller's transaction."""

    def __enter__(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE search_querycount RENAME TO search_querycount_away")

    def __exit__(self, *exc_info) -> None:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE search_querycount_away RENAME TO search_querycount")


@pytest.mark.django_db
def test_a_database_error_is_logged_without_the_query_and_never_raised(caplog):
    with caplog.at_level(logging.WARNING, logger="xxgk.search.querylog"), _TableGone():
        record_on(TODAY, "社会保险", 1)
    assert "could not be counted" in caplog.text
    assert "社会保险" not in caplog.text


@pytest.mark.django_db
def test_a_failure_leaves_the_callers_transaction_usable():
    # On PostgreSQL a failed statement aborts the whole transaction unless it ran in a
    # savepoint: the search page must go on reading after a count failed.
    with transaction.atomic():
        with _TableGone():
            record_on(TODAY, "社会保险", 1)
        record_on(TODAY, "社会保险", 1)
    assert counts() == {(TODAY, "社会保险", "zh-hans"): (1, 1)}


@pytest.mark.django_db
def test_queries_that_found_nothing_most_searched_first():
    record_on(TODAY - dt.timedelta(days=3), "共有产权房摇号", 0, times=2)
    record_on(TODAY, "共有产权房摇号", 0, language="en")
    record_on(TODAY - dt.timedelta(days=1), "垃圾分类", 0, times=5)
    record_on(TODAY, "社会保险", 3, times=9)
    with fixed_today(TODAY):
        assert zero_result_queries() == [("垃圾分类", 5, TODAY - dt.timedelta(days=1)),
                                         ("共有产权房摇号", 3, TODAY)]


@pytest.mark.django_db
def test_a_query_that_found_something_since_is_no_longer_missing_anything():
    record_on(TODAY - dt.timedelta(days=2), "垃圾分类", 0, times=4)
    record_on(TODAY, "垃圾分类", 2)
    record_on(TODAY - dt.timedelta(days=2), "老旧小区", 1)
    record_on(TODAY, "老旧小区", 0)
    with fixed_today(TODAY):
        assert zero_result_queries() == [("老旧小区", 1, TODAY)]


@pytest.mark.django_db
def test_only_the_last_days_are_read_and_at_most_the_limit():
    record_on(TODAY - dt.timedelta(days=30), "去年的词", 0, times=9)
    for n in range(5):
        record_on(TODAY - dt.timedelta(days=29), f"词{n}", 0, times=n + 1)
    with fixed_today(TODAY):
        assert [q for q, _count, _day in zero_result_queries(limit=3)] == ["词4", "词3", "词2"]
        assert "去年的词" not in [q for q, _count, _day in zero_result_queries()]
        assert [q for q, _count, _day in zero_result_queries(days=1)] == []
