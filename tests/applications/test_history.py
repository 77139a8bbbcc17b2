"""An application's history is sealed into the audit log: an event deleted, edited with the
trigger dropped, or inserted in SQL breaks the chain that ``xxgk audit verify`` walks, on
both engines."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.applications.helpers import received
from xxgk.agencies import integrity
from xxgk.agencies.models import AuditEntry
from xxgk.applications import actions, history
from xxgk.applications.models import ApplicationEvent

pytestmark = pytest.mark.django_db

ON = dt.date(2024, 3, 4)


def _sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def handled(world):
    """An application submitted, received and assigned: three events, each sealed."""
    application = received(world.education, ON, actor=world.handler)
    actions.assign(application, world.handler, actor=world.handler)
    return application


def test_each_step_s_entry_seals_the_events_it_appended(handled):
    events = list(ApplicationEvent.objects.filter(application=handled).order_by("id"))
    sealed = {}
    for entry in AuditEntry.objects.filter(object_id=str(handled.pk)):
        sealed.update(entry.detail.get("events", {}))
    assert sealed == history.seals(*events)
    assert len(sealed) == len(events) == 3
    assert integrity.verify() is None


def test_an_event_deleted_in_sql_is_found(handled):
    event = ApplicationEvent.objects.filter(application=handled).order_by("id")[1]
    _sql("DELETE FROM applications_applicationevent WHERE id = %s", [event.pk])
    broken = integrity.verify()
    assert f"application event {event.pk} it seals is gone: deleted" in str(broken)
    assert broken.seq == AuditEntry.objects.get(detail__has_key="events",
                                                detail__events__has_key=str(event.pk)).seq


def test_an_event_edited_with_its_trigger_dropped_is_found(handled):
    event = ApplicationEvent.objects.filter(application=handled).order_by("id")[2]
    if connection.vendor == "postgresql":
        _sql("DROP TRIGGER applications_applicationevent_no_update "
             "ON applications_applicationevent")
    else:
        _sql("DROP TRIGGER applications_applicationevent_no_update")
    _sql("UPDATE applications_applicationevent SET occurred_on = %s WHERE id = %s",
         [ON - dt.timedelta(days=20), event.pk])
    assert f"application event {event.pk} is not what this entry sealed: edited" in str(
        integrity.verify())


def test_an_event_inserted_in_sql_is_found(handled, world):
    _sql("INSERT INTO applications_applicationevent (application_id, kind, occurred_on, "
         "recorded_at, data, note, public) VALUES (%s, 'replied', %s, %s, '{}', '', true)",
         [handled.pk, ON, dt.datetime(2024, 3, 5, tzinfo=dt.UTC)])
    inserted = ApplicationEvent.objects.latest("id")
    assert str(integrity.verify()) == (
        f"application event {inserted.pk} is sealed by no entry: written around the application")
    with pytest.raises(CommandError, match="written around the application"):
        call_command("audit", "verify")
