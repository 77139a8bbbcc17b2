"""The pure arithmetic of the scorecards: rates, roll-ups, sorting, chart labels."""

import pytest

from xxgk.oversight.scores import (
    OPTIONAL_FIGURES,
    Figures,
    Rate,
    Row,
    percentage,
    roll_up,
    short_names,
    sort_rows,
)


@pytest.mark.parametrize(("part", "whole", "expected"), [
    (3, 4, 75.0), (0, 5, 0.0), (5, 5, 100.0), (0, 0, None), (None, 5, None), (3, None, None),
])
def test_a_percentage_of_nothing_or_of_an_unrecorded_figure_is_none(part, whole, expected):
    assert percentage(part, whole) == expected


def test_a_rate_knows_whether_its_source_records_it():
    assert Rate(1, 8).recorded and Rate(1, 8).fraction == 0.125
    assert Rate(0, 0).recorded and Rate(0, 0).percent is None
    assert not Rate(None, 8).recorded and Rate(None, 8).percent is None


def test_overdue_adds_the_open_ones_to_those_closed_late():
    figures = Figures(closed_with_due=10, closed_on_time=7, open_overdue=2)
    assert figures.closed_late == 3
    assert figures.overdue == 5


def test_the_on_time_rate_counts_the_open_overdue_as_not_on_time():
    figures = Figures(closed_with_due=10, closed_on_time=7, open_overdue=2)
    assert figures.fell_due == 12
    assert (figures.on_time.part, figures.on_time.whole) == (7, 12)
    # Two applications left unanswered past their due date are not a 100 % record.
    assert Figures(closed_with_due=1, closed_on_time=1, open_overdue=2).on_time.percent \
        == pytest.approx(100 / 3)
    assert Figures(open_overdue=2).on_time.percent == 0.0
    assert Figures().on_time.percent is None  # nothing fell due: no rate


def test_late_items_count_against_the_publishing_rate_as_late_applications_do():
    figures = Figures(items_published=10, items_published_on_time=8, items_unpublished_late=2)
    assert figures.items_fell_due == 12 and figures.items_late == 4
    assert (figures.proactive_on_time.part, figures.proactive_on_time.whole) == (8, 12)
    # Nothing published, two drafts left past their deadline: 0 %, not "no rate".
    assert Figures(items_published=0, items_published_on_time=0,
                   items_unpublished_late=2).proactive_on_time.percent == 0.0
    # Entered figures: how many were late is not known.
    entered = Figures(items_published=40)
    assert entered.items_late is None and not entered.proactive_on_time.recorded
    total = roll_up([figures, figures], trainings_attended=0)
    assert (total.items_late, total.proactive_on_time.whole) == (8, 24)


def test_appeal_corrections_are_a_share_of_the_decided_cases_only():
    figures = Figures(appeals_upheld=3, appeals_corrected=1, appeals_other=0, appeals_pending=4)
    assert figures.appeals_decided == 4 and figures.appeals_filed == 8
    assert figures.appeal_corrections.percent == 25.0


def test_the_figures_that_may_not_be_recorded_are_the_entered_and_catalogue_ones():
    expected = {"items_published", "items_published_on_time", "items_unpublished_late",
                "consultations",
                "consultations_with_feedback", "policy_documents",
                "policy_documents_interpreted", "interpretations"}
    assert expected == OPTIONAL_FIGURES


def test_a_roll_up_sums_counts_and_computes_rates_from_the_sums():
    a = Figures(closed_with_due=1, closed_on_time=1, items_published=10, entered=1)
    b = Figures(closed_with_due=9, closed_on_time=0, trainings_attended=2)
    total = roll_up([a, b], trainings_attended=2)
    assert total.on_time.percent == 10.0  # not the average of 100 % and 0 %
    assert total.items_published == 10  # what was entered; b entered nothing
    assert total.consultations is None  # nobody entered it: still not recorded
    assert total.entered == 1 and total.agencies == 2
    assert total.trainings_attended == 2


def test_a_rolled_up_rate_is_not_recorded_when_some_agency_knows_only_its_whole():
    counted = Figures(items_published=10, items_published_on_time=10, consultations=2,
                      consultations_with_feedback=1)
    entered = Figures(items_published=40)
    total = roll_up([counted, entered], trainings_attended=0)
    assert total.items_published == 50
    assert total.items_published_on_time is None and not total.proactive_on_time.recorded
    # Where every agency that has the whole also has the part, the rate stands.
    assert total.consultation_feedback.percent == 50.0
    both = roll_up([counted, counted], trainings_attended=0)
    assert both.proactive_on_time.percent == 100.0


def test_sorting_puts_rows_without_a_value_last_in_both_directions():
    rows = [Row(1, Figures()), Row(2, Figures(closed_with_due=2, closed_on_time=1)),
            Row(3, Figures(closed_with_due=1, closed_on_time=1)), Row(4, Figures(received=5))]
    assert [r.agency_id for r in sort_rows(rows, "on_time")] == [2, 3, 1, 4]
    assert [r.agency_id for r in sort_rows(rows, "on_time", descending=True)] == [3, 2, 1, 4]
    assert [r.agency_id for r in sort_rows(rows, "received", descending=True)] == [4, 1, 2, 3]
    assert [r.agency_id for r in sort_rows(rows, "agency", descending=True)] == [4, 3, 2, 1]
    assert [r.agency_id for r in sort_rows(rows, "no-such-column")] == [1, 2, 3, 4]


def test_short_names_drop_the_shared_prefix():
    assert short_names(["北京市西城区人民政府", "北京市西城区教育委员会", "北京市西城区财政局"]) == [
        "人民政府", "教育委员会", "财政局"]
    assert short_names(["Xicheng District Education Commission", "Xicheng District Finance"]) == [
        "Education Commission", "Finance"]
    assert short_names(["北京市西城区", "北京市西城区财政局"]) == ["北京市西城区", "财政局"]
    assert short_names(["财政局"]) == ["财政局"]
