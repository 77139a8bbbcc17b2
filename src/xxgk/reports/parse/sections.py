"""Stage 2: blocks routed to the report's sections, tables (二, 三, 四) apart from prose.

Pure Python: no Django import.
"""

from __future__ import annotations

import re

from xxgk.reports.parse.extract import Block, Row, Text
from xxgk.reports.parse.tokens import norm, token

# ---- Sections ----------------------------------------------------------------------------

SECTION_NAMES = {
    "一": "总体情况",
    "二": "主动公开政府信息情况",
    "三": "收到和处理政府信息公开申请情况",
    "四": "政府信息公开行政复议、行政诉讼情况",
    "五": "存在的主要问题及改进情况",
    "六": "其他需要报告的事项",
}
_HEADING_KEYWORDS = {
    "一": ("总体情况",),
    "二": ("主动公开政府信息",),
    "三": ("收到和处理政府信息公开申请",),
    "四": ("行政复议、行政诉讼", "行政复议,行政诉讼", "行政复议和行政诉讼"),
    "五": ("存在的主要问题",),
    "六": ("其他需要报告",),
}
_TABLE_SECTIONS = ("二", "三", "四")
_HEADING_RE = re.compile(r"^([一二三四五六])[、.]")


def heading_of(text: str) -> str | None:
    """The section a heading line opens (一 … 六), or None.

    A heading is numbered (二、主动公开政府信息情况) or, unnumbered, is the heading's own words
    and little else; a sentence that mentions 总体情况 is not a heading.
    """
    n = norm(text)
    if len(n) > 40 or n.endswith(("。", ";", "；")):
        return None
    match = _HEADING_RE.match(n)
    for numeral, words in _HEADING_KEYWORDS.items():
        if not any(w in n for w in words):
            continue
        if match is not None and match.group(1) == numeral:
            return numeral
        if match is None and len(n) <= len(SECTION_NAMES[numeral]) + 2:
            return numeral
    return None


# ---- Orchestration -----------------------------------------------------------------------

_WS_ROW_RE = re.compile(
    r"^(?P<label>.*?)\s*(?P<nums>(?:[+-]?\d[\d,]*(?:\.\d+)?|[/—])"
    r"(?:\s+(?:[+-]?\d[\d,]*(?:\.\d+)?|[/—]))*)$"
)


def _whitespace_row(text: str, where: str) -> Row | None:
    """A table row in text without tabs ("（七）总计 1311 23 0 0 2 202 1538")."""
    stripped = text.strip()
    if "。" in stripped or "；" in stripped:
        return None
    match = _WS_ROW_RE.match(stripped)
    if not match:
        return None
    label, nums = match.group("label"), match.group("nums").split()
    if label and not re.search(r"\s$", stripped[: match.start("nums")]) and label[-1].isdigit():
        return None
    if label and not stripped[len(label) :].startswith((" ", "\u3000", "\t")):
        return None  # "网站访问人数突破1200" — a number glued to words is prose
    if not label and len(nums) < 2:
        return None  # a lone number: a page number, not a row
    if len(norm(label)) > 60:
        return None
    return Row([label, *nums] if label else nums, False, where)


_APPLICATION_HINTS = (
    "本年新收",
    "上年结转",
    "本年度办理结果",
    "结转下年度",
    "予以公开",
    "部分公开",
    "不予公开",
    "无法提供",
    "不予处理",
    "其他处理",
)
_APPEAL_HINTS = ("结果维持", "结果纠正", "尚未审结", "复议后起诉", "未经复议")


def _hint(row: Row) -> str | None:
    label = norm("".join(row.cells))
    if any(h in label for h in _APPEAL_HINTS):
        return "四"
    if any(h in label for h in _APPLICATION_HINTS) or re.search(r"\(七\)总计", label):
        return "三"
    return None


# Page numbers and running footers of a PDF: "- 3 -", "3", "第3页", "第 3 页 共 9 页", "3/9".
_PAGE_FURNITURE_RE = re.compile(r"^(?:[-—–]?\d{1,3}[-—–]?|第\d+页(?:,?共\d+页)?|\d+/\d+)$")


def split_sections(
    blocks: list[Block],
) -> tuple[dict[str, list[Row | Text]], dict[str, list[str]], list[str]]:
    """Route blocks to sections: table items for 二三四, prose lines for all."""
    tables: dict[str, list[Row | Text]] = {s: [] for s in _TABLE_SECTIONS}
    prose: dict[str, list[str]] = {}
    notes: list[str] = []
    seen: list[str] = []
    section = "preamble"
    order = ["preamble", *SECTION_NAMES]
    for block in blocks:
        if isinstance(block, Text) and _PAGE_FURNITURE_RE.match(norm(block.text)):
            continue
        if isinstance(block, Text):
            heading = heading_of(block.text)
            if heading:
                section = heading
                seen.append(heading)
                continue
            if section in _TABLE_SECTIONS:
                row = _whitespace_row(block.text, block.where)
                if row is not None:
                    row.cut = block.cut
                    block_row: Row | None = row
                else:
                    block_row = None
                    text = norm(block.text)
                    # A whole table copied as one line is long, but it is mostly digits.
                    digits = sum(c.isdigit() for c in text)
                    if "。" not in text and (len(text) <= 50 or digits >= 7):
                        tables[section].append(block)  # a label fragment or a table title
                        continue
                if block_row is not None:
                    hint = _hint(block_row)
                    if hint and order.index(hint) > order.index(section):
                        notes.append(
                            f"section {hint}'s heading is missing; inferred from {block_row.where}"
                        )
                        section = hint
                    tables[section].append(block_row)
                    continue
            prose.setdefault(section, []).append(block.text)
            continue
        joined = "".join(c for c in block.cells if c.strip())
        heading = (
            heading_of(joined)
            if joined and not any(token(c).is_value for c in block.cells)
            else None
        )
        if heading:
            section = heading
            seen.append(heading)
            continue
        hint = _hint(block)
        if (
            hint
            and order.index(hint) > order.index(section)
            and section in ("preamble", "一", "二", "三")
        ):
            notes.append(f"section {hint}'s heading is missing; inferred from {block.where}")
            section = hint
        if section in _TABLE_SECTIONS:
            tables[section].append(block)
        elif any(token(c).is_value for c in block.cells):
            notes.append(f"a table row in section {section} was not read: {block.describe()}")
        else:
            prose.setdefault(section, []).append(" ".join(block.cells))
    for numeral in _TABLE_SECTIONS:
        if numeral not in seen and not any(f"section {numeral}'s heading" in n for n in notes):
            notes.append(f"heading of section {numeral} ({SECTION_NAMES[numeral]}) not found")
    if (
        section in _TABLE_SECTIONS
        and blocks
        and (
            isinstance(blocks[-1], Row)
            or blocks[-1].cut
            or _whitespace_row(blocks[-1].text, "") is not None
        )
    ):
        notes.append(f"the text ends inside section {section}'s table: it may be cut off")
        items = tables[section]
        if items and items[-1].cut:
            items[-1] = _without_cut_end(items[-1])
    return tables, prose, notes


_TRAILING_NUMBER_RE = re.compile(r"[\d,.，．０-９]+\s*$")


def _without_cut_end(item: Row | Text) -> Row | Text:
    """The last block of a document that stops mid-line, without the number it ends in:
    that number may be cut short (25 read as 2), so it is not a cell."""
    if isinstance(item, Row):
        return Row([*item.cells[:-1], ""], item.exact, item.where, item.runs)
    return Text(_TRAILING_NUMBER_RE.sub("", item.text), item.where)
