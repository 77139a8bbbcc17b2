"""The parser's stages 3–5 (issue 12): the token stream, its rows, and the arithmetic that
splits digits run together; and the layouts' fixtures (``fixtures/layout_*``), rendered by
``tests/reports/layouts.py`` from :func:`example_report`."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.reports.layouts import Options, expected_cells, render, wrong_cells
from xxgk.reports import national_format as nf
from xxgk.reports.parse import parse_report
from xxgk.reports.parse.arithmetic import fit_runs, readings
from xxgk.reports.parse.extract import Text
from xxgk.reports.parse.stream import cut_label, pieces_of, regroup
from xxgk.reports.parse.tokens import Token
from xxgk.taxonomy import APPLICANT_COLUMN_KEYS, OUTCOME_KEYS, TOTAL

FIXTURES = Path(__file__).parent / "fixtures"


def example_report(fmt: str = "2021") -> nf.NationalReport:
    """A small consistent report; its received row is the issue's 56·2·0·0·0·0·58."""
    natural = dict(zip(OUTCOME_KEYS, (20, 5, 0, 1, 0, 3, 0, 2, 0, 1, 10, 2, 1, 3, 2, 0, 0, 1, 1,
                                      0, 1), strict=True))
    commercial = {"disclosed": 1, "unavailable.not_held": 1}

    def row(np: int, ce: int = 0) -> dict[str, int]:
        cells = dict.fromkeys(APPLICANT_COLUMN_KEYS, 0)
        cells.update(natural_person=np, commercial_enterprise=ce)
        return {**cells, TOTAL: np + ce}

    applications = {key: row(natural[key], commercial.get(key, 0)) for key in OUTCOME_KEYS}
    applications[TOTAL] = row(53, 2)
    applications["received"] = row(56, 2)
    applications["carried_over_from_last_year"] = row(2)
    applications["carried_over_to_next_year"] = row(5)
    return nf.NationalReport(
        agency="某区", year=2023, format=fmt,
        proactive={"rules": {"issued": 0, "repealed": 0, "in_force": 25},
                   "normative_documents": {"issued": 3, "repealed": 1, "in_force": 46},
                   "licensing": {"decisions": 1234}, "penalties": {"decisions": 17},
                   "enforcement": {"decisions": 0}, "fees": {"amount_10k_yuan": "58.30"}},
        applications=applications,
        appeals={"reconsideration": {"upheld": 2, "corrected": 1, "other": 0, "pending": 1,
                                     "total": 4},
                 "litigation_direct": {"upheld": 1, "corrected": 0, "other": 0, "pending": 0,
                                       "total": 1},
                 "litigation_after_reconsideration": dict.fromkeys(
                     ("upheld", "corrected", "other", "pending", "total"), 0)},
    )


# ---- Stage 3: the stream ------------------------------------------------------------------

def test_one_cell_per_line_is_one_stream_of_labels_and_values():
    lines = [Text(t, f"line {i}") for i, t in enumerate(["规章 |", "0 |", "0 |", "25 |"])]
    assert [(p.kind, p.text) for p in pieces_of(lines)] == [
        ("text", "规章"), ("num", "0"), ("num", "0"), ("num", "25")]
    [row] = regroup(lines, "二")
    assert row.cells == ["规章", "0", "0", "25"] and row.exact and not row.runs


def test_a_label_split_over_lines_is_one_label():
    lines = [Text(t, "") for t in ["（二）部分公开（区分处理的，只计这一情形，不计其 |",
                                   "他情形） |", "5 |"]]
    [row] = regroup(lines, "三")
    assert row.cells[0] == "(二)部分公开(区分处理的,只计这一情形,不计其他情形)"


def test_digits_glued_to_a_label_are_a_run_and_an_item_number_keeps_its_digit():
    [text] = [Text("一、本年新收政府信息公开申请数量5620058二、上年结转数量1.属于国家秘密", "")]
    assert [(p.kind, p.text) for p in pieces_of([text])] == [
        ("text", "一、本年新收政府信息公开申请数量"), ("run", "5620058"),
        ("text", "二、上年结转数量1.属于国家秘密")]
    decimal = pieces_of([Text("行政事业性收费58.30", "")])
    assert [(p.kind, p.text) for p in decimal] == [("text", "行政事业性收费"), ("num", "58.30")]


def test_not_applicable_marks_and_full_width_digits():
    pieces = pieces_of([Text(t, "") for t in ["— |", "/ |", "无 |", "１２３ |", "1,234 |", " |"]])
    assert [(p.kind, p.text) for p in pieces] == [
        ("na", "—"), ("na", "/"), ("na", "无"), ("num", "123"), ("num", "1,234"), ("blank", "")]


def test_labels_run_together_are_cut_where_the_format_begins_a_row():
    assert cut_label("第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章", "二") == [
        "第二十条第(一)项", "信息内容本年制发件数本年废止件数现行有效件数", "规章"]
    assert cut_label("某市人民政府门户网站（三）不予公开1.属于国家秘密", "三") == [
        "某市人民政府门户网站", "(三)不予公开", "1.属于国家秘密"]


# ---- Stage 5: the arithmetic --------------------------------------------------------------

def run(digits: str) -> list[Token]:
    return [Token("run", digits)]


def values(cells: list[Token]) -> list[int]:
    return [int(t.value or 0) for t in cells]


def test_a_number_has_no_leading_zero_so_some_runs_split_one_way():
    [reading] = readings(run("0025"), 3) or []
    assert values(reading) == [0, 0, 25]


def test_the_row_total_splits_a_run_of_seven_cells():
    # The issue writes this row as 5620058, which has too few digits for 56·2·0·0·0·0·58.
    fit = fit_runs(run("562000058"), 7, lambda v: sum(v[:-1]) == v[-1], summed=6)
    assert fit.tokens is not None and values(fit.tokens) == [56, 2, 0, 0, 0, 0, 58]
    assert fit.arithmetic


def test_without_an_identity_a_run_with_several_splits_is_not_read():
    fit = fit_runs(run("3146"), 3, None)
    assert fit.tokens is None
    assert sorted(values(r) for r in fit.readings) == [[3, 1, 46], [3, 14, 6], [31, 4, 6]]


@settings(max_examples=30, deadline=None)
@given(digit=st.integers(min_value=1, max_value=9), tail=st.lists(
    st.integers(min_value=0, max_value=0), min_size=4, max_size=4))
def test_two_splits_that_both_add_up_leave_the_cells_missing(digit, tail):
    """``d`` · ``dd`` and ``dd`` · ``d`` give the same digits and the same total: with no
    other row to check them against, neither is read, and both are shown (with any other
    cut that adds up, such as d·d·d0 for 1·1·10)."""
    short, long = digit, digit * 11
    total = short + long
    text = ("三、收到和处理政府信息公开申请情况\n"
            f"一、本年新收政府信息公开申请数量{short}{long}{''.join(map(str, tail))}{total}\n"
            "五、存在的主要问题及改进情况\n无。\n")
    result = parse_report(text)
    assert not any(k.startswith("applications.received.") for k in result.cells)
    [ambiguity] = [a for a in result.ambiguities if a.probable_key == "received"]
    assert "cuts of the digits" in ambiguity.reason
    assert f"{short}·{long}·" in ambiguity.reason and f"{long}·{short}·" in ambiguity.reason
    assert [str(short), str(long), "0", "0", "0", "0", str(total)] in ambiguity.readings
    assert [str(long), str(short), "0", "0", "0", "0", str(total)] in ambiguity.readings


def test_the_table_columns_decide_between_two_splits_of_a_row():
    """The same received row, in a table whose balance holds for one split only."""
    report = example_report()
    flat = report.to_flat()
    # received 1·11·…·12: carried over and closed make the balance pick 1·11, not 11·1.
    for key, value in {"received.natural_person": 1, "received.commercial_enterprise": 11,
                       "received.total": 12}.items():
        flat[f"applications.{key}"] = value
    flat["applications.carried_over_to_next_year.natural_person"] = 0
    flat["applications.carried_over_from_last_year.natural_person"] = 52
    flat["applications.carried_over_from_last_year.commercial_enterprise"] = 0
    flat["applications.carried_over_to_next_year.commercial_enterprise"] = 9
    flat["applications.carried_over_from_last_year.total"] = 52
    flat["applications.carried_over_to_next_year.total"] = 9
    report = nf.NationalReport.from_flat(flat)
    assert nf.check_balance(report).ok
    result = parse_report(render(report, Options(layout="run_together")))
    assert result.cells["applications.received.natural_person"] == 1
    assert result.cells["applications.received.commercial_enterprise"] == 11
    assert result.read_by["applications.received.natural_person"] == "arithmetic"
    assert any("column totals" in note for note in result.notes)


# ---- The layouts' fixtures ----------------------------------------------------------------

def parsed(name: str):
    return parse_report((FIXTURES / name).read_text(encoding="utf-8"))


def test_the_fixtures_are_the_renderer_s_output():
    """The fixtures are small copies of each layout; if the renderer changes, so must they."""
    report = example_report()
    assert (FIXTURES / "layout_web.txt").read_text() == render(
        report, Options(layout="web", numbers="commas", furniture_every=9))
    assert (FIXTURES / "layout_one_line.txt").read_text() == render(
        report, Options(layout="one_line"))


def test_web_text_one_cell_per_line_is_read_completely():
    result = parsed("layout_web.txt")
    report = example_report()
    assert wrong_cells(report, result.cells) == {}
    assert expected_cells(report, Options(layout="web")) <= set(result.cells)
    assert result.cells["proactive.licensing.decisions"] == 1234
    assert result.cells["proactive.fees.amount_10k_yuan"] == Decimal("58.30")
    assert set(result.read_by.values()) == {"label"}


def test_run_together_cells_are_split_by_the_arithmetic_or_left_missing():
    report = example_report()
    for name in ("layout_run_together.txt", "layout_one_line.txt"):
        result = parsed(name)
        assert wrong_cells(report, result.cells) == {}
        assert result.cells["applications.received.natural_person"] == 56
        assert result.read_by["applications.received.total"] == "arithmetic"
        assert result.to_dict()["read_by"]["proactive.rules.in_force"] == "label"
        # 规章 0025 has one split; 行政规范性文件 3146 has three, so it is missing.
        assert result.cells["proactive.rules.in_force"] == 25
        assert "proactive.normative_documents.in_force" not in result.cells
        [normative] = [a for a in result.ambiguities if a.values == ["3146"]]
        assert sorted(normative.readings) == [["3", "1", "46"], ["3", "14", "6"], ["31", "4", "6"]]
        assert result.cells["appeals.reconsideration.total"] == 4
        applications = {k for k in expected_cells(report, Options()) if "applications." in k}
        assert applications <= set(result.cells)


def test_the_eight_column_variant_with_full_width_digits_and_page_furniture():
    result = parsed("layout_eight_columns.txt")
    report = example_report()
    assert wrong_cells(report, result.cells) == {}
    assert expected_cells(report, Options()) <= set(result.cells)
    assert any("小计" in note for note in result.notes)


def test_the_2019_trial_format_in_html_with_p_cells_and_an_omitted_row():
    result = parsed("layout_trial_2019.html")
    report = example_report("2019")
    assert result.format == "2019"
    assert wrong_cells(report, result.cells) == {}
    chosen = Options(layout="html", omit=frozenset({"withheld.inquiry_matters"}))
    assert expected_cells(report, chosen) <= set(result.cells)
    assert not any(k.startswith("applications.withheld.inquiry_matters") for k in result.cells)


def test_a_web_text_cut_off_mid_number_does_not_read_the_cut_number():
    text = (FIXTURES / "layout_cut_off_web.txt").read_text()
    assert text.endswith("规章 |\n0 |\n0 |\n2")  # the last cell, 25 in full, is cut to 2
    result = parse_report(text)
    assert "proactive.rules.in_force" not in result.cells
    assert wrong_cells(example_report(), result.cells) == {}
    assert any("cut off" in note for note in result.notes)


def test_read_by_names_the_position_and_the_arithmetic_where_they_decided():
    """variants_web.txt: a row whose label is lost between two certain rows, and a row
    with a stray leading 0 that only its total identifies."""
    result = parsed("variants_web.txt")
    row = "applications.withheld.security_and_stability"
    assert {result.read_by[f"{row}.{c}"] for c in (*APPLICANT_COLUMN_KEYS, TOTAL)} == {
        "position"}
    assert result.read_by["applications.other.other.total"] == "arithmetic"
    assert result.read_by["applications.received.total"] == "label"
    assert set(result.read_by) == set(result.cells)
