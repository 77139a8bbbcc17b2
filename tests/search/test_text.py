"""Text as the index compares it: the same fold at both ends."""

from hypothesis import given
from hypothesis import strategies as st

from xxgk.search.highlight import mark, snippet
from xxgk.search.segment import Segmenter
from xxgk.search.text import fold, is_word, title_key


def test_folding_makes_traditional_full_width_and_capitals_one():
    assert fold("社會保險") == "社会保险"
    assert fold("ＡＢＣ１２３") == "abc123"
    assert fold("Housing") == "housing"


def test_folding_removes_control_characters():
    assert "\x00" not in fold("社\x00保\u200b")


def test_a_pasted_title_keeps_its_key_without_punctuation_or_spaces():
    assert title_key("关于印发《西城区 方案》的通知") == title_key("关于印发西城区方案的通知")


def test_punctuation_and_spaces_are_not_words():
    assert [is_word(t) for t in ["〔", " ", "—", "_", "社保", "2023", "covid"]] == [
        False, False, False, False, True, True, True]


def test_a_dictionary_word_is_kept_whole_and_its_parts_are_indexed():
    cut = Segmenter(["接诉即办"])
    assert cut.query_words("接诉即办工作") == ["接诉即办", "工作"]
    assert "接诉即办" in cut.index_words("接诉即办工作")


def test_documents_are_indexed_with_the_words_inside_long_words():
    words = Segmenter(["依申请公开"]).index_words("依申请公开")
    assert {"依申请公开", "申请", "公开"} <= set(words)


def test_queries_drop_stop_words_and_repeats():
    assert Segmenter().query_words("关于社保的社保通知") == ["关于", "社保", "通知"]


CUT = Segmenter()


@given(st.text(max_size=300))
def test_any_text_cuts_into_words_without_spaces(text):
    for word in CUT.index_words(text) + CUT.query_words(text):
        assert word and is_word(word)


def test_a_mark_escapes_the_text_and_marks_the_words():
    assert mark("<b>社会保险</b>", ("社会保险",)) == "&lt;b&gt;<mark>社会保险</mark>&lt;/b&gt;"


def test_marks_are_found_through_the_fold():
    assert mark("社會保險", ("社会保险",)) == "<mark>社會保險</mark>"


def test_a_snippet_is_the_passage_around_the_first_match():
    text = "无关的开头。" * 50 + "这里讲公共租赁住房的申请。" + "结尾。" * 50
    passage = snippet(text, ("公共租赁住房",))
    assert "<mark>公共租赁住房</mark>" in passage and passage.startswith("…")
    assert len(passage) < 200


@given(st.text(max_size=400), st.lists(st.text(min_size=1, max_size=5), max_size=4))
def test_a_snippet_never_holds_markup_of_its_own(text, words):
    passage = snippet(text, tuple(fold(w) for w in words))
    stripped = passage.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in stripped and ">" not in stripped
