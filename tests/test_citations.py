"""Citations of the Regulation in English: every article xxgk ships reads in English, a
generated citation reads back to its numbers, and text that is not a citation is left as
it is."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xxgk import taxonomy
from xxgk.catalog.tree import DEFAULT_TREE, Node
from xxgk.citations import article_en, chinese_number

CJK = re.compile(r"[\u4e00-\u9fff（）《》、]")
_UNITS = "一二三四五六七八九"


def _chinese(n: int) -> str:
    """The numeral as citations write it: the inverse this test trusts (十六, 一百零三)."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    text = f"{_UNITS[hundreds - 1]}百" if hundreds else ""
    if tens:
        text += ("" if tens == 1 and not hundreds else _UNITS[tens - 1]) + "十"
    elif hundreds and units:
        text += "零"
    return text + (_UNITS[units - 1] if units else "")


def _tree_articles(nodes: tuple[Node, ...]) -> list[str]:
    return [a for node in nodes for a in (node.article, *_tree_articles(node.children)) if a]


SHIPPED = sorted({c.article for c in (*taxonomy.OUTCOMES, *taxonomy.DISCLOSURE_ATTRIBUTES,
                                      *taxonomy.CATALOGUE_BRANCHES) if c.article}
                 | {row.block_zh for row in taxonomy.PROACTIVE_ROWS}
                 | {a for nodes in DEFAULT_TREE.values() for a in _tree_articles(nodes)})


@pytest.mark.parametrize("article", SHIPPED)
def test_every_shipped_citation_reads_in_english(article):
    assert CJK.search(article_en(article)) is None


@pytest.mark.parametrize(("article", "english"), [
    ("第三十条", "Art. 30"),
    ("第三十九条第二款", "Art. 39(2)"),
    ("第三十六条第（七）项", "Art. 36 item (7)"),
    ("第二十条第十五项", "Art. 20 item (15)"),
    ("第三十六条第（一）（二）项", "Art. 36 items (1) and (2)"),
    ("第十六条第二款、第三十六条第（三）项", "Art. 16(2); Art. 36 item (3)"),
    ("第十四条至第十六条", "Arts. 14 to 16"),
    ("《政府信息公开条例》第三十三条第二款", "Art. 33(2)"),
    ("《政府信息公开信息处理费管理办法》",
     "the Measures on Fees for Processing Government Information Disclosure"),
])
def test_citations_read_as_the_clock_writes_them(article, english):
    assert article_en(article) == english


@pytest.mark.parametrize("text", ["", "见有关规定", "第三十六条的规定", "第三十条、另见附件",
                                  "第十十条", "《某某办法》"])
def test_what_is_not_wholly_a_citation_is_left_as_it_is(text):
    assert article_en(text) == text


@given(st.integers(1, 999))
def test_numerals_read_back(n):
    assert chinese_number(_chinese(n)) == n


@pytest.mark.parametrize("text", ["", "十十", "三三", "零", "零三", "一百零十", "百百", "1"])
def test_what_is_not_a_numeral_is_refused(text):
    with pytest.raises(ValueError, match="not a Chinese numeral"):
        chinese_number(text)


@given(article=st.integers(1, 199), paragraph=st.none() | st.integers(1, 9),
       items=st.lists(st.integers(1, 20), max_size=3))
def test_a_generated_citation_reads_back_to_its_numbers(article, paragraph, items):
    zh = f"第{_chinese(article)}条"
    if paragraph:
        zh += f"第{_chinese(paragraph)}款"
    if items:
        zh += "第" + "".join(f"（{_chinese(i)}）" for i in items) + "项"
    english = article_en(zh)
    assert CJK.search(english) is None
    assert [int(n) for n in re.findall(r"\d+", english)] == [article, *filter(None, [paragraph]),
                                                             *items]
