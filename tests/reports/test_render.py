"""The annual report rendered as HTML, DOCX, PDF, XLSX and JSON.

Each format is checked for the national layout (merged header cells, labels as printed),
for every figure in its place, and for gaps printed as blanks, never as 0. The round trips
render generated reports, extract the text as a reader would (HTML as it is, DOCX tables as
``|`` rows, XLSX sheets likewise, PDF with pdfplumber) and parse it back with
``xxgk.reports.parse.parse_report``: the same figures must come back.
"""

from __future__ import annotations

import io
import json
import logging
from decimal import Decimal

import docx
import openpyxl
import pdfplumber
import pytest
from docx.oxml.ns import qn
from hypothesis import HealthCheck, assume, given, settings
from lxml import html as lxml_html

from tests.reports.strategies import consistent_reports, reports_with_gaps
from xxgk.reports.national_format import CELL_KEYS, NationalReport
from xxgk.reports.parse import heading_of, parse_report
from xxgk.reports.render import FORMATS, render
from xxgk.reports.render.html import TABLES_TEMPLATE, render_document, tables_context
from xxgk.reports.render.outline import OPENING, fee_sentence, outline, paragraphs, title
from xxgk.reports.render.pdf import MISSING_GLYPH
from xxgk.reports.render.tables import (
    BALANCE_NOTE,
    HEADINGS,
    NATIONAL_TABLE_KEYS,
    TABLES,
    format_value,
)
from xxgk.reports.render.xlsx import FIRST_TABLE_ROW, SHEET_NAMES, TEXT_SHEET, value_coordinates
from xxgk.taxonomy import APPEAL_KINDS, APPLICATION_ROW_KEYS, OUTCOMES, PROACTIVE_ROWS

# Round trips render many reports; generated text may hold characters no font has.
ROUND_TRIP = settings(max_examples=15, deadline=None,
                      suppress_health_check=[HealthCheck.too_slow])
PDF_ROUND_TRIP = settings(max_examples=5, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(autouse=True)
def _quiet_weasyprint():
    """WeasyPrint warns about every glyph of generated text its fonts lack; silence it, as a
    deployment may (the PDF renderer must find the missing glyphs all the same)."""
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


# The rows of section 三 "as printed", from the spec (annual-report-format.md), in order.
SPEC_APPLICATION_LABELS = [
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果", "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "（三）不予公开", "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "（四）无法提供", "1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
    "（五）不予处理", "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
    "（七）总计",
    "四、结转下年度继续办理",
]


def example_report(**changes) -> NationalReport:
    """A fixed report for layout tests: a distinct figure in every cell, each row of 三
    adding up to its total, money with decimals."""
    flat = {key: index + 1 for index, key in enumerate(CELL_KEYS)}
    for row in APPLICATION_ROW_KEYS:  # make each row of 三 add up to its total
        prefix = f"applications.{row}."
        flat[prefix + "total"] = sum(flat[k] for k in flat if k.startswith(prefix)
                                     and not k.endswith(".total"))
    flat["proactive.fees.amount_10k_yuan"] = Decimal("1234.5")
    flat["processing_fees.billed_yuan"] = Decimal("700")
    flat["processing_fees.collected_yuan"] = Decimal("650.25")
    flat.update(agency="北京市西城区教育委员会", year=2023, overview="全年工作。\n（一）组织领导\n加强部署。",
                problems="解读形式不够丰富。", other_matters=None)
    flat.update(changes)
    return NationalReport.from_flat(flat)


# ---- Extraction, as a reader of each format would do it ------------------------------------

def docx_text(data: bytes) -> str:
    """A .docx as text: paragraphs as lines, table rows as ``| a | b |`` (merged cells once)."""
    document = docx.Document(io.BytesIO(data))
    lines = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            for row in block.rows:
                cells, previous = [], None
                for cell in row.cells:
                    if cell._tc is not previous:  # a horizontally merged cell repeats
                        cells.append(cell.text.replace("\n", ""))
                    previous = cell._tc
                lines.append("| " + " | ".join(cells) + " |")
        else:
            lines.append(block.text)
    return "\n".join(lines)


def xlsx_text(data: bytes) -> str:
    """A workbook as text: every sheet in order, rows as ``| a | b |`` (a workbook's cells
    are exact, as a table's; a merged range is its first cell, the others blank)."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return "\n".join(
        "| " + " | ".join("" if value is None else str(value) for value in row) + " |"
        for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
    )


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() for page in pdf.pages)


EXTRACT = {
    "html": lambda data: data.decode("utf-8"),
    "docx": docx_text,
    "xlsx": xlsx_text,
    "pdf": lambda data: data,  # the parser reads PDF bytes itself, with pdfplumber
}


def parsed_cells(report: NationalReport, fmt: str) -> dict:
    return parse_report(EXTRACT[fmt](render(report, fmt))).cells


def reads_as_prose(report: NationalReport) -> bool:
    """Whether no line of the report's own text reads as a section heading.

    Generated text can be exactly 收到和处理政府信息公开申请情况; any reader of the printed
    report, the parser included, then takes it for the heading of section 三. Such reports
    are another document, not a failed round trip.
    """
    texts = (report.overview, report.problems, report.other_matters)
    return not any(heading_of(line) for text in texts for line in paragraphs(text))


def assert_same_figures(report: NationalReport, cells: dict) -> None:
    """Every figure comes back; a gap comes back as a missing cell, never as a number."""
    flat = report.to_flat()
    wrong = {key: (flat[key], cells.get(key, "missing")) for key in CELL_KEYS
             if cells.get(key) != flat[key]}
    assert not wrong


# ---- The layout, once for every format -----------------------------------------------------

def test_every_cell_of_the_report_has_one_place_in_one_table():
    keys = [p.cell.key for table in TABLES.values() for p in table.values()]
    assert sorted(keys) == sorted(CELL_KEYS)


def test_section_three_rows_are_labelled_as_the_form_prints_them():
    table = TABLES["applications"]
    labels = [p.cell.text for p in table.placed
              if p.cell.scope == "row" and p.row >= len(table.head)]
    assert labels == SPEC_APPLICATION_LABELS


def test_section_three_merges_its_header_and_label_cells():
    table = TABLES["applications"]
    spans = {p.cell.text: (p.row, p.column, p.cell.rowspan, p.cell.colspan)
             for p in table.placed if p.cell.text}
    assert spans[BALANCE_NOTE] == (0, 0, 3, 3)
    assert spans["申请人情况"] == (0, 3, 1, 7)
    assert spans["自然人"] == (1, 3, 2, 1)
    assert spans["法人或其他组织"] == (1, 4, 1, 5)
    assert spans["总计"] == (1, 9, 2, 1)
    assert [spans[c] for c in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")] == [
        (2, 4, 1, 1), (2, 5, 1, 1), (2, 6, 1, 1), (2, 7, 1, 1), (2, 8, 1, 1)]
    assert spans["三、本年度办理结果"][2:] == (len(OUTCOMES) + 1, 1)  # 21 outcomes and 总计
    assert [spans[g][2] for g in ("（三）不予公开", "（四）无法提供", "（五）不予处理",
                                  "（六）其他处理")] == [8, 3, 5, 3]
    assert spans["（一）予以公开"][3] == spans["（七）总计"][3] == 2
    assert spans["一、本年新收政府信息公开申请数量"][3] == 3


def test_section_four_has_the_two_level_header():
    table = TABLES["appeals"]
    head = [[(c.text, c.rowspan, c.colspan) for c in row] for row in table.head]
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert head == [
        [("行政复议", 1, 5), ("行政诉讼", 1, 10)],
        [*((r, 2, 1) for r in results), ("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
        [(r, 1, 1) for r in results * 2],
    ]
    assert [p.cell.key for p in table.values()][:6] == [
        "appeals.reconsideration.upheld", "appeals.reconsideration.corrected",
        "appeals.reconsideration.other", "appeals.reconsideration.pending",
        "appeals.reconsideration.total", "appeals.litigation_direct.upheld"]


def test_section_two_prints_a_block_per_item_of_article_20():
    table = TABLES["proactive"]
    assert table.head == ()
    blocks = [[[(c.text or c.key, c.colspan) for c in row] for row in body]
              for body in table.bodies]
    assert blocks[0] == [
        [("第二十条第（一）项", 4)],
        [("信息内容", 1), ("本年制发件数", 1), ("本年废止件数", 1), ("现行有效件数", 1)],
        [("规章", 1), ("proactive.rules.issued", 1), ("proactive.rules.repealed", 1),
         ("proactive.rules.in_force", 1)],
        [("行政规范性文件", 1), ("proactive.normative_documents.issued", 1),
         ("proactive.normative_documents.repealed", 1),
         ("proactive.normative_documents.in_force", 1)],
    ]
    assert blocks[1] == [[("第二十条第（五）项", 4)], [("信息内容", 1), ("本年处理决定数量", 3)],
                         [("行政许可", 1), ("proactive.licensing.decisions", 3)]]
    assert [row[0] for row in blocks[2]] == [("第二十条第（六）项", 4), ("信息内容", 1),
                                             ("行政处罚", 1), ("行政强制", 1)]
    assert blocks[3][1] == [("信息内容", 1), ("本年收费金额（单位：万元）", 3)]
    assert len(blocks) == len({row.block_zh for row in PROACTIVE_ROWS})


def test_a_value_cell_knows_all_its_headers():
    table = TABLES["applications"]
    cell = next(p for p in table.values()
                if p.cell.key == "applications.withheld.state_secret.research_institution")
    assert [h.cell.text for h in table.headers_of(cell)] == [
        "申请人情况", "法人或其他组织", "科研机构", "三、本年度办理结果", "（三）不予公开",
        "1.属于国家秘密"]
    appeals = TABLES["appeals"]
    cell = next(p for p in appeals.values() if p.cell.key == "appeals.litigation_direct.total")
    assert [h.cell.text for h in appeals.headers_of(cell)] == ["行政诉讼", "未经复议直接起诉", "总计"]


@pytest.mark.parametrize(("value", "printed"), [
    (None, ""), (0, "0"), (1538, "1538"), (Decimal("0"), "0.00"), (Decimal("12.5"), "12.50"),
    (Decimal("1E+3"), "1000.00"), (Decimal("0.125"), "0.125"), (Decimal("316441"), "316441.00"),
])
def test_values_are_printed_exactly_and_gaps_blank(value, printed):
    assert format_value(value) == printed


def test_the_outline_has_the_title_the_opening_and_six_sections():
    printed = outline(example_report())
    assert printed.title == "北京市西城区教育委员会2023年政府信息公开工作年度报告"
    assert printed.opening == OPENING
    assert OPENING.startswith("依据《中华人民共和国政府信息公开条例》")
    assert OPENING.endswith("第五十条规定，编制本报告。")
    assert [s.heading for s in printed.sections] == list(HEADINGS.values())
    assert printed.sections[0].paragraphs == ("全年工作。", "（一）组织领导", "加强部署。")
    assert [len(s.tables) for s in printed.sections] == [0, 1, 1, 1, 0, 0]


def test_a_title_leaves_out_what_the_report_lacks():
    assert title(NationalReport(year=2023)) == "2023年政府信息公开工作年度报告"
    assert title(NationalReport(agency="某区\x00人民政府")) == "某区人民政府政府信息公开工作年度报告"


def test_the_fee_sentence_states_each_known_figure_and_no_invented_zero():
    report = example_report(**{"processing_fees.notices": 2,
                               "processing_fees.billed_yuan": Decimal("700"),
                               "processing_fees.collected_yuan": Decimal("650.25")})
    assert fee_sentence(report) == (
        "2023年度，本机关收取信息处理费的情况：发出收费通知的件数为2件，"
        "发出收费通知的总金额为700.00元，实际收取的总金额为650.25元。")
    gap = example_report(**{"processing_fees.notices": None})
    assert "件数" not in fee_sentence(gap)
    assert "总金额为700.00元" in fee_sentence(gap)
    assert fee_sentence(NationalReport(year=2023)) is None


# ---- render() --------------------------------------------------------------------------------

def test_render_knows_the_five_formats_and_refuses_others():
    assert list(FORMATS) == ["html", "docx", "pdf", "xlsx", "json"]
    assert FORMATS["docx"].extension == "docx"
    assert FORMATS["pdf"].media_type == "application/pdf"
    with pytest.raises(ValueError, match="unknown report format 'odt'"):
        render(example_report(), "odt")


# ---- HTML ------------------------------------------------------------------------------------

def html_tables(markup: str) -> dict:
    root = lxml_html.fromstring(markup)
    return {t.get("id"): t for t in root.iter("table")}


def test_html_tables_are_accessible_and_merge_as_the_form():
    tables = html_tables(render(example_report(), "html").decode())
    assert set(tables) == {f"nr-{key}" for key in NATIONAL_TABLE_KEYS}
    applications = tables["nr-applications"]
    assert applications.find("caption").text_content() == "收到和处理政府信息公开申请情况"
    head = applications.find("thead")
    first = head.findall("tr")[0]
    note, applicants = first.getchildren()
    assert (note.tag, note.get("rowspan"), note.get("colspan")) == ("td", "3", "3")
    assert note.text_content() == BALANCE_NOTE
    assert (applicants.get("scope"), applicants.get("colspan")) == ("colgroup", "7")
    person = head.findall("tr")[1].getchildren()[0]
    assert (person.text_content(), person.get("rowspan"), person.get("scope")) == (
        "自然人", "2", "col")
    results = applications.xpath(".//th[text()='三、本年度办理结果']")[0]
    assert (results.get("rowspan"), results.get("scope")) == ("22", "row")
    appeals = tables["nr-appeals"]
    assert [(th.text_content(), th.get("colspan")) for th in appeals.find("thead").find("tr")] == [
        ("行政复议", "5"), ("行政诉讼", "10")]
    assert len(tables["nr-proactive"].findall("tbody")) == 4


def test_html_value_cells_name_their_headers_by_id():
    markup = render(example_report(), "html").decode()
    root = lxml_html.fromstring(markup)
    ids = {e.get("id"): e.text_content() for e in root.iter("th")}
    cell = root.xpath("//table[@id='nr-applications']//td[@headers]")[0]
    assert [ids[i] for i in cell.get("headers").split()] == [
        "申请人情况", "自然人", "一、本年新收政府信息公开申请数量"]


@given(consistent_reports())
@settings(max_examples=20, deadline=None)
def test_html_shows_every_figure_in_its_place(report):
    """The grid of each table, spans expanded, holds each value where the layout puts it."""
    markup = render(report, "html").decode()
    tables = html_tables(markup)
    flat = report.to_flat()
    for key in NATIONAL_TABLE_KEYS:
        values = [td.text_content() for td in tables[f"nr-{key}"].iter("td")
                  if "num" in (td.get("class") or "")]
        assert values == [format_value(flat[p.cell.key]) for p in TABLES[key].values()]
    assert "<caption>" in markup and 'scope="col"' in markup
    assert lxml_html.fromstring(markup).findtext(".//h1") == title(report)


def test_html_gaps_are_blank_cells_never_zero():
    report = example_report(**{"applications.received.natural_person": None,
                               "appeals.reconsideration.total": None})
    root = lxml_html.fromstring(render(report, "html"))
    cells = {td.get("headers"): td for td in root.iter("td") if td.get("headers")}
    blanks = [td for td in cells.values() if td.text_content() == ""]
    assert len(blanks) == 2
    assert all(len(td) == 0 for td in blanks)


def test_the_tables_include_draws_from_the_context_alone():
    from django.template.loader import render_to_string

    markup = render_to_string(TABLES_TEMPLATE, tables_context(example_report()))
    assert markup.count("<table") == 3
    assert "第二十条第（八）项" in markup and "1234.50" in markup


def test_the_html_document_has_the_title_opening_and_sections_in_order():
    markup = render_document(example_report())
    root = lxml_html.fromstring(markup)
    assert root.get("lang") == "zh-Hans"
    assert root.findtext(".//title") == root.findtext(".//h1") == (
        "北京市西城区教育委员会2023年政府信息公开工作年度报告")
    assert [h.text_content() for h in root.iter("h2")] == list(HEADINGS.values())
    text = root.text_content()
    assert text.index(OPENING) < text.index("一、总体情况") < text.index("加强部署。")
    assert text.index("二、主动公开政府信息情况") < text.index("第二十条第（一）项")
    assert "发出收费通知的总金额为700.00元" in text


# ---- DOCX ------------------------------------------------------------------------------------

def docx_grid(table) -> list[list[str]]:
    """A Word table as a grid of texts, merged cells repeated in every slot they cover."""
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_docx_is_a4_with_chinese_fonts_and_merged_table_cells():
    report = example_report()
    document = docx.Document(io.BytesIO(render(report, "docx")))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert document.paragraphs[0].text == title(report)
    assert document.paragraphs[0].style.name == "Heading 1"
    proactive, applications, appeals = document.tables
    grid = docx_grid(applications)
    assert len(grid) == 28 and all(len(row) == 10 for row in grid)
    assert grid[0][:3] == [BALANCE_NOTE] * 3 and grid[2][0] == BALANCE_NOTE
    assert grid[0][3:] == ["申请人情况"] * 7
    assert grid[1][4:9] == ["法人或其他组织"] * 5 and grid[2][3] == "自然人"
    assert [row[0] for row in grid[5:27]] == ["三、本年度办理结果"] * 22
    assert [row[1] for row in grid[7:15]] == ["（三）不予公开"] * 8
    flat = report.to_flat()
    for placed in TABLES["applications"].values():
        assert grid[placed.row][placed.column] == format_value(flat[placed.cell.key])
    first_row = applications.rows[0]._tr
    spans = [tc.grid_span for tc in first_row.tc_lst]
    assert spans == [3, 7]
    assert applications.rows[5]._tr.tc_lst[0].vMerge == "restart"
    assert applications.rows[6]._tr.tc_lst[0].vMerge == "continue"
    assert first_row.trPr.find(qn("w:tblHeader")) is not None
    assert docx_grid(appeals)[0] == ["行政复议"] * 5 + ["行政诉讼"] * 10
    assert docx_grid(proactive)[0] == ["第二十条第（一）项"] * 4
    run = applications.rows[3].cells[0].paragraphs[0].runs[0]
    assert run._r.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    body = document.paragraphs[1].runs[0]
    assert body._r.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    heading = document.styles["Heading 2"].element.rPr.rFonts
    assert heading.get(qn("w:eastAsia")) == "黑体" and heading.get(qn("w:eastAsiaTheme")) is None


def test_docx_gaps_are_empty_cells():
    report = example_report(**{"applications.total.total": None})
    document = docx.Document(io.BytesIO(render(report, "docx")))
    grid = docx_grid(document.tables[1])
    assert grid[26][0:2] == ["三、本年度办理结果", "（七）总计"]
    assert grid[26][-1] == "" and grid[26][-2] != ""


# ---- PDF -------------------------------------------------------------------------------------

def test_pdf_is_a4_with_page_numbers_the_title_and_the_figures():
    report = example_report()
    data = render(report, "pdf")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        width, height = pdf.pages[0].width, pdf.pages[0].height
        text = "".join("".join(page.extract_text().split()) for page in pdf.pages)
        pages = len(pdf.pages)
        table_cells = {(cell or "").replace("\n", "") for page in pdf.pages
                       for table in page.extract_tables() for row in table for cell in row}
    assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (210, 297)
    assert title(report) in text
    assert "—1—" in text and f"—{pages}—" in text
    assert {BALANCE_NOTE, "三、本年度办理结果", "复议后起诉", "本年收费金额（单位：万元）"} <= table_cells
    assert "1234.50" in text and "发出收费通知的总金额为700.00元" in text
    cells = parse_report(data).cells
    assert_same_figures(report, cells)


def test_pdf_keeps_its_text_when_a_character_has_no_glyph():
    """One character missing from Noto CJK would otherwise blank the PDF's text layer."""
    report = example_report(agency="北京市西城区\U0002e8a6\ue000街道办事处")
    logger = logging.getLogger("weasyprint")
    text = pdf_text(render(report, "pdf"))
    squeezed = "".join(text.split())
    assert f"北京市西城区{MISSING_GLYPH}{MISSING_GLYPH}街道办事处2023年" in squeezed
    assert "（七）总计" in squeezed
    assert (logger.level, logger.propagate) == (logging.ERROR, True)  # left as it was


# ---- XLSX ------------------------------------------------------------------------------------

def test_xlsx_has_a_text_sheet_and_a_sheet_per_table_with_numbers_as_numbers():
    report = example_report(**{"appeals.litigation_direct.pending": None})
    workbook = openpyxl.load_workbook(io.BytesIO(render(report, "xlsx")))
    assert workbook.sheetnames == [TEXT_SHEET, *SHEET_NAMES.values()]
    text = [row[0] for row in workbook[TEXT_SHEET].iter_rows(values_only=True)]
    assert text[:3] == [title(report), OPENING, HEADINGS["一"]]
    flat = report.to_flat()
    for key, name in SHEET_NAMES.items():
        sheet = workbook[name]
        for cell_key, coordinate in value_coordinates(key).items():
            value = sheet[coordinate].value
            expected = flat[cell_key]
            if expected is None:
                assert value is None
            elif isinstance(expected, Decimal):
                assert Decimal(str(value)) == expected
                assert sheet[coordinate].number_format == "0.00"
            else:
                assert type(value) is int and value == expected
    applications = workbook[SHEET_NAMES["applications"]]
    merged = {str(r) for r in applications.merged_cells.ranges}
    assert {"A1:J1", "A2:C4", "D2:J2", "D3:D4", "E3:I3", "J3:J4", "A7:A28"} <= merged
    assert applications["A2"].value == BALANCE_NOTE
    assert applications.freeze_panes == f"D{FIRST_TABLE_ROW + 3}"
    assert applications.column_dimensions["C"].width > applications.column_dimensions["D"].width
    assert workbook[SHEET_NAMES["appeals"]]["F2"].value == APPEAL_KINDS[1].group_zh


def test_xlsx_money_is_a_number_with_two_decimals():
    workbook = openpyxl.load_workbook(io.BytesIO(render(example_report(), "xlsx")))
    coordinate = value_coordinates("proactive")["proactive.fees.amount_10k_yuan"]
    cell = workbook[SHEET_NAMES["proactive"]][coordinate]
    assert cell.value == 1234.5 and cell.number_format == "0.00"


# ---- JSON ------------------------------------------------------------------------------------

@given(reports_with_gaps())
@settings(max_examples=30, deadline=None)
def test_json_round_trips(report):
    data = render(report, "json")
    assert json.loads(data.decode("utf-8"))["format"] == report.format.value
    assert NationalReport.from_json(data.decode("utf-8")) == report


# ---- Round trips through the parser ----------------------------------------------------------

@pytest.mark.parametrize("fmt", ["html", "docx", "xlsx"])
@given(report=consistent_reports())
@ROUND_TRIP
def test_round_trip_through_the_parser(fmt, report):
    assume(reads_as_prose(report))
    assert_same_figures(report, parsed_cells(report, fmt))


@given(report=reports_with_gaps())
@ROUND_TRIP
def test_the_parser_reads_a_docx_itself(report):
    """The DOCX bytes, not text extracted by the test: python-docx inside the parser."""
    assume(reads_as_prose(report))
    result = parse_report(render(report, "docx"))
    assert result.source_kind == "docx"
    assert_same_figures(report, result.cells)


def test_a_zip_that_is_not_a_docx_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="not a readable Word document"):
        parse_report(b"PK\x03\x04" + b"\x00" * 40)


@given(report=consistent_reports())
@PDF_ROUND_TRIP
def test_round_trip_through_the_parser_pdf(report):
    assume(reads_as_prose(report))
    assert_same_figures(report, parsed_cells(report, "pdf"))


@pytest.mark.parametrize("fmt", ["html", "docx", "xlsx"])
@given(report=reports_with_gaps())
@ROUND_TRIP
def test_round_trip_with_gaps(fmt, report):
    """A gap is printed blank and read back as missing, never as 0."""
    assume(reads_as_prose(report))
    assert_same_figures(report, parsed_cells(report, fmt))


def test_round_trips_set_aside_text_that_reads_as_a_heading():
    report = example_report(other_matters="收到和处理政府信息公开申请情况")
    assert not reads_as_prose(report)
    assert reads_as_prose(example_report())
