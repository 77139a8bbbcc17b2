"""Official documents written as DOCX and PDF: letters now, the annual report later.

A plain package, not a Django app, and free of Django imports: a :class:`Letter` is plain
data (title, addressee, paragraphs, an optional table, the signing agency and the date),
and ``docx.py`` and ``pdf.py`` lay it out like a 公文 (GB/T 9704): A4, the title centred
in a bold song typeface, the body in 仿宋 at 16 pt with two-character first-line indents,
the signature block right-aligned. Whoever builds the letter (``applications.letters``)
decides its wording; these modules only decide how it looks.

``fonts.py`` answers whether this machine can print Chinese at all; a PDF is refused with
:class:`MissingFontError` (importable from here) rather than printed with empty boxes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xxgk.documents.fonts import MissingFontError


@dataclass(frozen=True)
class Table:
    """A simple grid: a header row and body rows of text cells."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Letter:
    """One letter, as plain text parts; the renderers add no words of their own.

    ``reference`` is the line under the title (an application number, a 文号);
    ``table`` follows the paragraphs; ``attachments`` are listed after it as 附件.
    """

    title: str
    paragraphs: tuple[str, ...]
    agency: str
    date: dt.date
    addressee: str = ""
    reference: str = ""
    table: Table | None = None
    attachments: tuple[str, ...] = ()


def chinese_date(day: dt.date) -> str:
    """``2026-11-02`` → ``2026年11月2日``, as dates are written in official documents."""
    return f"{day.year}年{day.month}月{day.day}日"


__all__ = ["Letter", "MissingFontError", "Table", "chinese_date"]
