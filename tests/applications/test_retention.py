"""Identity data is erased once its retention period has passed: the identity, the name,
the applicant's files and letters go; the statistics and the case's record stay."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import translation

from tests.applications.helpers import apply, received
from xxgk.agencies.models import AuditEntry
from xxgk.applications import actions, retention
from xxgk.applications.models import (
    ERASED_NAME,
    ApplicantIdentity,
    Application,
    Document,
    EventKind,
)
from xxgk.core.steps import StepError
from xxgk.core.today import fixed_today

pytestmark = pytest.mark.django_db

RECEIVED, CLOSED = dt.date(2026, 11, 2), dt.date(2026, 11, 10)
TEN_YEARS_ON = dt.date(2036, 11, 10)


def _file(application, kind):
    return Document.objects.create(application=application, kind=kind, filename=f"{kind}.pdf",
                                   content_type="application/pdf", size=4, content=b"%PDF")


@pytest.fixture
def closed(world):
    application = received(world.education, RECEIVED, actor=world.handler)
    actions.reply(application, outcome="disclosed", legal_basis="第三十六条第（二）项",
                  on=CLOSED, actor=world.handler)
    for kind in (Document.Kind.IDENTITY_PROOF, Document.Kind.LETTER, Document.Kind.RELEASED):
        _file(application, kind)
    return application


def test_the_period_runs_from_the_closing_day(closed, world):
    still_open, _code = apply(world.education)
    assert list(retention.due(TEN_YEARS_ON, years=10)) == [closed]
    assert list(retention.due(TEN_YEARS_ON - dt.timedelta(days=1), years=10)) == []
    assert list(retention.due(TEN_YEARS_ON, years=0)) == []  # 0 keeps everything
    assert still_open not in retention.due(dt.date(2099, 1, 1), years=10)


def test_erasure_removes_what_identifies_the_applicant_and_keeps_the_record(closed, world):
    events = list(closed.events.values_list("kind", "occurred_on"))
    erased = retention.erase(retention.due(TEN_YEARS_ON, years=10))
    assert (erased.applications, erased.documents) == (1, 2)
    application = Application.objects.get(pk=closed.pk)
    assert application.applicant_name == ERASED_NAME and application.applicant_key == ""
    assert not ApplicantIdentity.objects.filter(application=application).exists()
    assert list(application.documents.values_list("kind", flat=True)) == [Document.Kind.RELEASED]
    # What the annual report and the case's history need stays.
    assert (application.applicant_column, application.outcome, application.closed_on,
            application.received_on) == ("natural_person", "disclosed", CLOSED, RECEIVED)
    assert list(application.events.values_list("kind", "occurred_on")) == events
    assert EventKind.REPLIED in [kind for kind, _on in events]
    entry = AuditEntry.objects.get(action="application.erase_identity")
    assert entry.object_id == str(closed.pk) and entry.detail == {
        "closed_on": CLOSED.isoformat(), "documents": 2}
    # Done once: nothing is due again.
    assert list(retention.due(TEN_YEARS_ON, years=10)) == []


def test_staff_are_told_the_details_were_erased(closed, world):
    retention.erase(retention.due(TEN_YEARS_ON, years=10))
    application = Application.objects.get(pk=closed.pk)
    with translation.override("en"), pytest.raises(StepError, match="erased"):
        actions.view_identity(application, world.handler)


def test_the_command_lists_on_a_dry_run_and_erases_otherwise(closed, capsys, settings):
    settings.XXGK_RETENTION_YEARS = 10
    with fixed_today(TEN_YEARS_ON):
        call_command("retention", "--dry-run")
        out = capsys.readouterr().out
        assert closed.number in out and "1 application(s) closed on or before 2026-11-10" in out
        assert ApplicantIdentity.objects.filter(application=closed).exists()
        call_command("retention")
    assert "Erased the identity data of 1 application(s)" in capsys.readouterr().out
    assert not ApplicantIdentity.objects.filter(application=closed).exists()


def test_the_worker_erases_daily(closed, settings):
    settings.XXGK_RETENTION_YEARS = 10
    assert "xxgk.applications.retention.daily_erasure" in settings.XXGK_DAILY_TASKS
    with fixed_today(TEN_YEARS_ON):
        retention.daily_erasure()
    assert not ApplicantIdentity.objects.filter(application=closed).exists()


def test_a_leap_day_counts_back_to_the_28th():
    assert retention.cutoff(dt.date(2028, 2, 29), 10) == dt.date(2018, 2, 28)
