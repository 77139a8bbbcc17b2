"""A ``NationalReport`` rendered as text in the layouts published reports come in.

The parser's tests render generated reports (``tests/reports/strategies.py``) in each layout
and parse them back: every cell must come back right or be missing, never wrong. The
layouts are those of issue 12, written here rather than copied from any real report:

- ``tabs``: text extracted from a PDF, a row per line, cells separated by tabs;
- ``web``: web text with one cell per line, each ending in `` |``, the header spread over
  many lines and long labels split across lines (``商业`` / ``企业``);
- ``run_together``: copied text whose cells lost their separators, a row per line
  (``一、本年新收政府信息公开申请数量5620058``);
- ``one_line``: the same, each whole table on one line;
- ``eight_columns``: ``tabs`` with the variant column 法人或其他组织小计;
- ``html``: an HTML table whose cells wrap ``<p>`` and whose blank cells are empty;

and three changes to any of them: page furniture (page numbers, the site's name) between
rows, rows omitted, and the text cut off. Gaps (None) are blank cells; a layout without
separators cannot show a blank, so the run-together layouts take complete reports only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from xxgk.reports.national_format import Cell, NationalReport, ReportFormat
from xxgk.taxonomy import (
    APPEAL_KIND_KEYS,
    APPEAL_RESULT_KEYS,
    APPLICATION_ROW_KEYS,
    CARRIED_OVER_FROM_LAST_YEAR,
    CARRIED_OVER_TO_NEXT_YEAR,
    FIXED_ROW_LABELS,
    OUTCOMES,
    PROACTIVE_ROWS,
    RECEIVED,
    REPORT_COLUMN_KEYS,
    RESULTS_BLOCK_LABEL,
    TOTAL,
)

TEXT_LAYOUTS = ("tabs", "web", "eight_columns")
RUN_TOGETHER_LAYOUTS = ("run_together", "one_line")
LAYOUTS = (*TEXT_LAYOUTS, *RUN_TOGETHER_LAYOUTS, "html")
NUMBER_STYLES = ("plain", "commas", "fullwidth")

AGENCY = "某市某区人民政府办公室"
FURNITURE = ("- {page} -", "某市人民政府门户网站", "第 {page} 页 共 9 页")

_GROUP_NUMERALS = "一二三四五六七"
_FULL_WIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


@dataclass(frozen=True)
class Options:
    """How to render: the layout and the changes to it."""

    layout: str = "tabs"
    numbers: str = "plain"  # plain | commas | fullwidth (text layouts only)
    furniture_every: int = 0  # a page header or footer after every n-th row (0: none)
    omit: frozenset[str] = frozenset()  # section 三 row keys left out
    cut_at: float | None = None  # cut the text at this fraction of its tables' length


@dataclass(frozen=True)
class TableRow:
    """One printed row: its label cells and its values (None: a blank cell)."""

    labels: tuple[str, ...]
    values: tuple[Cell, ...]


def _number(value: Cell, style: str) -> str:
    if value is None:
        return ""
    text = f"{value:,}" if style == "commas" else str(value)
    return text.translate(_FULL_WIDTH) if style == "fullwidth" else text


# ---- The tables as rows --------------------------------------------------------------------

def _application_rows(report: NationalReport, *, subtotal: bool) -> list[tuple[str, TableRow]]:
    """Section 三's rows (row key, printed row); the 2019 format prints 其他处理 as one row."""
    grid = report.applications

    def values(row: str) -> tuple[Cell, ...]:
        cells = [grid[row][c] for c in REPORT_COLUMN_KEYS]
        if subtotal:
            legal = cells[1:6]
            sub = None if None in legal else sum(v for v in legal if v is not None)
            cells.insert(6, sub)
        return tuple(cells)

    out: list[tuple[str, TableRow]] = [
        (RECEIVED, TableRow((f"一、{FIXED_ROW_LABELS[RECEIVED]}",), values(RECEIVED))),
        (CARRIED_OVER_FROM_LAST_YEAR, TableRow(
            (f"二、{FIXED_ROW_LABELS[CARRIED_OVER_FROM_LAST_YEAR]}",),
            values(CARRIED_OVER_FROM_LAST_YEAR))),
    ]
    groups: list[str] = []
    block = f"三、{RESULTS_BLOCK_LABEL}"
    item = 0
    trial = report.format == ReportFormat.V2019
    for category in OUTCOMES:
        if category.key.startswith("other.") and trial:
            if "other" in groups:
                continue
            groups.append("other")
            others = [k.key for k in OUTCOMES if k.key.startswith("other.")]
            cells = [None if any(grid[k][c] is None for k in others)
                     else sum(grid[k][c] for k in others)  # type: ignore[misc]
                     for c in REPORT_COLUMN_KEYS]
            if subtotal:
                legal = cells[1:6]
                cells.insert(6, None if None in legal else sum(legal))  # type: ignore[arg-type]
            numeral = _GROUP_NUMERALS[len(groups) - 1]
            out.append(("other", TableRow(("", f"（{numeral}）其他处理"), tuple(cells))))
            continue
        labels: tuple[str, ...]
        if category.group_zh:
            if category.group_zh not in groups:
                groups.append(category.group_zh)
                item = 0
                numeral = _GROUP_NUMERALS[len(groups) - 1]
                heading = f"（{numeral}）{category.group_zh}"
            else:
                heading = ""
            item += 1
            labels = ("", heading, f"{item}.{category.label_zh}")
        else:
            groups.append(category.key)
            numeral = _GROUP_NUMERALS[len(groups) - 1]
            labels = ("", f"（{numeral}）{category.label_zh}")
        if len(out) == 2:
            labels = (block, *labels[1:])
        out.append((category.key, TableRow(labels, values(category.key))))
    out.append((TOTAL, TableRow(("", f"（{_GROUP_NUMERALS[len(groups)]}）总计"), values(TOTAL))))
    out.append((CARRIED_OVER_TO_NEXT_YEAR, TableRow(
        (f"四、{FIXED_ROW_LABELS[CARRIED_OVER_TO_NEXT_YEAR]}",),
        values(CARRIED_OVER_TO_NEXT_YEAR))))
    return out


_APPLICATION_HEADER = (
    ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"),
    ("自然人", "法人或其他组织", "总计"),
    ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"),
)

_TRIAL_PROACTIVE = (
    ("第二十条第（一）项", ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
     (("规章", None), ("规范性文件", None))),
    ("第二十条第（五）项", ("上一年项目数量", "本年增/减", "处理决定数量"),
     (("行政许可", "licensing"),)),
    ("第二十条第（六）项", ("上一年项目数量", "本年增/减", "处理决定数量"),
     (("行政处罚", "penalties"), ("行政强制", "enforcement"))),
)


def _proactive_blocks(report: NationalReport) -> list[tuple[str, tuple[str, ...], list[TableRow]]]:
    """Section 二 as (block title, column labels, rows), in the report's format."""
    if report.format == ReportFormat.V2019:
        out = []
        for title, columns, rows in _TRIAL_PROACTIVE:
            printed = []
            for label, key in rows:
                # The trial columns the 2021 format lacks are printed as 0; only 处理决定数量
                # is a 2021 cell, and the tests compare only 2021 cells.
                decisions = report.proactive[key]["decisions"] if key else 0
                printed.append(TableRow((label,), (0, 0, decisions)))
            out.append((title, columns, printed))
        return out
    blocks: dict[str, tuple[tuple[str, ...], list[TableRow]]] = {}
    for row in PROACTIVE_ROWS:
        columns = tuple(c.label_zh for c in row.columns)
        _, rows = blocks.setdefault(row.block_zh, (columns, []))
        rows.append(TableRow((row.label_zh,), tuple(report.proactive[row.key][c.key]
                                                   for c in row.columns)))
    return [(title, columns, rows) for title, (columns, rows) in blocks.items()]


_APPEAL_HEADER = (
    ("行政复议", "行政诉讼"),
    ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"),
    ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计") * 2,
)


def _appeal_values(report: NationalReport) -> tuple[Cell, ...]:
    return tuple(report.appeals[kind][c] for kind in APPEAL_KIND_KEYS
                 for c in (*APPEAL_RESULT_KEYS, TOTAL))


# ---- Layouts -------------------------------------------------------------------------------

def _split_label(label: str) -> list[str]:
    """A label as web text breaks it: two-word labels in two, long ones in the middle."""
    if label in ("商业企业", "科研机构"):
        return [label[:2], label[2:]]
    if len(label) > 14:
        return [label[: len(label) // 2], label[len(label) // 2:]]
    return [label]


class _Lines:
    """The document's lines, with page furniture after every n-th table row."""

    def __init__(self, every: int) -> None:
        self.lines: list[str] = []
        self.every = every
        self.rows = 0
        self.table_start: int | None = None

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def row_done(self) -> None:
        self.rows += 1
        if self.every and self.rows % self.every == 0:
            page = self.rows // self.every
            self.lines.append(FURNITURE[page % len(FURNITURE)].format(page=page + 1))


def _text_tables(report: NationalReport, options: Options, out: _Lines) -> None:
    layout = options.layout
    subtotal = layout == "eight_columns"
    style = options.numbers if layout in TEXT_LAYOUTS else "plain"

    def emit(labels: Iterable[str], values: Iterable[Cell]) -> None:
        labels = [label for label in labels if label] if layout != "tabs" else list(labels)
        printed = [_number(v, style) for v in values]
        if layout == "web":
            for label in labels:
                out.add(*(f"{part} |" for part in _split_label(label)))
            out.add(*(f"{v} |" for v in printed))
        elif layout in RUN_TOGETHER_LAYOUTS:
            out.add("".join(labels) + "".join(printed))
        else:
            out.add("\t".join([*labels, *printed]))

    def header(rows: Iterable[tuple[str, ...]]) -> None:
        for cells in rows:
            emit(cells, ())

    out.add("二、主动公开政府信息情况")
    out.table_start = len(out.lines)
    for title, columns, rows in _proactive_blocks(report):
        header([(title,), ("信息内容", *columns)])
        for row in rows:
            emit(row.labels, row.values)
            out.row_done()
    out.add("三、收到和处理政府信息公开申请情况")
    application_header: list[tuple[str, ...]] = [tuple(h) for h in _APPLICATION_HEADER]
    if subtotal:
        application_header[2] = (*application_header[2], "小计")
    header(application_header)
    for key, row in _application_rows(report, subtotal=subtotal):
        if key in options.omit:
            continue
        emit(row.labels, row.values)
        out.row_done()
    out.add("四、政府信息公开行政复议、行政诉讼情况")
    header(_APPEAL_HEADER)
    emit((), _appeal_values(report))
    out.row_done()


def _join_one_line(lines: list[str], start: int) -> list[str]:
    """Each table (the lines between two headings) as one line."""
    out = lines[:start]
    current: list[str] = []
    for line in lines[start:]:
        if line[:2] in ("三、", "四、") and line.endswith("情况"):
            out.append("".join(current))
            out.append(line)
            current = []
        else:
            current.append(line)
    out.append("".join(current))
    return out


def _html(report: NationalReport, options: Options) -> str:
    def cell(value: object, **attrs: int) -> str:
        spans = "".join(f' {k}="{v}"' for k, v in attrs.items() if v > 1)
        text = "" if value is None or value == "" else f"<p>{escape(str(value))}</p>"
        return f"<td{spans}>{text}</td>"

    def tr(cells: Iterable[str]) -> str:
        return "<tr>" + "".join(cells) + "</tr>"

    parts = [f"<html><body><h1>{AGENCY}政府信息公开工作年度报告</h1>",
             "<p>一、总体情况</p><p>本机关依法做好政府信息公开工作。</p>",
             "<p>二、主动公开政府信息情况</p><table>"]
    for title, columns, rows in _proactive_blocks(report):
        parts.append(tr([cell(title, colspan=len(columns) + 1)]))
        parts.append(tr([cell("信息内容"), *(cell(c) for c in columns)]))
        parts += [tr([cell(r.labels[0]), *(cell(v) for v in r.values)]) for r in rows]
    parts.append("</table><p>三、收到和处理政府信息公开申请情况</p><table>")
    parts.append(tr([cell(_APPLICATION_HEADER[0][0], colspan=3, rowspan=3),
                     cell("申请人情况", colspan=7)]))
    parts.append(tr([cell("自然人", rowspan=2), cell("法人或其他组织", colspan=5),
                     cell("总计", rowspan=2)]))
    parts.append(tr(cell(c) for c in _APPLICATION_HEADER[2]))
    for key, row in _application_rows(report, subtotal=False):
        if key in options.omit:
            continue
        labels = [label for label in row.labels if label]
        label_cells = [cell(labels[0], colspan=3)] if len(labels) == 1 else [
            cell(label) for label in labels]
        parts.append(tr([*label_cells, *(cell(v) for v in row.values)]))
    parts.append("</table><p>四、政府信息公开行政复议、行政诉讼情况</p><table>")
    parts.append(tr([cell("行政复议", colspan=5), cell("行政诉讼", colspan=10)]))
    parts.append(tr([*(cell(c, rowspan=2) for c in _APPEAL_HEADER[1][:5]),
                     cell("未经复议直接起诉", colspan=5), cell("复议后起诉", colspan=5)]))
    parts.append(tr(cell(c) for c in _APPEAL_HEADER[2]))
    parts.append(tr(cell(v) for v in _appeal_values(report)))
    parts.append("</table><p>五、存在的主要问题及改进情况</p><p>无。</p></body></html>")
    markup = "".join(parts)
    if options.cut_at is not None:
        start = markup.index("<table>")
        markup = markup[: start + int((len(markup) - start) * options.cut_at)]
    return markup


def render(report: NationalReport, options: Options = Options()) -> str:  # noqa: B008
    """The report as a document in ``options.layout``."""
    if options.layout == "html":
        return _html(report, options)
    if options.layout not in LAYOUTS:
        raise ValueError(f"unknown layout {options.layout!r}")
    out = _Lines(options.furniture_every)
    out.add(f"{AGENCY}政府信息公开工作年度报告", "", "一、总体情况", "本机关依法做好政府信息公开工作。")
    _text_tables(report, options, out)
    start = out.table_start or 0
    lines = out.lines
    if options.layout == "one_line":
        lines = _join_one_line(lines, start)
    lines += ["五、存在的主要问题及改进情况", "无。", "六、其他需要报告的事项", "无。"]
    text = "\n".join(lines) + "\n"
    if options.cut_at is not None:
        offset = len("\n".join(lines[:start]))
        text = text[: offset + int((len(text) - offset) * options.cut_at)]
    return text


def rows_of(report: NationalReport) -> tuple[str, ...]:
    """Section 三's printed rows, by key, for choosing rows to omit."""
    return tuple(key for key, _ in _application_rows(report, subtotal=False))


def expected_cells(report: NationalReport, options: Options) -> set[str]:
    """The cells a faithful reader must find in a clean rendering (no cut, no gaps)."""
    keys: set[str] = set()
    trial = report.format == ReportFormat.V2019
    for row in APPLICATION_ROW_KEYS:
        if row in options.omit or (trial and row.startswith("other.")):
            continue
        keys |= {f"applications.{row}.{c}" for c in REPORT_COLUMN_KEYS}
    keys |= {f"appeals.{k}.{c}" for k in APPEAL_KIND_KEYS for c in (*APPEAL_RESULT_KEYS, TOTAL)}
    for row in PROACTIVE_ROWS:
        for c in row.columns:
            if not trial or (c.key == "decisions" and row.key in ("licensing", "penalties",
                                                                   "enforcement")):
                keys.add(f"proactive.{row.key}.{c.key}")
    return {k for k in keys if report.to_flat()[k] is not None}


def wrong_cells(report: NationalReport, cells: dict[str, object]) -> dict[str, tuple[object, object]]:
    """The cells read that differ from the report: key -> (read, true)."""
    truth = report.to_flat()
    return {k: (v, truth[k]) for k, v in cells.items() if k in truth and v != truth[k]}

