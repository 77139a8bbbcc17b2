"""Letters as DOCX and PDF: Chinese fonts that Word and WPS honour, 公文 layout, real text."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

from xxgk.documents import Letter, Table, chinese_date
from xxgk.documents.docx import letter_docx
from xxgk.documents.pdf import letter_html, letter_pdf

LETTER = Letter(
    title="政府信息公开申请答复书",
    reference="申请编号：110102-2026-000001",
    addressee="张三",
    paragraphs=(
        "本机关于2026年11月2日收到您提出的政府信息公开申请。",
        "如对本答复不服，可以自收到本答复之日起60日内依法申请行政复议。",
    ),
    table=Table(header=("项目", "内容"), rows=(("收费金额", "人民币700元"),)),
    attachments=("招生计划.pdf", "附表.xlsx"),
    agency="北京市西城区教育委员会",
    date=dt.date(2026, 11, 2),
)


def squeeze(text: str) -> str:
    """Extracted PDF text without the line breaks and spaces of the layout."""
    return "".join(text.split())


def test_dates_are_written_the_official_way():
    assert chinese_date(dt.date(2026, 11, 2)) == "2026年11月2日"
    assert chinese_date(dt.date(2027, 1, 31)) == "2027年1月31日"


# ---- DOCX ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def word():
    return docx.Document(io.BytesIO(letter_docx(LETTER)))


def test_docx_holds_the_letter_in_order(word):
    texts = [p.text for p in word.paragraphs if p.text]
    assert texts == [
        "政府信息公开申请答复书",
        "申请编号：110102-2026-000001",
        "张三：",
        *LETTER.paragraphs,
        "附件：1．招生计划.pdf",
        "2．附表.xlsx",
        "北京市西城区教育委员会",
        "2026年11月2日",
    ]
    (table,) = word.tables
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["项目", "内容"], ["收费金额", "人民币700元"]]


def test_docx_is_a4_with_official_margins(word):
    section = word.sections[0]
    sizes = (section.page_width, section.page_height, section.top_margin, section.bottom_margin,
             section.left_margin, section.right_margin)
    assert [round(s.mm) for s in sizes] == [210, 297, 37, 35, 28, 26]


def test_every_run_names_a_chinese_east_asian_font(word):
    runs = [r for p in word.paragraphs for r in p.runs if r.text]
    runs += [r for t in word.tables for row in t.rows for c in row.cells
             for p in c.paragraphs for r in p.runs]
    for run in runs:
        fonts = run._r.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) in {"仿宋", "宋体"}
        assert fonts.get(qn("w:eastAsiaTheme")) is None
    title_run = word.paragraphs[0].runs[0]
    assert title_run._r.rPr.rFonts.get(qn("w:eastAsia")) == "宋体" and title_run.bold


def test_docx_defaults_drop_the_theme_font_that_would_override_chinese(word):
    defaults = word.styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋"
    assert fonts.get(qn("w:eastAsiaTheme")) is None
    normal = word.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋"


def test_font_table_gives_english_names_and_the_gb2312_charset():
    with zipfile.ZipFile(io.BytesIO(letter_docx(LETTER))) as package:
        fonts = package.read("word/fontTable.xml").decode()
    assert '<w:font w:name="仿宋"><w:altName w:val="FangSong"/>' in fonts
    assert '<w:altName w:val="SimSun"/>' in fonts
    assert '<w:charset w:val="86"/>' in fonts


def test_docx_body_paragraphs_are_indented_two_characters(word):
    body = next(p for p in word.paragraphs if p.text == LETTER.paragraphs[0])
    assert body.paragraph_format.first_line_indent == 2 * 16 * 12700  # 2 × 16 pt in EMU
    addressee = next(p for p in word.paragraphs if p.text == "张三：")
    assert addressee.paragraph_format.first_line_indent is None


def test_docx_footer_numbers_the_pages(word):
    footer = word.sections[0].footer.paragraphs[0]
    assert 'w:instr="PAGE"' in footer._p.xml
    assert footer.text.startswith("— ")


def test_a_letter_without_table_or_attachments():
    plain = Letter(title="标题", paragraphs=("正文。",), agency="某机关", date=dt.date(2026, 1, 5))
    document = docx.Document(io.BytesIO(letter_docx(plain)))
    assert [p.text for p in document.paragraphs if p.text] == ["标题", "正文。", "某机关",
                                                                 "2026年1月5日"]
    assert document.tables == []


# ---- PDF ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_bytes():
    return letter_pdf(LETTER)


def test_pdf_text_is_extractable_chinese(pdf_bytes):
    assert pdf_bytes.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        text = squeeze("".join(page.extract_text() for page in pdf.pages))
        fonts = {c["fontname"].split("+")[-1] for page in pdf.pages for c in page.chars}
    for expected in ("政府信息公开申请答复书", "张三：", "60日内依法申请行政复议",
                     "收费金额", "人民币700元", "附件：1．招生计划.pdf", "北京市西城区教育委员会",
                     "2026年11月2日"):
        assert expected in text
    assert fonts <= {"Noto-Serif-CJK-SC", "Noto-Serif-CJK-SC-Bold", "Noto-Sans-CJK-SC"}


def test_pdf_is_a4_with_the_title_centred(pdf_bytes):
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        page = pdf.pages[0]
        assert (round(page.width), round(page.height)) == (595, 842)
        title = [c for c in page.chars if c["text"] in "政府信息公开申请答复书"][:11]
        middle = (title[0]["x0"] + title[-1]["x1"]) / 2
        text_middle = (Mm(28).pt + page.width - Mm(26).pt) / 2
        assert abs(middle - text_middle) < 2


def test_html_escapes_every_text():
    hostile = Letter(title="<script>", paragraphs=("a < b & c",), agency="<机关>",
                     date=dt.date(2026, 1, 5), addressee="<张三>")
    html = letter_html(hostile)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "a &lt; b &amp; c" in html and "&lt;张三&gt;：" in html


def test_pdf_signature_is_right_aligned_four_characters_in(pdf_bytes):
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        page = pdf.pages[-1]
        date_chars = [c for c in page.chars if c["top"] > page.height / 2 and c["text"] == "日"]
        right_edge = page.width - Mm(26).pt - 4 * 16
        assert abs(date_chars[-1]["x1"] - right_edge) < 2


def test_the_signature_never_stands_alone_on_a_page():
    """A body that just fills the page takes its last paragraph over with the signature."""
    # Measured: with this title and addressee, 16 such paragraphs and the signature fill
    # the first page exactly.
    long = Letter(title="政府信息公开申请答复书", addressee="张三", agency="某机关",
                  paragraphs=tuple(f"第{i}段。" for i in range(17)), date=dt.date(2026, 1, 5))
    with pdfplumber.open(io.BytesIO(letter_pdf(long))) as pdf:
        last = "".join(pdf.pages[-1].extract_text().split())
    assert len(pdf.pages) == 2 and last.startswith("第16段。某机关")
    document = docx.Document(io.BytesIO(letter_docx(long)))
    agency = next(p for p in document.paragraphs if p.text == "某机关")
    assert agency.paragraph_format.keep_with_next
