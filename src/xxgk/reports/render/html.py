"""The report as HTML: the national tables (an include for any page) and the whole document.

``reports/national_tables.html`` draws tables from :func:`tables_context`;
``reports/document.html`` is the standalone, printable report (it is also what the PDF is
made from). The templates only lay out what the context describes: every span, label and
header relation comes from :mod:`xxgk.reports.render.tables`.

Accessibility: every table has a caption; header cells have ``scope`` and an ``id``, and
every value cell lists the ids of all its headers in ``headers`` (the two-level headers of
sections 三 and 四 are beyond what ``scope`` alone conveys).
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from xxgk.reports.national_format import NationalReport
from xxgk.reports.render.outline import clean, outline
from xxgk.reports.render.tables import NATIONAL_TABLE_KEYS, Placed, Table, filled_tables

TABLES_TEMPLATE = "reports/national_tables.html"
DOCUMENT_TEMPLATE = "reports/document.html"


def _cell_id(table: Table, placed: Placed) -> str:
    return f"nr-{table.key}-{placed.row}-{placed.column}"


def table_context(table: Table) -> dict[str, Any]:
    """One table for the template: its parts (thead, tbody…) as rows of cell dicts."""
    total = sum(table.widths)
    cells = iter(table.placed)

    def cell_dict(placed: Placed) -> dict[str, Any]:
        cell = placed.cell
        classes = []
        if cell.is_value:
            classes.append("num")
        elif not cell.is_header:
            classes.append("note")
        return {
            "tag": "th" if cell.is_header else "td",
            "text": cell.text,
            "id": _cell_id(table, placed) if cell.is_header else "",
            "scope": cell.scope or "",
            "headers": " ".join(_cell_id(table, h) for h in table.headers_of(placed))
            if cell.is_value else "",
            "rowspan": cell.rowspan,
            "colspan": cell.colspan,
            "classes": " ".join(classes),
        }

    parts = []
    for tag, rows in [("thead", table.head), *(("tbody", body) for body in table.bodies)]:
        if rows:
            parts.append({"tag": tag, "rows": [[cell_dict(next(cells)) for _ in row]
                                              for row in rows]})
    return {
        "key": table.key,
        "id": f"nr-{table.key}",
        "caption": table.caption,
        "widths": [f"{100 * w / total:.2f}" for w in table.widths],
        "parts": parts,
    }


def tables_context(report: NationalReport) -> dict[str, Any]:
    """The context of ``reports/national_tables.html`` for the report's three tables."""
    tables = filled_tables(report)
    return {"tables": [table_context(tables[key]) for key in NATIONAL_TABLE_KEYS]}


def document_context(report: NationalReport) -> dict[str, Any]:
    """The context of ``reports/document.html``: the outline, tables ready to include."""
    printed = outline(report)
    return {
        "title": printed.title,
        "opening": printed.opening,
        "agency": clean(report.agency or ""),
        "sections": [
            {
                "numeral": section.numeral,
                "heading": section.heading,
                "paragraphs": section.paragraphs,
                "tables": [table_context(t) for t in section.tables],
            }
            for section in printed.sections
        ],
    }


def render_document(report: NationalReport) -> str:
    """The whole report as a standalone HTML document."""
    return render_to_string(DOCUMENT_TEMPLATE, document_context(report))


def render_html(report: NationalReport) -> bytes:
    return render_document(report).encode("utf-8")
