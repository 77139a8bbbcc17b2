"""The scorecard's figures on a small year of work (tests/oversight/helpers.py)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.applications.helpers import received
from tests.catalog.helpers import (
    published_interpretation,
    published_item,
    published_policy,
    text,
)
from tests.oversight.helpers import small_year
from xxgk.applications import timing
from xxgk.applications.models import Application
from xxgk.catalog import actions
from xxgk.consultations.actions import open_consultation, publish_feedback
from xxgk.consultations.models import Consultation
from xxgk.core.today import fixed_today
from xxgk.oversight import scores
from xxgk.oversight.models import Training

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 26)


def _paths(*agencies):
    return {a.pk: a.path for a in agencies}


@pytest.fixture
def year(world):
    small_year(world)
    return world


def test_on_time_compares_the_closing_date_with_the_due_date(year):
    figures = scores.agency_figures([year.education.pk], 2023, TODAY)[year.education.pk]
    assert figures.closed == 3  # on time, late, withdrawn (next_year closes in 2024)
    assert figures.closed_with_due == 2  # the withdrawal had no running period
    assert figures.closed_on_time == 1  # replied on the due date itself
    # Out of the two closed with a due date and the one still open past it.
    assert (figures.on_time.part, figures.on_time.whole) == (1, 3)
    assert figures.received == 5  # withdrawn was never received


def test_the_cached_due_date_of_a_closed_application_is_the_clock_on_its_closing_day(year):
    for application in Application.objects.filter(closed_on__isnull=False):
        result = timing.compute(application, today=application.closed_on)
        assert application.due_on == (result.due if result else None), application.number


def test_overdue_is_closed_late_plus_open_past_due_but_not_lapsed(year):
    figures = scores.agency_figures([year.education.pk], 2023, TODAY)[year.education.pk]
    assert figures.closed_late == 1
    assert figures.open_overdue == 1  # the lapsed fee case is not overdue
    assert figures.overdue == 2


def test_an_agency_whose_only_due_applications_are_open_and_overdue_is_at_0_percent(world):
    """Two applications received in November 2023 and never answered: nothing was closed
    late, but neither was answered on time."""
    for _ in range(2):
        received(world.finance, dt.date(2023, 11, 1))
    figures = scores.agency_figures([world.finance.pk], 2023, TODAY)[world.finance.pk]
    assert (figures.closed_with_due, figures.open_overdue) == (0, 2)
    assert (figures.on_time.part, figures.on_time.whole) == (0, 2)
    assert figures.on_time.percent == 0.0
    # Before their due date (29 November) they had not fallen due: no rate yet.
    early = scores.agency_figures([world.finance.pk], 2023, dt.date(2023, 11, 20))
    assert early[world.finance.pk].on_time.percent is None


def test_an_open_application_counts_in_the_year_its_due_date_passed_and_later(year):
    assert scores.application_counts([year.education.pk], 2022, TODAY) == {}
    in_2024 = scores.application_counts([year.education.pk], 2024, TODAY)[year.education.pk]
    assert in_2024["open_overdue"] == 1 and in_2024["closed_on_time"] == 1
    # Before its due date it is not overdue yet.
    early = scores.application_counts([year.education.pk], 2023, dt.date(2023, 11, 29))
    assert early[year.education.pk]["open_overdue"] == 0


def test_appeal_results_are_those_of_cases_filed_in_the_year_as_of_31_december(year):
    figures = scores.agency_figures([year.education.pk], 2023, TODAY)[year.education.pk]
    assert (figures.appeals_upheld, figures.appeals_corrected, figures.appeals_other,
            figures.appeals_pending) == (1, 1, 0, 1)
    assert figures.appeal_corrections.percent == 50.0


def test_publishing_rates_are_not_recorded_but_the_entered_denominators_are_shown(year):
    figures = scores.agency_figures([year.education.pk, year.finance.pk], 2023, TODAY)
    education, finance = figures[year.education.pk], figures[year.finance.pk]
    assert education.items_published == 120 and not education.proactive_on_time.recorded
    assert education.consultations == 3 and not education.consultation_feedback.recorded
    assert education.policy_documents == 5 and education.interpretations == 4
    assert not education.policy_interpreted.recorded
    assert education.entered == 1
    assert finance.items_published is None and finance.entered == 0


def test_trainings_attended_and_organised(year):
    figures = scores.agency_figures(
        [year.district.pk, year.education.pk, year.finance.pk], 2023, TODAY)
    assert figures[year.education.pk].trainings_attended == 2
    assert figures[year.finance.pk].trainings_attended == 1
    assert figures[year.district.pk].trainings_organised == 2
    assert figures[year.district.pk].training_attendees == 52
    assert Training.objects.count() == 3


def test_the_roll_up_of_the_district_adds_every_agency_and_counts_sessions_once(year):
    agencies = [year.district, year.education, year.finance, year.subdistrict]
    card = scores.scorecard(_paths(*agencies), 2023, TODAY)
    assert [row.agency_id for row in card.rows] == [a.pk for a in agencies]
    [total] = card.totals
    assert total.agency_id == year.district.pk and total.total
    f = total.figures
    assert (f.closed_with_due, f.closed_on_time, f.open_overdue) == (3, 2, 1)
    assert f.on_time.percent == 50.0  # 2 of the 4 that fell due
    assert f.overdue == 2
    assert f.trainings_attended == 2  # the April session counts once, not per agency
    assert f.items_published == 120 and f.entered == 1 and f.agencies == 4
    subdistrict = card.rows[-1].figures
    assert subdistrict.on_time.recorded and subdistrict.on_time.percent is None


def test_a_scope_of_one_agency_has_no_total_row(year):
    card = scores.scorecard(_paths(year.education), 2023, TODAY)
    assert len(card.rows) == 1 and card.totals == []


def test_months_count_receipts_and_closings(year):
    card = scores.scorecard(_paths(year.education), 2023, TODAY)
    months = {m: (r, c) for m, r, c in card.months}
    assert len(months) == 12
    assert months[3] == (2, 2) and months[11] == (1, 0) and months[12] == (1, 0)
    assert months[5] == (0, 1)  # the withdrawal


def _queries(paths):
    with CaptureQueriesContext(connection) as captured:
        scores.scorecard(paths, 2023, TODAY)
    return len(captured.captured_queries)


def test_the_query_count_does_not_grow_with_the_number_of_agencies(year):
    two = _paths(year.district, year.education)
    four = _paths(year.district, year.education, year.finance, year.subdistrict)
    # Applications 3, months 2, appeals 1, entered figures 4, trainings 2, the total 1,
    # the catalogue 1 and the consultations 1 (nobody keeps them here; 5 and 2 when some
    # agency does).
    assert _queries(two) == _queries(four) == 15
    for agency in (year.education, year.finance):
        published_item(agency, dt.date(2023, 3, 1), dt.date(2023, 3, 2))
        open_consultation(agency, title="征求意见", opened_on=dt.date(2023, 3, 1),
                          closes_on=dt.date(2023, 3, 31))
    assert _queries(two) == _queries(four) == 21


def test_items_published_late_or_still_unpublished_past_their_deadline_count_against(year):
    finance = year.finance
    published_item(finance, dt.date(2023, 3, 1), dt.date(2023, 3, 29))  # on time
    published_item(finance, dt.date(2023, 3, 1), dt.date(2023, 4, 3))  # late
    with fixed_today(dt.date(2023, 12, 20)):
        # Formed 1 March, due 29 March, never published: late from 30 March on.
        actions.create_item(finance, text(formed=dt.date(2023, 3, 1)))
        # Formed 15 December, due 15 January 2024: not late in 2023.
        actions.create_item(finance, text(formed=dt.date(2023, 12, 15)))
        # Withheld: never to be published, so never late.
        actions.create_item(finance, text(formed=dt.date(2023, 3, 1), attribute="withheld",
                                          withholding_ground="withheld.state_secret"))
    figures = scores.agency_figures([finance.pk], 2023, TODAY)[finance.pk]
    assert (figures.items_published, figures.items_unpublished_late) == (2, 1)
    assert figures.items_late == 2
    assert (figures.proactive_on_time.part, figures.proactive_on_time.whole) == (1, 3)
    # The draft due in 2024 is late in 2024's scorecard, and the one of March still is.
    in_2024 = scores.agency_figures([finance.pk], 2024, TODAY)[finance.pk]
    assert in_2024.items_unpublished_late == 2 and in_2024.proactive_on_time.percent == 0.0
    # Education entered its figures and keeps no catalogue here: nothing known to be late.
    education = scores.agency_figures([year.education.pk], 2023, TODAY)[year.education.pk]
    assert education.items_unpublished_late is None and education.items_late is None


def test_the_catalogue_gives_the_publishing_rates_where_nothing_was_entered(year):
    published_item(year.finance, dt.date(2023, 3, 1), dt.date(2023, 3, 29))  # on time
    published_item(year.finance, dt.date(2023, 3, 1), dt.date(2023, 3, 30))  # a day late
    policy = published_policy(year.finance, "normative_documents", dt.date(2023, 5, 4))
    published_interpretation(policy, dt.date(2023, 5, 10))
    published_policy(year.finance, "rules", dt.date(2023, 6, 1))
    figures = scores.agency_figures([year.education.pk, year.finance.pk], 2023, TODAY)
    finance = figures[year.finance.pk]
    # Two items, two policies and an interpretation, all but one published on time.
    assert (finance.items_published_on_time, finance.items_published) == (4, 5)
    assert finance.proactive_on_time.percent == 80.0
    assert (finance.policy_documents_interpreted, finance.policy_documents) == (1, 2)
    assert finance.interpretations == 1
    # Consultations kept in xxgk: one of two published its feedback.
    for opened in (dt.date(2023, 5, 4), dt.date(2023, 7, 3)):
        open_consultation(year.finance, title="征求意见", opened_on=opened,
                          closes_on=opened + dt.timedelta(days=30))
    publish_feedback(Consultation.objects.earliest("opened_on"),
                     published_on=dt.date(2023, 6, 30), text="反馈", opinions_received=2,
                     opinions_adopted=0)
    finance = scores.agency_figures([year.finance.pk], 2023, TODAY)[year.finance.pk]
    assert (finance.consultations_with_feedback, finance.consultations) == (1, 2)
    # Education entered its figures: they stand, and its timely count stays unrecorded.
    education = figures[year.education.pk]
    assert education.items_published == 120 and not education.proactive_on_time.recorded
