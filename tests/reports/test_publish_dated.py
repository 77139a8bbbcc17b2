"""A publication recorded with its own (earlier) date: after the year, never in the future."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from tests.reports.helpers import YEAR, finish_narrative
from xxgk.agencies.models import AuditEntry
from xxgk.core.steps import StepError
from xxgk.reports import actions

pytestmark = pytest.mark.django_db


def _approved(world):
    report = actions.start_draft(world.education, YEAR, actor=world.ogi)
    finish_narrative(report, actor=world.ogi)
    return actions.approve(report, actor=world.ogi)


def test_a_publication_can_be_dated_earlier_and_the_audit_says_so(world):
    report = actions.publish(_approved(world), actor=world.ogi,
                             published_on=dt.date(YEAR + 1, 1, 15))
    assert timezone.localtime(report.published_at).date() == dt.date(YEAR + 1, 1, 15)
    assert report.locked
    entry = AuditEntry.objects.get(action="report.publish")
    assert entry.detail["published_on"] == f"{YEAR + 1}-01-15"


@pytest.mark.parametrize("day", [dt.date(YEAR, 12, 31), dt.date.today() + dt.timedelta(days=2)])
def test_a_date_within_the_year_or_in_the_future_is_refused_and_nothing_is_written(world, day):
    report = _approved(world)
    with translation.override("en"), pytest.raises(StepError, match="after its year"):
        actions.publish(report, actor=world.ogi, published_on=day)
    report.refresh_from_db()
    assert not report.locked and report.published_at is None
    assert not AuditEntry.objects.filter(action="report.publish").exists()
