"""The report as PDF: ``reports/document.html`` printed by WeasyPrint.

The document's stylesheet sets A4, the Noto CJK fonts (on ``html`` and again in the page
margin boxes, which do not inherit the body's font), page numbers, repeated table heads and
rows that never split across pages. Fonts come from Debian's ``fonts-noto-cjk``; nothing is
fetched from the network (no base URL, so no relative resource can be resolved).

A character that no installed font has (a rare CJK extension character in a name, a
private-use character) would cost more than its own glyph: Noto CJK fills all 65,535 glyph
slots, so WeasyPrint has no free slot for the missing glyph and writes the font with a
custom encoding that text extractors cannot read — every character set in that font, every
figure of every table, disappears from the PDF's text. Such characters are therefore
replaced by 〓 (U+3013), the typesetter's mark for a character there is no type for, and the
document is printed again.

No PDF is printed at all when no installed font covers Chinese: :func:`html_to_pdf` raises
:class:`xxgk.documents.MissingFontError` first (see :mod:`xxgk.documents.fonts`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from xxgk.documents.fonts import require_cjk_font
from xxgk.reports.national_format import NationalReport
from xxgk.reports.render.html import render_document

MISSING_GLYPH = "\u3013"  # 〓


class _MissingGlyphs(logging.Handler):
    """Collects the characters WeasyPrint reports it found in no font, in this thread."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.characters: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        # WeasyPrint logs '.notdef glyph rendered for … "%s" (U+%04X)' with the character
        # and its code point as arguments.
        if (record.thread == self.thread and str(record.msg).startswith(".notdef glyph")
                and isinstance(record.args, tuple) and record.args
                and isinstance(record.args[0], str)):
            self.characters.update(record.args[0])


_LISTENING = threading.Lock()


@contextmanager
def _missing_glyphs() -> Iterator[set[str]]:
    """The characters WeasyPrint finds in no font while the block runs.

    WeasyPrint reports them as warnings. A deployment that silenced its warnings has them
    heard for the render all the same, by this listener alone (they are not passed on to
    the deployment's handlers); the lock keeps two renders from undoing each other's setting.
    """
    logger = logging.getLogger("weasyprint")
    listener = _MissingGlyphs()
    with _LISTENING:
        level, propagate = logger.level, logger.propagate
        if not logger.isEnabledFor(logging.WARNING):
            logger.setLevel(logging.WARNING)
            logger.propagate = False
        logger.addHandler(listener)
        try:
            yield listener.characters
        finally:
            logger.removeHandler(listener)
            logger.setLevel(level)
            logger.propagate = propagate


def html_to_pdf(document: str) -> bytes:
    """Print an HTML document, replacing the characters no font has (see the module);
    :class:`~xxgk.documents.MissingFontError` if no font covers Chinese at all."""
    require_cjk_font()
    # Imported here: WeasyPrint loads Pango and fonts, which only PDF output needs.
    from weasyprint import HTML

    with _missing_glyphs() as missing:
        pdf = HTML(string=document).write_pdf()
    if not missing:
        return pdf
    for character in missing:
        document = document.replace(character, MISSING_GLYPH)
    return HTML(string=document).write_pdf()


def render_pdf(report: NationalReport) -> bytes:
    """The whole report as a PDF file."""
    return html_to_pdf(render_document(report))
