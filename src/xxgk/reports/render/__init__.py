"""Render a national-format annual report as HTML, DOCX, PDF, XLSX or JSON.

``render(report, fmt)`` returns the file's bytes; ``FORMATS`` gives each format's media
type and file extension, for a view that offers the download. The layout of the national
tables lives in :mod:`.tables` and the document's outline in :mod:`.outline`, shared by
every format. HTML and PDF use Django's template engine (the ``xxgk.reports`` app's
templates); DOCX, XLSX and JSON do not need Django.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from xxgk.reports.national_format import NationalReport
from xxgk.reports.render.docx import render_docx
from xxgk.reports.render.html import render_html
from xxgk.reports.render.json import render_json
from xxgk.reports.render.pdf import render_pdf
from xxgk.reports.render.xlsx import render_xlsx


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    extension: str
    render: Callable[[NationalReport], bytes]


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("html", "text/html; charset=utf-8", "html", render_html),
        Format("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               "docx", render_docx),
        Format("pdf", "application/pdf", "pdf", render_pdf),
        Format("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "xlsx", render_xlsx),
        Format("json", "application/json", "json", render_json),
    )
}


def render(report: NationalReport, fmt: str) -> bytes:
    """The report in format ``fmt`` (one of ``FORMATS``); ValueError for another name."""
    try:
        chosen = FORMATS[fmt]
    except KeyError:
        raise ValueError(
            f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}"
        ) from None
    return chosen.render(report)


__all__ = ["FORMATS", "Format", "render", "render_docx", "render_html", "render_json",
           "render_pdf", "render_xlsx"]
