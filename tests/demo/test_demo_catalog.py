"""The demo's catalogue and consultations of this year: counted by this year's report."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from xxgk.agencies.models import Agency
from xxgk.catalog.models import InfoItem, Interpretation, PolicyDocument, ValidityChange
from xxgk.consultations.counting import counts as consultation_counts
from xxgk.consultations.models import Consultation, FeedbackReport
from xxgk.demo import build
from xxgk.demo import catalog as demo
from xxgk.demo import consultations as demo_consultations
from xxgk.reports import compute, proactive

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _agencies_staff_and_catalogue(monkeypatch):
    steps = [s for s in build.STEPS if s.run in (
        build.build_agencies, build.build_staff, demo.build_catalogue,
        demo_consultations.build_consultations)]
    monkeypatch.setattr(build, "STEPS", steps)


def test_this_year_s_items_are_published_and_counted_by_this_year_s_report():
    call_command("demo", verbosity=0)
    year = timezone.localdate().year
    assert InfoItem.objects.count() == demo.RECORDS
    assert not InfoItem.objects.filter(state="draft").exists()
    top = Agency.objects.get(code="110102")
    publishing = proactive.publishing_figures(compute.scope(top), year)
    assert publishing["items_published"] == demo.RECORDS
    assert publishing["policy_documents"] == len(demo.POLICIES)
    assert publishing["interpretations"] == Interpretation.objects.count() == len(demo.POLICIES)
    report = compute.compute_report(top, year)
    assert report.proactive["normative_documents"] == {
        "issued": len(demo.POLICIES), "repealed": 1, "in_force": len(demo.POLICIES) - 1}


def test_the_older_document_is_repealed_by_its_successor():
    call_command("demo", verbosity=0)
    change = ValidityChange.objects.get()
    old, new = (PolicyDocument.objects.get(title=title) for title, _no in demo.POLICIES[:2])
    assert (change.document, change.by_document, change.validity) == (old, new, "repealed")
    assert old.issued_on <= new.issued_on and old.validity == "repealed"


def test_running_twice_adds_nothing():
    call_command("demo", verbosity=0)
    first = list(InfoItem.objects.order_by("index_no").values_list("index_no", "title",
                                                                   "published_on"))
    call_command("demo", verbosity=0)
    assert list(InfoItem.objects.order_by("index_no").values_list(
        "index_no", "title", "published_on")) == first
    assert ValidityChange.objects.count() == 1


def test_this_year_s_consultations_and_their_feedback_are_counted():
    call_command("demo", verbosity=0)
    year = timezone.localdate().year
    top = Agency.objects.get(code="110102")
    held = consultation_counts(compute.scope(top), year)
    office = Agency.objects.get(code="110102101")
    assert held[office.pk]["consultations"] == Consultation.objects.filter(
        opened_on__year=year).count()
    today = timezone.localdate()
    for title, _ago, _days, opinions in demo_consultations.CONSULTATIONS:
        item = Consultation.objects.get(title=title)
        has_feedback = FeedbackReport.objects.filter(consultation=item).exists()
        if opinions is None:
            assert not has_feedback
        elif item.closes_on + dt.timedelta(days=15) <= today:  # published 5–15 days after
            assert has_feedback
    assert proactive.publishing_figures(compute.scope(top), year)["consultations"] == (
        held[office.pk]["consultations"])
