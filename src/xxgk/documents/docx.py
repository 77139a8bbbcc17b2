"""A :class:`~xxgk.documents.Letter` as a Word document, laid out like a 公文.

Chinese text in Word takes its face from the East Asian slot of a run's fonts
(``w:rFonts/@w:eastAsia``), not from the Latin name python-docx sets. python-docx's default
template fills that slot from the theme (``w:eastAsiaTheme``), which wins over an explicit
name and resolves to a Japanese face; so this module removes the theme references and
names 仿宋 (body) and 宋体 (title) explicitly, on the document defaults, the Normal style
and every run. The font table then gives each face its English name as ``w:altName`` and
the GB2312 character set, so Word or WPS on a machine that lacks the Chinese name still
picks the right face or at least a Chinese one.

python-docx is imported when a document is made, not with this module: the letters import
it and are imported by every process (the admin registers them), and python-docx costs a
fifth of a second that ``xxgk clock`` and the web workers need not pay. The sizes, which
are python-docx ``Length`` values, are therefore made on first use too; importing them by
name (``from xxgk.documents.docx import BODY_SIZE``) still works (``__getattr__``).
"""

from __future__ import annotations

import functools
import io
from typing import TYPE_CHECKING, Any

from xxgk.documents import Letter, Table, chinese_date

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Length
    from docx.text.paragraph import Paragraph

BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"
# In points; each is also this module's attribute as a python-docx Length (see _sizes).
POINTS = {
    "BODY_SIZE": 16,  # 三号, the body size of GB/T 9704
    "TITLE_SIZE": 22,  # 二号
    "SMALL_SIZE": 14,  # 四号: page numbers and tables
    "LINE": 28,  # 22 lines to the A4 page
    "CHAR": 16,  # one Chinese character of body text, for indents
}

# East Asian face → (its English name, its PANOSE), written to the font table.
_FALLBACKS = {
    "仿宋": ("FangSong", "02010609060101010101"),
    "宋体": ("SimSun", "02010600030101010101"),
}
_GB2312_CHARSET = "86"
_THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


@functools.cache
def _sizes() -> dict[str, Length]:
    from docx.shared import Pt

    return {name: Pt(points) for name, points in POINTS.items()}


def __getattr__(name: str) -> Any:
    """``BODY_SIZE`` and the other sizes of :data:`POINTS`, as python-docx Lengths."""
    if name in POINTS:
        return _sizes()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def new_document() -> WordDocument:
    """An empty A4 document with 公文 margins, Chinese default fonts and page numbers."""
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    size = _sizes()
    document = docx.Document()  # python-docx's default template
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

    defaults = document.styles.element.find(qn("w:docDefaults"))
    _set_fonts(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")), BODY_FONT)
    lang = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")

    normal = document.styles["Normal"]
    normal.font.size = size["BODY_SIZE"]
    _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    normal.paragraph_format.line_spacing = size["LINE"]
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.widow_control = True

    _add_page_numbers(document)
    _add_font_fallbacks(document)
    return document


def add_paragraph(document: WordDocument, text: str, *, indent: bool = True,
                  align: WD_ALIGN_PARAGRAPH | None = None, font: str = BODY_FONT,
                  size: Length | None = None, bold: bool = False,
                  right_indent: Length | None = None, left_indent: Length | None = None,
                  space_before: Length | None = None, keep_with_next: bool = False) -> Paragraph:
    """A paragraph of one run; body paragraphs get the two-character first-line indent.
    ``size`` is BODY_SIZE unless given."""
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    if indent:
        fmt.first_line_indent = 2 * _sizes()["CHAR"]
    if align is not None:
        paragraph.alignment = align
    if right_indent is not None:
        fmt.right_indent = right_indent
    if left_indent is not None:
        fmt.left_indent = left_indent
    if space_before is not None:
        fmt.space_before = space_before
    if keep_with_next:
        fmt.keep_with_next = True
    _add_run(paragraph, text, font=font, size=_sizes()["BODY_SIZE"] if size is None else size,
             bold=bold)
    return paragraph


def add_table(document: WordDocument, table: Table) -> None:
    """A bordered table, header row bold and centred, in 四号 type."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.header))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row_index, cells in enumerate((table.header, *table.rows)):
        for cell, text in zip(grid.rows[row_index].cells, cells, strict=True):
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.line_spacing = Pt(22)
            if row_index == 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _add_run(paragraph, text, font=BODY_FONT, size=_sizes()["SMALL_SIZE"],
                     bold=row_index == 0)


def letter_docx(letter: Letter) -> bytes:
    """The letter as the bytes of a .docx file."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    size = _sizes()
    document = new_document()
    document.core_properties.title = letter.title
    document.core_properties.author = letter.agency
    document.core_properties.language = "zh-CN"

    add_paragraph(document, letter.title, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER,
                  font=TITLE_FONT, size=size["TITLE_SIZE"], bold=True)
    if letter.reference:
        add_paragraph(document, letter.reference, indent=False,
                      align=WD_ALIGN_PARAGRAPH.CENTER)
    add_paragraph(document, "", indent=False)
    if letter.addressee:
        add_paragraph(document, f"{letter.addressee}：", indent=False)
    for text in letter.paragraphs:
        add_paragraph(document, text)
    if letter.table is not None:
        add_table(document, letter.table)
    _add_attachments(document, letter.attachments)

    signature_indent = 4 * size["CHAR"]
    add_paragraph(document, letter.agency, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT,
                  right_indent=signature_indent, space_before=size["LINE"], keep_with_next=True)
    add_paragraph(document, chinese_date(letter.date), indent=False,
                  align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=signature_indent)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---- Internals ---------------------------------------------------------------------


def _set_fonts(rpr, east_asia: str) -> None:
    """Name the Latin and East Asian faces explicitly, dropping theme references."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in _THEME_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)
    # Quotation marks and dashes are "ambiguous" characters: the hint keeps them Chinese.
    fonts.set(qn("w:hint"), "eastAsia")


def _add_run(paragraph: Paragraph, text: str, *, font: str, size: Length, bold: bool) -> None:
    run = paragraph.add_run(text)
    run.font.size = size
    run.font.bold = bold or None  # unset rather than an explicit "not bold"
    _set_fonts(run._r.get_or_add_rPr(), font)


def _add_attachments(document: WordDocument, attachments: tuple[str, ...]) -> None:
    """附件：1．… one per line, the later ones aligned under the first name (GB/T 9704)."""
    if not attachments:
        return
    line, char = _sizes()["LINE"], _sizes()["CHAR"]
    if len(attachments) == 1:
        add_paragraph(document, f"附件：{attachments[0]}", space_before=line)
        return
    for number, name in enumerate(attachments, start=1):
        if number == 1:
            add_paragraph(document, f"附件：{number}．{name}", space_before=line)
        else:
            add_paragraph(document, f"{number}．{name}", indent=False, left_indent=5 * char)


def _add_page_numbers(document: WordDocument) -> None:
    """"— 1 —" centred in the footer, in 四号 宋体."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    small = _sizes()["SMALL_SIZE"]
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _add_run(paragraph, "— ", font=TITLE_FONT, size=small, bold=False)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    number_run = OxmlElement("w:r")
    number_text = OxmlElement("w:t")
    number_text.text = "1"
    number_run.append(number_text)
    field.append(number_run)
    paragraph._p.append(field)
    _add_run(paragraph, " —", font=TITLE_FONT, size=small, bold=False)


def _add_font_fallbacks(document: WordDocument) -> None:
    """Describe the Chinese faces in the font table (English alt name, GB2312 charset).

    python-docx has no API for the font table, which it keeps as an opaque part; the part's
    bytes are replaced in place (``_blob``, stable across python-docx 1.x).
    """
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml.ns import qn
    from lxml import etree

    part = document.part.part_related_by(RELATIONSHIP_TYPE.FONT_TABLE)
    root = etree.fromstring(part.blob)  # noqa: S320 - python-docx's own template
    named = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, (alt_name, panose) in _FALLBACKS.items():
        if name in named:
            continue
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, value in (("w:altName", alt_name), ("w:panose1", panose),
                           ("w:charset", _GB2312_CHARSET), ("w:family", "modern"),
                           ("w:pitch", "fixed")):
            etree.SubElement(font, qn(tag)).set(qn("w:val"), value)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
