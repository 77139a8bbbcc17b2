"""Read a published 政府信息公开工作年度报告 back into the national format's flat cells.

Pure Python: no Django import. ``parse_report(source)`` accepts the text extracted from a PDF
(tab-separated cells, labels broken across lines or lost), web text with ``|`` separators,
HTML (tables with rowspan/colspan) or a PDF (read with pdfplumber), and returns a
``ParseResult``: the detected format, the cells found with certainty (flat dotted keys, the
contract of ``national_format.to_flat``), the cells missing, the rows that could not be placed
and why, the figures quoted in the prose, and the arithmetic checks.

The rule that governs everything here: **the parser never invents a number.** A cell is put
in ``cells`` only when both its row and its column are certain.

A row is certain when

* its label's text matches one row of the format clearly (similarity ≥ 0.6 and 0.15 ahead
  of the next row; variants such as 只计这一情况, 三类内容事务信息, half-width brackets,
  spaces, quotes and labels broken over lines all pass), and its numbering, if any, agrees:
  an item number must be the row's own place in its group (``3.其他`` is other.other only
  as the third row of 其他处理), a （n） or 一、 marker must name the same row. Text and number
  that disagree make an ambiguity. An item number alone (``3.``) is never enough: the
  group heading above it may be lost; a （七） or 四、 marker alone names its row (each is
  printed once in the table);
* or its label is lost (or is only context, such as a piece of 三、本年度办理结果) and it
  stands in an unbroken run of well-formed unlabelled rows between two certain rows, the run
  has exactly as many rows as the format has between them, and each of its rows satisfies its
  own total (six applicant columns = 总计). Standing next to one certain row is not enough
  — extraction loses rows, as the seed shows: its 43 · 0 · 0 · 0 · 2 · 0 · 45 row stands
  right above （七）总计 but below garbled rows, so it is reported as *probably* other.other
  and left out of the cells. This rule trusts the printed order of the rows (it is the
  format's); rows printed out of order without labels cannot be detected;
* and no other row reads as the same row (two rows both read as 2.重复申请: neither is
  placed), and it is in the format's order with the other certain rows.

A column is certain when the row has exactly the expected number of cells, counted from the
first to the last value in extracted text (blank cells at the edges of an extracted row are
unknowable), or cell by cell in a real table (HTML, a ``|`` table, a PDF table, where blank
merged-label cells are dropped). One number too many — a stray number at either end, like
the seed's leading 0 — is dropped only when the row's own sum identity says which: the
readings without the first and without the last number are tried, and accepted when at
least one satisfies the identity and all that do give the same numbers (the seed's
0 · 43 · … · 45: without the 0 the row adds up, without the 45 it does not). Two numbers too
many, or a row without an identity (section 二), are never guessed.

A blank cell is missing (a blank is not a zero); ``/`` or ``—`` is *not applicable*: the key
is in ``cells`` with the value ``None`` and listed in ``not_applicable``. Negative or
fractional counts are not cells.

Everything else goes to ``ambiguities``, with the probable key where there is one.
"""

from __future__ import annotations

import difflib
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from xxgk import taxonomy as tx
from xxgk.reports import national_format as nf
from xxgk.reports.national_format import APPEALS, APPLICATIONS, PROACTIVE, PROCESSING_FEES

# ---- Flat keys ---------------------------------------------------------------------------
# The flat keys are national_format's: ``<section>.<row>.<column>`` (``processing_fees.<field>``).

FORMAT_2021 = nf.ReportFormat.V2021.value
FORMAT_2019_TRIAL = nf.ReportFormat.V2019.value
FORMAT_UNKNOWN = "unknown"

# Where the 2019 trial format's cells that have no 2021 cell are kept (``trial_2019``).
TRIAL_2019 = "trial_2019"


def flat_key(*parts: str) -> str:
    return ".".join(parts)


def expected_keys() -> list[str]:
    """Every cell of the 2021 format, in printed order."""
    return list(nf.CELL_KEYS)


# ---- Result ------------------------------------------------------------------------------

Value = int | Decimal | None


@dataclass
class Ambiguity:
    """Rows or cells the parser saw but could not place with certainty."""

    section: str
    reason: str
    rows: list[str] = field(default_factory=list)  # where + raw text of the source rows
    keys: list[str] = field(default_factory=list)  # the flat keys concerned (or possible)
    probable_key: str | None = None  # the row key it most likely is (never put in cells)
    values: list[str] = field(default_factory=list)  # the numbers as read, for a human


@dataclass
class ProseFigure:
    """A figure quoted in the text (e.g. 共受理政府信息公开申请 1016 件)."""

    kind: str
    value: Value
    text: str
    section: str
    key: str | None = None  # the flat key it states, if it states one cell


@dataclass
class TextTableComparison:
    """A prose figure set against the table cells it repeats."""

    kind: str
    prose_value: Value
    # Each reading of the figure in the tables ("a + b") and its value (None: cells lost).
    table_values: dict[str, Value]
    status: str  # "match" | "contradiction" | "unverifiable"
    detail: str
    text: str


@dataclass
class SectionSummary:
    found: int
    expected: int
    not_applicable: int
    status: str  # "complete" | "partial" | "lost"


@dataclass
class ParseResult:
    format: str
    source_kind: str  # "text" | "web-text" | "html" | "pdf"
    cells: dict[str, Value]
    missing: list[str]
    not_applicable: list[str]
    ambiguities: list[Ambiguity]
    prose_figures: list[ProseFigure]
    text_vs_table: list[TextTableComparison]
    checks: dict[str, Any]
    sections: dict[str, SectionSummary]
    trial_2019: dict[str, Value] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # The typed report built by national_format.from_flat, when that module is available.
    report: Any = field(default=None, repr=False, compare=False)

    @property
    def contradictions(self) -> list[TextTableComparison]:
        return [c for c in self.text_vs_table if c.status == "contradiction"]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: money cells as decimal strings (national_format's convention), counts
        as numbers, gaps as null."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "report"}
        for name in ("cells", "trial_2019"):
            data[name] = {k: str(v) if isinstance(v, Decimal) else v for k, v in data[name].items()}
        return _jsonable(data)

    def to_json(self, **kwargs: Any) -> str:
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), **kwargs)


def _non_negative(exponent: int | str) -> bool:
    """A Decimal's exponent is an int, or a letter for NaN and infinity."""
    return isinstance(exponent, int) and exponent >= 0


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        # Exact, and still a JSON number where it is an integer.
        return (
            int(obj)
            if obj == obj.to_integral_value() and _non_negative(obj.as_tuple().exponent)
            else str(obj)
        )
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set):
        return [_jsonable(v) for v in obj]
    if hasattr(obj, "__dataclass_fields__"):
        return _jsonable(asdict(obj))
    if obj is None or isinstance(obj, bool | int | float | str):
        return obj
    return str(obj)


# ---- Normalisation and tokens ------------------------------------------------------------

_WS_RE = re.compile(r"\s+")
_QUOTES = str.maketrans("", "", "\"'“”‘’「」『』")


def norm(text: str) -> str:
    """NFKC (full-width brackets and digits to half-width), no whitespace, no quotes."""
    return _WS_RE.sub("", unicodedata.normalize("NFKC", text)).translate(_QUOTES)


_NUM_RE = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_NA_TOKENS = frozenset({"/", "\\", "—", "——", "―", "─", "-", "--", "–", "/-", "不适用"})


@dataclass(frozen=True)
class Token:
    kind: str  # "num" | "na" | "blank" | "text"
    raw: str
    value: Decimal | None = None

    @property
    def is_value(self) -> bool:
        return self.kind in ("num", "na")


def token(cell: str | None) -> Token:
    raw = "" if cell is None else cell
    text = norm(raw)
    if not text:
        return Token("blank", raw)
    if _NUM_RE.match(text):
        try:
            return Token("num", raw, Decimal(text.replace(",", "")))
        except InvalidOperation:  # pragma: no cover - the regex admits only numbers
            return Token("text", raw)
    if text in _NA_TOKENS:
        return Token("na", raw)
    return Token("text", raw)


def _as_count(value: Decimal) -> int | None:
    """An integer cell: the number if it is a whole number, else None."""
    if value != value.to_integral_value():
        return None
    return int(value)


# ---- Source blocks -----------------------------------------------------------------------


@dataclass
class Row:
    """One table row as cells. ``exact``: the cells are the table's cells (HTML, ``|`` text,
    a PDF table); otherwise they come from extracted text, where blank cells at the edges of
    a row are unreliable."""

    cells: list[str]
    exact: bool
    where: str

    @property
    def raw(self) -> str:
        return " | ".join(c.strip() for c in self.cells)

    def describe(self) -> str:
        return f"{self.where}: {self.raw}"


@dataclass
class Text:
    text: str
    where: str


Block = Row | Text


_MD_RULE_RE = re.compile(r"^:?-{2,}:?$")


def _pipe_cells(line: str) -> list[str] | None:
    stripped = line.strip()
    if stripped.count("|") < 2:
        return None
    if stripped.startswith("|"):
        stripped = stripped[1:]
    if stripped.endswith("|"):
        stripped = stripped[:-1]
    cells = [c.strip() for c in stripped.split("|")]
    if all(_MD_RULE_RE.match(c.replace(" ", "")) or not c for c in cells):
        return []  # a markdown rule line
    return cells


def blocks_from_text(text: str) -> tuple[list[Block], str]:
    """Lines of extracted or copied text as blocks; ``|`` lines and tab lines are rows."""
    blocks: list[Block] = []
    pipes = 0
    for number, line in enumerate(text.splitlines(), 1):
        where = f"line {number}"
        cells = _pipe_cells(line)
        if cells is not None:
            pipes += 1
            if cells:
                blocks.append(Row(cells, True, where))
            continue
        if "\t" in line:
            blocks.append(Row(line.split("\t"), False, where))
        elif line.strip():
            blocks.append(Text(line.strip(), where))
    return blocks, ("web-text" if pipes else "text")


class _HTMLBlocks(HTMLParser):
    """Document-order blocks from HTML: paragraphs as text, tables as rows of a grid with
    rowspan/colspan expanded (a rowspan label is repeated on the rows it spans; colspan
    copies are dropped, so a value spanning columns is read once)."""

    _BLOCK_TAGS = frozenset(
        {
            "p",
            "div",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "li",
            "ul",
            "ol",
            "section",
            "article",
            "header",
            "footer",
            "blockquote",
            "pre",
            "title",
            "caption",
            "br",
        }
    )
    _SKIP_TAGS = frozenset({"script", "style", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._buffer: list[str] = []
        self._skip = 0
        self._tables: list[dict[str, Any]] = []
        self._table_count = 0

    def _flush(self) -> None:
        """Text read outside tables, one block per line."""
        text = "".join(self._buffer)
        self._buffer = []
        for line in text.split("\n"):
            if line.strip():
                self.blocks.append(Text(line.strip(), f"html text {len(self.blocks) + 1}"))

    @staticmethod
    def _close_cell(table: dict[str, Any]) -> None:
        if table["cell"] is not None:
            if table["row"] is None:
                table["row"] = []
            table["row"].append(table["cell"])
            table["cell"] = None

    @classmethod
    def _close_row(cls, table: dict[str, Any]) -> None:
        cls._close_cell(table)
        if table["row"] is not None:
            table["rows"].append(table["row"])
            table["row"] = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP_TAGS:
            self._skip += 1
        elif tag == "table":
            if not self._tables:
                self._flush()
            self._table_count += 1
            self._tables.append({"rows": [], "row": None, "cell": None, "n": self._table_count})
        elif self._tables:
            # End tags of cells and rows are optional in HTML: a new one closes the last.
            table = self._tables[-1]
            if tag == "tr":
                self._close_row(table)
                table["row"] = []
            elif tag in ("td", "th"):
                self._close_cell(table)
                spans = dict(attrs)
                table["cell"] = {
                    "text": [],
                    "rowspan": _span(spans.get("rowspan")),
                    "colspan": _span(spans.get("colspan")),
                }
            # A line break inside a cell joins the label's lines (Chinese: no space).
        elif tag in self._BLOCK_TAGS:
            self._buffer.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif self._tables:
            table = self._tables[-1]
            if tag in ("td", "th"):
                self._close_cell(table)
            elif tag == "tr":
                self._close_row(table)
            elif tag == "table":
                self._close_row(table)
                self._tables.pop()
                self._emit_table(table)
        elif tag in self._BLOCK_TAGS:
            self._buffer.append("\n")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._tables:
            cell = self._tables[-1]["cell"]
            if cell is not None:
                cell["text"].append(data)
            return
        self._buffer.append(data)

    def close(self) -> None:
        super().close()
        while self._tables:  # a table left open at the end of the text (cut off)
            table = self._tables.pop()
            self._close_row(table)
            self._emit_table(table)
        self._flush()

    def _emit_table(self, table: dict[str, Any]) -> None:
        for index, cells in enumerate(expand_grid(table["rows"]), 1):
            self.blocks.append(Row(cells, True, f"table {table['n']} row {index}"))


_SPAN_COPY = "\0"


def expand_grid(rows: list[list[dict[str, Any]]]) -> list[list[str]]:
    """Rows of an HTML table as lists of cell texts, rowspans expanded.

    A cell spanning rows is repeated on the rows below when it is a label (it is their
    context: 三、本年度办理结果, （三）不予公开); a number spanning rows is a blank there (it is
    not that row's value). Columns covered by a colspan are dropped: a value printed once
    across merged columns is read once.
    """
    out: list[list[str]] = []
    # column -> (rows still covered, text); _SPAN_COPY marks a column covered by a colspan
    pending: dict[int, tuple[int, str]] = {}
    for row in rows:
        cells: list[str] = []
        col = 0
        for cell in [*row, None]:
            while col in pending or (cell is None and any(c > col for c in pending)):
                if col in pending:
                    left, text = pending[col]
                    if text != _SPAN_COPY:
                        cells.append("" if token(text).is_value else text)
                    if left <= 1:
                        del pending[col]
                    else:
                        pending[col] = (left - 1, text)
                col += 1
            if cell is None:
                break
            text = re.sub(r"\s+", " ", "".join(cell["text"])).strip()
            cells.append(text)
            if cell["rowspan"] > 1:
                pending[col] = (cell["rowspan"] - 1, text)
                for extra in range(1, cell["colspan"]):
                    pending[col + extra] = (cell["rowspan"] - 1, _SPAN_COPY)
            col += cell["colspan"]
        out.append(cells)
    return out


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 200))
    except ValueError:
        return 1


def blocks_from_html(markup: str) -> list[Block]:
    parser = _HTMLBlocks()
    parser.feed(markup)
    parser.close()
    return parser.blocks


def blocks_from_pdf(data: bytes) -> list[Block]:
    """Tables found by pdfplumber as exact rows, the text around them as lines, in page
    order. A merged cell's span is ``None`` in pdfplumber's grid and is dropped."""
    import pdfplumber

    blocks: list[Block] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page_number, page in enumerate(pdf.pages, 1):
            tables = page.find_tables()
            boxes = [t.bbox for t in tables]
            items: list[tuple[float, int, Block]] = []
            for t_index, table in enumerate(tables, 1):
                for r_index, cells in enumerate(table.extract(), 1):
                    kept = [(c or "").replace("\n", "") for c in cells if c is not None]
                    where = f"page {page_number} table {t_index} row {r_index}"
                    items.append((table.bbox[1], r_index, Row(kept, True, where)))

            def outside(obj: dict[str, Any], boxes: list[Any] = boxes) -> bool:
                if obj.get("object_type") != "char":
                    return True
                cx = (obj["x0"] + obj["x1"]) / 2
                cy = (obj["top"] + obj["bottom"]) / 2
                return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

            text_page = page.filter(outside) if boxes else page
            for l_index, line in enumerate(text_page.extract_text_lines(), 1):
                where = f"page {page_number} line {l_index}"
                items.append((line["top"], 0, Text(line["text"], where)))
            items.sort(key=lambda item: (item[0], item[1]))
            blocks.extend(block for _, _, block in items)
    return blocks


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


# ---- Labels: markers and similarity -------------------------------------------------------

_CN_NUMERALS = {c: i for i, c in enumerate("一二三四五六七八九十", 1)}
_SEGMENT_RE = re.compile(
    r"(?P<top>(?<![一二三四五六七八九十])[一二三四五六七八九十]、)"
    r"|(?P<group>\([一二三四五六七八九十]\))"
    r"|(?P<item>(?<![\d.])\d{1,2}(?:[.、]|\)(?!\d))(?!\d))"
)


@dataclass
class Segment:
    level: str  # "top" | "group" | "item" | "loose"
    number: int | None
    text: str


def segments(label: str) -> list[Segment]:
    """A normalised label cut at its markers: 三、 (top), (三) (group), 3. (item)."""
    out: list[Segment] = []
    pos = 0
    for match in _SEGMENT_RE.finditer(label):
        text = label[pos : match.start()]
        if out:
            out[-1].text += text
        elif text:
            out.append(Segment("loose", None, text))
        marker = match.group(0)
        level = match.lastgroup or "loose"
        number: int | None
        if level == "item":
            number = int(re.sub(r"\D", "", marker))
        else:
            number = _CN_NUMERALS.get(marker.strip("()、")[:1])
        out.append(Segment(level, number, ""))
        pos = match.end()
    rest = label[pos:]
    if out:
        out[-1].text += rest
    elif rest:
        out.append(Segment("loose", None, rest))
    return out


def similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def best_match(text: str, candidates: dict[str, str]) -> tuple[str | None, float, float]:
    """(best key, its score, the runner-up's score) of ``text`` against labels."""
    scored = sorted(
        ((similarity(text, norm(label)), key) for key, label in candidates.items()), reverse=True
    )
    if not scored:
        return None, 0.0, 0.0
    best_score, best_key = scored[0]
    second = scored[1][0] if len(scored) > 1 else 0.0
    return best_key, best_score, second


MATCH_THRESHOLD = 0.6
MATCH_MARGIN = 0.15


def _confident(score: float, second: float) -> bool:
    return score >= MATCH_THRESHOLD and score - second >= MATCH_MARGIN


# ---- Section 三: applications -------------------------------------------------------------

# Printed labels of the rows that are not outcomes (the taxonomy keeps only their keys).
FIXED_ROW_LABELS: dict[str, str] = {**tx.FIXED_ROW_LABELS, tx.TOTAL: "总计"}
RESULTS_BLOCK_LABEL = tx.RESULTS_BLOCK_LABEL
# The outcome groups (不予公开 …) in printed order, and the group-less outcomes before them.
OUTCOME_GROUPS: tuple[str, ...] = tuple(
    dict.fromkeys(c.group_zh for c in tx.OUTCOMES if c.group_zh)
)
UNGROUPED_OUTCOMES: tuple[str, ...] = tuple(c.key for c in tx.OUTCOMES if not c.group_zh)
_GROUP_MARKER = "group:"  # pseudo-keys of the group headings in the candidate table


def _group_of_numeral(number: int) -> tuple[str | None, str | None]:
    """(row key, group name) of a （n） marker: (一)(二) are rows, (三)–(六) are groups,
    (七) is the total."""
    if 1 <= number <= len(UNGROUPED_OUTCOMES):
        return UNGROUPED_OUTCOMES[number - 1], None
    index = number - len(UNGROUPED_OUTCOMES) - 1
    if 0 <= index < len(OUTCOME_GROUPS):
        return None, OUTCOME_GROUPS[index]
    if number == len(UNGROUPED_OUTCOMES) + len(OUTCOME_GROUPS) + 1:
        return tx.TOTAL, None
    return None, None


_TOP_ROWS = {1: tx.RECEIVED, 2: tx.CARRIED_OVER_FROM_LAST_YEAR, 4: tx.CARRIED_OVER_TO_NEXT_YEAR}


def _row_candidates() -> dict[str, str]:
    candidates = {key: FIXED_ROW_LABELS[key] for key in FIXED_ROW_LABELS}
    candidates.update({c.key: c.label_zh for c in tx.OUTCOMES})
    candidates.update({_GROUP_MARKER + g: g for g in OUTCOME_GROUPS})
    candidates[_GROUP_MARKER + RESULTS_BLOCK_LABEL] = "三、" + RESULTS_BLOCK_LABEL
    return candidates


_ROW_CANDIDATES = _row_candidates()
_ROW_ORDER = {key: i for i, key in enumerate(tx.APPLICATION_ROW_KEYS)}

# Words of the column headings (rows without values that must not be read as labels).
_APPLICATION_HEADER_WORDS = (
    "申请人情况",
    "自然人",
    "商业企业",
    "科研机构",
    "勾稽关系",
    "法律服务机构",
    "社会公益组织",
    "法人或其他组织",
)


@dataclass
class Resolution:
    key: str | None = None  # certain row key
    probable: str | None = None
    reason: str | None = None
    group: str | None = None  # group context set by this label
    block: str | None = None  # "results" when the label opens 三、本年度办理结果
    group_only: str | None = None  # the label is only a group heading

    @property
    def says_nothing(self) -> bool:
        """The label is empty or only context (e.g. a piece of 三、本年度办理结果): it names
        no row, so it neither identifies the row nor speaks against placing it by position."""
        return not (self.key or self.probable or self.group_only or self.reason)


def resolve_application_label(label: str, context_group: str | None) -> Resolution:
    """Identify a section-三 row from its (normalised) label."""
    segs = segments(label)
    res = Resolution()
    group = context_group
    own_group: str | None = None  # a group heading on this very label
    for seg in segs:
        if seg.level == "top":
            group = None
            if seg.number == 3:
                res.block = "results"
        elif seg.level == "group" and seg.number is not None:
            group = own_group = _group_of_numeral(seg.number)[1]
    res.group = group
    if not segs:
        return res
    leaf = segs[-1]
    text = leaf.text
    # A leaf without its own text (e.g. "3.") inherits nothing: text decides, markers confirm.
    text_key, score, second = best_match(text, _ROW_CANDIDATES) if text else (None, 0.0, 0.0)
    text_sure = text_key is not None and _confident(score, second)

    marker_key: str | None = None
    marker_group: str | None = None
    if leaf.level == "top" and leaf.number is not None:
        marker_key = _TOP_ROWS.get(leaf.number)
        if leaf.number == 3:
            marker_group = _GROUP_MARKER + RESULTS_BLOCK_LABEL
    elif leaf.level == "group" and leaf.number is not None:
        marker_key, group_name = _group_of_numeral(leaf.number)
        if group_name:
            marker_group = _GROUP_MARKER + group_name
    elif leaf.level == "item" and leaf.number is not None and group:
        members = [c.key for c in tx.OUTCOMES if c.group_zh == group]
        if 1 <= leaf.number <= len(members):
            marker_key = members[leaf.number - 1]

    # Group headings (with or without their marker): context, not a row of their own.
    if text_sure and text_key and text_key.startswith(_GROUP_MARKER):
        name = text_key[len(_GROUP_MARKER) :]
        if name == RESULTS_BLOCK_LABEL:
            res.block = "results"
            return res
        if marker_group is None or marker_group == text_key:
            res.group = name
            res.group_only = name
            return res
    if marker_group is not None and not text_key:
        name = marker_group[len(_GROUP_MARKER) :]
        if name != RESULTS_BLOCK_LABEL:
            res.group_only = name
        return res
    if marker_group is not None and text_key and not text_sure:
        name = marker_group[len(_GROUP_MARKER) :]
        if name != RESULTS_BLOCK_LABEL:
            res.group_only = name
        return res

    if text_sure and text_key:
        cat = tx.OUTCOMES_BY_KEY.get(text_key)
        if leaf.level == "item":
            # The number must be the text's own place in its group. The group above may be
            # a stale context (its heading lost with another row's label), so it is not
            # asked, unless the heading is on this very line.
            members = [c.key for c in tx.OUTCOMES if cat and c.group_zh == cat.group_zh]
            position = members.index(text_key) + 1 if cat and cat.group_zh else None
            if position != leaf.number:
                res.probable = text_key
                res.reason = (
                    f"the label's text reads as {text_key} but it is numbered {leaf.number}"
                )
                return res
            if own_group is not None and cat is not None and cat.group_zh != own_group:
                res.probable = text_key
                res.reason = f"the label reads as {text_key} but stands under （{own_group}）"
                return res
        elif marker_key is not None and marker_key != text_key:
            res.probable = text_key
            res.reason = f"the label's text reads as {text_key} but its numbering as {marker_key}"
            return res
        res.key = text_key
        if cat is not None and cat.group_zh:
            res.group = cat.group_zh
        return res
    if marker_key is not None:
        if leaf.level in ("top", "group") and not text:
            res.key = marker_key  # e.g. "（七）" whose word was lost: the marker is explicit
            return res
        if leaf.level == "item":
            res.probable = marker_key
            res.reason = (
                "only the item number identifies the row (its text is lost or unclear), and "
                "the group heading it falls under may have been lost"
            )
            return res
        res.probable = marker_key
        res.reason = "the numbering and the text of the label disagree or the text is unclear"
        return res
    if text_key and score >= 0.4:
        res.probable = None if text_key.startswith(_GROUP_MARKER) else text_key
        res.reason = f"the label '{text}' does not clearly match a row of the format"
    elif text:
        res.reason = f"the label '{text}' matches no row of the format"
    return res


def _is_application_header(label: str) -> bool:
    return any(w in label for w in _APPLICATION_HEADER_WORDS)


# A row of values read from a source row: label text and value tokens.
@dataclass
class ValueRow:
    label: str  # normalised label (cells and attached fragments)
    tokens: list[Token]
    rows: list[Row]
    problem: str | None = None  # the value region is malformed (text inside, …)

    def describe(self) -> list[str]:
        return [r.describe() for r in self.rows]


def split_row(row: Row) -> tuple[str, list[Token], str | None]:
    """(label, value tokens, problem) of a row.

    Exact rows: the values are the cells after the last text cell (merged label cells left
    blank are dropped later by ``fit_width``). Extracted rows: the values run from the first to
    the last number or not-applicable mark, blank cells inside counting as cells; blank cells
    outside that run are unknowable and ignored.
    """
    toks = [token(c) for c in row.cells]
    value_positions = [i for i, t in enumerate(toks) if t.is_value]
    if not value_positions:
        return norm("".join(row.cells)), [], None
    if row.exact:
        last_text = max((i for i, t in enumerate(toks) if t.kind == "text"), default=-1)
        if last_text > value_positions[0]:
            label = norm(
                "".join(c for c, t in zip(row.cells, toks, strict=True) if t.kind == "text")
            )
            return label, toks[value_positions[0] :], "text among the values"
        label = norm("".join(row.cells[: last_text + 1]))
        return label, toks[last_text + 1 :], None
    first, last = value_positions[0], value_positions[-1]
    label = norm(
        "".join(c for c, t in zip(row.cells[:first], toks[:first], strict=True) if t.kind == "text")
    )
    region = toks[first : last + 1]
    if any(t.kind == "text" for t in region):
        return label, region, "text among the values"
    return label, region, None


def fit_width(
    tokens: list[Token], width: int, identity: Callable[[list[Decimal]], bool] | None, exact: bool
) -> tuple[list[Token] | None, str | None]:
    """The ``width`` cells of a row, or (None, why not).

    Exact rows may carry blank merged-label cells before the values, and sloppy ``|`` tables
    an empty cell after them: blanks beyond ``width`` at either end are dropped, leading ones
    first. One number too many is resolved only by the row's own identity: the
    readings that drop the first or the last number are tried, and accepted when at least one
    satisfies the identity and all that do give the same numbers.
    """
    toks = list(tokens)
    if exact:
        while len(toks) > width and toks[0].kind == "blank":
            toks.pop(0)
        while len(toks) > width and toks[-1].kind == "blank":
            toks.pop()
        if width == 1 and len(toks) > 1 and sum(t.is_value for t in toks) == 1:
            # One value spanning merged cells, rendered as blanks around it.
            return [next(t for t in toks if t.is_value)], None
    if len(toks) == width:
        return toks, None
    if len(toks) == width + 1 and identity is not None:
        readings = [toks[1:], toks[:-1]]
        good = [
            r
            for r in readings
            if all(t.kind == "num" for t in r) and identity([t.value for t in r])  # type: ignore[misc]
        ]
        if good and all([t.value for t in g] == [t.value for t in good[0]] for g in good):
            dropped = toks[0] if good[0] is readings[0] else toks[-1]
            return good[0], (
                f"one number too many ({len(toks)} for {width}); only the reading without the "
                f"{'first' if good[0] is readings[0] else 'last'} number ({dropped.raw.strip()}) "
                "satisfies the row's own total"
            )
        return None, (
            f"{len(toks)} numbers where {width} are expected, and the row's own total does not "
            "tell which number is stray"
        )
    return None, f"{len(toks)} cells where {width} are expected"


def _applications_identity(values: list[Decimal]) -> bool:
    return sum(values[:-1]) == values[-1]


def _appeals_identity(values: list[Decimal]) -> bool:
    size = len(tx.APPEAL_CELL_KEYS)
    groups = [values[i : i + size] for i in range(0, len(values), size)]
    return all(sum(g[:-1]) == g[-1] for g in groups)


@dataclass
class _Placed:
    key: str
    tokens: list[Token]
    value_row: ValueRow
    note: str | None = None


class _Findings:
    """What one section contributes: cells, n/a, ambiguities, notes."""

    def __init__(self) -> None:
        self.cells: dict[str, Value] = {}
        self.not_applicable: list[str] = []
        self.ambiguities: list[Ambiguity] = []
        self.notes: list[str] = []
        self.trial: dict[str, Value] = {}

    def put(
        self,
        section: str,
        keys: Sequence[str],
        tokens: Sequence[Token],
        rows: list[str],
        *,
        decimal_keys: Iterable[str] = (),
        into_trial: bool = False,
    ) -> None:
        decimals = set(decimal_keys)
        target = self.trial if into_trial else self.cells
        blanks: list[str] = []
        for key, tok in zip(keys, tokens, strict=True):
            if tok.kind == "na":
                target[key] = None
                if not into_trial:
                    self.not_applicable.append(key)
            elif tok.kind == "num" and tok.value is not None:
                if tok.value < 0 and not into_trial:
                    self.ambiguities.append(
                        Ambiguity(
                            section, f"'{tok.raw}' is negative; a cell counts or sums", rows, [key]
                        )
                    )
                elif key in decimals:
                    target[key] = tok.value
                else:
                    count = _as_count(tok.value)
                    if count is None:
                        self.ambiguities.append(
                            Ambiguity(section, f"'{tok.raw}' is not a whole number", rows, [key])
                        )
                    else:
                        target[key] = count
            else:
                blanks.append(key)
        if blanks:
            self.ambiguities.append(
                Ambiguity(section, "blank cells (a blank is not a number)", rows, blanks)
            )


def _collect_value_rows(
    items: list[Row | Text],
    is_header: Callable[[str], bool],
    score_label: Callable[[str], float],
) -> list[ValueRow]:
    """Rows with values, with label fragments on lines of their own attached.

    A fragment that begins with a marker (三、 (三) 3.) starts a pending label for the next
    row with values; a fragment without a marker continues the pending label if there is one,
    else the label of the row just read — when that improves (or keeps) its match — else it
    starts the pending label.
    """
    out: list[ValueRow] = []
    pending: list[str] = []
    pending_rows: list[Row] = []
    last: ValueRow | None = None
    for item in items:
        toks: list[Token]
        if isinstance(item, Text):
            label, toks, problem = norm(item.text), [], None
            source = Row([item.text], False, item.where)
        else:
            label, toks, problem = split_row(item)
            source = item
        if not toks:
            if not label:
                continue
            if is_header(label):
                pending, pending_rows, last = [], [], None
                continue
            starts_with_marker = bool(segments(label)) and segments(label)[0].level != "loose"
            if starts_with_marker or pending:
                pending.append(label)
                pending_rows.append(source)
            elif last is not None and score_label(last.label + label) >= score_label(last.label):
                last.label += label
                last.rows.append(source)
            else:
                pending.append(label)
                pending_rows.append(source)
            continue
        value_row = ValueRow("".join(pending) + label, toks, [*pending_rows, source], problem)
        out.append(value_row)
        pending, pending_rows = [], []
        last = value_row
    if pending:
        out.append(ValueRow("".join(pending), [], pending_rows, "a label with no values"))
    return out


def _application_label_score(label: str) -> float:
    segs = segments(label)
    text = segs[-1].text if segs else label
    _, score, _ = best_match(text, _ROW_CANDIDATES)
    return score


def parse_applications(items: list[Row | Text], fmt: str) -> tuple[_Findings, dict[str, bool]]:
    """Section 三. Returns findings and format signals (``other_split``: the 2021 sub-rows of
    其他处理 were seen; ``other_single``: a single 其他处理 row with values, as in 2019)."""
    found = _Findings()
    signals = {"other_split": False, "other_single": False}
    section = "三"
    value_rows = _collect_value_rows(items, _is_application_header, _application_label_score)
    width = len(tx.REPORT_COLUMN_KEYS)

    # Pass 1: identify each row.
    entries: list[tuple[ValueRow, Resolution, list[Token] | None, str | None]] = []
    group: str | None = None
    for vr in value_rows:
        res = resolve_application_label(vr.label, group)
        group = res.group
        if res.key and res.key.startswith("other."):
            signals["other_split"] = True
        if not vr.tokens:
            if vr.problem == "a label with no values" and (res.key or res.probable):
                key = res.key or res.probable
                found.ambiguities.append(
                    Ambiguity(
                        section,
                        "the text ends after this label; its values are not there",
                        vr.describe(),
                        [flat_key(APPLICATIONS, key, c) for c in tx.REPORT_COLUMN_KEYS]
                        if key
                        else [],
                        key,
                    )
                )
            continue
        if vr.problem:
            entries.append((vr, res, None, vr.problem))
            continue
        fitted, why = fit_width(vr.tokens, width, _applications_identity, vr.rows[-1].exact)
        entries.append((vr, res, fitted, why))

    # Pass 2: keep identified, well-formed rows in the format's order (each key once).
    identified = [
        i for i, (vr, res, fitted, _) in enumerate(entries) if res.key is not None and fitted
    ]
    keys_seen: dict[str, list[int]] = {}
    for i in identified:
        keys_seen.setdefault(entries[i][1].key or "", []).append(i)
    duplicates = {k for k, idx in keys_seen.items() if len(idx) > 1}
    candidates = [i for i in identified if entries[i][1].key not in duplicates]
    in_order = set(_longest_increasing(candidates, lambda i: _ROW_ORDER[entries[i][1].key or ""]))
    placed: dict[int, _Placed] = {}
    for i in candidates:
        vr, res, fitted, why = entries[i]
        if i in in_order and fitted is not None and res.key:
            placed[i] = _Placed(res.key, fitted, vr, why)
    for key in sorted(duplicates, key=_ROW_ORDER.__getitem__):
        rows = [line for i in keys_seen[key] for line in entries[i][0].describe()]
        found.ambiguities.append(
            Ambiguity(
                section,
                f"{len(keys_seen[key])} rows read as the same row; none is placed",
                rows,
                _row_keys(key),
                key,
            )
        )

    # Pass 3: rows whose label is lost, placed only between two certain rows.
    _place_by_position(entries, placed, found)

    # Report everything not placed.
    for i, (vr, res, fitted, why) in enumerate(entries):
        if i in placed:
            continue
        if res.group_only and fmt == FORMAT_2019_TRIAL and res.group_only == OUTCOME_GROUPS[-1]:
            signals["other_single"] = True
            if fitted is not None:
                keys = [
                    flat_key(TRIAL_2019, APPLICATIONS, "other", c) for c in tx.REPORT_COLUMN_KEYS
                ]
                found.put(section, keys, fitted, vr.describe(), into_trial=True)
                found.notes.append(
                    "2019 trial format: 其他处理 is one row, which the 2021 format splits into "
                    "three; its figures are kept under trial_2019, not in the 2021 cells"
                )
                continue
        if res.group_only and res.group_only == OUTCOME_GROUPS[-1] and fmt != FORMAT_2021:
            signals["other_single"] = True
        if res.key in duplicates:
            continue
        probable = res.key or res.probable
        reasons = []
        if res.key is not None and fitted is not None:
            reasons.append("the row is out of the format's order (a misread label?)")
        elif res.key is not None:
            pass  # identified, but its cells cannot be aligned: ``why`` says why
        elif res.group_only:
            reasons.append(
                f"only the group heading （{res.group_only}） is legible; the row's "
                "own label is lost"
            )
            members = [c.key for c in tx.OUTCOMES if c.group_zh == res.group_only]
            if fmt == FORMAT_2021 and members:
                probable = members[0]  # the 2021 form prints a group's heading on its 1st row
        elif res.reason:
            reasons.append(res.reason)
        elif res.says_nothing:
            probable, where = _neighbour_guess(i, placed)
            reasons.append(
                "the row's label is lost"
                + (f"; it stands {where}" if where else "")
                + "; the rows around it are not all certain, so its position is not"
            )
        if why:
            reasons.append(why)
        values = [t.raw.strip() or "·" for t in (fitted or vr.tokens)]
        found.ambiguities.append(
            Ambiguity(
                section,
                "; ".join(reasons) or "the row cannot be placed",
                vr.describe(),
                _row_keys(probable) if probable else [],
                probable,
                values,
            )
        )

    for i in sorted(placed):
        p = placed[i]
        keys = _row_keys(p.key)
        if p.note:
            found.notes.append(f"{p.key}: {p.note}")
        found.put(section, keys, p.tokens, p.value_row.describe())
    return found, signals


def _neighbour_guess(index: int, placed: dict[int, _Placed]) -> tuple[str | None, str | None]:
    """The row an unlabelled row would be if nothing were lost next to it: the row before
    the certain row that follows it, or else the row after the certain row before it."""
    after = placed.get(index + 1)
    if after is not None and _ROW_ORDER[after.key] > 0:
        return tx.APPLICATION_ROW_KEYS[
            _ROW_ORDER[after.key] - 1
        ], f"directly above the row {after.key}"
    before = placed.get(index - 1)
    if before is not None and _ROW_ORDER[before.key] + 1 < len(tx.APPLICATION_ROW_KEYS):
        return tx.APPLICATION_ROW_KEYS[
            _ROW_ORDER[before.key] + 1
        ], f"directly below the row {before.key}"
    return None, None


def _row_keys(row_key: str) -> list[str]:
    return [flat_key(APPLICATIONS, row_key, c) for c in tx.REPORT_COLUMN_KEYS]


def _longest_increasing(items: list[int], rank: Callable[[int], int]) -> list[int]:
    """The longest subsequence of ``items`` with strictly increasing rank."""
    best: list[list[int]] = []
    for item in items:
        options = [seq for seq in best if rank(seq[-1]) < rank(item)]
        longest = max(options, key=len, default=[])
        best.append([*longest, item])
    return max(best, key=len, default=[])


def _place_by_position(
    entries: list[tuple[ValueRow, Resolution, list[Token] | None, str | None]],
    placed: dict[int, _Placed],
    found: _Findings,
) -> None:
    anchors = sorted(placed)
    for left, right in zip(anchors, anchors[1:], strict=False):
        run = list(range(left + 1, right))
        if not run:
            continue
        gap = _ROW_ORDER[placed[right].key] - _ROW_ORDER[placed[left].key] - 1
        if gap != len(run):
            continue
        ok = all(
            entries[i][1].says_nothing
            and entries[i][2] is not None
            and all(t.kind == "num" for t in entries[i][2] or [])
            and _applications_identity([t.value for t in entries[i][2] or []])  # type: ignore[misc]
            for i in run
        )
        if not ok:
            continue
        start = _ROW_ORDER[placed[left].key]
        for offset, i in enumerate(run, 1):
            key = tx.APPLICATION_ROW_KEYS[start + offset]
            vr, _res, fitted, why = entries[i]
            assert fitted is not None
            placed[i] = _Placed(key, fitted, vr, why)
            found.notes.append(
                f"{key}: label lost; placed by position between {placed[left].key} and "
                f"{placed[right].key} (the run has exactly the rows the format has there, and "
                "each row's applicant columns add up to its total)"
            )


# ---- Section 二: proactive disclosure -----------------------------------------------------

# 2019 trial format: the row and column labels and the keys they are kept under.
TRIAL_PROACTIVE_ROWS: dict[str, str] = {
    "rules": "规章",
    "normative_documents": "规范性文件",
    "licensing": "行政许可",
    "other_services": "其他对外管理服务事项",
    "penalties": "行政处罚",
    "enforcement": "行政强制",
    "fees": "行政事业性收费",
    "procurement": "政府集中采购",
}
TRIAL_PROACTIVE_COLUMNS: dict[str, str] = {
    "made": "本年新制作数量",
    "published": "本年新公开数量",
    "total_published": "对外公开总数量",
    "items_last_year": "上一年项目数量",
    "change": "本年增/减",
    "decisions": "处理决定数量",
    "procurement_projects": "采购项目数量",
    "procurement_amount": "采购总金额",
}
# Trial-format columns that are the same quantity as a 2021 column (by name and meaning).
_TRIAL_CONVERTIBLE = {"decisions": "decisions"}

_2021_COLUMN_LABELS: dict[str, str] = {
    col.key: col.label_zh for row in tx.PROACTIVE_ROWS for col in row.columns
}
_2021_ROW_LABELS: dict[str, str] = {row.key: row.label_zh for row in tx.PROACTIVE_ROWS}
_2021_ROW_COLUMNS: dict[str, tuple[str, ...]] = {
    row.key: tuple(c.key for c in row.columns) for row in tx.PROACTIVE_ROWS
}
_DECIMAL_PROACTIVE = {
    flat_key(PROACTIVE, row.key, col.key)
    for row in tx.PROACTIVE_ROWS
    for col in row.columns
    if col.key.endswith("yuan")
}


def _header_columns(label: str) -> tuple[str, list[str]] | None:
    """A section-二 column header (信息内容 | 本年制发件数 | …): (format, column keys)."""
    if "信息内容" not in label:
        return None
    rest = label.split("信息内容", 1)[1]
    trial = [
        (rest.find(norm(lab)), key)
        for key, lab in TRIAL_PROACTIVE_COLUMNS.items()
        if norm(lab) in rest
    ]
    current = [
        (rest.find(norm(lab)), key) for key, lab in _2021_COLUMN_LABELS.items() if norm(lab) in rest
    ]
    # 处理决定数量 is inside 本年处理决定数量: prefer the longer (2021) reading.
    if current and (len(current) >= len(trial) or "本年处理决定数量" in rest):
        return FORMAT_2021, [k for _, k in sorted(current)]
    if trial:
        return FORMAT_2019_TRIAL, [k for _, k in sorted(trial)]
    return None


def parse_proactive(items: list[Row | Text]) -> tuple[_Findings, str | None]:
    found = _Findings()
    section = "二"
    fmt: str | None = None
    columns: list[str] | None = None
    column_format: str | None = None
    rows_2021: dict[str, list[tuple[list[Token], Row]]] = {}
    for item in items:
        row = item if isinstance(item, Row) else Row([item.text], False, item.where)
        label, toks, problem = split_row(row)
        if not toks:
            header = _header_columns(label)
            if header:
                column_format, columns = header
                fmt = fmt or column_format
                if fmt != column_format:
                    fmt = FORMAT_UNKNOWN
            continue
        text = re.sub(r"^第二十条第\(.\)项", "", label)
        row_key, trial_row = _proactive_row(text, column_format or fmt)
        if row_key is None and trial_row is None:
            found.ambiguities.append(
                Ambiguity(
                    section,
                    (
                        "the row's label is lost"
                        if not text
                        else f"the label '{text}' matches no row"
                    )
                    + f"; {len(toks)} values cannot be placed",
                    [row.describe()],
                    values=[t.raw.strip() or "·" for t in toks],
                )
            )
            continue
        if problem:
            found.ambiguities.append(Ambiguity(section, problem, [row.describe()]))
            continue
        if column_format == FORMAT_2019_TRIAL:
            cols = list(columns or [])
            if trial_row == "procurement":
                cols = [c for c in cols if c.startswith("procurement")] or cols
            else:
                cols = [c for c in cols if not c.startswith("procurement")]
            fitted, why = fit_width(toks, len(cols), None, row.exact)
            if fitted is None:
                found.ambiguities.append(Ambiguity(section, why or "", [row.describe()]))
                continue
            keys = [flat_key(TRIAL_2019, PROACTIVE, trial_row or "", c) for c in cols]
            found.put(
                section,
                keys,
                fitted,
                [row.describe()],
                into_trial=True,
                decimal_keys=[k for k in keys if k.endswith("amount")],
            )
            for col, tok in zip(cols, fitted, strict=True):
                target = _TRIAL_CONVERTIBLE.get(col)
                if target and row_key and target in _2021_ROW_COLUMNS.get(row_key, ()):
                    found.put(
                        section, [flat_key(PROACTIVE, row_key, target)], [tok], [row.describe()]
                    )
                    found.notes.append(
                        f"{flat_key(PROACTIVE, row_key, target)}: converted from the 2019 trial "
                        "format's 处理决定数量 (the same quantity)"
                    )
            continue
        if row_key is None:
            found.ambiguities.append(
                Ambiguity(
                    section,
                    f"the row '{text}' exists only in the 2019 trial format, but the "
                    "table's header is not the trial format's",
                    [row.describe()],
                )
            )
            continue
        cols = list(_2021_ROW_COLUMNS[row_key])
        if columns is not None and column_format == FORMAT_2021 and columns != cols:
            found.notes.append(
                f"proactive.{row_key}: header columns {columns} differ from the "
                f"format's {cols}; read in the format's order"
            )
        fitted, why = fit_width(toks, len(cols), None, row.exact)
        if fitted is None:
            found.ambiguities.append(
                Ambiguity(
                    section,
                    why or "",
                    [row.describe()],
                    [flat_key(PROACTIVE, row_key, c) for c in cols],
                    row_key,
                    [t.raw.strip() or "·" for t in toks],
                )
            )
            continue
        rows_2021.setdefault(row_key, []).append((fitted, row))
    for row_key, readings in rows_2021.items():
        keys = [flat_key(PROACTIVE, row_key, c) for c in _2021_ROW_COLUMNS[row_key]]
        if len(readings) > 1:
            found.ambiguities.append(
                Ambiguity(
                    section,
                    f"{len(readings)} rows read as the same row; none is placed",
                    [r.describe() for _, r in readings],
                    keys,
                    row_key,
                )
            )
            continue
        fitted, row = readings[0]
        found.put(section, keys, fitted, [row.describe()], decimal_keys=_DECIMAL_PROACTIVE)
    return found, fmt


def _proactive_row(text: str, fmt: str | None) -> tuple[str | None, str | None]:
    """(2021 row key, trial-format row key) of a section-二 label."""
    if not text:
        return None, None
    exact21 = {k for k, lab in _2021_ROW_LABELS.items() if norm(lab) == text}
    exact19 = {k for k, lab in TRIAL_PROACTIVE_ROWS.items() if norm(lab) == text}
    if not exact21 and not exact19:
        key21, s21, second21 = best_match(text, _2021_ROW_LABELS)
        key19, s19, second19 = best_match(text, TRIAL_PROACTIVE_ROWS)
        if key21 and _confident(s21, second21) and s21 >= 0.8:
            exact21 = {key21}
        if key19 and _confident(s19, second19) and s19 >= 0.8:
            exact19 = {key19}
    key21 = next(iter(exact21), None)
    key19 = next(iter(exact19), None)
    if key21 is None and key19 is not None and key19 in _2021_ROW_LABELS:
        key21 = key19
    if fmt != FORMAT_2019_TRIAL:
        return key21, None
    return (key21 if key21 in _2021_ROW_COLUMNS else None), key19


# ---- Section 四: appeals ------------------------------------------------------------------

_APPEAL_KEYS = [flat_key(APPEALS, k, c) for k in tx.APPEAL_KIND_KEYS for c in tx.APPEAL_CELL_KEYS]
_APPEAL_GROUP_LABELS = {c.key: c.label_zh for c in tx.APPEAL_KINDS}


def parse_appeals(items: list[Row | Text]) -> _Findings:
    found = _Findings()
    section = "四"
    width = len(_APPEAL_KEYS)
    group_width = len(tx.APPEAL_CELL_KEYS)
    rows: list[tuple[Row, str, list[Token], str | None]] = []
    for item in items:
        row = item if isinstance(item, Row) else Row([item.text], False, item.where)
        label, toks, problem = split_row(row)
        if toks:
            rows.append((row, label, toks, problem))
    if not rows:
        return found
    # One row of fifteen: the format's layout.
    singles = []
    for row, _label, toks, problem in rows:
        if problem:
            continue
        fitted, why = fit_width(toks, width, _appeals_identity, row.exact)
        if fitted is not None:
            singles.append((row, fitted, why))
    if len(singles) == 1 and len(rows) == 1:
        row, fitted, why = singles[0]
        if why:
            found.notes.append(f"appeals: {why}")
        found.put(section, _APPEAL_KEYS, fitted, [row.describe()])
        return found
    # Three rows of five, one per group, in the format's order (labelled or not).
    if len(rows) == len(tx.APPEAL_KINDS) and all(
        len(t) == group_width and not p for _, _, t, p in rows
    ):
        labels_ok = all(
            not label or best_match(label, _APPEAL_GROUP_LABELS)[0] == kind
            for (_, label, _, _), kind in zip(rows, tx.APPEAL_KIND_KEYS, strict=True)
        )
        if labels_ok:
            for (row, _, toks, _), kind in zip(rows, tx.APPEAL_KIND_KEYS, strict=True):
                found.put(
                    section,
                    [flat_key(APPEALS, kind, c) for c in tx.APPEAL_CELL_KEYS],
                    toks,
                    [row.describe()],
                )
            found.notes.append("appeals: read as three rows of five, one per group")
            return found
    for row, _label, toks, problem in rows:
        fitted, why = fit_width(toks, width, _appeals_identity, row.exact)
        found.ambiguities.append(
            Ambiguity(
                section,
                problem or why or "more than one row of values in the appeals table",
                [row.describe()],
                list(_APPEAL_KEYS),
                values=[t.raw.strip() or "·" for t in toks],
            )
        )
    return found


# ---- Prose figures -----------------------------------------------------------------------

_N = r"(\d[\d,]*(?:\.\d+)?)"
_CLAUSE = r"[^。；;，,]"
_PROSE_PATTERNS: tuple[tuple[str, str | None, re.Pattern[str]], ...] = (
    (
        "applications_received",
        flat_key(APPLICATIONS, tx.RECEIVED, tx.TOTAL),
        re.compile(
            r"(?:受理|收到|新收|接收|接到)"
            + _CLAUSE
            + r"{0,16}?申请(?:共|总计|合计|数量为?)?"
            + _N
            + r"(?:件|宗|个|份|条)"
        ),
    ),
    (
        "applications_closed",
        flat_key(APPLICATIONS, tx.TOTAL, tx.TOTAL),
        re.compile(
            r"(?:(?:办结|办理完毕|完成办理)(?:政府信息公开)?(?:申请)?|答复(?:政府信息公开)?申请)"
            + r"(?:共|总计)?"
            + _N
            + r"(?:件|宗|个|份)"
        ),
    ),
    (
        "carried_over_from_last_year",
        flat_key(APPLICATIONS, tx.CARRIED_OVER_FROM_LAST_YEAR, tx.TOTAL),
        re.compile(r"上年(?:度)?结转" + _CLAUSE + r"{0,10}?" + _N + r"(?:件|宗|个)"),
    ),
    (
        "carried_over_to_next_year",
        flat_key(APPLICATIONS, tx.CARRIED_OVER_TO_NEXT_YEAR, tx.TOTAL),
        re.compile(
            r"结转(?:至|到)?下(?:一)?年(?:度)?" + _CLAUSE + r"{0,10}?" + _N + r"(?:件|宗|个)"
        ),
    ),
    (
        "reconsideration",
        flat_key(APPEALS, tx.APPEAL_KIND_KEYS[0], tx.TOTAL),
        re.compile(r"行政复议(?:案件|申请)?(?:共)?" + _N + r"(?:件|起|宗|个)"),
    ),
    ("litigation", None, re.compile(r"行政诉讼(?:案件)?(?:共)?" + _N + r"(?:件|起|宗|个)")),
)
_SENTENCE_RE = re.compile(r"[^。！？!?\n]+[。！？!?]?")


def _number(text: str) -> Value:
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None
    count = _as_count(value)
    return count if count is not None else value


def extract_prose_figures(prose: dict[str, list[str]]) -> list[ProseFigure]:
    figures: list[ProseFigure] = []
    for section in ("一", "preamble"):
        text = norm("".join(prose.get(section, [])))
        for sentence in _SENTENCE_RE.findall(text):
            for kind, key, pattern in _PROSE_PATTERNS:
                for match in pattern.finditer(sentence):
                    figures.append(
                        ProseFigure(kind, _number(match.group(1)), sentence, section, key)
                    )
    figures.extend(_processing_fee_figures(prose))
    return figures


_FEE_NOTICES, _FEE_BILLED, _FEE_COLLECTED = (
    flat_key(PROCESSING_FEES, f.key) for f in tx.PROCESSING_FEE_FIELDS
)


def _processing_fee_figures(prose: dict[str, list[str]]) -> list[ProseFigure]:
    """The three fee figures as stated in the prose (normally section 六)."""
    out: list[ProseFigure] = []
    for section in ("六", "一", "五"):
        text = norm("".join(prose.get(section, [])))
        for sentence in _SENTENCE_RE.findall(text):
            if "费" not in sentence and "收费" not in sentence:
                continue
            out.extend(_fee_sentence(sentence, section))
        if out:
            break
    return out


def _fee_sentence(sentence: str, section: str) -> list[ProseFigure]:
    found: list[tuple[str, Value]] = []
    # "发出收费通知的件数和总金额，以及实际收取的总金额均为 0"
    for each in re.finditer(r"([^。]*?)(?:均|都|皆)为" + _N + r"(?:元|件)?", sentence):
        head = each.group(1)
        value = _number(each.group(2))
        if re.search(r"收费通知(?:的)?件数|通知件数|件数", head):
            found.append((_FEE_NOTICES, value))
        if re.search(r"(?:收费通知|通知)[^实]*总金额", head) or re.search(r"件数和总金额", head):
            found.append((_FEE_BILLED, value))
        if re.search(r"实际收取", head):
            found.append((_FEE_COLLECTED, value))
    if not found:
        match = re.search(
            r"(?:发出|发送|送达)?收费通知(?:书)?(?:的件数)?(?:为|共)?" + _N + r"件", sentence
        )
        if match:
            found.append((_FEE_NOTICES, _number(match.group(1))))
        match = re.search(
            r"收费通知" + _CLAUSE + r"{0,12}?总金额(?:为)?" + _N + r"(?:万)?元", sentence
        )
        if match and "万元" not in match.group(0):
            found.append((_FEE_BILLED, _number(match.group(1))))
        match = re.search(
            r"实际收取(?:的)?(?:总)?(?:金额|费用)?(?:为|共)?" + _N + r"(?:万)?元", sentence
        )
        if match and "万元" not in match.group(0):
            found.append((_FEE_COLLECTED, _number(match.group(1))))
        if re.search(r"未(?:发出|发放|发送)(?:任何)?(?:信息处理费)?收费通知", sentence):
            found += [(_FEE_NOTICES, 0), (_FEE_BILLED, 0)]
        if re.search(r"(?:未|没有|不)收取(?:任何)?(?:政府)?信息处理费", sentence):
            found.append((_FEE_COLLECTED, 0))
    kinds = {
        _FEE_NOTICES: "processing_fees.notices",
        _FEE_BILLED: "processing_fees.billed",
        _FEE_COLLECTED: "processing_fees.collected",
    }
    return [ProseFigure(kinds[key], value, sentence, section, key) for key, value in found]


# Prose figures that national_format's helper checks (with every reading it allows).
_HELPER_FIGURES: dict[str, nf.ProseFigure] = {
    "applications_received": nf.ProseFigure.RECEIVED,
    "applications_closed": nf.ProseFigure.CLOSED,
    "carried_over_to_next_year": nf.ProseFigure.CARRIED_OVER,
}


def compare_text_and_tables(
    figures: list[ProseFigure], report: nf.NationalReport | None
) -> tuple[list[TextTableComparison], nf.CheckReport]:
    """Each prose figure against the table cells it repeats.

    Figures national_format knows (received, closed, carried over) go through its
    ``check_prose_figure``, which accepts any reading of the figure the tables allow; the
    others (carried over from last year, reconsideration, litigation) are compared here.
    """
    out: list[TextTableComparison] = []
    checks = nf.CheckReport()
    if report is None:
        return out, checks
    flat = report.to_flat()
    for fig in figures:
        if fig.kind.startswith(PROCESSING_FEES) or not isinstance(fig.value, int):
            continue
        if fig.kind in _HELPER_FIGURES:
            figure = _HELPER_FIGURES[fig.kind]
            readings = nf.PROSE_READINGS[figure]
            result = nf.check_prose_figure(report, figure, fig.value)
            checks += result
            if result.failures:
                status, detail = "contradiction", result.failures[0].message
            elif result.skipped:
                status, detail = "unverifiable", result.skipped[0].message
            else:
                status, detail = "match", "the text agrees with a reading of the tables"
        else:
            if fig.kind == "litigation":
                keys = tuple(flat_key(APPEALS, k, tx.TOTAL) for k in tx.APPEAL_KIND_KEYS[1:])
            elif fig.key:
                keys = (fig.key,)
            else:
                continue
            readings = (keys,)
            missing = tuple(k for k in keys if flat[k] is None)
            if missing:
                status = "unverifiable"
                detail = f"not checked: the prose's {fig.kind} = {fig.value}; missing " + (
                    ", ".join(missing)
                )
                checks += nf.CheckReport(skipped=(nf.Skipped(nf.Rule.PROSE, missing, detail),))
            elif sum(flat[k] for k in keys) == fig.value:
                status, detail = "match", "the text agrees with the table"
            else:
                status = "contradiction"
                detail = (
                    f"the prose says {fig.kind} = {fig.value}, but the table gives "
                    f"{' + '.join(keys)} = {sum(flat[k] for k in keys)}"
                )
                checks += nf.CheckReport(failures=(nf.Failure(nf.Rule.PROSE, keys, detail),))
        values = {
            " + ".join(r): (None if any(flat[k] is None for k in r) else sum(flat[k] for k in r))
            for r in readings
        }
        lost = _lost_reading_note(fig, flat)
        if lost and status != "match":
            detail = f"{detail}. {lost}"
        out.append(TextTableComparison(fig.kind, fig.value, values, status, detail, fig.text))
    return out, checks


def _lost_reading_note(fig: ProseFigure, flat: dict[str, Any]) -> str | None:
    """For a received figure whose own cell is lost: what the column identity would need."""
    received = flat[flat_key(APPLICATIONS, tx.RECEIVED, tx.TOTAL)]
    taken = flat[flat_key(APPLICATIONS, tx.CARRIED_OVER_FROM_LAST_YEAR, tx.TOTAL)]
    total = flat[flat_key(APPLICATIONS, tx.TOTAL, tx.TOTAL)]
    given = flat[flat_key(APPLICATIONS, tx.CARRIED_OVER_TO_NEXT_YEAR, tx.TOTAL)]
    if fig.kind != "applications_received" or received is not None or taken is not None:
        return None
    if total is None or given is None or not isinstance(fig.value, int):
        return None
    right = total + given
    if fig.value > right:
        return (
            f"{fig.value} new applications cannot fit the table either: received + "
            f"carried over from last year = {total} + {given} = {right}"
        )
    return (
        f"The received row is lost: if the text means new applications only, the table "
        f"would need carried_over_from_last_year.total = {total} + {given} − {fig.value} = "
        f"{right - fig.value}"
    )


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
                    block_row: Row | None = row
                else:
                    block_row = None
                    text = norm(block.text)
                    if len(text) <= 50 and "。" not in text:
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
        and (isinstance(blocks[-1], Row) or _whitespace_row(blocks[-1].text, "") is not None)
    ):
        notes.append(f"the text ends inside section {section}'s table: it may be cut off")
    return tables, prose, notes


def _read_source(source: str | bytes | Path) -> tuple[list[Block], str]:
    if isinstance(source, Path):
        data = source.read_bytes()
        if data[:5] == b"%PDF-":
            return blocks_from_pdf(data), "pdf"
        return _read_source(_decode(data))
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
        if data[:5] == b"%PDF-":
            return blocks_from_pdf(data), "pdf"
        return _read_source(_decode(data))
    if re.search(r"<(?:table|html|body|p|tr)\b", source, re.IGNORECASE):
        return blocks_from_html(source), "html"
    return blocks_from_text(source)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def parse_report(source: str | bytes | Path) -> ParseResult:
    """Parse a published annual report.

    ``source``: text (extracted from a PDF, or copied from a web page, ``|`` tables), HTML,
    the bytes of a PDF or of a text/HTML file, or a ``Path`` to one. A ``str`` is always the
    report's content, never a file name.
    """
    blocks, source_kind = _read_source(source)
    tables, prose, notes = split_sections(blocks)

    proactive, fmt_proactive = parse_proactive(tables["二"])
    fmt = fmt_proactive or FORMAT_UNKNOWN
    applications, signals = parse_applications(tables["三"], fmt)
    if fmt == FORMAT_UNKNOWN:
        if signals["other_split"] and not signals["other_single"]:
            fmt = FORMAT_2021
        elif signals["other_single"] and not signals["other_split"]:
            fmt = FORMAT_2019_TRIAL
            applications, signals = parse_applications(tables["三"], fmt)
    appeals = parse_appeals(tables["四"])

    cells: dict[str, Value] = {}
    ambiguities: list[Ambiguity] = []
    not_applicable: list[str] = []
    trial: dict[str, Value] = {}
    for part in (proactive, applications, appeals):
        cells.update(part.cells)
        ambiguities += part.ambiguities
        not_applicable += part.not_applicable
        notes += part.notes
        trial.update(part.trial)

    figures = extract_prose_figures(prose)
    fee_values: dict[str, set[Any]] = {}
    for fig in figures:
        if fig.key and fig.key.startswith(PROCESSING_FEES):
            fee_values.setdefault(fig.key, set()).add(fig.value)
    for key, values in fee_values.items():
        if len(values) == 1:
            value = next(iter(values))
            cells[key] = Decimal(value) if nf.is_money(key) and value is not None else value
        else:
            ambiguities.append(
                Ambiguity(
                    "六", f"the text gives different figures: {sorted(map(str, values))}", [], [key]
                )
            )

    ordered = [k for k in expected_keys() if k in cells]
    cells = {k: cells[k] for k in ordered}
    missing = [k for k in expected_keys() if k not in cells]
    checks, report = run_checks(cells, fmt)
    comparisons, prose_checks = compare_text_and_tables(figures, report)
    if report is not None:
        checks = check_report_dict(nf.check(report) + prose_checks)
    return ParseResult(
        format=fmt,
        source_kind=source_kind,
        cells=cells,
        missing=missing,
        not_applicable=sorted(set(not_applicable), key=expected_keys().index),
        ambiguities=ambiguities,
        prose_figures=figures,
        text_vs_table=comparisons,
        checks=checks,
        sections=summarise_sections(cells, not_applicable),
        trial_2019=trial,
        notes=notes,
        report=report,
    )


def summarise_sections(
    cells: dict[str, Value], not_applicable: list[str]
) -> dict[str, SectionSummary]:
    out: dict[str, SectionSummary] = {}
    for name in (PROACTIVE, APPLICATIONS, APPEALS, PROCESSING_FEES):
        keys = [k for k in expected_keys() if k.startswith(name + ".")]
        found = sum(k in cells for k in keys)
        na = sum(k in not_applicable for k in keys)
        status = "complete" if found == len(keys) else ("lost" if found == 0 else "partial")
        out[name] = SectionSummary(found, len(keys), na, status)
    return out


def run_checks(cells: dict[str, Value], fmt: str) -> tuple[dict[str, Any], Any]:
    """national_format's arithmetic checks on the cells found; a check whose cells are
    missing is listed as skipped, not failed."""
    flat: dict[str, Any] = dict(cells)
    if fmt in (FORMAT_2021, FORMAT_2019_TRIAL):
        flat[nf.FORMAT] = fmt
    try:
        report = nf.NationalReport.from_flat(flat)
    except ValueError as exc:
        return {
            "available": False,
            "reason": f"the cells do not make a report: {exc}",
            "ok": None,
            "failures": [],
            "skipped": [],
        }, None
    return check_report_dict(nf.check(report)), report


def check_report_dict(result: nf.CheckReport) -> dict[str, Any]:
    return {
        "available": True,
        "ok": result.ok,
        "failures": [
            {"rule": f.rule.value, "cells": list(f.cells), "message": f.message}
            for f in result.failures
        ],
        "skipped": [
            {"rule": s.rule.value, "missing": list(s.missing), "message": s.message}
            for s in result.skipped
        ],
    }
