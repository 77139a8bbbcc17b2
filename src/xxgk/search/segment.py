"""Chinese (and mixed) text cut into words, the same way at index and at query time.

``rjieba`` (jieba-rs) does the cutting; a ``Segmenter`` owns its own ``rjieba.Jieba`` with
the government dictionary added, so two dictionaries never meet in one process. Documents
are cut in search mode, which also emits the words inside a long word (依申请公开 gives
申请, 公开 and 依申请公开), so that a query for any of them matches; queries are cut in
precise mode, into the words a person meant.
"""

from __future__ import annotations

from collections.abc import Iterable

import rjieba

from .text import fold, is_word

# Words too common to narrow a search, dropped from queries (never from documents): a
# query for 关于社保的通知 looks for 社保 and 通知, not for 的.
STOP_WORDS = frozenset(
    ["的", "了", "和", "与", "及", "或", "在", "是", "对", "等", "之", "把", "被", "从", "向", "于", "给", "也", "都", "就", "而", "并", "啊", "吗", "呢", "吧", "怎么", "怎样", "如何", "什么", "哪里", "哪些", "哪个", "要", "想", "我", "我们", "你", "您", "请问", "一下", "可以", "能", "需要", "办理", "有", "没有", "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "how", "i", "in", "is", "it", "of", "on", "or", "the", "to", "what", "when", "where", "which", "who", "why", "with"])
# High enough that a dictionary word is kept whole against jieba's own split of it.
_WORD_FREQUENCY = 200_000


class Segmenter:
    """Cuts text into index words with ``words`` (the dictionary) kept whole."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self._jieba = rjieba.Jieba()
        for word in words:
            word = fold(word).strip()
            if word:
                self._jieba.add_word(word, _WORD_FREQUENCY, None)

    def index_words(self, text: str) -> list[str]:
        """Every word of ``text`` to index, sub-words included, in order."""
        if not text:
            return []
        return [token for token in self._jieba.cut_for_search(fold(text), True)
                if is_word(token)]

    def query_words(self, text: str) -> list[str]:
        """The words a query asks for, in order and without repeats or stop words."""
        seen: dict[str, None] = {}
        for token in self._jieba.cut(fold(text), True):
            if is_word(token) and token not in STOP_WORDS:
                seen.setdefault(token, None)
        return list(seen)
