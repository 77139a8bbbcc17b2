"""Reading published annual reports back into the national format's cells.

The rule under test everywhere: the parser never invents a number. A cell is in
``result.cells`` only when its row and column are certain; everything else is missing, and
rows that could not be placed are listed in ``result.ambiguities`` with the reason.

Fixtures (``fixtures/``): the seed (a real 2023 report as extracted from its PDF), and
synthetic reports whose true figures are written out below — a clean 2021 report as web text
with ``|`` tables and as HTML with merged header cells (dataset A), the same format as
PDF-extracted tab text with the variants real reports show (dataset B), B cut off in the
middle of section 三, a 2019 trial-format report (dataset C), and A with deliberate damage.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reports.strategies import consistent_reports
from xxgk.reports import national_format as nf
from xxgk.reports.parse import (
    FORMAT_2019_TRIAL,
    FORMAT_2021,
    Row,
    blocks_from_html,
    extract_prose_figures,
    fit_width,
    parse_report,
    resolve_application_label,
    token,
)
from xxgk.reports.parse_output import render_parse_result_text
from xxgk.taxonomy import (
    APPEAL_CELL_KEYS,
    APPEAL_KIND_KEYS,
    APPEAL_RESULT_KEYS,
    APPLICANT_COLUMN_KEYS,
    APPLICATION_ROW_KEYS,
    CARRIED_OVER_FROM_LAST_YEAR,
    CARRIED_OVER_TO_NEXT_YEAR,
    OUTCOME_KEYS,
    OUTCOMES,
    OUTCOMES_BY_KEY,
    PROACTIVE_ROWS,
    PROCESSING_FEE_FIELDS,
    RECEIVED,
    REPORT_COLUMN_KEYS,
    TOTAL,
)

FIXTURES = Path(__file__).parent / "fixtures"
# CI puts the shared folder beside the clone; the fixture copy is what the tests read.
SHARED_SEED = Path(__file__).resolve().parents[3] / "shared/seed/000_dce0d0e72747040c.txt"

NOTICES, BILLED, COLLECTED = (f"{nf.PROCESSING_FEES}.{f.key}" for f in PROCESSING_FEE_FIELDS)
OTHER_KEYS = [k for k in OUTCOME_KEYS if OUTCOMES_BY_KEY[k].group_zh == OUTCOMES[-1].group_zh]


def app(row: str, column: str = TOTAL) -> str:
    return f"{nf.APPLICATIONS}.{row}.{column}"


def row_keys(row: str) -> list[str]:
    return [app(row, c) for c in REPORT_COLUMN_KEYS]


def appeal(kind: str, cell: str) -> str:
    return f"{nf.APPEALS}.{kind}.{cell}"


def proactive(row: str, column: str) -> str:
    return f"{nf.PROACTIVE}.{row}.{column}"


def fixture(name: str) -> Path:
    return FIXTURES / name


# ---- The true figures of the synthetic fixtures ------------------------------------------


def table(received, carried, outcomes, rows=APPLICATION_ROW_KEYS) -> dict[str, int]:
    """Section 三 as flat cells: the given rows (None: a row with no 2021 key), with the
    totals and the carry-over computed."""
    closed = [sum(o[c] for o in outcomes) for c in range(6)]
    to_next = [received[c] + carried[c] - closed[c] for c in range(6)]
    values = [received, carried, *outcomes, closed, to_next]
    return {
        app(row, column): value
        for row, numbers in zip(rows, values, strict=True)
        if row is not None
        for column, value in zip(REPORT_COLUMN_KEYS, [*numbers, sum(numbers)], strict=True)
    }


def proactive_cells(*values) -> dict[str, object]:
    return {
        proactive(row.key, col.key): v
        for row, row_values in zip(PROACTIVE_ROWS, values, strict=True)
        for col, v in zip(row.columns, row_values, strict=True)
    }


def appeal_cells(*groups) -> dict[str, int]:
    return {
        appeal(kind, cell): v
        for kind, numbers in zip(APPEAL_KIND_KEYS, groups, strict=True)
        for cell, v in zip(APPEAL_CELL_KEYS, numbers, strict=True)
    }


# Dataset A: 某市东湖区 2022 (clean_2021_web.txt, clean_2021.html; variants_web.txt damaged).
A = {
    **proactive_cells((0, 0, 0), (6, 2, 47), (1862,), (347,), (12,), (Decimal("58.30"),)),
    **table(
        (412, 35, 2, 1, 6, 9),
        (18, 2, 0, 0, 0, 1),
        [
            (150, 12, 1, 0, 2, 3),
            (40, 5, 0, 0, 1, 1),
            (1, 0, 0, 0, 0, 0),
            (2, 0, 0, 0, 0, 0),
            (0, 0, 0, 0, 0, 0),
            (5, 1, 0, 0, 0, 0),
            (3, 0, 0, 0, 0, 0),
            (7, 1, 0, 0, 0, 0),
            (4, 0, 0, 0, 0, 0),
            (12, 0, 0, 0, 0, 0),
            (98, 8, 1, 1, 2, 2),
            (9, 1, 0, 0, 0, 0),
            (6, 0, 0, 0, 0, 1),
            (15, 1, 0, 0, 0, 0),
            (11, 0, 0, 0, 0, 0),
            (2, 0, 0, 0, 0, 0),
            (0, 0, 0, 0, 0, 0),
            (3, 0, 0, 0, 0, 0),
            (20, 2, 0, 0, 0, 1),
            (0, 0, 0, 0, 0, 0),
            (14, 2, 0, 0, 1, 0),
        ],
    ),
    **appeal_cells((3, 1, 0, 1, 5), (2, 0, 0, 0, 2), (1, 0, 0, 0, 1)),
    NOTICES: 2,
    BILLED: Decimal(350),
    COLLECTED: Decimal(200),
}
# Dataset B: 某市滨江区 2023 (clean_2021_tabs.txt; cut_off_tabs.txt is its first part).
B = {
    **proactive_cells((None, None, None), (12, 3, 86), (3456,), (1021,), (17,), (None,)),
    **table(
        (1204, 87, 3, 2, 11, 15),
        (36, 4, 0, 0, 1, 0),
        [
            (502, 41, 2, 1, 4, 6),
            (133, 12, 0, 0, 2, 3),
            (0, 0, 0, 0, 0, 0),
            (3, 1, 0, 0, 0, 0),
            (1, 0, 0, 0, 0, 0),
            (17, 2, 0, 0, 0, 1),
            (9, 0, 0, 0, 0, 0),
            (21, 3, 0, 0, 1, 0),
            (6, 0, 0, 0, 0, 0),
            (30, 1, 0, 0, 0, 0),
            (288, 15, 1, 1, 2, 3),
            (22, 2, 0, 0, 0, 0),
            (14, 1, 0, 0, 0, 0),
            (41, 0, 0, 0, 0, 0),
            (25, 1, 0, 0, 0, 0),
            (4, 0, 0, 0, 0, 0),
            (2, 0, 0, 0, 0, 0),
            (5, 0, 0, 0, 0, 0),
            (38, 3, 0, 0, 1, 1),
            (1, 0, 0, 0, 0, 0),
            (19, 2, 0, 0, 1, 0),
        ],
    ),
    **appeal_cells((2, 1, 1, 1, 5), (3, 0, 1, 0, 4), (1, 0, 0, 0, 1)),
    NOTICES: 0,
    BILLED: Decimal(0),
    COLLECTED: Decimal(0),
}
B_NOT_APPLICABLE = [
    proactive(row.key, col.key)
    for row in PROACTIVE_ROWS
    for col in row.columns
    if B[proactive(row.key, col.key)] is None
]
# Dataset C: a 2019 trial-format report; its single 其他处理 row is (6, 1, 0, 0, 0, 0).
C_OTHER = (6, 1, 0, 0, 0, 0)
C_ROWS = [k for k in APPLICATION_ROW_KEYS if k not in OTHER_KEYS]
C_ROWS.insert(C_ROWS.index(TOTAL), None)  # the trial format's single 其他处理 row
C = table(
    (201, 14, 0, 1, 1, 3),
    (9, 1, 0, 0, 0, 0),
    [
        (88, 6, 0, 0, 1, 2),
        (21, 2, 0, 0, 0, 0),
        (0, 0, 0, 0, 0, 0),
        (1, 0, 0, 0, 0, 0),
        (0, 0, 0, 0, 0, 0),
        (3, 0, 0, 0, 0, 0),
        (1, 0, 0, 0, 0, 0),
        (4, 1, 0, 0, 0, 0),
        (2, 0, 0, 0, 0, 0),
        (5, 0, 0, 0, 0, 0),
        (47, 3, 0, 1, 0, 1),
        (6, 0, 0, 0, 0, 0),
        (2, 0, 0, 0, 0, 0),
        (9, 0, 0, 0, 0, 0),
        (7, 0, 0, 0, 0, 0),
        (1, 0, 0, 0, 0, 0),
        (0, 0, 0, 0, 0, 0),
        (1, 0, 0, 0, 0, 0),
        C_OTHER,
    ],
    rows=C_ROWS,
)


def assert_no_wrong_cell(result, truth: dict[str, object]) -> None:
    """The invariant: whatever the parser found is true."""
    wrong = {k: (v, truth.get(k)) for k, v in result.cells.items() if truth.get(k) != v}
    assert not wrong, wrong


# ---- The seed: a real report whose tables were badly extracted ---------------------------


@pytest.fixture(scope="module")
def seed():
    return parse_report(fixture("seed_xicheng_2023.txt"))


def test_the_seed_fixture_is_the_shared_seed():
    if not SHARED_SEED.exists():
        pytest.skip("the shared folder is not beside the clone")
    assert fixture("seed_xicheng_2023.txt").read_bytes() == SHARED_SEED.read_bytes()


def test_seed_section_four_is_recovered_exactly(seed):
    assert {k: v for k, v in seed.cells.items() if k.startswith(nf.APPEALS)} == appeal_cells(
        (138, 8, 92, 8, 246), (15, 0, 1, 1, 17), (9, 0, 0, 1, 10)
    )


def test_seed_total_and_carried_over_rows_are_recovered(seed):
    total = dict(zip(row_keys(TOTAL), (1311, 23, 0, 0, 2, 202, 1538), strict=True))
    to_next = dict(zip(row_keys(CARRIED_OVER_TO_NEXT_YEAR), (41, 0, 0, 0, 0, 0, 41), strict=True))
    assert {k: v for k, v in seed.cells.items() if k.startswith(nf.APPLICATIONS)} == {
        **total,
        **to_next,
    }


def test_seed_processing_fees_come_from_the_prose_of_section_six(seed):
    assert [seed.cells[k] for k in (NOTICES, BILLED, COLLECTED)] == [0, 0, 0]
    assert any("均为0" in f.text for f in seed.prose_figures)


def test_seed_says_section_two_and_the_other_rows_are_lost(seed):
    assert seed.format == FORMAT_2021
    assert seed.sections[nf.PROACTIVE].status == "lost"
    assert seed.sections[nf.APPLICATIONS].status == "partial"
    assert seed.sections[nf.APPEALS].status == "complete"
    assert seed.sections[nf.PROCESSING_FEES].status == "complete"
    lost_rows = [r for r in APPLICATION_ROW_KEYS if r not in (TOTAL, CARRIED_OVER_TO_NEXT_YEAR)]
    assert set(seed.missing) == {
        *(k for k in nf.CELL_KEYS if k.startswith(nf.PROACTIVE)),
        *(k for r in lost_rows for k in row_keys(r)),
    }
    assert not seed.not_applicable


def test_seed_row_above_the_total_is_only_probably_other_other(seed):
    """43 · 0 · 0 · 0 · 2 · 0 · 45 stands above （七）总计 with a stray leading 0 and no
    label; the rows above it are garbled, so its position is not certain: it is reported with
    its probable key and kept out of the cells."""
    [amb] = [a for a in seed.ambiguities if a.probable_key == "other.other"]
    assert amb.values == ["43", "0", "0", "0", "2", "0", "45"]
    assert "label is lost" in amb.reason and "first number (0)" in amb.reason
    assert not any(k in seed.cells for k in row_keys("other.other"))
    # The garbled rows of nine numbers are reported, not placed.
    assert sum(len(a.values) == 9 for a in seed.ambiguities) == 3


def test_seed_prose_contradicts_the_tables_with_both_numbers_named(seed):
    [comparison] = seed.text_vs_table
    assert comparison.kind == "applications_received"
    assert comparison.prose_value == 1016
    assert comparison.status == "contradiction"
    assert "1016" in comparison.detail and "1579" in comparison.detail
    assert "563" in comparison.detail  # what the lost 上年结转 would have to be
    assert [f["rule"] for f in seed.checks["failures"]] == [nf.Rule.PROSE.value]
    assert seed.checks["skipped"]  # the rows that are lost cannot be checked


def test_seed_result_is_json_and_text(seed):
    data = json.loads(seed.to_json())
    assert data["format"] == FORMAT_2021
    assert data["cells"][app(TOTAL)] == 1538
    assert data["cells"][BILLED] == "0"
    assert {a["probable_key"] for a in data["ambiguities"]} >= {"other.other"}
    text = render_parse_result_text(seed)
    assert "lost" in text and "probably other.other" in text and "CONTRADICTION" in text


# ---- Clean reports in every form ---------------------------------------------------------


@pytest.mark.parametrize("name", ["clean_2021_web.txt", "clean_2021.html"])
def test_clean_report_is_read_completely(name):
    result = parse_report(fixture(name))
    assert result.format == FORMAT_2021
    assert result.cells == A
    assert result.missing == [] and result.ambiguities == [] and result.not_applicable == []
    assert result.checks["ok"] and not result.checks["skipped"]
    assert {c.kind: c.status for c in result.text_vs_table} == {
        "applications_received": "match",
        "applications_closed": "match",
        "carried_over_from_last_year": "match",
        "carried_over_to_next_year": "match",
        "reconsideration": "match",
        "litigation": "match",
    }
    assert isinstance(result.report, nf.NationalReport)
    assert result.report.to_flat()[app(TOTAL)] == A[app(TOTAL)]


def test_source_kinds_are_detected():
    assert parse_report(fixture("clean_2021_web.txt")).source_kind == "web-text"
    assert parse_report(fixture("clean_2021.html").read_text()).source_kind == "html"
    assert parse_report(fixture("clean_2021_tabs.txt").read_bytes()).source_kind == "text"


def test_pdf_like_tab_text_with_the_variants_of_real_reports():
    """Half-width brackets, 只计这一情况, 三类内容事务信息, spaces and quotes in labels, labels
    broken over lines (before, around and after the numbers), thousands separators, a page
    number inside the table, "/" and "—" for not applicable."""
    result = parse_report(fixture("clean_2021_tabs.txt"))
    assert result.format == FORMAT_2021
    assert result.cells == B
    assert result.not_applicable == B_NOT_APPLICABLE
    assert result.missing == [] and result.ambiguities == []
    assert result.checks["failures"] == [
        {
            "rule": "prose",
            "cells": [appeal(APPEAL_KIND_KEYS[0], TOTAL)],
            "message": "the prose says reconsideration = 6, but the table gives "
            "appeals.reconsideration.total = 5",
        },
    ]
    assert [c.status for c in result.contradictions] == ["contradiction"]


def test_text_without_tabs_reads_the_same():
    """pdftotext-style output: cells separated by spaces only."""
    text = fixture("clean_2021_tabs.txt").read_text().replace("\t", "   ")
    result = parse_report(text)
    assert result.cells == B
    assert result.ambiguities == []


def test_2019_trial_format():
    result = parse_report(fixture("trial_2019_tabs.txt"))
    assert result.format == FORMAT_2019_TRIAL
    # 处理决定数量 is the 2021 format's 本年处理决定数量; the other columns have no 2021 cell.
    assert {k: v for k, v in result.cells.items() if k.startswith(nf.PROACTIVE)} == {
        proactive("licensing", "decisions"): 2310,
        proactive("penalties", "decisions"): 985,
        proactive("enforcement", "decisions"): 21,
    }
    assert result.trial_2019["trial_2019.proactive.licensing.change"] == -4
    assert result.trial_2019["trial_2019.proactive.other_services.decisions"] == 418
    assert result.trial_2019["trial_2019.proactive.procurement.procurement_amount"] == Decimal(
        "1286.4"
    )
    # Section 三: one 其他处理 row, kept apart; the 2021 sub-rows are missing, not invented.
    assert [
        result.trial_2019[f"trial_2019.applications.other.{c}"] for c in REPORT_COLUMN_KEYS
    ] == [*C_OTHER, sum(C_OTHER)]
    assert {k: v for k, v in result.cells.items() if k.startswith(nf.APPLICATIONS)} == C
    assert set(result.missing) >= {k for r in OTHER_KEYS for k in row_keys(r)}
    assert result.report.format == nf.ReportFormat.V2019
    assert result.checks["failures"] == []


def test_a_report_cut_off_in_the_middle_of_section_three():
    result = parse_report(fixture("cut_off_tabs.txt"))
    last_complete = APPLICATION_ROW_KEYS.index("not_processed.excessive")
    read_rows = APPLICATION_ROW_KEYS[: last_complete + 1]
    assert {k: v for k, v in result.cells.items() if k.startswith(nf.APPLICATIONS)} == {
        k: B[k] for r in read_rows for k in row_keys(r)
    }
    [amb] = result.ambiguities
    assert amb.probable_key == "not_processed.confirm_or_reissue"
    assert amb.values == ["5", "0", "0"] and "3 cells where 7 are expected" in amb.reason
    assert result.sections[nf.APPEALS].status == "lost"
    assert any("cut off" in note for note in result.notes)
    assert_no_wrong_cell(result, B)


def test_damaged_web_report():
    """variants_web.txt is A with: a blank cell, a "—" cell, a row whose label is lost
    between two certain rows, a labelled row with a stray leading 0, two rows both labelled
    2.重复申请, "/" for 规章, and a blank cell in section 四."""
    result = parse_report(fixture("variants_web.txt"))
    assert_no_wrong_cell(result, {**A, **dict.fromkeys(result.not_applicable)})
    partial, needs = "partially_disclosed", "unavailable.needs_creation"
    assert result.not_applicable == [
        *(proactive("rules", c.key) for c in PROACTIVE_ROWS[0].columns),
        proactive("fees", "amount_10k_yuan"),
        app(needs, "legal_service_institution"),
    ]
    # The blank cells are missing (a blank is not a zero).
    assert app(partial, "research_institution") in result.missing
    assert appeal("litigation_after_reconsideration", "corrected") in result.missing
    # The unlabelled row sits between two certain rows: placed, and said so.
    assert app("withheld.security_and_stability") in result.cells
    assert any(n.startswith("withheld.security_and_stability: label lost") for n in result.notes)
    # The stray 0 in 3.其他: only one reading satisfies the row's own total.
    assert result.cells[app("other.other")] == 17
    # Two rows read as 2.重复申请: neither is placed; the next one is missing too.
    [dup] = [a for a in result.ambiguities if "same row" in a.reason]
    assert dup.probable_key == "not_processed.repeated" and len(dup.rows) == 2
    for row in ("not_processed.repeated", "not_processed.publication"):
        assert set(row_keys(row)) <= set(result.missing)


# ---- A PDF, made from the HTML fixture ---------------------------------------------------


def _pdf(extra_css: str = "") -> bytes:
    weasyprint = pytest.importorskip("weasyprint")
    html = fixture("clean_2021.html").read_text()
    sheets = [weasyprint.CSS(string=extra_css)] if extra_css else []
    return weasyprint.HTML(string=html).write_pdf(stylesheets=sheets)


def test_pdf_tables_are_read_with_pdfplumber():
    result = parse_report(_pdf("tr { break-inside: avoid; }"))
    assert result.source_kind == "pdf"
    assert result.cells == A
    assert result.ambiguities == []


def test_pdf_with_a_row_split_by_a_page_break_invents_nothing():
    """Without the CSS above, a table row may be cut by the page break and its label fall on
    the next page (weasyprint does this to （二）部分公开 here): whatever is found is right,
    and at most that row is lost."""
    result = parse_report(_pdf())
    assert_no_wrong_cell(result, A)
    assert len(result.missing) <= len(REPORT_COLUMN_KEYS)


def test_pdf_without_ruled_tables_is_read_from_its_text_lines():
    """No borders: pdfplumber finds no table, and the rows are read from the text lines."""
    result = parse_report(_pdf("td { border: none !important; } tr { break-inside: avoid; }"))
    assert_no_wrong_cell(result, A)
    assert result.sections[nf.APPEALS].status == "complete"
    assert result.sections[nf.APPLICATIONS].status == "complete"


# ---- The pieces --------------------------------------------------------------------------


def toks(*cells: str):
    return [token(c) for c in cells]


def values(cells) -> list[str]:
    return [t.raw for t in cells]


def row_total(numbers) -> bool:
    return sum(numbers[:-1]) == numbers[-1]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        # The seed's line: 8 numbers; only dropping the leading 0 gives a consistent row.
        (("0", "43", "0", "0", "0", "2", "0", "45"), ["43", "0", "0", "0", "2", "0", "45"]),
        # A stray at the end (a page number run into the row).
        (("43", "0", "0", "0", "2", "0", "45", "7"), ["43", "0", "0", "0", "2", "0", "45"]),
        # All zeros: both readings are the same numbers.
        (("0",) * 8, ["0"] * 7),
        # Neither reading adds up.
        (("1", "43", "0", "0", "0", "2", "0", "44"), None),
        # Both readings add up, to different rows: not certain.
        (("3", "0", "0", "0", "0", "0", "3", "3"), None),
        # Two numbers too many: never guessed.
        (("0", "0", "43", "0", "0", "0", "2", "0", "45"), None),
        # A blank inside a row of extracted text counts as a cell.
        (("5", "", "0", "0", "0", "0", "5"), ["5", "", "0", "0", "0", "0", "5"]),
    ],
)
def test_fit_width_takes_a_stray_number_only_on_the_rows_own_evidence(cells, expected):
    fitted, _why = fit_width(toks(*cells), 7, row_total, exact=False)
    assert (values(fitted) if fitted else None) == expected


def test_fit_width_on_exact_rows_drops_blank_merged_cells():
    fitted, _ = fit_width(toks("", "", "1", "2", "3"), 3, None, exact=True)
    assert values(fitted) == ["1", "2", "3"]
    fitted, _ = fit_width(toks("1862", "", ""), 1, None, exact=True)  # a value over colspan
    assert values(fitted) == ["1862"]
    assert fit_width(toks("1", "2"), 3, None, exact=True)[0] is None


@pytest.mark.parametrize(
    ("label", "group", "key"),
    [
        ("一、本年新收政府信息公开申请数量", None, RECEIVED),
        ("二、上年结转 政府信息公开申请数量", None, CARRIED_OVER_FROM_LAST_YEAR),
        ("三、本年度办理结果（一）予以公开", None, "disclosed"),
        ("(二)部分公开(区分处理的,只计这一情况,不计其他情形)", None, "partially_disclosed"),
        ("（三）不予公开1.属于国家秘密", None, "withheld.state_secret"),
        ("3.危及三安全一稳定", "不予公开", "withheld.security_and_stability"),
        ("5.属于三类内容事务信息", "不予公开", "withheld.internal_affairs"),
        ("本机关不掌握相关政府信息", None, "unavailable.not_held"),
        ("3.其他", "其他处理", "other.other"),
        ("(七)总计", None, TOTAL),
        ("四、结转下年度继续办理", None, CARRIED_OVER_TO_NEXT_YEAR),
    ],
)
def test_labels_identify_rows(label, group, key):
    from xxgk.reports.parse import norm

    assert resolve_application_label(norm(label), group).key == key


@pytest.mark.parametrize(
    ("label", "group", "probable"),
    [
        # The text says one row, the numbering another.
        ("2.属于国家秘密", "不予公开", "withheld.state_secret"),
        # Only the number is left: the group heading above may have been lost.
        ("3.", "不予处理", "not_processed.publication"),
        # A group heading alone is not a row (in 2021 its first item shares the line).
        ("(六)其他处理", None, None),
        # Half of a label that two rows share: at most a guess.
        ("机关不再处理其政府信息公开申请", "其他处理", ...),
    ],
)
def test_unclear_labels_identify_nothing(label, group, probable):
    from xxgk.reports.parse import norm

    res = resolve_application_label(norm(label), group)
    assert res.key is None
    if probable is not ...:
        assert res.probable == probable


def test_html_rowspan_labels_are_repeated_and_colspan_values_read_once():
    blocks = blocks_from_html(
        "<table><tr><td rowspan=2>（三）不予公开</td><td>1.属于国家秘密</td><td>1</td></tr>"
        "<tr><td>2.其他法律行政法规禁止公开</td><td>2</td></tr>"
        "<tr><td>行政许可</td><td colspan=2>1,862</td></tr>"
        "<tr><td rowspan=2>3</td><td>x</td><td>y</td>"  # no end tags below
        "<tr><td>z<td>w</table>"
    )
    assert [b.cells for b in blocks if isinstance(b, Row)] == [
        ["（三）不予公开", "1.属于国家秘密", "1"],
        ["（三）不予公开", "2.其他法律行政法规禁止公开", "2"],
        ["行政许可", "1,862"],
        ["3", "x", "y"],
        ["", "z", "w"],  # a number spanning rows is not the next row's value
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("发出收费通知的件数和总金额，以及实际收取的总金额均为 0。", (0, 0, 0)),
        (
            "本年度发出收费通知 3 件，收费通知总金额 1,250.50 元，实际收取 800 元。",
            (3, Decimal("1250.50"), 800),
        ),
        ("本机关未发出信息处理费收费通知，未收取信息处理费。", (0, 0, 0)),
        ("本机关未收取信息处理费。", (None, None, 0)),
        ("本年度无其他需要报告的事项。", (None, None, None)),
    ],
)
def test_processing_fee_sentences(sentence, expected):
    found = {f.key: f.value for f in extract_prose_figures({"六": [sentence]})}
    assert (found.get(NOTICES), found.get(BILLED), found.get(COLLECTED)) == expected


def test_prose_figures_of_section_one():
    figures = extract_prose_figures(
        {
            "一": [
                "全年共受理政府信息公开申请 1,016 件，上年结转 21 件，办结 980 件，结转下年度继续办理 57 件。",
                "2023 年发布信息 25284 条，行政复议 3 起、行政诉讼 2 起。",
            ]
        }
    )
    assert {f.kind: f.value for f in figures} == {
        "applications_received": 1016,
        "carried_over_from_last_year": 21,
        "applications_closed": 980,
        "carried_over_to_next_year": 57,
        "reconsideration": 3,
        "litigation": 2,
    }


def test_a_label_that_matches_two_rows_places_neither():
    text = (
        fixture("clean_2021_web.txt")
        .read_text()
        .replace("| 4.保护第三方合法权益 |", "| 1.属于国家秘密 |")
    )
    result = parse_report(text)
    assert_no_wrong_cell(result, A)
    for row in ("withheld.state_secret", "withheld.third_party_rights"):
        assert set(row_keys(row)) <= set(result.missing)


def test_an_unlabelled_row_next_to_a_lost_row_is_not_placed():
    """Row 4 is lost and row 5 lost its label: between the certain rows 3 and 6 the format
    has two rows, the text one, so the unlabelled row is not placed — it could be either."""
    lines = []
    for line in fixture("clean_2021_tabs.txt").read_text().splitlines():
        if "4.保护第三方合法权益" in line:
            continue
        lines.append(line.replace("5. 属于三类内容事务信息", ""))
    result = parse_report("\n".join(lines))
    assert_no_wrong_cell(result, B)
    [amb] = result.ambiguities
    assert amb.values == ["9", "0", "0", "0", "0", "0", "9"]
    assert amb.probable_key == "withheld.internal_affairs"  # a guess, not a cell
    assert app("withheld.internal_affairs") not in result.cells


def test_an_unlabelled_row_between_certain_rows_is_placed():
    text = fixture("clean_2021_tabs.txt").read_text().replace("6.属于四类过程性信息", "")
    result = parse_report(text)
    assert result.cells == B
    assert any(n.startswith("withheld.process_information: label lost") for n in result.notes)


def test_an_unlabelled_row_that_does_not_add_up_is_not_placed():
    text = (
        fixture("clean_2021_web.txt")
        .read_text()
        .replace(
            "|  |  | 3.危及“三安全一稳定” | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
            "|  |  |  | 0 | 0 | 0 | 0 | 0 | 0 | 1 |",
        )
    )
    result = parse_report(text)
    assert app("withheld.security_and_stability") not in result.cells
    [amb] = result.ambiguities
    assert amb.probable_key == "withheld.security_and_stability"


def test_negative_and_fractional_counts_are_not_cells():
    text = (
        fixture("clean_2021_web.txt")
        .read_text()
        .replace("| 行政强制 | 12 | | |", "| 行政强制 | -12 | | |")
        .replace("| 行政处罚 | 347 | | |", "| 行政处罚 | 34.7 | | |")
    )
    result = parse_report(text)
    assert proactive("enforcement", "decisions") in result.missing
    assert proactive("penalties", "decisions") in result.missing
    assert result.checks["available"]


# ---- Properties: any consistent report, rendered and read back ---------------------------

GROUP_NUMERALS = "一二三四五六七"
FIXED_LABELS = {
    RECEIVED: "一、本年新收政府信息公开申请数量",
    CARRIED_OVER_FROM_LAST_YEAR: "二、上年结转政府信息公开申请数量",
    TOTAL: "（七）总计",
    CARRIED_OVER_TO_NEXT_YEAR: "四、结转下年度继续办理",
}


def printed_labels() -> dict[str, tuple[str, str, str]]:
    """The three label columns of section 三, as the national form prints them."""
    labels = {
        RECEIVED: (FIXED_LABELS[RECEIVED], "", ""),
        CARRIED_OVER_FROM_LAST_YEAR: (FIXED_LABELS[CARRIED_OVER_FROM_LAST_YEAR], "", ""),
    }
    numeral, items = 0, 0
    group = None
    for cat in OUTCOMES:
        top = "三、本年度办理结果" if numeral == 0 else ""
        if not cat.group_zh:
            numeral += 1
            labels[cat.key] = (top, f"（{GROUP_NUMERALS[numeral - 1]}）{cat.label_zh}", "")
            continue
        heading = ""
        if cat.group_zh != group:
            group, items, numeral = cat.group_zh, 0, numeral + 1
            heading = f"（{GROUP_NUMERALS[numeral - 1]}）{cat.group_zh}"
        items += 1
        labels[cat.key] = (top, heading, f"{items}.{cat.label_zh}")
    labels[TOTAL] = ("", FIXED_LABELS[TOTAL], "")
    labels[CARRIED_OVER_TO_NEXT_YEAR] = (FIXED_LABELS[CARRIED_OVER_TO_NEXT_YEAR], "", "")
    return labels


LABELS = printed_labels()


def fmt(value, thousands: bool) -> str:
    return f"{value:,}" if thousands else str(value)


def render(
    flat: dict,
    sep: str,
    *,
    thousands: bool = False,
    hide: frozenset = frozenset(),
    drop: frozenset = frozenset(),
    stray: frozenset = frozenset(),
) -> str:
    """A report as text: ``sep`` "\\t" (extracted from a PDF) or " | " (web text).
    ``hide``: rows of section 三 whose label is lost; ``drop``: rows lost entirely;
    ``stray``: rows printed with a stray 0 before their numbers."""
    pipe = sep.strip() == "|"

    def line(*cells: str) -> str:
        text = sep.join(cells)
        return f"| {text} |" if pipe else text

    out = [
        "某区2022年政府信息公开工作年度报告",
        "",
        "一、总体情况",
        "",
        "全年工作稳步推进。",
        "",
        "二、主动公开政府信息情况",
        "",
    ]
    for row in PROACTIVE_ROWS:
        out.append(line(row.block_zh))
        out.append(line("信息内容", *(c.label_zh for c in row.columns)))
        out.append(
            line(
                row.label_zh,
                *(fmt(flat[proactive(row.key, c.key)], thousands) for c in row.columns),
            )
        )
    out += [
        "",
        "三、收到和处理政府信息公开申请情况",
        "",
        line(
            "",
            "",
            "",
            "自然人",
            "商业企业",
            "科研机构",
            "社会公益组织",
            "法律服务机构",
            "其他",
            "总计",
        ),
    ]
    for key in APPLICATION_ROW_KEYS:
        if key in drop:
            continue
        labels = ("", "", "") if key in hide else LABELS[key]
        numbers = [fmt(flat[app(key, c)], thousands) for c in REPORT_COLUMN_KEYS]
        out.append(line(*labels, *(["0"] if key in stray else []), *numbers))
    out += [
        "",
        "四、政府信息公开行政复议、行政诉讼情况",
        "",
        line("行政复议", "", "", "", "", "行政诉讼"),
        line(
            *(
                fmt(flat[appeal(k, c)], thousands)
                for k in APPEAL_KIND_KEYS
                for c in APPEAL_CELL_KEYS
            )
        ),
        "",
        "六、其他需要报告的事项",
        "",
        f"本年度发出收费通知 {flat[NOTICES]} 件，收费通知总金额为 {fmt(flat[BILLED], thousands)}"
        f" 元，实际收取的总金额为 {fmt(flat[COLLECTED], thousands)} 元。",
    ]
    return "\n".join(out) + "\n"


def cells_of(report: nf.NationalReport) -> dict:
    flat = report.to_flat()
    return {k: flat[k] for k in nf.CELL_KEYS}


PROPERTY_SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(report=consistent_reports(), sep=st.sampled_from(["\t", " | "]), thousands=st.booleans())
def test_any_consistent_report_reads_back_exactly(report, sep, thousands):
    result = parse_report(render(report.to_flat(), sep, thousands=thousands))
    assert result.cells == cells_of(report)
    assert result.ambiguities == [] and result.missing == []
    assert result.checks["ok"]


@PROPERTY_SETTINGS
@given(
    report=consistent_reports(),
    hide=st.frozensets(st.sampled_from(APPLICATION_ROW_KEYS)),
    drop=st.frozensets(st.sampled_from(APPLICATION_ROW_KEYS), max_size=3),
    stray=st.frozensets(st.sampled_from(APPLICATION_ROW_KEYS), max_size=3),
    sep=st.sampled_from(["\t", " | "]),
)
def test_a_damaged_table_never_yields_a_wrong_number(report, hide, drop, stray, sep):
    """Labels lost, rows lost, stray numbers: whatever the parser still places is right."""
    truth = cells_of(report)
    result = parse_report(render(report.to_flat(), sep, hide=hide, drop=drop, stray=stray))
    assert_no_wrong_cell(result, truth)
    for key in drop:
        assert set(row_keys(key)) <= set(result.missing)


@PROPERTY_SETTINGS
@given(report=consistent_reports(), hide=st.sampled_from(APPLICATION_ROW_KEYS[1:-1]))
def test_one_lost_label_between_certain_rows_is_placed(report, hide):
    result = parse_report(render(report.to_flat(), "\t", hide=frozenset({hide})))
    assert result.cells == cells_of(report)


def test_appeal_totals_are_checked_by_national_format():
    flat = {**A, appeal(APPEAL_KIND_KEYS[0], APPEAL_RESULT_KEYS[0]): 4}
    text = render({k: (v if v is not None else 0) for k, v in flat.items()}, "\t")
    result = parse_report(text)
    assert [f["rule"] for f in result.checks["failures"]] == [nf.Rule.APPEAL_TOTAL.value]


def test_row_applicant_columns_match_the_taxonomy():
    # The renderer above and the fixtures print six applicant columns and a total.
    assert len(APPLICANT_COLUMN_KEYS) + 1 == len(REPORT_COLUMN_KEYS)
