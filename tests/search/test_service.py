"""Search as the public, the API and the command see it: ``service.search``."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.catalog.helpers import text
from tests.search import records
from xxgk.catalog import actions
from xxgk.core.today import fixed_today
from xxgk.search.service import SearchRequest, search


@pytest.fixture
def catalogue(world):
    return records.build(world)


def titles(page) -> list[str]:
    return [hit.title for hit in page.hits]


def find(q: str, **options):
    return search(SearchRequest(q=q, **options))


def test_a_word_finds_the_documents_that_hold_it(catalogue):
    page = find("社会保险")
    assert titles(page) == [catalogue.insurance.title]
    assert page.total == 1


def test_an_abbreviation_finds_the_full_form_through_the_synonyms(catalogue):
    assert catalogue.insurance.title in titles(find("社保"))
    assert catalogue.housing.title in titles(find("公租房"))


def test_traditional_characters_find_simplified_text(catalogue):
    assert titles(find("社會保險")) == [catalogue.insurance.title]


@pytest.mark.parametrize("written", ["京西政发〔2024〕5号", "京西政发[2024]5号",
                                     "京西政发（2024）5号", "京西政发【2024】5号",
                                     "京西政发2024 5号", "京西政发 (2024) 5 号"])
def test_a_doc_no_in_any_brackets_finds_its_document_first(catalogue, written):
    page = find(written)
    assert page.hits[0].title == catalogue.new_rule.title
    assert page.hits[0].exact


def test_a_pasted_whole_title_finds_that_document_first(catalogue):
    page = find("西城区老旧小区综合整治管理办法")
    assert page.hits[0].title == catalogue.old_rule.title
    assert page.hits[0].exact


def test_a_document_in_force_ranks_before_the_one_it_repealed(catalogue):
    page = find("老旧小区 整治")
    assert titles(page)[:2] == [catalogue.new_rule.title, catalogue.old_rule.title]


def test_the_validity_filter_and_its_facet(catalogue):
    page = find("老旧小区", validity="repealed")
    assert titles(page) == [catalogue.old_rule.title]
    facets = {f.key: f.count for f in find("老旧小区").facets["validity"]}
    assert facets == {"in_force": 1, "repealed": 1}


def test_the_agency_filter_takes_the_agency_and_what_is_below_it(catalogue, world):
    assert titles(find("社会保险", agency=world.finance.code)) == [catalogue.insurance.title]
    assert find("社会保险", agency=world.education.code).total == 0
    assert find("社会保险", agency=world.district.code).total == 1


def test_an_unknown_filter_value_gives_an_empty_page(catalogue):
    for options in ({"agency": "nope"}, {"category": "nope"}, {"kind": "x"},
                    {"validity": "x"}):
        assert find("社会保险", **options).total == 0


def test_english_searches_the_english_titles_and_bodies(catalogue):
    page = find("enrolment", language="en")
    assert titles(page) == ["Compulsory education enrolment, 2025"]
    assert find("children primary", language="en").total == 1
    assert find("社会保险", language="en").total == 0


def test_the_matched_words_are_marked_in_the_title_and_the_snippet(catalogue):
    hit = find("公租房 申请").hits[0]
    assert "<mark>" in hit.title_html and "<mark>" in hit.snippet


def test_nothing_that_is_not_public_can_match(catalogue):
    assert find(records.SECRET).total == 0
    assert find(records.SECRET + "草稿").total == 0


def test_a_withdrawn_item_leaves_the_index_at_once(catalogue):
    from xxgk.catalog import actions

    actions.withdraw(catalogue.insurance, "重复")
    assert find("社会保险").total == 0


def test_when_no_document_holds_every_word_those_holding_some_are_shown(catalogue):
    page = find("社会保险 火星")
    assert page.relaxed and titles(page) == [catalogue.insurance.title]


def test_a_question_word_no_document_holds_is_dropped_and_the_others_still_required(
        catalogue):
    page = find("西城区申请怎么办")
    assert page.relaxed and titles(page) == [catalogue.housing.title]


def test_a_lone_character_no_document_holds_with_the_others_is_dropped(catalogue):
    page = find("西城区 申请 分")
    assert page.relaxed and titles(page) == [catalogue.housing.title]


@pytest.fixture
def asked(monkeypatch) -> list[tuple[str, bool]]:
    """Each query the search runs, as (text, whether any of its words is enough)."""
    from xxgk.search import service

    runs: list[tuple[str, bool]] = []
    run = service._run

    def spy(request, query, filters, **options):
        runs.append((request.q, query.relaxed))
        return run(request, query, filters, **options)

    monkeypatch.setattr(service, "_run", spy)
    return runs


def corrects_to(monkeypatch, better: str) -> None:
    from xxgk.search import suggest

    monkeypatch.setattr(suggest, "did_you_mean", lambda q, language: better)


def test_beside_a_page_found_in_part_a_correction_is_searched_whole_only(
        catalogue, monkeypatch, asked):
    """Only a correction every word of which a document holds would replace a page that
    found something: it is not searched for any of its words as well."""
    corrects_to(monkeypatch, "社会保险 火星")
    page = find("社会保险 木星")
    assert page.relaxed and page.corrected is None and page.suggestion == "社会保险 火星"
    assert titles(page) == [catalogue.insurance.title]
    assert ("社会保险 木星", True) in asked and ("社会保险 火星", False) in asked
    assert ("社会保险 火星", True) not in asked


def test_a_correction_held_whole_is_shown_and_the_typed_query_never_loosened(
        catalogue, monkeypatch, asked):
    """A mistyped word is why no document holds every word: the correction is searched
    before any word of the typed query is enough (a broad read, thrown away)."""
    corrects_to(monkeypatch, "社会保险")
    page = find("社会保险 木星")
    assert page.corrected == "社会保险" and page.request.q == "社会保险 木星"
    assert titles(page) == [catalogue.insurance.title] and not page.relaxed
    assert asked == [("社会保险 木星", False), ("社会保险", False)]


def test_sorting_by_date_puts_the_newest_first(catalogue):
    page = find("西城区", sort="date")
    dates = [hit.published_on for hit in page.hits]
    assert dates == sorted(dates, reverse=True) and len(dates) >= 3


def test_paging_is_stable_and_a_page_past_the_end_is_empty(catalogue):
    everything = titles(find("西城区", limit=100))
    paged = [t for n in (1, 2, 3, 4) for t in titles(find("西城区", limit=1, page=n))]
    assert paged == everything[:4]
    assert find("西城区", page=10**9).hits == []


@pytest.mark.parametrize("q", ["", " ", "AND", 'OR "', "NEAR(社保", "*", "^社保", "a:b",
                               "'; DROP TABLE x; --", "社保)(", "\x00\x1f", "🏠" * 50,
                               "社" * 10_000, "{title_words}: 社保", '"社保"'])
def test_any_typed_text_gives_a_page(catalogue, q):
    page = find(q)
    assert page.total >= 0


def test_the_parts_of_a_word_match_only_where_they_stand_together(catalogue, world):
    # 公共租赁住房 is also matched through its parts (公共, 租赁, 住房), for documents
    # indexed before the dictionary knew it: as parts of the word, side by side, on both
    # engines; not three words anywhere in the document.
    scattered = (
        "<p>公共服务设施的建设要统筹规划，方便群众办事，提高服务质量和办事效率。</p>"
        "<p>规范房屋租赁市场秩序，加强中介机构监督管理，严厉查处违法违规行为。</p>"
        "<p>各街道要做好辖区居民住房安全排查工作，及时消除各类隐患。</p>")
    with fixed_today(records.TODAY):
        far = actions.publish(actions.create_item(world.district, text(
            "关于做好城市管理工作的通知", body=scattered, formed=dt.date(2025, 2, 3))),
            dt.date(2025, 2, 10))
    found = titles(find("公共租赁住房"))
    assert catalogue.housing.title in found
    assert far.title not in found


def test_a_document_about_the_words_ranks_before_a_title_that_only_names_them(world):
    # A short title naming the words once, beside a guide whose title, summary and body
    # are about them: the guide first, on both engines (PostgreSQL ranks by cover
    # density, every place the words stand counting, as BM25 counts them).
    body = "".join(f"<p>{sentence}</p>" for sentence in (
        "城乡居民养老保险由个人缴费、集体补助和政府补贴构成。",
        "参加城乡居民养老保险的人员，应当按规定缴纳养老保险费。",
        "年满六十周岁、累计缴费满十五年的，按月领取城乡居民养老保险待遇。",
        "养老保险待遇由基础养老金和个人账户养老金组成，终身支付。",
        "参保人员可以到户籍所在地的街道社会保障事务所办理养老保险参保登记。"))
    with fixed_today(records.TODAY):
        named = actions.publish(actions.create_item(world.district, text(
            "关于印发养老保险有关文件的通知", formed=dt.date(2025, 4, 1))), dt.date(2025, 4, 2))
        guide = actions.publish(actions.create_item(world.district, text(
            "城乡居民养老保险参保缴费指南", summary="城乡居民养老保险的参保条件、缴费标准和待遇领取。",
            body=body, formed=dt.date(2025, 2, 1))), dt.date(2025, 2, 3))
    assert titles(find("养老保险"))[:2] == [guide.title, named.title]


def _match_statements(queries) -> int:
    return sum("search_fts MATCH" in q["sql"] or "@@" in q["sql"] for q in queries)


@pytest.mark.parametrize(("sort", "readings"), [("date", 1), ("relevance", 2)])
def test_an_unfiltered_search_reads_its_matches_once_and_ranks_them_once(
        catalogue, sort, readings):
    """The matches are read once (the counts, the facets and the order by date come from
    that reading); ranking them is the engine's one other reading."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        page = search(SearchRequest(q="公共租赁住房", sort=sort))
    assert titles(page) == [catalogue.housing.title] and not page.broad
    assert _match_statements(queries.captured_queries) == readings


@pytest.mark.parametrize("options", [{}, {"agency": "110102"}])
def test_a_query_matching_more_than_can_be_ranked_is_answered_newest_first(
        catalogue, monkeypatch, options):
    from xxgk.search import service

    monkeypatch.setattr(service, "BROAD", 2)
    page = find("西城区", **options)
    assert page.broad and page.total == 3 and page.facets == {}
    dates = [hit.published_on for hit in page.hits]
    assert dates == sorted(dates, reverse=True) and len(dates) == 3
    monkeypatch.setattr(service, "BROAD", 3)
    assert not find("西城区", **options).broad
