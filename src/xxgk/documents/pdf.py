"""A :class:`~xxgk.documents.Letter` as a PDF, through HTML and WeasyPrint.

The faces are Debian's Noto CJK (fonts-noto-cjk), found through fontconfig, so nothing is
downloaded at run time. The family is set on ``html`` *and* on the page-margin box, because
``@page`` margin boxes do not inherit the body's font and would fall back to a face
without Chinese glyphs. Subsetting (libharfbuzz-subset) keeps a page near 0.2 s and the
file small.

Before printing, :func:`~xxgk.documents.fonts.require_cjk_font` makes sure some installed
face covers Chinese: without one WeasyPrint would print every Chinese character as an empty
box, and :class:`~xxgk.documents.MissingFontError` is raised instead. WeasyPrint is imported
only when a PDF is made: it loads Pango and every font library, more than a second that a
process which never prints (``xxgk clock``, every web request but a download) must not pay.
"""

from __future__ import annotations

from html import escape

from xxgk.documents import Letter, Table, chinese_date
from xxgk.documents.fonts import require_cjk_font

FONT_FAMILY = '"Noto Serif CJK SC", "Noto Sans CJK SC", serif'

# A4 with the margins of GB/T 9704; body 16 pt (三号) on a 28 pt line, title 22 pt (二号).
PAGE_CSS = f"""
@page {{
  size: A4;
  margin: 37mm 26mm 35mm 28mm;
  @bottom-center {{
    content: "— " counter(page) " —";
    font-family: {FONT_FAMILY};
    font-size: 14pt;
  }}
}}
html {{ font-family: {FONT_FAMILY}; font-size: 16pt; line-height: 28pt; color: #000; }}
body {{ margin: 0; }}
h1 {{ font-size: 22pt; line-height: 36pt; font-weight: bold; text-align: center;
      margin: 0 0 14pt; }}
p {{ margin: 0; text-align: justify; orphans: 2; widows: 2; }}
.reference {{ text-align: center; margin-bottom: 14pt; }}
.body p {{ text-indent: 2em; }}
.body p.addressee {{ text-indent: 0; margin-top: 14pt; }}
table {{ border-collapse: collapse; width: 100%; margin: 14pt 0; font-size: 14pt;
         line-height: 22pt; }}
th, td {{ border: 0.75pt solid #000; padding: 3pt 6pt; text-align: left;
          vertical-align: top; }}
th {{ font-weight: bold; text-align: center; }}
.attachments {{ margin-top: 28pt; }}
.attachments p {{ text-indent: 2em; }}
.attachments p + p {{ text-indent: 0; padding-left: 5em; }}
/* 右空四字; never alone on a page (GB/T 9704): it takes the last lines of text along. */
.signature {{ margin-top: 28pt; padding-right: 4em; break-inside: avoid;
              break-before: avoid; }}
.signature p {{ text-align: right; }}
"""


def table_html(table: Table) -> str:
    head = "".join(f"<th>{escape(cell)}</th>" for cell in table.header)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>"
        for row in table.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def letter_html(letter: Letter) -> str:
    """The letter as a standalone HTML page; every text is escaped."""
    parts = [f"<h1>{escape(letter.title)}</h1>"]
    if letter.reference:
        parts.append(f'<p class="reference">{escape(letter.reference)}</p>')
    parts.append('<div class="body">')
    if letter.addressee:
        parts.append(f'<p class="addressee">{escape(letter.addressee)}：</p>')
    parts.extend(f"<p>{escape(text)}</p>" for text in letter.paragraphs)
    parts.append("</div>")
    if letter.table is not None:
        parts.append(table_html(letter.table))
    if letter.attachments:
        numbered = len(letter.attachments) > 1
        lines = [f"{n}．{name}" if numbered else name
                 for n, name in enumerate(letter.attachments, start=1)]
        lines[0] = f"附件：{lines[0]}"
        parts.append('<div class="attachments">'
                     + "".join(f"<p>{escape(line)}</p>" for line in lines) + "</div>")
    parts.append(f'<div class="signature"><p>{escape(letter.agency)}</p>'
                 f"<p>{escape(chinese_date(letter.date))}</p></div>")
    return page_html(letter.title, "".join(parts))


def page_html(title: str, body: str) -> str:
    """A Chinese A4 page around ``body`` (already-escaped HTML), for any document."""
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title><style>{PAGE_CSS}</style></head>"
            f"<body>{body}</body></html>")


def html_pdf(html: str) -> bytes:
    """Any page from :func:`page_html` as PDF bytes; :class:`~xxgk.documents.MissingFontError`
    if no installed font covers Chinese (the PDF would show boxes)."""
    require_cjk_font()
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def letter_pdf(letter: Letter) -> bytes:
    """The letter as the bytes of a PDF file."""
    return html_pdf(letter_html(letter))
