"""What a typed query asks for, and that no typed text is ever an engine's syntax."""

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xxgk.search.query import FTS5_COLUMNS, colloquial_words, parse, to_fts5, to_tsquery
from xxgk.search.segment import Segmenter
from xxgk.search.vocabulary import SynonymTable

CUT = Segmenter(["公租房", "公共租赁住房", "最低生活保障"])
SYNONYMS = SynonymTable((("公租房", "公共租赁住房"), ("低保", "最低生活保障")))


def ask(text, **options):
    return parse(text, CUT, SYNONYMS, **options)


def test_each_word_is_a_term_with_its_synonyms():
    query = ask("公租房 申请")
    assert [term.word for term in query.terms] == ["公租房", "申请"]
    assert ("公共租赁住房",) in query.terms[0].alternatives


def test_a_word_is_also_matched_through_its_parts():
    query = ask("低保")
    parts = [alt for alt in query.terms[0].alternatives if len(alt) > 1]
    assert parts and set(parts[0]) >= {"最低", "生活"}


def test_a_doc_no_gets_its_key_and_a_long_text_its_title_key():
    assert ask("京西政发[2023]5号").doc_no_key == "京西政发20235号"
    assert ask("西城区老旧小区综合整治管理办法").title_key == "西城区老旧小区综合整治管理办法"
    assert ask("社保").title_key == ""


def test_the_fts5_expression_limits_the_columns_to_the_field():
    assert to_fts5(ask("社保", field="title"), "zh").startswith("{title_words} :")
    assert to_fts5(ask("housing"), "en").startswith("{title_en_words body_en_words} :")


def test_a_relaxed_query_asks_for_any_term():
    query = ask("公租房 申请")
    assert " AND " in to_fts5(query, "zh") and " OR " in to_fts5(query.relax(), "zh")
    assert " & " in to_tsquery(query) and " | " in to_tsquery(query.relax())


def test_a_question_word_and_a_lone_character_are_weak_words():
    query = ask("垃圾怎么办 分", colloquial=frozenset({"怎么办"}))
    assert [(term.word, term.weak) for term in query.terms] == [
        ("垃圾", False), ("怎么办", True), ("分", True)]


def test_the_shipped_question_words_are_weak():
    assert {"怎么办", "多少钱", "自己"} <= colloquial_words()
    assert ask("老板拖欠工资怎么办").terms[-1].colloquial


def test_a_query_is_loosened_first_by_dropping_its_weak_words_then_to_any_word():
    query = ask("公租房 申请 怎么办 分", colloquial=frozenset({"怎么办"}))
    dropped = query.loosened()
    assert [term.word for term in dropped.terms] == ["公租房", "申请"]
    assert dropped.dropped == ("怎么办", "分") and dropped.misses_words
    assert not dropped.relaxed
    assert " AND " in to_fts5(dropped, "zh") and " & " in to_tsquery(dropped)
    any_word = dropped.loosened()
    assert any_word.terms == dropped.terms and any_word.relaxed
    assert any_word.loosened() is None


def test_a_query_of_weak_words_only_keeps_them():
    query = ask("怎么办 分", colloquial=frozenset({"怎么办"}))
    assert query.loosened().relaxed and len(query.loosened().terms) == 2


def test_one_word_left_is_not_loosened_further():
    query = ask("公租房 怎么办", colloquial=frozenset({"怎么办"}))
    assert query.loosened().loosened() is None
    assert ask("公租房").loosened() is None


def test_a_very_long_query_is_cut():
    query = ask("社保 " * 5000)
    assert len(query.text) <= 200 and len(query.terms) <= 12


@pytest.fixture(scope="module")
def fts5():
    connection = sqlite3.connect(":memory:")
    connection.execute(f"CREATE VIRTUAL TABLE t USING fts5({', '.join(FTS5_COLUMNS)}, "
                       "tokenize='porter unicode61 remove_diacritics 2')")
    connection.execute("INSERT INTO t VALUES ('公租房 申请', '', '', '', 'housing', '')")
    return connection


hostile = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(['"', "'", "AND", "OR", "NOT", "NEAR", "*", "^", "(", ")",
                              ":", "{", "}", "-", "+", "社保", "公租房", "title_words",
                              "\\", ";", "--", "🏠", "\x00"]), max_size=20).map(" ".join))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=300)
@given(hostile, st.sampled_from(["all", "title", "body", "doc_no"]),
       st.sampled_from(["zh", "en"]), st.integers(0, 2))
def test_fts5_accepts_the_expression_of_any_typed_text(fts5, text, field, language, loosened):
    query = ask(text, field=field)
    for _step in range(loosened):
        query = query.loosened() or query
    if query.terms:
        fts5.execute("SELECT rowid FROM t WHERE t MATCH ?", [to_fts5(query, language)])


@pytest.mark.django_db
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=150)
@given(hostile, st.sampled_from(["all", "title", "body", "doc_no"]))
def test_postgresql_accepts_the_tsquery_of_any_typed_text(text, field):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    query = ask(text, field=field)
    if query.terms:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_tsquery('simple', %s)", [to_tsquery(query)])
            cursor.execute("SELECT to_tsquery('english', %s)", [to_tsquery(query)])
