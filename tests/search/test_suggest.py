"""Recommendation (``xxgk.search.suggest``): suggestions as people type, "did you mean" and
the hot searches, from what the public can find and what people searched."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from tests.catalog.helpers import text
from tests.search.records import askers
from xxgk.catalog import actions, bulk
from xxgk.catalog.models import InfoItem
from xxgk.core.today import fixed_today
from xxgk.search import indexing
from xxgk.search import suggest as suggest_module
from xxgk.search.models import SuggestionTerm
from xxgk.search.querylog import record
from xxgk.search.suggest import Suggestion, did_you_mean, hot_searches, rebuild_terms, suggest

D = dt.date
TODAY = D(2025, 6, 2)
SECRET = "绝密测试词"


@dataclass
class Items:
    housing_guide: InfoItem
    housing_rent: InfoItem
    insurance_fees: InfoItem
    insurance_rules: InfoItem
    assistance: InfoItem
    enrolment: InfoItem


def publish(agency, title: str, on: dt.date, **extra) -> InfoItem:
    return actions.publish(actions.create_item(agency, text(title, formed=on, **extra)), on)


@pytest.fixture
def items(world) -> Items:
    with fixed_today(TODAY):
        built = Items(
            housing_guide=publish(world.district, "西城区公共租赁住房申请指南", D(2025, 3, 10),
                                  topic_words="公租房 住房保障"),
            housing_rent=publish(world.district, "关于公共租赁住房租金标准的通知",
                                 D(2025, 4, 1), topic_words="公租房"),
            insurance_fees=publish(world.finance, "关于做好城乡居民社会保险缴费工作的通知",
                                   D(2025, 1, 10), topic_words="社保、缴费"),
            insurance_rules=publish(world.finance, "社会保险费征缴办法解读", D(2025, 2, 1),
                                    topic_words="社会保险"),
            assistance=publish(world.district, "关于调整城乡居民最低生活保障标准的通知",
                               D(2025, 5, 6), topic_words="低保，最低生活保障"),
            enrolment=publish(world.education, "2025年义务教育入学工作实施意见",
                              D(2025, 3, 12), title_en="Compulsory education enrolment, 2025"),
        )
        # Never public: their words must never be offered.
        actions.create_item(world.education, text(f"{SECRET}草稿", topic_words=SECRET))
        actions.create_item(world.education, text(
            f"{SECRET}内部请示", topic_words=SECRET, attribute="withheld",
            withholding_ground="withheld.state_secret"))
        withdrawn = publish(world.district, f"{SECRET}已撤回的通知", D(2025, 3, 5),
                            topic_words=SECRET)
        actions.withdraw(withdrawn, "发布有误")
    return built


def searched(query: str, results: int, times: int, *, day: dt.date = TODAY,
             language: str = "zh-hans") -> None:
    with fixed_today(day):
        for client in askers(query, times):
            record(query, results, language=language, client=client)


def terms() -> dict[str, int]:
    return dict(SuggestionTerm.objects.values_list("text", "weight"))


def rebuilt() -> dict[str, int]:
    with fixed_today(TODAY):
        rebuild_terms()
    return terms()


def texts(suggestions: list[Suggestion]) -> list[str]:
    return [s.text for s in suggestions]


# ---- Rebuilding -----------------------------------------------------------------------------

def test_topic_words_of_public_items_are_terms_weighed_by_the_items_holding_them(items):
    weights = rebuilt()
    assert weights["公租房"] == 2
    assert weights["住房保障"] == 1
    assert weights["缴费"] == 1


def test_nothing_of_an_item_that_is_not_public_is_offered(items):
    assert not [term for term in rebuilt() if SECRET in term]


def test_a_title_word_is_a_term_once_two_public_titles_hold_it(items):
    weights = rebuilt()
    assert weights["通知"] == 3
    assert weights["公共租赁住房"] == 2
    assert "指南" not in weights   # in one title only
    assert "2025" not in weights   # a number says nothing as a suggestion


def test_a_word_in_most_titles_of_a_large_catalogue_is_not_offered(world):
    records = [bulk.HistoryRecord(title=f"关于第{n}批{'养老服务' if n % 2 else '公共租赁住房'}"
                                        f"补贴发放的通知", published_on=dt.date(2024, 1, 2))
               for n in range(1000)]
    bulk.publish_history(world.district, records)
    indexing.process_pending()
    weights = rebuilt()
    assert "通知" not in weights and "关于" not in weights
    assert weights["养老服务"] == 500


def test_a_synonym_weighs_what_a_search_for_it_finds(items):
    weights = rebuilt()
    # 社保 is one item's topic word, but a search for it finds 社会保险 in two.
    assert weights["社保"] == weights["社会保险"] == 2


def test_a_dictionary_word_no_public_item_holds_is_not_offered(items):
    weights = rebuilt()
    assert "依申请公开" not in weights   # shipped, held by no item
    assert "医疗保险" not in weights     # a synonym, none of its group held


def test_popular_queries_with_results_are_terms_weighed_by_their_searches(items):
    searched("垃圾分类", 4, 3)
    searched("垃圾分类", 4, 2, day=TODAY - dt.timedelta(days=29))
    searched("公租房", 2, 7)                                     # a term already
    searched("无结果的词", 0, 9)                                 # found nothing
    searched("少有人搜", 1, 2)                                   # not popular
    searched("很久以前", 1, 9, day=TODAY - dt.timedelta(days=30))  # outside the window
    searched("housing", 1, 9, language="en")                     # the English pages'
    weights = rebuilt()
    assert weights["垃圾分类"] == 5
    assert weights["公租房"] == 7
    assert not {"无结果的词", "少有人搜", "很久以前", "housing"} & set(weights)


def test_a_rebuild_replaces_the_terms(items):
    rebuilt()
    actions.withdraw(items.housing_guide, "信息有误")
    weights = rebuilt()
    assert weights["公租房"] == 1
    assert "住房保障" not in weights


def test_terms_keep_their_pinyin_and_initials(items):
    rebuilt()
    term = SuggestionTerm.objects.get(text="公租房")
    assert (term.pinyin, term.initials) == ("gongzufang", "gzf")


def test_progress_is_told_the_items_read(items):
    told: list[int] = []
    rebuild_terms(told.append)
    assert told[-1] == 6


# ---- Suggesting -----------------------------------------------------------------------------

@pytest.fixture
def suggestions(items):
    rebuilt()
    return items


def test_terms_beginning_with_the_typed_text_heaviest_first(suggestions):
    found = suggest("公")
    assert texts(found)[:2] == ["公共租赁住房", "公租房"]
    assert {s.kind for s in found} == {"term"}


def test_the_typed_text_is_folded_first(suggestions):
    assert texts(suggest("社會")) == texts(suggest("社会")) != []


@pytest.mark.parametrize("typed", ["gongzu", "gongzufang", "GongZuFang", "gong zu fang", "gzf",
                                   "gz"])
def test_pinyin_or_initials_find_the_term_before_it_is_written_in_characters(suggestions,
                                                                              typed):
    assert "公租房" in texts(suggest(typed))


def test_popular_queries_are_offered_first_as_a_kind_of_their_own(items):
    searched("公租房申请条件", 2, 4)   # a popular query, no term
    searched("公租房", 2, 5)           # a term, and a popular query
    rebuilt()
    found = suggest("公租")
    assert found[:2] == [Suggestion("公租房", "popular"), Suggestion("公租房申请条件", "popular")]
    assert [s for s in found if s.text == "公租房"] == [Suggestion("公租房", "popular")]
    assert Suggestion("公租房申请条件", "popular") in suggest("gongzufang")
    assert Suggestion("公租房申请条件", "popular") not in suggest("公租", language="en")


def test_a_query_one_client_searched_again_and_again_is_not_offered(items):
    with fixed_today(TODAY):
        for _ in range(9):
            record("某某的名字", 1, language="zh-hans", client="192.0.2.200")
    rebuilt()
    assert suggest("某某") == []
    assert hot_searches(language="zh-hans") == []


def test_titles_beginning_with_the_typed_text_follow_newest_first(suggestions):
    found = [s for s in suggest("关于") if s.kind == "title"]
    assert found == [
        Suggestion(suggestions.assistance.title, "title", suggestions.assistance.get_absolute_url()),
        Suggestion(suggestions.housing_rent.title, "title",
                   suggestions.housing_rent.get_absolute_url()),
        Suggestion(suggestions.insurance_fees.title, "title",
                   suggestions.insurance_fees.get_absolute_url()),
    ]


def test_titles_of_a_common_beginning_are_the_newest_too(suggestions, world, monkeypatch):
    # Past the sample (关于… at a million items), the newest are read from the date index:
    # here the first three by title are not the three newest.
    with fixed_today(TODAY):
        publish(world.district, "关于开展安全生产检查的通知", D(2024, 1, 5))
    monkeypatch.setattr(suggest_module, "_TITLE_SAMPLE", 3)
    assert [s.text for s in suggest("关于") if s.kind == "title"] == [
        suggestions.assistance.title, suggestions.housing_rent.title,
        suggestions.insurance_fees.title]


def test_a_title_is_found_whatever_its_punctuation(suggestions):
    assert texts(suggest("西城区 公共租赁")) == [suggestions.housing_guide.title]


def test_at_most_three_titles_and_the_limit_in_all(suggestions):
    assert len(suggest("关")) <= 8
    assert len([s for s in suggest("关", limit=20) if s.kind == "title"]) == 3
    assert texts(suggest("关于", limit=1)) == [suggestions.assistance.title]


def test_a_title_that_is_not_public_is_never_offered(suggestions):
    assert suggest(SECRET) == []


@pytest.mark.parametrize("typed", ["", "   ", "zzzz", "不存在的词"])
def test_nothing_matching_gives_nothing(suggestions, typed):
    assert suggest(typed) == []


def test_the_english_pages_are_offered_english_titles(suggestions):
    assert suggest("compulsory edu", language="en") == [Suggestion(
        "Compulsory education enrolment, 2025", "title",
        suggestions.enrolment.get_absolute_url())]
    assert suggest("公", language="en") == []


# ---- Did you mean -------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "meant"), [
    ("gongzufang", "公租房"),
    ("gong zu fang", "公租房"),
    ("gzf", "公租房"),
    ("shebao", "社保"),
    ("zuidishenghuobaozhang", "最低生活保障"),
])
def test_pinyin_or_initials_mean_the_heaviest_term_written_so(suggestions, typed, meant):
    assert did_you_mean(typed) == meant


@pytest.mark.parametrize(("typed", "meant"), [
    ("shebao jiaofei", "社保缴费"),      # two words' pinyin
    ("shebaojiaofei", "社保缴费"),       # without the space
    ("sb jf", "社保缴费"),               # initials
    ("shebao jf", "社保缴费"),           # pinyin and initials mixed
    ("zuidishenghuo", "最低生活保障"),    # stopped before the last syllables
])
def test_pinyin_of_several_words_means_the_terms_written_so(suggestions, typed, meant):
    assert did_you_mean(typed) == meant


@pytest.mark.parametrize(("typed", "meant"), [
    ("gongzf", "公租房"),                 # the last syllable as its initial
    ("gzufang", "公租房"),                # the first
    ("gzuf", "公租房"),
    ("zuidishbz", "最低生活保障"),
    ("zdshbzh", "最低生活保障"),          # zh, as an input method takes it, for zhang
    ("shehuibx", "社会保险"),
])
def test_syllables_typed_some_whole_and_some_as_initials_mean_the_term(suggestions, typed,
                                                                       meant):
    assert did_you_mean(typed) == meant


@pytest.mark.parametrize(("typed", "meant"), [
    ("gongzf", "公租房"),
    ("zdshengh", "最低生活保障"),         # typed so far: 最低生活 and h…
    ("shehuibx", "社会保险"),
])
def test_a_mix_of_syllables_and_initials_finds_the_term_while_typing(suggestions, typed,
                                                                      meant):
    assert meant in texts(suggest(typed))


@pytest.mark.parametrize("typed", ["shebaok", "shebk", "sbka", "she bao k"])
def test_the_social_security_card_typed_in_part_is_found(items, world, typed):
    with fixed_today(TODAY):
        publish(world.finance, "社保卡申领指南", D(2025, 5, 1), topic_words="社保卡")
    rebuilt()
    assert did_you_mean(typed) == "社保卡"
    assert "社保卡" in texts(suggest(typed))


def test_a_mix_that_is_not_the_terms_syllables_in_order_finds_nothing(suggestions):
    assert did_you_mean("fangzugong") is None
    assert suggest("zfgong") == []


@pytest.mark.parametrize("typed", ["gongzufang jiaofei", "gzf jf", "qqqq", "sbsb"])
def test_pinyin_of_terms_no_document_holds_side_by_side_means_nothing(suggestions, typed):
    # 公租房 and 缴费 stand in no document together; a word twice is no reading.
    assert did_you_mean(typed) is None


@pytest.mark.parametrize(("typed", "meant"), [
    ("社宝", "社保"),                  # a homophone typed with a pinyin input method
    ("公租防", "公租房"),
    ("社宝缴费", "社保缴费"),           # word by word, keeping the rest of the query
    ("申请公租防", "申请公租房"),
    ("最低生活报障", "最低生活保障"),    # a mistyped word the segmenter cut in pieces
    ("住房保降", "住房保障"),           # any one character, for a longer word
])
def test_a_word_with_one_wrong_character_means_the_term(suggestions, typed, meant):
    assert did_you_mean(typed) == meant


@pytest.mark.parametrize(("typed", "meant"), [
    ("公房租", "公租房"),               # two characters swapped
    ("保社", "社保"),                   # even in a two-character word
    ("最低生保障", "最低生活保障"),       # one missing
    ("住房房保障", "住房保障"),         # one too many
    ("社休", "社保"),                   # a two-character word, one term near it
])
def test_a_word_one_edit_from_a_term_means_the_term(suggestions, typed, meant):
    assert did_you_mean(typed) == meant


def test_a_two_character_word_near_several_terms_means_none_of_them(suggestions):
    # 杜保 is one character from 社保 (two items) and from 低保 (one): neither is clear.
    assert did_you_mean("杜保") is None
    searched("低保", 1, 9)   # searched often enough to be clearly what people look for
    rebuilt()
    assert did_you_mean("杜保") == "低保"


def test_a_term_that_sounds_the_same_is_preferred_to_a_heavier_one_that_does_not(suggestions):
    searched("公租屋", 1, 50)   # heavier, one character off, but read gongzuwu
    rebuilt()
    assert did_you_mean("公租防") == "公租房"


@pytest.mark.parametrize("typed", ["公租房", "社保 缴费", "不存在的词", "report", "", "qqqq"])
def test_nothing_is_meant_when_no_term_is_better(suggestions, typed):
    assert did_you_mean(typed) is None


def test_the_english_pages_get_no_correction(suggestions):
    assert did_you_mean("shebao", language="en") is None


# ---- Hot searches -------------------------------------------------------------------------

def test_hot_searches_are_the_most_searched_queries_with_results(db):
    searched("公租房", 2, 5)
    searched("社保", 3, 3)
    searched("社保", 3, 4, day=TODAY - dt.timedelta(days=10))
    searched("垃圾分类", 0, 20)                                # found nothing
    searched("少有人搜", 1, 2)                                 # not popular
    searched("很久以前", 1, 9, day=TODAY - dt.timedelta(days=30))
    searched("housing", 1, 9, language="en")
    with fixed_today(TODAY):
        assert hot_searches(language="zh-hans") == ["社保", "公租房"]
        assert hot_searches(language="zh-hans", limit=1) == ["社保"]
        assert hot_searches(language="zh-hans", days=1) == ["公租房", "社保"]
        assert hot_searches(language="en") == ["housing"]
