"""Report checks and parse results as staff read them, in the interface's language.

``national_format`` and ``parse`` are pure and speak in flat cell keys
(``applications.received.natural_person``) and English messages meant for the command line
and the JSON output. The staff pages must not show either: this module names every cell by
its printed row and column (Chinese, or the English rendering from ``taxonomy`` on English
pages) and words each check from its rule, its cells and their values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from xxgk import taxonomy
from xxgk.core.labels import in_page_language
from xxgk.reports import national_format as nf

# Rows of section 三 that are not outcomes, and the rows of section 二, in English; the
# Chinese labels are taxonomy's printed ones.
_FIXED_ROWS_EN = {
    taxonomy.RECEIVED: "New applications received this year",
    taxonomy.CARRIED_OVER_FROM_LAST_YEAR: "Applications carried over from last year",
    taxonomy.CARRIED_OVER_TO_NEXT_YEAR: "Applications carried over to next year",
}
_PROACTIVE_ROWS_EN = {
    "rules": "Government rules",
    "normative_documents": "Normative documents",
    "licensing": "Administrative licensing",
    "penalties": "Administrative penalties",
    "enforcement": "Administrative enforcement",
    "fees": "Administrative fees",
}
_PROACTIVE_ROWS = {row.key: row for row in taxonomy.PROACTIVE_ROWS}
_PROACTIVE_COLUMNS = {c.key: c for row in taxonomy.PROACTIVE_ROWS for c in row.columns}
_APPLICANTS = {c.key: c for c in taxonomy.APPLICANT_COLUMNS}
_APPEAL_KINDS = {c.key: c for c in taxonomy.APPEAL_KINDS}
_APPEAL_RESULTS = {c.key: c for c in taxonomy.APPEAL_RESULTS}
_FEES = {c.key: c for c in taxonomy.PROCESSING_FEE_FIELDS}

SECTION_LABELS = {
    nf.PROACTIVE: gettext_lazy("二 Proactive disclosure"),
    nf.APPLICATIONS: gettext_lazy("三 Applications received and handled"),
    nf.APPEALS: gettext_lazy("四 Reconsideration and litigation"),
    nf.PROCESSING_FEES: gettext_lazy("六 Processing fees"),
}
RULE_LABELS = {
    nf.Rule.BALANCE: gettext_lazy("Balance of section 三"),
    nf.Rule.ROW_TOTAL: gettext_lazy("Row total"),
    nf.Rule.OUTCOME_TOTAL: gettext_lazy("Total of the results"),
    nf.Rule.APPEAL_TOTAL: gettext_lazy("Total of section 四"),
    nf.Rule.CARRY_OVER: gettext_lazy("Carry-over from last year"),
    nf.Rule.IN_FORCE: gettext_lazy("Documents in force from last year"),
    nf.Rule.PROSE: gettext_lazy("Figures in the text"),
}
_PROSE_FIGURES = {
    nf.ProseFigure.RECEIVED: gettext_lazy("applications received"),
    nf.ProseFigure.CLOSED: gettext_lazy("applications closed"),
    nf.ProseFigure.CARRIED_OVER: gettext_lazy("applications carried over to next year"),
}
SECTION_STATUS = {
    "complete": gettext_lazy("complete"),
    "partial": gettext_lazy("partly read"),
    "lost": gettext_lazy("not found"),
}


def _en() -> bool:
    return get_language() == "en"


def _total() -> str:
    return "Total" if _en() else "总计"


def _row_label(section: str, row: str) -> str:
    if section == nf.APPLICATIONS:
        if row == taxonomy.TOTAL:
            return _("Total of the results") if _en() else "总计"
        if row in taxonomy.FIXED_ROW_LABELS:
            return _FIXED_ROWS_EN[row] if _en() else taxonomy.FIXED_ROW_LABELS[row]
        return in_page_language(taxonomy.OUTCOMES_BY_KEY[row], with_group=True)
    if section == nf.APPEALS:
        return in_page_language(_APPEAL_KINDS[row], with_group=True)
    if section == nf.PROACTIVE:
        return _PROACTIVE_ROWS_EN[row] if _en() else _PROACTIVE_ROWS[row].label_zh
    return ""


def _column_label(section: str, column: str) -> str:
    if column == taxonomy.TOTAL:
        return _total()
    table = {nf.APPLICATIONS: _APPLICANTS, nf.APPEALS: _APPEAL_RESULTS,
             nf.PROACTIVE: _PROACTIVE_COLUMNS, nf.PROCESSING_FEES: _FEES}[section]
    return in_page_language(table[column])


def cell_label(key: str, *, numbered: bool = True) -> str:
    """A flat cell key as the printed table names it: ``三 · row · column`` (without the
    section's numeral when ``numbered`` is false, as a form field inside the section).

    An unknown key is returned as it is (a parser of a newer format may know more cells).
    """
    section, _dot, rest = key.partition(".")
    row, _dot, column = rest.rpartition(".")
    try:
        numeral = {nf.PROACTIVE: "二", nf.APPLICATIONS: "三", nf.APPEALS: "四",
                   nf.PROCESSING_FEES: "六"}[section]
        parts = [p for p in (_row_label(section, row) if row else "",
                             _column_label(section, column)) if p]
    except KeyError:
        return key
    return (f"{numeral} · " if numbered else "") + " · ".join(parts)


def row_label(section: str, row: str) -> str:
    """A row of a section (section 六 has one unnamed row, shown as the section)."""
    try:
        return _row_label(section, row) or str(SECTION_LABELS[section])
    except KeyError:
        return row


def column_label(section: str, column: str) -> str:
    try:
        return _column_label(section, column)
    except KeyError:
        return column


@dataclass(frozen=True)
class CheckLine:
    """One check as a page shows it: the rule's name and a sentence with the figures."""

    rule: str
    text: str


def _sum(values: Mapping[str, Any], keys: Iterable[str]) -> Any:
    return sum(values.get(k) or 0 for k in keys)


def _failure_text(rule: nf.Rule, cells: tuple[str, ...], message: str,
                  values: Mapping[str, Any], previous: Mapping[str, Any] | None) -> str:
    first = cells[0]
    section, _dot, rest = first.partition(".")
    row, _dot, column = rest.rpartition(".")
    if rule == nf.Rule.BALANCE:
        return _("%(column)s: received this year plus carried over from last year make "
                 "%(left)s, but the results plus those carried over to next year make "
                 "%(right)s.") % {"column": column_label(section, column),
                                  "left": _sum(values, cells[:2]),
                                  "right": _sum(values, cells[2:])}
    if rule == nf.Rule.ROW_TOTAL:
        return _("%(row)s: the total is %(left)s, but the applicant columns add up to "
                 "%(right)s.") % {"row": row_label(section, row), "left": values.get(first),
                                  "right": _sum(values, cells[1:])}
    if rule == nf.Rule.OUTCOME_TOTAL:
        return _("%(column)s: the total is %(left)s, but the result rows add up to "
                 "%(right)s.") % {"column": column_label(section, column),
                                  "left": values.get(first), "right": _sum(values, cells[1:])}
    if rule == nf.Rule.APPEAL_TOTAL:
        return _("%(kind)s: the total is %(left)s, but its results add up to %(right)s.") % {
            "kind": row_label(section, row), "left": values.get(first),
            "right": _sum(values, cells[1:])}
    if rule == nf.Rule.CARRY_OVER and len(cells) == 2:
        theirs = previous.get(cells[1]) if previous is not None else None
        return _("%(column)s: this report takes over %(mine)s applications from last year, "
                 "but last year's report carried %(theirs)s over.") % {
            "column": column_label(section, column), "mine": values.get(first),
            "theirs": theirs if theirs is not None else _("an unknown number")}
    if rule == nf.Rule.PROSE:
        found = re.search(r"the prose says (\w+) = (\d+)", message)
        if found and found.group(1) in _PROSE_FIGURES:
            readings = nf.PROSE_READINGS[nf.ProseFigure(found.group(1))]
            given = sorted({_sum(values, r) for r in readings
                            if all(values.get(k) is not None for k in r)})
            return _("The text gives %(figure)s as %(stated)s, but the tables give "
                     "%(tables)s.") % {"figure": _PROSE_FIGURES[nf.ProseFigure(found.group(1))],
                                       "stated": found.group(2),
                                       "tables": _(" or ").join(str(g) for g in given)}
    return ", ".join(cell_label(c) for c in cells)


def _skipped_text(missing: tuple[str, ...]) -> str:
    shown = "; ".join(cell_label(k) for k in missing[:2])
    return ngettext("Not checked: %(n)d figure is missing (%(cells)s).",
                    "Not checked: %(n)d figures are missing, among them %(cells)s.",
                    len(missing)) % {"n": len(missing), "cells": shown}


def _rule(value: Any) -> nf.Rule | None:
    try:
        return nf.Rule(value)
    except ValueError:
        return None


def check_lines(checks: nf.CheckReport | Mapping[str, Any], values: Mapping[str, Any],
                previous: Mapping[str, Any] | None = None
                ) -> tuple[list[CheckLine], list[CheckLine]]:
    """The failures and the checks that could not run, as sentences for a page.

    ``checks`` is a ``CheckReport`` or its JSON form (``parse.check_report_dict``);
    ``values`` the report's flat cells; ``previous`` last year's, for the carry-over.
    """
    if isinstance(checks, nf.CheckReport):
        failures = [(f.rule, tuple(f.cells), f.message) for f in checks.failures]
        skipped = [(s.rule, tuple(s.missing)) for s in checks.skipped]
    else:
        failures = [(f["rule"], tuple(f["cells"]), f["message"]) for f in checks["failures"]]
        skipped = [(s["rule"], tuple(s["missing"])) for s in checks["skipped"]]
    failed = []
    for rule_value, cells, message in failures:
        rule = _rule(rule_value)
        label = str(RULE_LABELS.get(rule, rule_value)) if rule else str(rule_value)
        text = (_failure_text(rule, cells, message, values, previous) if rule and cells
                else message)
        failed.append(CheckLine(label, text))
    not_run = []
    for rule_value, missing in skipped:
        rule = _rule(rule_value)
        label = str(RULE_LABELS.get(rule, rule_value)) if rule else str(rule_value)
        if rule == nf.Rule.CARRY_OVER and previous is None or not missing:
            text = _("Not checked: last year's report is neither published here nor "
                     "imported.")
        else:
            text = _skipped_text(missing)
        not_run.append(CheckLine(label, text))
    return failed, not_run


@dataclass(frozen=True)
class CheckSummary:
    """What the report page shows under "Checks"."""

    failures: list[CheckLine]
    skipped: list[CheckLine]


def report_checks(agency: Any, year: int, national: nf.NationalReport) -> CheckSummary:
    """Every check of ``compute.check_report``, worded for the staff page."""
    from xxgk.reports import compute  # the database side, only for pages

    checks = compute.check_report(agency, year, national)
    previous, _source = compute.previous_report(agency, year)
    failed, not_run = check_lines(checks, national.to_flat(),
                                  previous.to_flat() if previous is not None else None)
    return CheckSummary(failed, not_run)


# ---- A report read by the parser ----------------------------------------------------------

_SOURCE_KINDS = {
    "text": gettext_lazy("plain text"), "web-text": gettext_lazy("text copied from a web page"),
    "html": gettext_lazy("web page (HTML)"), "pdf": gettext_lazy("PDF"),
    "docx": gettext_lazy("Word document (DOCX)"),
}
_COMPARISON_STATUS = {
    "match": gettext_lazy("agrees with the tables"),
    "contradiction": gettext_lazy("contradicts the tables"),
    "unverifiable": gettext_lazy("cannot be checked (cells missing)"),
}


# The parser's names of the figures it finds in the text (``parse._PROSE_PATTERNS``).
_PARSED_FIGURES = {
    "applications_received": _PROSE_FIGURES[nf.ProseFigure.RECEIVED],
    "applications_closed": _PROSE_FIGURES[nf.ProseFigure.CLOSED],
    "carried_over_from_last_year": gettext_lazy("applications carried over from last year"),
    "carried_over_to_next_year": _PROSE_FIGURES[nf.ProseFigure.CARRIED_OVER],
    "reconsideration": gettext_lazy("reconsideration cases"),
    "litigation": gettext_lazy("litigation cases"),
}


# How the parser read a cell (``ParseResult.read_by``).
READ_BY = {
    "label": gettext_lazy("by its label"),
    "position": gettext_lazy("by its position (label lost)"),
    "arithmetic": gettext_lazy("by the format's arithmetic"),
}


def _figure_label(kind: str) -> str:
    if kind in _PARSED_FIGURES:
        return str(_PARSED_FIGURES[kind])
    try:
        return str(_PROSE_FIGURES[nf.ProseFigure(kind)])
    except ValueError:
        return kind


def _probable(key: str | None) -> str:
    """The row (or cell) an unplaced row probably is, named; the parser gives a row key."""
    if not key:
        return ""
    if key.partition(".")[0] in SECTION_LABELS:
        return cell_label(key)
    for section in (nf.APPLICATIONS, nf.APPEALS, nf.PROACTIVE):
        try:
            return _row_label(section, key)
        except KeyError:
            continue
    return ""


def parse_reading(result: Any) -> dict[str, Any]:
    """A ``parse.ParseResult`` as the parse page shows it: every cell, row and check named
    in the interface's language (the command line keeps ``parse_output``'s text)."""
    from xxgk.reports import compute

    found = len([v for v in result.cells.values() if v is not None])
    read_by: dict[str, str] = result.read_by
    sections = []
    for section, summary in result.sections.items():
        missing_rows = list(dict.fromkeys(
            row_label(section, key[len(section) + 1:].rpartition(".")[0])
            for key in result.missing if key.startswith(section + ".")))
        sections.append({"label": SECTION_LABELS.get(section, section), "found": summary.found,
                         "expected": summary.expected,
                         "status": SECTION_STATUS.get(summary.status, summary.status),
                         "missing": missing_rows if summary.status == "partial" else []})
    failed, not_run = ([], []) if not result.checks.get("available") else check_lines(
        result.checks, result.cells)
    return {
        "format": result.format,
        "source": _SOURCE_KINDS.get(result.source_kind, result.source_kind),
        "found": found, "total": len(nf.CELL_KEYS), "not_applicable": len(result.not_applicable),
        "missing": len(result.missing),
        "sections": sections,
        "not_placed": [{"probable": _probable(a.probable_key),
                        "values": " · ".join(a.values), "rows": a.rows,
                        "readings": ["·".join(r) for r in a.readings]}
                       for a in result.ambiguities],
        "comparisons": [{"figure": _figure_label(c.kind), "value": c.prose_value,
                         "status": _COMPARISON_STATUS.get(c.status, c.status),
                         "state": c.status, "text": c.text}
                        for c in result.text_vs_table],
        "checks_available": bool(result.checks.get("available")),
        "failures": failed, "skipped": not_run,
        "read_by": [(READ_BY[how], sum(1 for h in read_by.values() if h == how))
                    for how in READ_BY if how in read_by.values()],
        "cells": [(SECTION_LABELS.get(section, section),
                   [(row_label(section, row),
                     [(column_label(section, column), value,
                       _read_by_note(read_by.get(".".join(p for p in (section, row, column) if p))))
                      for column, value in values])
                    for row, values in rows])
                  for section, rows in compute.cells_by_row(result.cells)],
    }


def _read_by_note(how: str | None) -> str:
    """How a cell was read, said only where it was not simply by its label."""
    return str(READ_BY[how]) if how in READ_BY and how != "label" else ""
