"""Citations of the Regulation, rendered for English pages.

Pure Python: no Django import. The legal categories and the catalogue's nodes cite their
articles as they are printed in Chinese (第三十六条第（三）项); reply letters and Chinese
pages show exactly that. An English page shows the same citation in the form the clock's
explanations use: an article as ``Art. 36``, its paragraph (款) in brackets, ``Art. 16(2)``,
and its items (项) after it, ``Art. 36 item (3)``. Text this module cannot read entirely
(a title of another instrument that it does not know, a node's article the OGI office typed
freely) is returned unchanged: a Chinese citation is better than a half-translated one.
"""

from __future__ import annotations

import re

_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9}
_NUMERAL = "[零一二两三四五六七八九十百]+"
_DIGIT = "[一二两三四五六七八九]"
_NUMBER = re.compile(rf"(?:(?P<hundreds>{_DIGIT})百)?(?P<zero>零)?"
                     rf"(?:(?P<tens>{_DIGIT})?(?P<ten>十))?(?P<units>{_DIGIT})?")
_CITATION = re.compile(
    rf"第(?P<article>{_NUMERAL})条"
    rf"(?:第(?P<paragraph>{_NUMERAL})款)?"
    rf"(?:第(?P<items>(?:[（(]{_NUMERAL}[）)])+|{_NUMERAL})项)?")
_ITEM = re.compile(rf"[（(]({_NUMERAL})[）)]")
_RANGE = re.compile(rf"第(?P<first>{_NUMERAL})条至第(?P<last>{_NUMERAL})条")
# Citations are listed with 、, ，, 和 or 及.
_SEPARATOR = re.compile(r"\s*(?:、|，|,|和|及|以及)\s*")

# Other instruments the categories cite, by their printed titles.
INSTRUMENTS_EN = {
    "《中华人民共和国政府信息公开条例》": "the Regulations on Open Government Information",
    "《政府信息公开条例》": "the Regulations on Open Government Information",
    "《政府信息公开信息处理费管理办法》":
        "the Measures on Fees for Processing Government Information Disclosure",
}


def chinese_number(text: str) -> int:
    """A Chinese numeral from 1 to 999 as written in citations (十六, 二十, 一百零三).

    Raises ``ValueError`` for anything else.
    """
    match = _NUMBER.fullmatch(text)
    if not text or match is None or (match["zero"] and not (match["hundreds"] and match["units"]
                                                            and not match["ten"])):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    hundreds = _DIGITS[match["hundreds"]] if match["hundreds"] else 0
    tens = (_DIGITS[match["tens"]] if match["tens"] else 1) if match["ten"] else 0
    units = _DIGITS[match["units"]] if match["units"] else 0
    return hundreds * 100 + tens * 10 + units


def _items(text: str) -> list[int]:
    found = _ITEM.findall(text)
    return [chinese_number(n) for n in found] if found else [chinese_number(text)]


def _one(citation: str) -> str | None:
    """One citation in English, or None when it is not one citation of the Regulation."""
    if match := _RANGE.fullmatch(citation):
        return f"Arts. {chinese_number(match['first'])} to {chinese_number(match['last'])}"
    match = _CITATION.fullmatch(citation)
    if match is None:
        return INSTRUMENTS_EN.get(citation)
    text = f"Art. {chinese_number(match['article'])}"
    if match["paragraph"]:
        text += f"({chinese_number(match['paragraph'])})"
    if match["items"]:
        items = [f"({n})" for n in _items(match["items"])]
        if len(items) == 1:
            text += f" item {items[0]}"
        else:
            text += f" items {', '.join(items[:-1])} and {items[-1]}"
    return text


def article_en(article_zh: str) -> str:
    """The citation ``article_zh`` in English, or ``article_zh`` unchanged when any part of
    it is not a citation this module reads.

    >>> article_en("第十六条第二款、第三十六条第（三）项")
    'Art. 16(2); Art. 36 item (3)'
    """
    text = article_zh.strip()
    for title in INSTRUMENTS_EN:
        if text.startswith(title) and text != title:
            text = text.removeprefix(title)
            break
    parts = [part for part in _SEPARATOR.split(text) if part]
    if not parts:
        return article_zh
    try:
        rendered = [_one(part) for part in parts]
    except ValueError:
        return article_zh
    if any(part is None for part in rendered):
        return article_zh
    return "; ".join(part for part in rendered if part)
