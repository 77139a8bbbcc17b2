"""Checks and cells as staff pages name them: printed rows and columns, never flat keys."""

from django.utils import translation

from xxgk.reports import national_format as nf
from xxgk.reports import presentation

RECEIVED_NP = "applications.received.natural_person"
FROM_LAST = "applications.carried_over_from_last_year.total"
TO_NEXT = "applications.carried_over_to_next_year.total"


def test_cells_are_named_by_their_printed_row_and_column():
    with translation.override("zh-hans"):
        assert presentation.cell_label(RECEIVED_NP) == "三 · 本年新收政府信息公开申请数量 · 自然人"
        assert presentation.cell_label("appeals.litigation_direct.pending") == (
            "四 · 行政诉讼·未经复议直接起诉 · 尚未审结")
    with translation.override("en"):
        assert presentation.cell_label(RECEIVED_NP) == (
            "三 · New applications received this year · Natural person")
        assert presentation.cell_label("processing_fees.notices") == "六 · Fee notices issued"
    assert presentation.cell_label("no.such.key") == "no.such.key"


def test_a_carry_over_mismatch_reads_as_a_sentence_with_both_figures():
    failure = nf.Failure(nf.Rule.CARRY_OVER, (FROM_LAST, TO_NEXT), "internal message")
    checks = nf.CheckReport(failures=(failure,))
    with translation.override("en"):
        failed, _skipped = presentation.check_lines(checks, {FROM_LAST: 3}, {TO_NEXT: 5})
    assert failed == [presentation.CheckLine(
        "Carry-over from last year",
        "Total: this report takes over 3 applications from last year, but last year's "
        "report carried 5 over.")]


def test_no_check_line_shows_a_rule_key_or_a_cell_key():
    report = nf.NationalReport.from_flat({RECEIVED_NP: 4})
    for language in ("en", "zh-hans"):
        with translation.override(language):
            failed, skipped = presentation.check_lines(nf.check(report), report.to_flat())
        assert skipped
        for line in failed + skipped:
            text = f"{line.rule} {line.text}"
            assert "applications." not in text and "_" not in text, text
            assert line.rule not in {rule.value for rule in nf.Rule}


def test_every_figure_the_parser_finds_in_the_text_has_a_name():
    from xxgk.reports import parse

    with translation.override("en"):
        for kind, _key, _pattern in parse._PROSE_PATTERNS:
            assert presentation._figure_label(kind) != kind
