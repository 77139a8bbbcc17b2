"""Pure: how a 文号 (document number) is compared.

A 文号 is written ``京西政发〔2023〕5号`` by the standard (GB/T 9704), and pasted by people
and other sites as ``京西政发[2023]5号``, ``京西政发（2023）5号``, ``京西政发【2023】5号``,
``京西政发2023 5号`` or with spaces anywhere. All of these are one number: the key drops
brackets and spaces after folding full-width forms, so they compare equal.
"""

from __future__ import annotations

import re
import unicodedata

# After NFKC the full-width brackets are ASCII ones; 〔〕, 【】, 〖〗 and 《》 stay themselves.
_BRACKETS_AND_SPACE = re.compile(r"[\s\[\]()〔〕【】〖〗《》<>{}]+")
# ``云政办发2008年122号`` and ``第122号``: the year's 年 and the serial's 第 are written by some.
_YEAR_AND_ORDINAL = re.compile(r"((?:19|20)\d\d)年|第(?=\d)")


def doc_no_key(doc_no: str) -> str:
    """The 文号 as compared: ``京西政发〔2023〕5号`` → ``京西政发20235号``."""
    key = _BRACKETS_AND_SPACE.sub("", unicodedata.normalize("NFKC", doc_no))
    return _YEAR_AND_ORDINAL.sub(lambda match: match.group(1) or "", key).lower()


# A year in brackets, or a year right after the issuer's characters, then a serial and 号.
_DOC_NO = re.compile(r"^[\u4e00-\u9fff]{2,12}\s*[\[(〔【〖]?\s*(19|20)\d\d\s*年?[\])〕】〗]?\s*"
                     r"第?\s*\d{1,5}\s*号$")


def looks_like_doc_no(text: str) -> bool:
    """Whether ``text`` is written as a 文号 (``粤府〔2023〕68号``, ``粤府2023 68号``)."""
    return bool(_DOC_NO.match(unicodedata.normalize("NFKC", text).strip()))
