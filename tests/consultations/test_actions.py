"""Opening a consultation and publishing its feedback report."""

import datetime as dt

import pytest
from django.utils import translation

from tests.factories import published_report
from xxgk.agencies.models import AuditEntry
from xxgk.consultations import actions
from xxgk.consultations.models import Consultation, FeedbackReport
from xxgk.core.steps import StepError

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def consultation(world, **changes):
    values = {"title": "《西城区中小学校课后服务管理办法（征求意见稿）》公开征求意见",
              "opened_on": D(2025, 3, 3), "closes_on": D(2025, 4, 2), **changes}
    return actions.open_consultation(world.education, **values)


def feedback(item, **changes):
    values = {"published_on": D(2025, 4, 20), "text": "共收到意见12条，采纳5条。",
              "opinions_received": 12, "opinions_adopted": 5, **changes}
    return actions.publish_feedback(item, **values)


def test_a_consultation_is_opened_and_its_feedback_published_once(world):
    item = consultation(world, actor=world.handler)
    report = feedback(item, actor=world.handler)
    assert (report.opinions_received, report.opinions_adopted) == (12, 5)
    assert item.feedback == report
    with pytest.raises(StepError, match="already published"):
        feedback(item)
    assert list(AuditEntry.objects.filter(action__startswith="consultation.")
                .values_list("action", flat=True).order_by("pk")) == [
        "consultation.open", "consultation.feedback"]


@pytest.mark.parametrize(("changes", "field"), [
    ({"title": " "}, "title"),
    ({"opened_on": D(2099, 1, 1), "closes_on": D(2099, 2, 1)}, "opened_on"),
    ({"closes_on": D(2025, 3, 1)}, "closes_on"),
])
def test_a_bad_consultation_names_the_field_and_writes_nothing(world, changes, field):
    with pytest.raises(StepError) as refused:
        consultation(world, **changes)
    assert refused.value.field == field
    assert not Consultation.objects.exists()


@pytest.mark.parametrize(("changes", "field"), [
    ({"text": ""}, "text"),
    ({"opinions_adopted": 13}, "opinions_adopted"),
    ({"opinions_received": -1}, "opinions_adopted"),
    ({"published_on": D(2025, 3, 20)}, "published_on"),  # before it closed
    ({"published_on": D(2099, 3, 20)}, "published_on"),
])
def test_a_bad_feedback_report_names_the_field_and_writes_nothing(world, changes, field):
    item = consultation(world)
    with pytest.raises(StepError) as refused:
        feedback(item, **changes)
    assert refused.value.field == field
    assert not FeedbackReport.objects.exists()


def test_only_the_agency_s_handlers_and_the_ogi_office_record_consultations(world):
    consultation(world, actor=world.ogi)
    for outsider in (world.finance_handler, world.reviewer, world.auditor):
        with pytest.raises(StepError, match="may not record"):
            consultation(world, actor=outsider)
    assert Consultation.objects.count() == 1


def test_a_published_report_locks_its_year(world):
    item = consultation(world)
    published_report(world.education, 2025)
    with pytest.raises(StepError, match="2025 has been published"):
        consultation(world)
    with pytest.raises(StepError, match="2025 has been published"):
        feedback(item)
    feedback(item, published_on=D(2026, 1, 6))
