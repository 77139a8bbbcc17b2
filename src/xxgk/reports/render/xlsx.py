"""The report as an Excel workbook (openpyxl), for those who compile or compare reports.

The first sheet holds the text (title, opening sentence, the six sections, each table
section linking to its sheet); then one sheet per table (二, 三, 四 and 六's processing
fees), drawn from :mod:`xxgk.reports.render.tables` with the form's merged header cells.
Figures are numbers, not text: counts as whole numbers, money as a number shown with two
decimals. A gap in the report is an empty cell, never 0. Header rows and label columns stay
in view when scrolling, and repeat on every printed page.
"""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.worksheet import Worksheet

from xxgk.reports.national_format import (
    APPEALS,
    APPLICATIONS,
    PROACTIVE,
    PROCESSING_FEES,
    NationalReport,
)
from xxgk.reports.render.outline import outline
from xxgk.reports.render.tables import HEADINGS, TABLES, Table, filled_tables, format_value

TEXT_SHEET = "年度报告"
SHEET_NAMES: dict[str, str] = {
    PROACTIVE: HEADINGS["二"],
    APPLICATIONS: HEADINGS["三"],
    APPEALS: HEADINGS["四"],
    PROCESSING_FEES: "六、信息处理费",
}
# Each table sheet has its title in row 1 and the table from row 2.
FIRST_TABLE_ROW = 2

FONT_NAME = "宋体"
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_TEXT = Alignment(vertical="top", wrap_text=True)
COUNT_FORMAT = "0"
MONEY_FORMAT = "0.00"


def value_coordinates(table_key: str) -> dict[str, str]:
    """Where each value of a table stands on its sheet: flat key → ``"D5"``."""
    table = TABLES[table_key]
    return {
        p.cell.key: f"{get_column_letter(p.column + 1)}{p.row + FIRST_TABLE_ROW}"
        for p in table.values() if p.cell.key is not None
    }


def _title_of(table: Table) -> str:
    """The sheet's title row: the section heading, and for 六 what the table shows."""
    if table.key == PROCESSING_FEES:
        return f"{table.heading}：{table.caption}"
    return table.heading


def _table_sheet(workbook: Workbook, table: Table) -> Worksheet:
    sheet = workbook.create_sheet(SHEET_NAMES[table.key])
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    if table.columns > 10:
        sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    title = sheet.cell(row=1, column=1, value=_title_of(table))
    title.font = Font(name=FONT_NAME, size=14, bold=True)
    title.alignment = _CENTRE
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=table.columns)
    sheet.row_dimensions[1].height = 28
    for placed in table.placed:
        cell = placed.cell
        target = sheet.cell(row=placed.row + FIRST_TABLE_ROW, column=placed.column + 1)
        if cell.is_value:
            if cell.value is not None:
                # Counts are ints already; money goes in as an exact decimal.
                target.value = (Decimal(format_value(cell.value))
                                if isinstance(cell.value, Decimal) else cell.value)
            target.number_format = MONEY_FORMAT if cell.is_money else COUNT_FORMAT
            target.alignment = _CENTRE
        else:
            target.value = cell.text
            target.alignment = _LEFT if cell.scope == "row" or not cell.is_header else _CENTRE
        target.font = Font(name=FONT_NAME, size=10.5)
        target.border = _BORDER
        if cell.rowspan > 1 or cell.colspan > 1:
            # The merged range's edges take their border from the top-left cell.
            sheet.merge_cells(
                start_row=placed.row + FIRST_TABLE_ROW, start_column=placed.column + 1,
                end_row=placed.last_row + FIRST_TABLE_ROW, end_column=placed.last_column + 1)
    for index, width in enumerate(table.widths, 1):
        # A Chinese character is about two of Excel's width units.
        sheet.column_dimensions[get_column_letter(index)].width = width * 2 + 2
    body_top = FIRST_TABLE_ROW + len(table.head)
    sheet.freeze_panes = f"{get_column_letter(table.label_columns + 1)}{body_top}"
    if table.head:
        sheet.print_title_rows = f"{FIRST_TABLE_ROW}:{body_top - 1}"
    return sheet


def _text_sheet(workbook: Workbook, report: NationalReport) -> None:
    sheet = workbook.active
    sheet.title = TEXT_SHEET
    sheet.column_dimensions["A"].width = 100
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    printed = outline(report)
    plain = Font(name=FONT_NAME, size=11)

    def add(text: str, font: Font = plain, link: str | None = None) -> None:
        sheet.append([text])
        cell = sheet.cell(row=sheet.max_row, column=1)
        cell.font = font
        cell.alignment = _TEXT
        if link:
            cell.hyperlink = f"#{quote_sheetname(link)}!A1"
            cell.font = Font(name=FONT_NAME, size=11, color="0563C1", underline="single")

    add(printed.title, Font(name=FONT_NAME, size=16, bold=True))
    add(printed.opening)
    for section in printed.sections:
        add(section.heading, Font(name=FONT_NAME, size=12, bold=True))
        for paragraph in section.paragraphs:
            add(paragraph)
        for table in section.tables:
            add(SHEET_NAMES[table.key], link=SHEET_NAMES[table.key])
    add(SHEET_NAMES[PROCESSING_FEES], link=SHEET_NAMES[PROCESSING_FEES])


def render_xlsx(report: NationalReport) -> bytes:
    """The whole report as an .xlsx workbook."""
    workbook = Workbook()
    _text_sheet(workbook, report)
    tables = filled_tables(report)
    for key in SHEET_NAMES:
        _table_sheet(workbook, tables[key])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
