"""The national annual-report format (国办公开办函〔2021〕30号): its data and its checks."""

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.reports.strategies import consecutive_reports, consistent_reports, reports_with_gaps
from xxgk.reports.national_format import (
    CELL_KEYS,
    FLAT_KEYS,
    NationalReport,
    ProseFigure,
    ReportFormat,
    Rule,
    check,
    check_appeal_totals,
    check_balance,
    check_carry_over,
    check_in_force,
    check_outcome_totals,
    check_prose_figure,
    check_row_totals,
    is_money,
)
from xxgk.taxonomy import APPLICATION_ROW_KEYS, OUTCOME_KEYS, REPORT_COLUMN_KEYS

# ---- A small consistent report, written out cell by cell --------------------------------

# Natural persons: 10 new + 2 from last year = 7 disclosed + 3 not held (10 closed) + 2 carried.
# Commercial enterprises: 1 new, 1 disclosed. Reconsideration: 1 upheld, 1 other.
SMALL = {
    "applications.received.natural_person": 10,
    "applications.received.commercial_enterprise": 1,
    "applications.received.total": 11,
    "applications.carried_over_from_last_year.natural_person": 2,
    "applications.carried_over_from_last_year.total": 2,
    "applications.disclosed.natural_person": 7,
    "applications.disclosed.commercial_enterprise": 1,
    "applications.disclosed.total": 8,
    "applications.unavailable.not_held.natural_person": 3,
    "applications.unavailable.not_held.total": 3,
    "applications.total.natural_person": 10,
    "applications.total.commercial_enterprise": 1,
    "applications.total.total": 11,
    "applications.carried_over_to_next_year.natural_person": 2,
    "applications.carried_over_to_next_year.total": 2,
    "appeals.reconsideration.upheld": 1,
    "appeals.reconsideration.other": 1,
    "appeals.reconsideration.total": 2,
}


def report(cells=None, *, zeros=True, **meta) -> NationalReport:
    """A report of ``cells`` (flat keys); every other cell 0, or a gap if not ``zeros``."""
    flat = {key: Decimal(0) if is_money(key) else 0 for key in CELL_KEYS} if zeros else {}
    return NationalReport.from_flat({**flat, "year": 2023, **(cells or {}), **meta})


def small(**changes) -> NationalReport:
    """The small report with some cells changed (keys with ``__`` for ``.``)."""
    return report({**SMALL, **{k.replace("__", "."): v for k, v in changes.items()}})


def messages(result):
    return [f.message for f in result.failures]


# ---- Keys -------------------------------------------------------------------------------

def test_every_cell_has_the_dotted_key_of_the_spec():
    for key in [
        "applications.withheld.state_secret.natural_person",
        "applications.total.total",
        "appeals.reconsideration.upheld",
        "proactive.rules.issued",
        "proactive.fees.amount_10k_yuan",
        "processing_fees.billed_yuan",
    ]:
        assert key in CELL_KEYS
    # 三: 25 rows × 7 columns; 四: 3 groups × 5; 二: 3 + 3 + 1 + 1 + 1 + 1; 六: 3 fee figures.
    assert len(CELL_KEYS) == 25 * 7 + 3 * 5 + 10 + 3
    assert len(APPLICATION_ROW_KEYS) == 25
    assert len(OUTCOME_KEYS) == 21  # the spec's "23 outcome rows" is a slip: the table has 21


def test_a_new_report_is_all_gaps():
    flat = NationalReport().to_flat()
    assert list(flat) == list(FLAT_KEYS)
    assert all(flat[key] is None for key in CELL_KEYS)
    assert flat["format"] == "2021"


def test_money_is_decimal_and_counts_are_ints():
    r = NationalReport(proactive={"fees": {"amount_10k_yuan": "12.50"}},
                       processing_fees={"notices": 2, "billed_yuan": 300})
    assert r.proactive["fees"]["amount_10k_yuan"] == Decimal("12.50")
    assert r.processing_fees == {"notices": 2, "billed_yuan": Decimal(300), "collected_yuan": None}


# ---- JSON and the flat view ---------------------------------------------------------------

def test_json_nests_by_section_row_and_column_with_money_as_strings_and_gaps_as_null():
    r = small(proactive__fees__amount_10k_yuan=Decimal("12.50"),
              **{"applications.withheld.state_secret.natural_person": None})
    obj = json.loads(r.to_json())
    assert obj["proactive"]["fees"]["amount_10k_yuan"] == "12.50"
    assert obj["applications"]["withheld.state_secret"]["natural_person"] is None
    assert obj["applications"]["total"]["total"] == 11
    assert obj["appeals"]["reconsideration"] == {
        "upheld": 1, "corrected": 0, "other": 1, "pending": 0, "total": 2,
    }
    assert obj["processing_fees"] == {"notices": 0, "billed_yuan": "0", "collected_yuan": "0"}
    assert list(obj) == ["format", "agency", "year", "overview", "proactive", "applications",
                         "appeals", "problems", "other_matters", "processing_fees"]


def test_json_money_given_as_a_number_is_read_exactly():
    r = NationalReport.from_json('{"processing_fees": {"billed_yuan": 0.1, "collected_yuan": 3}}')
    assert r.processing_fees["billed_yuan"] == Decimal("0.1")
    assert r.processing_fees["collected_yuan"] == Decimal(3)


@given(consistent_reports())
def test_a_report_round_trips_through_json_and_the_flat_view(r):
    assert NationalReport.from_json(r.to_json()) == r
    assert NationalReport.from_json(r.to_json()).to_json() == r.to_json()  # "12.50" stays
    assert NationalReport.from_flat(r.to_flat()) == r


@given(reports_with_gaps())
def test_a_report_with_gaps_round_trips_too(r):
    assert NationalReport.from_json(r.to_json()) == r
    assert NationalReport.from_flat(r.to_flat()) == r


@pytest.mark.parametrize(
    ("make", "key"),
    [
        (lambda: NationalReport.from_flat({"applications.received.robots": 1}),
         "applications.received.robots"),
        (lambda: NationalReport.from_flat({"applications.received": 1}), "applications.received"),
        (lambda: NationalReport.from_flat({"title": "x"}), "title"),
        (lambda: NationalReport.from_json('{"sections": {}}'), "sections"),
        (lambda: NationalReport.from_json('{"applications": {"withheld.secret": {}}}'),
         "applications.withheld.secret"),
        (lambda: NationalReport.from_json('{"appeals": {"reconsideration": {"won": 1}}}'),
         "appeals.reconsideration.won"),
        (lambda: NationalReport(proactive={"rules": {"decisions": 1}}),
         "proactive.rules.decisions"),
        (lambda: NationalReport(processing_fees={"refunded_yuan": 1}),
         "processing_fees.refunded_yuan"),
    ],
)
def test_an_unknown_key_is_refused_by_name(make, key):
    with pytest.raises(ValueError, match=f"unknown key '{key}'"):
        make()


@pytest.mark.parametrize(
    ("flat", "message"),
    [
        ({"applications.received.total": "3"}, "applications.received.total must be a whole number"),
        ({"applications.received.total": 3.0}, "applications.received.total must be a whole number"),
        ({"applications.received.total": True}, "applications.received.total must be a number"),
        ({"appeals.reconsideration.total": -1}, "appeals.reconsideration.total must not be negative"),
        ({"processing_fees.billed_yuan": 0.1}, "processing_fees.billed_yuan must be a decimal"),
        ({"processing_fees.billed_yuan": "ten"}, "processing_fees.billed_yuan must be a decimal"),
        ({"processing_fees.billed_yuan": "-1"}, "processing_fees.billed_yuan must be a non-negative"),
        ({"processing_fees.billed_yuan": "NaN"}, "processing_fees.billed_yuan must be a non-negative"),
        ({"year": "2023"}, "year must be a whole number"),
        ({"format": "2020"}, "format must be '2021' or '2019'"),
        ({"overview": 5}, "overview must be text"),
    ],
)
def test_a_wrong_value_is_refused_naming_the_cell(flat, message):
    with pytest.raises(ValueError, match=message):
        NationalReport.from_flat(flat)


def test_a_json_count_with_a_fraction_is_refused():
    with pytest.raises(ValueError, match="applications.total.total must be a whole number"):
        NationalReport.from_json('{"applications": {"total": {"total": 3.5}}}')


# ---- Each check passes on a consistent report and fires on one made to break it -----------

def test_a_consistent_report_passes_every_check_and_skips_none():
    result = check(small())
    assert result.ok
    assert result.failures == ()
    assert result.skipped == ()


def test_the_printed_rule_received_plus_carried_equals_total_plus_carried():
    result = check_balance(small(applications__received__natural_person=11,
                                 applications__received__total=12))
    assert [f.rule for f in result.failures] == [Rule.BALANCE, Rule.BALANCE]
    assert messages(result)[0] == (
        "applications.received.natural_person + applications.carried_over_from_last_year"
        ".natural_person = 11 + 2 = 13, but applications.total.natural_person + "
        "applications.carried_over_to_next_year.natural_person = 10 + 2 = 12"
    )
    assert result.failures[0].cells == (
        "applications.received.natural_person",
        "applications.carried_over_from_last_year.natural_person",
        "applications.total.natural_person",
        "applications.carried_over_to_next_year.natural_person",
    )
    assert check_balance(small()).ok


def test_every_rows_total_is_the_sum_of_the_applicant_columns():
    result = check_row_totals(small(applications__disclosed__total=9))
    assert messages(result) == [
        "applications.disclosed.total = 9, but the applicant columns sum to 8 (7 + 1 + 0 + 0 + 0 + 0)"
    ]
    assert result.failures[0].rule is Rule.ROW_TOTAL
    assert check_row_totals(small()).ok


def test_the_total_row_is_the_sum_of_the_outcome_rows():
    garbled = report({"applications.other.other.natural_person": 1311,
                      "applications.total.natural_person": 1310})
    result = check_outcome_totals(garbled)
    assert messages(result) == [
        "applications.total.natural_person = 1310, but the outcome rows sum to 1311"
    ]
    assert result.failures[0].rule is Rule.OUTCOME_TOTAL
    assert len(result.failures[0].cells) == 1 + 21
    assert check_outcome_totals(small()).ok


def test_each_appeals_total_is_the_sum_of_its_four_results():
    result = check_appeal_totals(small(appeals__reconsideration__total=3))
    assert messages(result) == [
        "appeals.reconsideration.total = 3, but its results sum to 2 (1 + 0 + 1 + 0)"
    ]
    assert result.failures[0].rule is Rule.APPEAL_TOTAL
    assert check_appeal_totals(small()).ok


def test_check_gathers_the_failures_of_every_rule():
    broken = small(applications__received__natural_person=11, applications__disclosed__total=9,
                   appeals__reconsideration__total=3)
    assert {f.rule for f in check(broken).failures} == {
        Rule.ROW_TOTAL, Rule.OUTCOME_TOTAL, Rule.BALANCE, Rule.APPEAL_TOTAL,
    }
    assert not check(broken).ok


# ---- Across years --------------------------------------------------------------------------

def test_this_years_carried_over_is_what_last_year_carried_over():
    last_year = report(SMALL, year=2022)
    assert check_carry_over(last_year, small()).ok
    assert check(small(), previous=last_year).ok

    last_year = report({**SMALL, "applications.carried_over_to_next_year.natural_person": 3,
                        "applications.carried_over_to_next_year.total": 3}, year=2022)
    result = check_carry_over(last_year, small())
    assert messages(result) == [
        "applications.carried_over_from_last_year.natural_person = 2 in the 2023 report, "
        "but applications.carried_over_to_next_year.natural_person = 3 in the 2022 report",
        "applications.carried_over_from_last_year.total = 2 in the 2023 report, "
        "but applications.carried_over_to_next_year.total = 3 in the 2022 report",
    ]
    assert {f.rule for f in check(small(), previous=last_year).failures} == {Rule.CARRY_OVER}


def test_carry_over_is_skipped_where_either_year_lacks_the_cell():
    last_year = report({**SMALL, "applications.carried_over_to_next_year.total": None}, year=2022)
    result = check_carry_over(last_year, small())
    assert result.ok
    assert [s.missing for s in result.skipped] == [("applications.carried_over_to_next_year.total",)]
    assert result.skipped[0].message.endswith(
        "missing applications.carried_over_to_next_year.total in the 2022 report"
    )


def test_carry_over_compares_consecutive_years_only():
    with pytest.raises(ValueError, match="consecutive years, got 2021 and 2023"):
        check_carry_over(report(SMALL, year=2021), small())


@given(consecutive_reports())
def test_consecutive_consistent_reports_pass_the_carry_over(pair):
    previous, current = pair
    result = check(current, previous=previous)
    assert result.ok
    assert result.skipped == ()


def _documents(year, **cells):
    """A report whose section 二 has the given document cells (``rules__in_force=…``)."""
    return report({f"proactive.{k.replace('__', '.')}": v for k, v in cells.items()}, year=year)


def test_documents_in_force_roll_forward_from_last_year():
    last_year = _documents(2022, rules__in_force=5, normative_documents__in_force=40)
    this_year = _documents(2023, rules__issued=2, rules__repealed=1, rules__in_force=6,
                           normative_documents__issued=3, normative_documents__in_force=43)
    result = check_in_force(last_year, this_year)
    assert result.ok and result.skipped == ()


def test_documents_in_force_that_do_not_roll_forward_fail_with_the_numbers():
    last_year = _documents(2022, rules__in_force=5, normative_documents__in_force=40)
    this_year = _documents(2023, rules__issued=2, rules__repealed=1, rules__in_force=9,
                           normative_documents__in_force=40)
    result = check_in_force(last_year, this_year)
    assert messages(result) == [
        "proactive.rules.in_force = 9 in the 2023 report, but proactive.rules.in_force in the "
        "2022 report + proactive.rules.issued - proactive.rules.repealed = 5 + 2 - 1 = 6",
    ]
    assert result.failures[0].rule is Rule.IN_FORCE


def test_documents_in_force_are_not_checked_where_a_cell_is_missing():
    last_year = _documents(2022, rules__in_force=None)
    result = check_in_force(last_year, _documents(2023, normative_documents__repealed=None))
    assert result.ok
    assert [s.missing for s in result.skipped] == [("proactive.rules.in_force",),
                                                   ("proactive.normative_documents.repealed",)]
    assert result.skipped[0].message.endswith("missing proactive.rules.in_force in the 2022 report")


def test_documents_in_force_compare_consecutive_years_only():
    with pytest.raises(ValueError, match="consecutive years, got 2021 and 2023"):
        check_in_force(_documents(2021), _documents(2023))


# ---- Prose against the tables --------------------------------------------------------------

@pytest.mark.parametrize("stated", [11, 13])  # new applications only, or with last year's 2
def test_a_received_figure_in_the_prose_may_count_new_or_all_applications(stated):
    assert check_prose_figure(small(), ProseFigure.RECEIVED, stated).ok


def test_a_prose_figure_the_tables_cannot_explain_is_a_failure():
    result = check_prose_figure(small(), ProseFigure.RECEIVED, 12)
    assert messages(result) == [
        "the prose says received = 12, but the tables give applications.received.total = 11; "
        "applications.received.total + applications.carried_over_from_last_year.total "
        "= 11 + 2 = 13; applications.total.total + applications.carried_over_to_next_year.total "
        "= 11 + 2 = 13"
    ]
    assert result.failures[0].rule is Rule.PROSE


def test_closed_and_carried_over_figures_in_the_prose():
    assert check_prose_figure(small(), ProseFigure.CLOSED, 11).ok
    assert not check_prose_figure(small(), ProseFigure.CLOSED, 13).ok
    assert check_prose_figure(small(), ProseFigure.CARRIED_OVER, 2).ok


def test_a_prose_figure_is_skipped_when_the_tables_have_no_reading():
    result = check_prose_figure(NationalReport(), ProseFigure.CLOSED, 11)
    assert result.ok
    assert [s.missing for s in result.skipped] == [("applications.total.total",)]


# ---- Gaps: checks skip, never fail, and say what they could not check ----------------------

def test_a_missing_cell_skips_exactly_the_checks_that_need_it():
    result = check(small(applications__received__natural_person=None))
    assert result.ok
    assert [(s.rule, s.missing) for s in result.skipped] == [
        (Rule.BALANCE, ("applications.received.natural_person",)),
        (Rule.ROW_TOTAL, ("applications.received.natural_person",)),
    ]
    assert result.skipped[0].message == (
        "not checked: applications.received.natural_person + applications.carried_over_from"
        "_last_year.natural_person = applications.total.natural_person + applications.carried"
        "_over_to_next_year.natural_person; missing applications.received.natural_person"
    )


@given(consistent_reports())
def test_consistent_reports_pass_every_check(r):
    result = check(r)
    assert result.ok
    assert result.skipped == ()


@given(reports_with_gaps())
def test_gaps_never_make_a_consistent_report_fail(r):
    assert check(r).ok


_CHECKED_CELLS = [k for k in CELL_KEYS if k.startswith(("applications.", "appeals."))]


@given(consistent_reports(), st.sampled_from(_CHECKED_CELLS), st.integers(min_value=1, max_value=99))
def test_changing_any_one_count_of_sections_three_or_four_is_caught(r, key, delta):
    flat = r.to_flat()
    flat[key] += delta
    result = check(NationalReport.from_flat(flat))
    assert not result.ok
    assert all(key in f.cells for f in result.failures)


# ---- The seed: Beijing Xicheng district, 2023, as far as it is legible --------------------

def _row(prefix, values):
    return dict(zip((f"{prefix}.{c}" for c in REPORT_COLUMN_KEYS), values, strict=True))


SEED = {
    "agency": "北京市西城区人民政府",
    **_row("applications.total", (1311, 23, 0, 0, 2, 202, 1538)),
    **_row("applications.carried_over_to_next_year", (41, 0, 0, 0, 0, 0, 41)),
    # The row just above 总计, most likely 其他处理-3 其他 (its line carried a stray leading 0).
    **_row("applications.other.other", (43, 0, 0, 0, 2, 0, 45)),
    **dict(zip(("appeals.reconsideration.upheld", "appeals.reconsideration.corrected",
                "appeals.reconsideration.other", "appeals.reconsideration.pending",
                "appeals.reconsideration.total"), (138, 8, 92, 8, 246), strict=True)),
    **dict(zip(("appeals.litigation_direct.upheld", "appeals.litigation_direct.corrected",
                "appeals.litigation_direct.other", "appeals.litigation_direct.pending",
                "appeals.litigation_direct.total"), (15, 0, 1, 1, 17), strict=True)),
    **dict(zip(("appeals.litigation_after_reconsideration.upheld",
                "appeals.litigation_after_reconsideration.corrected",
                "appeals.litigation_after_reconsideration.other",
                "appeals.litigation_after_reconsideration.pending",
                "appeals.litigation_after_reconsideration.total"), (9, 0, 0, 1, 10), strict=True)),
    "processing_fees.notices": 0,
    "processing_fees.billed_yuan": "0",
    "processing_fees.collected_yuan": "0",
}


def test_the_seeds_legible_figures_are_consistent_as_far_as_they_go():
    seed = report(SEED, zeros=False)
    result = check(seed)
    assert result.ok
    # Without received or carried-over-from-last-year, the printed rule cannot be checked;
    # without the other outcome rows, neither can the total row; the three legible rows'
    # totals and all of section 四 are checked, and pass.
    assert {s.rule for s in result.skipped} == {Rule.BALANCE, Rule.ROW_TOTAL, Rule.OUTCOME_TOTAL}
    assert len([s for s in result.skipped if s.rule is Rule.BALANCE]) == 7
    assert len([s for s in result.skipped if s.rule is Rule.OUTCOME_TOTAL]) == 7
    assert len([s for s in result.skipped if s.rule is Rule.ROW_TOTAL]) == 25 - 3


def test_the_seeds_prose_does_not_match_its_tables():
    seed = report(SEED, zeros=False)
    result = check_prose_figure(seed, ProseFigure.RECEIVED, 1016)
    assert messages(result) == [
        "the prose says received = 1016, but the tables give applications.total.total + "
        "applications.carried_over_to_next_year.total = 1538 + 41 = 1579"
    ]
    assert check_prose_figure(seed, ProseFigure.CLOSED, 1538).ok


def test_the_seed_round_trips():
    seed = report(SEED, zeros=False)
    assert seed.format is ReportFormat.V2021
    assert NationalReport.from_json(seed.to_json()) == seed
