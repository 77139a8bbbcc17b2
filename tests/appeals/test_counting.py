"""Section 四: cases filed in the year, by kind, with their result as of 31 December."""

import datetime as dt

import pytest

from tests.appeals.helpers import case
from xxgk import taxonomy
from xxgk.appeals import actions
from xxgk.appeals.counting import appeal_counts
from xxgk.oversight.scores import appeal_results

pytestmark = pytest.mark.django_db


def _ids(*agencies):
    return [a.pk for a in agencies]


def test_no_cases_is_a_table_of_zeros(world):
    counts = appeal_counts(_ids(world.education), 2023)
    assert set(counts) == set(taxonomy.APPEAL_KIND_KEYS)
    assert all(set(row) == set(taxonomy.APPEAL_CELL_KEYS) and not any(row.values())
               for row in counts.values())


def test_cases_count_by_kind_and_result_as_of_the_year_end(world):
    decided = [
        ("reconsideration", "upheld", dt.date(2023, 5, 1)),
        ("reconsideration", "upheld", dt.date(2023, 12, 31)),
        ("reconsideration", "corrected", dt.date(2023, 6, 1)),
        ("reconsideration", "other", dt.date(2024, 1, 2)),  # after the year end: pending
        ("reconsideration", None, None),
        ("litigation_direct", "other", dt.date(2023, 9, 1)),
        ("litigation_after_reconsideration", "upheld", dt.date(2024, 3, 1)),
    ]
    for i, (kind, result, on) in enumerate(decided):
        recorded = case(world.education, kind=kind, number=f"案{i}", filed_on=dt.date(2023, 4, 1))
        if result:
            actions.record_decision(recorded, result=result, decided_on=on)
    counts = appeal_counts(_ids(world.education), 2023)
    assert counts["reconsideration"] == {"upheld": 2, "corrected": 1, "other": 0, "pending": 2,
                                         "total": 5}
    assert counts["litigation_direct"] == {"upheld": 0, "corrected": 0, "other": 1,
                                           "pending": 0, "total": 1}
    assert counts["litigation_after_reconsideration"]["pending"] == 1
    # The same case, in the year of its decision, is not counted again: it was filed in 2023.
    assert appeal_counts(_ids(world.education), 2024)["reconsideration"]["total"] == 0


def test_only_the_given_agencies_and_the_filing_year_count(world):
    case(world.education, number="a", filed_on=dt.date(2023, 1, 1))
    case(world.education, number="b", filed_on=dt.date(2023, 12, 31))
    case(world.education, number="c", filed_on=dt.date(2022, 12, 31))
    case(world.finance, number="d", filed_on=dt.date(2023, 6, 1))
    assert appeal_counts(_ids(world.education), 2023)["reconsideration"]["total"] == 2
    assert appeal_counts(_ids(world.education, world.finance), 2023)["reconsideration"][
        "total"] == 3


def test_the_count_is_one_query(world, django_assert_num_queries):
    case(world.education)
    with django_assert_num_queries(1):
        appeal_counts(_ids(world.education), 2023)


def test_the_scorecard_counts_appeals_by_the_same_year_end_rule(world):
    """One rule for section 四 and the scorecard: a case decided after 31 December is
    pending in both, per agency and summed over the kinds."""
    for i, (agency, result, on) in enumerate([
            (world.education, "corrected", dt.date(2023, 6, 1)),
            (world.education, "upheld", dt.date(2024, 1, 2)),  # after the year end: pending
            (world.finance, "upheld", dt.date(2023, 7, 1))]):
        recorded = case(agency, number=f"案{i}", filed_on=dt.date(2023, 4, 1))
        actions.record_decision(recorded, result=result, decided_on=on)
    by_agency = appeal_results(_ids(world.education, world.finance), 2023)
    assert by_agency[world.education.pk] == {"upheld": 0, "corrected": 1, "other": 0,
                                             "pending": 1}
    assert by_agency[world.finance.pk]["upheld"] == 1
    report = appeal_counts(_ids(world.education, world.finance), 2023)
    for result in taxonomy.APPEAL_RESULT_KEYS:
        assert sum(row[result] for row in report.values()) \
            == sum(counts[result] for counts in by_agency.values())
