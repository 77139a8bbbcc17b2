"""Read a published 政府信息公开工作年度报告 back into the national format's flat cells.

Pure Python: no Django import. ``parse_report(source)`` accepts the text extracted from a PDF
(tab-separated cells, labels broken across lines or lost), web text (``|`` tables, or one
cell per line), text whose cells ran together, HTML (tables with rowspan/colspan), a PDF
(read with pdfplumber) or a DOCX (python-docx), and returns a ``ParseResult``: the detected
format, the cells found with certainty (flat dotted keys, the contract of
``national_format.to_flat``) and how each was read (``read_by``), the cells missing, the rows
that could not be placed and why, the figures quoted in the prose, and the arithmetic checks.

The stages, one module each: ``extract`` (the source as blocks), ``sections`` (blocks to
sections), ``stream`` (a section's loose text as a token stream, cut into rows),
``applications`` / ``proactive`` / ``appeals`` with ``labels`` (rows aligned to the format),
``arithmetic`` (what position leaves open: digits run together, a stray number), ``prose``
and ``checks``. This module runs them; ``docs/architecture.md`` describes them.

The rule that governs everything here: **the parser never invents a number.** A cell is put
in ``cells`` only when both its row and its column are certain.

A row is certain when

* its label's text matches one row of the format clearly (similarity ≥ 0.6 and 0.15 ahead
  of the next row; variants such as 只计这一情况, 三类内容事务信息, half-width brackets,
  spaces, quotes and labels broken over lines all pass), and its numbering, if any, agrees:
  an item number must be the row's own place in its group (``3.其他`` is other.other only
  as the third row of 其他处理), a （n） or 一、 marker must name the same row. Text and number
  that disagree make an ambiguity. An item number alone (``3.``) is never enough: the
  group heading above it may be lost; a （七） or 四、 marker alone names its row (each is
  printed once in the table);
* or its label is lost (or is only context, such as a piece of 三、本年度办理结果) and it
  stands in an unbroken run of well-formed unlabelled rows between two certain rows, the run
  has exactly as many rows as the format has between them, and each of its rows satisfies its
  own total (six applicant columns = 总计). Standing next to one certain row is not enough
  — extraction loses rows, as the seed shows: its 43 · 0 · 0 · 0 · 2 · 0 · 45 row stands
  right above （七）总计 but below garbled rows, so it is reported as *probably* other.other
  and left out of the cells. This rule trusts the printed order of the rows (it is the
  format's); rows printed out of order without labels cannot be detected;
* and no other row reads as the same row (two rows both read as 2.重复申请: neither is
  placed), and it is in the format's order with the other certain rows.

A column is certain when the row has exactly the expected number of cells, counted from the
first to the last value in extracted text (blank cells at the edges of an extracted row are
unknowable), or cell by cell in a real table (HTML, a ``|`` table, a PDF table, where blank
merged-label cells are dropped). One number too many — a stray number at either end, like
the seed's leading 0 — is dropped only when the row's own sum identity says which: the
readings without the first and without the last number are tried, and accepted when at
least one satisfies the identity and all that do give the same numbers (the seed's
0 · 43 · … · 45: without the 0 the row adds up, without the 45 it does not). Two numbers too
many, or a row without an identity (section 二), are never guessed.

A blank cell is missing (a blank is not a zero); ``/`` or ``—`` is *not applicable*: the key
is in ``cells`` with the value ``None`` and listed in ``not_applicable``. Negative or
fractional counts are not cells.

Everything else goes to ``ambiguities``, with the probable key where there is one.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from xxgk.reports import national_format as nf
from xxgk.reports.national_format import PROCESSING_FEES
from xxgk.reports.parse.appeals import parse_appeals
from xxgk.reports.parse.applications import (
    FIXED_ROW_LABELS,
    OUTCOME_GROUPS,
    RESULTS_BLOCK_LABEL,
    UNGROUPED_OUTCOMES,
    Resolution,
    ValueRow,
    fit_width,
    parse_applications,
    resolve_application_label,
    split_row,
)
from xxgk.reports.parse.checks import check_report_dict, run_checks, summarise_sections
from xxgk.reports.parse.extract import (
    Block,
    Row,
    Text,
    blocks_from_html,
    blocks_from_pdf,
    blocks_from_text,
    expand_grid,
    opening,
    read_source,
)
from xxgk.reports.parse.labels import (
    MATCH_MARGIN,
    MATCH_THRESHOLD,
    Segment,
    best_match,
    segments,
    similarity,
)
from xxgk.reports.parse.proactive import (
    TRIAL_PROACTIVE_COLUMNS,
    TRIAL_PROACTIVE_ROWS,
    parse_proactive,
)
from xxgk.reports.parse.prose import _PROSE_PATTERNS, compare_text_and_tables, extract_prose_figures
from xxgk.reports.parse.result import (
    FORMAT_2019_TRIAL,
    FORMAT_2021,
    FORMAT_UNKNOWN,
    TRIAL_2019,
    Ambiguity,
    ParseResult,
    ProseFigure,
    SectionSummary,
    TextTableComparison,
    Value,
    expected_keys,
    flat_key,
)
from xxgk.reports.parse.sections import SECTION_NAMES, heading_of, split_sections
from xxgk.reports.parse.stream import regroup
from xxgk.reports.parse.tokens import Token, norm, token

__all__ = ['Ambiguity', 'Block', 'FIXED_ROW_LABELS', 'FORMAT_2019_TRIAL', 'FORMAT_2021', 'FORMAT_UNKNOWN', 'MATCH_MARGIN', 'MATCH_THRESHOLD', 'OUTCOME_GROUPS', 'ParseResult', 'ProseFigure', 'RESULTS_BLOCK_LABEL', 'Resolution', 'Row', 'SECTION_NAMES', 'SectionSummary', 'Segment', 'TRIAL_2019', 'TRIAL_PROACTIVE_COLUMNS', 'TRIAL_PROACTIVE_ROWS', 'Text', 'TextTableComparison', 'Token', 'UNGROUPED_OUTCOMES', 'Value', 'ValueRow', '_PROSE_PATTERNS', 'best_match', 'blocks_from_html', 'blocks_from_pdf', 'blocks_from_text', 'check_report_dict', 'compare_text_and_tables', 'expand_grid', 'expected_keys', 'extract_prose_figures', 'fit_width', 'flat_key', 'heading_of', 'norm', 'parse_appeals', 'parse_applications', 'parse_proactive', 'parse_report', 'resolve_application_label', 'run_checks', 'segments', 'similarity', 'split_row', 'split_sections', 'summarise_sections', 'token']


def parse_report(source: str | bytes | Path) -> ParseResult:
    """Parse a published annual report.

    ``source``: text (extracted from a PDF, or copied from a web page, ``|`` tables), HTML,
    the bytes of a PDF or of a text/HTML file, or a ``Path`` to one. A ``str`` is always the
    report's content, never a file name.
    """
    blocks, source_kind = read_source(source)
    tables, prose, notes = split_sections(blocks)
    tables = {name: regroup(items, name) for name, items in tables.items()}

    proactive, fmt_proactive = parse_proactive(tables["二"])
    fmt = fmt_proactive or FORMAT_UNKNOWN
    applications, signals = parse_applications(tables["三"], fmt)
    if fmt == FORMAT_UNKNOWN:
        if signals["other_split"] and not signals["other_single"]:
            fmt = FORMAT_2021
        elif signals["other_single"] and not signals["other_split"]:
            fmt = FORMAT_2019_TRIAL
            applications, signals = parse_applications(tables["三"], fmt)
    appeals = parse_appeals(tables["四"])

    cells: dict[str, Value] = {}
    ambiguities: list[Ambiguity] = []
    not_applicable: list[str] = []
    trial: dict[str, Value] = {}
    read_by: dict[str, str] = {}
    for part in (proactive, applications, appeals):
        cells.update(part.cells)
        read_by.update(part.read_by)
        ambiguities += part.ambiguities
        not_applicable += part.not_applicable
        notes += part.notes
        trial.update(part.trial)

    figures = extract_prose_figures(prose)
    fee_values: dict[str, set[Any]] = {}
    for fig in figures:
        if fig.key and fig.key.startswith(PROCESSING_FEES):
            fee_values.setdefault(fig.key, set()).add(fig.value)
    for key, values in fee_values.items():
        if len(values) == 1:
            value = next(iter(values))
            cells[key] = Decimal(value) if nf.is_money(key) and value is not None else value
            read_by[key] = "label"
        else:
            ambiguities.append(
                Ambiguity(
                    "六", f"the text gives different figures: {sorted(map(str, values))}", [], [key]
                )
            )

    ordered = [k for k in expected_keys() if k in cells]
    cells = {k: cells[k] for k in ordered}
    missing = [k for k in expected_keys() if k not in cells]
    checks, report = run_checks(cells, fmt)
    comparisons, prose_checks = compare_text_and_tables(figures, report)
    if report is not None:
        checks = check_report_dict(nf.check(report) + prose_checks)
    return ParseResult(
        format=fmt,
        source_kind=source_kind,
        cells=cells,
        missing=missing,
        not_applicable=sorted(set(not_applicable), key=expected_keys().index),
        ambiguities=ambiguities,
        prose_figures=figures,
        text_vs_table=comparisons,
        checks=checks,
        sections=summarise_sections(cells, not_applicable),
        trial_2019=trial,
        notes=notes,
        read_by={k: read_by[k] for k in cells if k in read_by},
        opening=opening(blocks),
        report=report,
    )

