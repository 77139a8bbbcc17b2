"""Consultations held in a year and those whose feedback report is published."""

import datetime as dt

import pytest

from xxgk.consultations import actions, counting

pytestmark = pytest.mark.django_db
D = dt.date


def held(agency, opened: dt.date, closes: dt.date, feedback_on: dt.date | None = None):
    item = actions.open_consultation(agency, title="征求意见", opened_on=opened, closes_on=closes)
    if feedback_on is not None:
        actions.publish_feedback(item, published_on=feedback_on, text="反馈",
                                 opinions_received=3, opinions_adopted=1)
    return item


def test_consultations_opened_in_the_year_and_those_with_feedback(world):
    held(world.education, D(2025, 2, 3), D(2025, 3, 3), D(2025, 3, 20))
    held(world.education, D(2025, 12, 1), D(2026, 1, 5), D(2026, 1, 20))  # feedback next year
    held(world.education, D(2025, 6, 2), D(2025, 7, 2))  # no feedback yet
    held(world.education, D(2024, 6, 2), D(2024, 7, 2), D(2024, 8, 1))  # last year's
    counts = counting.counts([world.education.pk, world.finance.pk], 2025)
    assert counts == {world.education.pk: {"consultations": 3, "with_feedback": 2}}


def test_an_agency_in_use_that_held_none_this_year_counts_zero(world):
    held(world.education, D(2024, 6, 2), D(2024, 7, 2))
    assert counting.counts([world.education.pk], 2025) == {
        world.education.pk: {"consultations": 0, "with_feedback": 0}}
    assert counting.counts([world.education.pk], 2023) == {}
