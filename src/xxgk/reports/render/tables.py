"""The national tables of the annual report as data: rows of cells with their spans.

Every output format draws the tables from these descriptions, so the layout of
国办公开办函〔2021〕30号 — which header cells are merged, which labels are printed where — is
written once, here. Pure Python: no Django import.

A :class:`Table` is a head (rows that repeat on every page) and bodies (groups of rows kept
together), each row a tuple of :class:`Cell` in HTML's sense: a cell covered by a span from
an earlier row or column is simply absent. Header cells carry their printed label and what
they head (HTML's ``scope``); value cells carry their flat key (``national_format.CELL_KEYS``)
and, once :func:`fill` has put a report in, its value and that value as printed. Labels come
from :mod:`xxgk.taxonomy` (section 三's fixed rows get their numbering 一、… here); the few
it does not hold (信息内容, 总计 …) are printed text of the form and are kept below.

``TABLES`` holds the three national tables (sections 二, 三, 四) and the table of section 六's
processing fees, which the form states in a sentence but a workbook shows as a table.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Context, Decimal
from functools import cached_property

from xxgk.reports.national_format import (
    APPEALS,
    APPLICATIONS,
    PROACTIVE,
    PROCESSING_FEES,
    NationalReport,
)
from xxgk.reports.national_format import Cell as CellValue
from xxgk.taxonomy import (
    APPEAL_CELL_KEYS,
    APPEAL_KINDS,
    APPEAL_RESULTS,
    APPLICANT_COLUMNS,
    CARRIED_OVER_FROM_LAST_YEAR,
    CARRIED_OVER_TO_NEXT_YEAR,
    FIXED_ROW_LABELS,
    OUTCOMES,
    PROACTIVE_ROWS,
    PROCESSING_FEE_FIELDS,
    RECEIVED,
    REPORT_COLUMN_KEYS,
    RESULTS_BLOCK_LABEL,
    TOTAL,
)

# ---- Printed text of the form that the taxonomy does not hold ------------------------------

# The six section headings, by numeral.
HEADINGS: dict[str, str] = {
    "一": "一、总体情况",
    "二": "二、主动公开政府信息情况",
    "三": "三、收到和处理政府信息公开申请情况",
    "四": "四、政府信息公开行政复议、行政诉讼情况",
    "五": "五、存在的主要问题及改进情况",
    "六": "六、其他需要报告的事项",
}
INFORMATION_CONTENT = "信息内容"  # section 二: the heading of the label column
APPLICANTS = "申请人情况"  # section 三: the heading over the seven columns
TOTAL_LABEL = "总计"
# Section 三 prints its own arithmetic rule in the top-left header cell.
BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
RECEIVED_LABEL = "一、" + FIXED_ROW_LABELS[RECEIVED]
CARRIED_OVER_FROM_LAST_YEAR_LABEL = "二、" + FIXED_ROW_LABELS[CARRIED_OVER_FROM_LAST_YEAR]
RESULTS_LABEL = "三、" + RESULTS_BLOCK_LABEL
CARRIED_OVER_TO_NEXT_YEAR_LABEL = "四、" + FIXED_ROW_LABELS[CARRIED_OVER_TO_NEXT_YEAR]
PROCESSING_FEES_CAPTION = "信息处理费（金额单位：元）"

_CHINESE_NUMERALS = "一二三四五六七八九十"


# ---- Cells and tables -----------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    """One cell of a table: a header (``scope`` set), a value (``key`` set) or a note.

    ``scope`` is HTML's: ``col``/``colgroup`` head the columns below, ``row`` the rows it
    spans (to its right), ``rowgroup`` the rows of its body below it.
    """

    text: str = ""
    key: str | None = None
    rowspan: int = 1
    colspan: int = 1
    scope: str | None = None
    value: CellValue = None

    @property
    def is_header(self) -> bool:
        return self.scope is not None

    @property
    def is_value(self) -> bool:
        return self.key is not None

    @property
    def is_money(self) -> bool:
        return self.key is not None and self.key.endswith("_yuan")


Row = tuple[Cell, ...]


@dataclass(frozen=True)
class Placed:
    """A cell at its place in the table's grid (its top-left slot, counted from 0)."""

    row: int
    column: int
    cell: Cell

    @property
    def last_row(self) -> int:
        return self.row + self.cell.rowspan - 1

    @property
    def last_column(self) -> int:
        return self.column + self.cell.colspan - 1


@dataclass(frozen=True)
class Table:
    """A table of the report: ``key`` is its section's key in the report model."""

    key: str
    numeral: str
    caption: str
    # Relative column widths, roughly in Chinese characters; every format scales them.
    widths: tuple[int, ...]
    head: tuple[Row, ...]
    bodies: tuple[tuple[Row, ...], ...]

    @property
    def heading(self) -> str:
        return HEADINGS[self.numeral]

    @property
    def columns(self) -> int:
        return len(self.widths)

    @property
    def rows(self) -> tuple[Row, ...]:
        """Every row, head first, in printed order."""
        return self.head + tuple(row for body in self.bodies for row in body)

    @cached_property
    def placed(self) -> tuple[Placed, ...]:
        """Every cell with its grid position, in printed order (row by row)."""
        taken: set[tuple[int, int]] = set()
        out: list[Placed] = []
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while (r, c) in taken:
                    c += 1
                out.append(Placed(r, c, cell))
                taken.update((r + i, c + j) for i in range(cell.rowspan) for j in range(cell.colspan))
                c += cell.colspan
        for r, c in taken:
            if not (0 <= c < self.columns and 0 <= r < len(self.rows)):
                raise ValueError(f"table {self.key}: a cell spans outside the grid at {r}, {c}")
        if len(taken) != self.columns * len(self.rows):
            raise ValueError(f"table {self.key}: the rows do not fill the grid")
        return tuple(out)

    @cached_property
    def body_of_row(self) -> tuple[int, ...]:
        """For each row, the index of its body (-1 for the head)."""
        return (-1,) * len(self.head) + tuple(
            index for index, body in enumerate(self.bodies) for _ in body
        )

    @property
    def label_columns(self) -> int:
        """How many columns on the left hold labels only (the columns to keep in view)."""
        return min(p.column for p in self.placed if p.cell.is_value)

    def values(self) -> Iterator[Placed]:
        return (p for p in self.placed if p.cell.is_value)

    def headers_of(self, value: Placed) -> tuple[Placed, ...]:
        """The header cells that name a value cell, as a screen reader should announce them:
        the column headers above it (in the head, or earlier in its own body), the body's
        heading, and the row headers to its left."""
        return tuple(p for p in self.placed if p.cell.is_header and self._heads(p, value))

    def _heads(self, header: Placed, value: Placed) -> bool:
        if header.row > value.row:
            return False
        body = self.body_of_row[value.row]
        if header.cell.scope == "row":
            return header.row <= value.row <= header.last_row and header.column < value.column
        if header.cell.scope == "rowgroup":
            return self.body_of_row[header.row] == body
        return (self.body_of_row[header.row] in (-1, body)
                and header.column <= value.column and value.last_column <= header.last_column)


def format_value(value: CellValue) -> str:
    """A cell as printed: a gap is blank (never 0), money has at least two decimals.

    Money is never rounded: an amount with more decimals keeps them, so that what is
    printed reads back as the same amount.
    """
    if value is None:
        return ""
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent > -2:
            digits = max(value.adjusted(), 0) + 4
            value = value.quantize(Decimal("0.01"), context=Context(prec=digits))
        return format(value, "f")
    return str(value)


def fill(table: Table, report: NationalReport) -> Table:
    """The table with the report's values (and their printed text) in its value cells."""
    flat = report.to_flat()

    def filled(row: Row) -> Row:
        return tuple(
            dataclasses.replace(cell, value=flat[cell.key], text=format_value(flat[cell.key]))
            if cell.key is not None else cell
            for cell in row
        )

    return dataclasses.replace(
        table,
        head=tuple(filled(row) for row in table.head),
        bodies=tuple(tuple(filled(row) for row in body) for body in table.bodies),
    )


def filled_tables(report: NationalReport) -> dict[str, Table]:
    """Every table of :data:`TABLES`, filled with the report, by section key."""
    return {key: fill(table, report) for key, table in TABLES.items()}


# ---- The tables ------------------------------------------------------------------------------

def _proactive() -> Table:
    """Section 二: one body per item of Art. 20, each with its own heading and column labels.

    The widest block has three value columns; a block with one value column spans it over
    the three, as the form prints it.
    """
    width = max(len(row.columns) for row in PROACTIVE_ROWS)
    blocks: dict[str, list] = {}
    for row in PROACTIVE_ROWS:
        blocks.setdefault(row.block_zh, []).append(row)
    bodies = []
    for block, rows in blocks.items():
        columns = rows[0].columns
        span = width // len(columns)
        body: list[Row] = [
            (Cell(block, colspan=width + 1, scope="rowgroup"),),
            (Cell(INFORMATION_CONTENT, scope="col"),
             *(Cell(c.label_zh, colspan=span, scope="col") for c in columns)),
        ]
        body += [
            (Cell(row.label_zh, scope="row"),
             *(Cell(key=f"{PROACTIVE}.{row.key}.{c.key}", colspan=span) for c in row.columns))
            for row in rows
        ]
        bodies.append(tuple(body))
    return Table(PROACTIVE, "二", "主动公开政府信息情况", (14,) + (11,) * width,
                 head=(), bodies=tuple(bodies))


def _applications() -> Table:
    """Section 三: three header rows, then the four numbered items, the third spanning the
    outcome rows (grouped under （三）…（六）) and （七）总计."""
    organisations = [c for c in APPLICANT_COLUMNS if c.group_zh]
    person = next(c for c in APPLICANT_COLUMNS if not c.group_zh)
    head: tuple[Row, ...] = (
        (Cell(BALANCE_NOTE, rowspan=3, colspan=3),
         Cell(APPLICANTS, colspan=len(REPORT_COLUMN_KEYS), scope="colgroup")),
        (Cell(person.label_zh, rowspan=2, scope="col"),
         Cell(organisations[0].group_zh, colspan=len(organisations), scope="colgroup"),
         Cell(TOTAL_LABEL, rowspan=2, scope="col")),
        tuple(Cell(c.label_zh, scope="col") for c in organisations),
    )

    def values(row_key: str) -> tuple[Cell, ...]:
        return tuple(Cell(key=f"{APPLICATIONS}.{row_key}.{c}") for c in REPORT_COLUMN_KEYS)

    groups: dict[str, int] = {}
    for outcome in OUTCOMES:
        if outcome.group_zh:
            groups[outcome.group_zh] = groups.get(outcome.group_zh, 0) + 1
    rows: list[Row] = [
        (Cell(RECEIVED_LABEL, colspan=3, scope="row"), *values(RECEIVED)),
        (Cell(CARRIED_OVER_FROM_LAST_YEAR_LABEL, colspan=3, scope="row"),
         *values(CARRIED_OVER_FROM_LAST_YEAR)),
    ]
    number = 0  # the （n） of the outcome rows and groups
    item = 0  # the n. within a group
    for index, outcome in enumerate(OUTCOMES):
        lead: tuple[Cell, ...] = ()
        if index == 0:
            lead = (Cell(RESULTS_LABEL, rowspan=len(OUTCOMES) + 1, scope="row"),)
        if not outcome.group_zh:
            number += 1
            labels: tuple[Cell, ...] = (
                Cell(f"（{_CHINESE_NUMERALS[number - 1]}）{outcome.label_zh}", colspan=2,
                     scope="row"),)
        else:
            labels = ()
            if index == 0 or OUTCOMES[index - 1].group_zh != outcome.group_zh:
                number += 1
                item = 0
                labels = (Cell(f"（{_CHINESE_NUMERALS[number - 1]}）{outcome.group_zh}",
                               rowspan=groups[outcome.group_zh], scope="row"),)
            item += 1
            labels += (Cell(f"{item}.{outcome.label_zh}", scope="row"),)
        rows.append((*lead, *labels, *values(outcome.key)))
    rows.append((Cell(f"（{_CHINESE_NUMERALS[number]}）{TOTAL_LABEL}", colspan=2, scope="row"),
                 *values(TOTAL)))
    rows.append((Cell(CARRIED_OVER_TO_NEXT_YEAR_LABEL, colspan=3, scope="row"),
                 *values(CARRIED_OVER_TO_NEXT_YEAR)))
    return Table(APPLICATIONS, "三", "收到和处理政府信息公开申请情况",
                 (3, 6, 18) + (6,) * len(REPORT_COLUMN_KEYS), head=head, bodies=(tuple(rows),))


def _appeals() -> Table:
    """Section 四: 行政复议 (its five results heading two rows) | 行政诉讼 split into
    未经复议直接起诉 and 复议后起诉, then the one row of fifteen values."""
    first, *litigation = APPEAL_KINDS
    results = [*(r.label_zh for r in APPEAL_RESULTS), TOTAL_LABEL]
    size = len(APPEAL_CELL_KEYS)
    head: tuple[Row, ...] = (
        (Cell(first.label_zh, colspan=size, scope="colgroup"),
         Cell(litigation[0].group_zh, colspan=size * len(litigation), scope="colgroup")),
        (*(Cell(label, rowspan=2, scope="col") for label in results),
         *(Cell(kind.label_zh, colspan=size, scope="colgroup") for kind in litigation)),
        tuple(Cell(label, scope="col") for _ in litigation for label in results),
    )
    row = tuple(Cell(key=f"{APPEALS}.{kind.key}.{c}") for kind in APPEAL_KINDS
                for c in APPEAL_CELL_KEYS)
    return Table(APPEALS, "四", "政府信息公开行政复议、行政诉讼情况",
                 (5,) * size * len(APPEAL_KINDS), head=head, bodies=((row,),))


def _processing_fees() -> Table:
    """Section 六's information-processing fees: one header row and one row of values."""
    return Table(
        PROCESSING_FEES, "六", PROCESSING_FEES_CAPTION, (16,) * len(PROCESSING_FEE_FIELDS),
        head=(tuple(Cell(f.label_zh, scope="col") for f in PROCESSING_FEE_FIELDS),),
        bodies=((tuple(Cell(key=f"{PROCESSING_FEES}.{f.key}") for f in PROCESSING_FEE_FIELDS),),),
    )


TABLES: dict[str, Table] = {
    t.key: t for t in (_proactive(), _applications(), _appeals(), _processing_fees())
}
# The tables the national form prints as tables (section 六 states its figures in a sentence).
NATIONAL_TABLE_KEYS: tuple[str, ...] = (PROACTIVE, APPLICATIONS, APPEALS)
