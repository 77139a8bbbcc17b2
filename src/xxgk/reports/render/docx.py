"""The report as a Word document (python-docx), laid out after the official document style.

The page, the default fonts, the page numbers and body paragraphs come from
:mod:`xxgk.documents.docx` (A4 with the margins of GB/T 9704, 仿宋 named in ``w:eastAsia``,
font-table fallbacks for Word and WPS). This module adds what a report has and a letter
has not: the title and section headings as Word headings (so the document has an outline
to navigate), in 宋体 and 黑体, and the national tables with their merged cells, head rows
repeated on each page and no row split across pages.
"""

from __future__ import annotations

import io

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from xxgk.documents.docx import BODY_SIZE, TITLE_FONT, TITLE_SIZE, add_paragraph, new_document
from xxgk.reports.national_format import APPEALS, NationalReport
from xxgk.reports.render.outline import clean, outline
from xxgk.reports.render.tables import Table

LATIN_FONT = "Times New Roman"
HEADING_FONT = "黑体"
TABLE_FONT = "宋体"
TABLE_SIZE = Pt(10.5)  # 五号
WIDE_TABLE_SIZE = Pt(9)  # 小五, for section 四's fifteen columns


def set_east_asian_font(element, name: str) -> None:
    """Name the face of a run or a style (``element``: its ``w:r`` or ``w:style``) for
    Chinese text (``w:eastAsia``, which is what Word and WPS read for CJK) and for Latin
    text, dropping the theme references that would win over both."""
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for slot in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(slot), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), name)


def _heading_styles(document) -> None:
    """Heading 1 for the title (宋体 二号, centred), Heading 2 for the sections (黑体 三号),
    black and without the template's spacing."""
    for name, font, size, bold, line in (("Heading 1", TITLE_FONT, TITLE_SIZE, True, 36),
                                         ("Heading 2", HEADING_FONT, BODY_SIZE, False, 28)):
        style = document.styles[name]
        set_east_asian_font(style.element, font)
        style.font.size = size
        style.font.bold = bold
        style.font.color.rgb = RGBColor(0, 0, 0)
        spacing = style.paragraph_format
        spacing.space_before = Pt(0)
        spacing.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        spacing.line_spacing = Pt(line)
    document.styles["Heading 1"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.styles["Heading 1"].paragraph_format.space_after = Pt(28)
    document.styles["Heading 2"].paragraph_format.space_after = Pt(0)


def _row_property(row, name: str) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement(name))


def add_table(document, table: Table) -> None:
    """A filled table, with merged cells where the form merges them."""
    size = WIDE_TABLE_SIZE if table.key == APPEALS else TABLE_SIZE
    section = document.sections[-1]
    text_width = section.page_width - section.left_margin - section.right_margin
    grid = document.add_table(rows=len(table.rows), cols=table.columns)
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    total = sum(table.widths)
    widths = [int(text_width * w / total) for w in table.widths]
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    slots = [row.cells for row in grid.rows]
    for row, row_cells in zip(grid.rows, slots, strict=True):
        _row_property(row, "w:cantSplit")
        for cell, width in zip(row_cells, widths, strict=True):
            cell.width = width
    for index in range(len(table.head)):
        _row_property(grid.rows[index], "w:tblHeader")
    # Merge every span first (a merge moves content), then write. The cells are looked up
    # once, before merging: spans never overlap, so no merge touches another's corners, and
    # python-docx's grid.cell() would rescan the whole table at each call.
    cells = []
    for placed in table.placed:
        cell = slots[placed.row][placed.column]
        if placed.cell.rowspan > 1 or placed.cell.colspan > 1:
            cell = cell.merge(slots[placed.last_row][placed.last_column])
        cells.append((placed.cell, cell))
    for content, cell in cells:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = cell.paragraphs[0]
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        left = content.scope == "row" or not (content.is_header or content.is_value)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
        if content.text:
            run = paragraph.add_run(content.text)
            run.font.size = size
            set_east_asian_font(run._r, TABLE_FONT)


def render_docx(report: NationalReport) -> bytes:
    """The whole report as a .docx file."""
    printed = outline(report)
    document = new_document()
    _heading_styles(document)
    document.core_properties.title = printed.title
    document.core_properties.author = clean(report.agency or "")
    document.core_properties.language = "zh-CN"
    document.add_paragraph(printed.title, style="Heading 1")
    add_paragraph(document, printed.opening)
    for section in printed.sections:
        document.add_paragraph(section.heading, style="Heading 2")
        for text in section.paragraphs:
            add_paragraph(document, text)
        for table in section.tables:
            add_table(document, table)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
