"""The audit log's chain in the database, on both engines: what audit.record writes links,
what SQL does around it is found, the append-only triggers are checked at start, and the
head goes to its own log every day."""

from __future__ import annotations

import datetime as dt
import logging
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import translation

from tests.applications.helpers import apply
from xxgk.agencies import audit, integrity
from xxgk.agencies.models import AuditEntry
from xxgk.applications.models import ApplicationEvent

pytestmark = pytest.mark.django_db


def _sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _drop_trigger(trigger: str, table: str) -> None:
    if connection.vendor == "postgresql":
        _sql(f"DROP TRIGGER {trigger} ON {table}")
    else:
        _sql(f"DROP TRIGGER {trigger}")


@pytest.fixture
def log(world):
    for n in range(5):
        audit.record("test.step", actor=world.ogi, obj=world.education,
                     detail={"n": n, "text": "第三十条", "list": [1, "二"]})
    return list(AuditEntry.objects.order_by("seq"))


def test_what_record_writes_is_one_chain_read_back_intact(log):
    assert [e.seq for e in log] == [1, 2, 3, 4, 5]
    assert all(b.previous_hash == a.entry_hash for a, b in zip(log, log[1:], strict=False))
    assert integrity.verify() is None
    assert integrity.head() == (5, log[-1].entry_hash)


def test_a_row_deleted_in_sql_is_found(log):
    _sql("DELETE FROM agencies_auditentry WHERE seq = 3")
    broken = integrity.verify()
    assert broken.seq == 3 and "deleted" in broken.problem


def test_an_update_in_sql_is_refused_and_if_forced_found(log):
    with pytest.raises(DatabaseError), transaction.atomic():
        _sql("UPDATE agencies_auditentry SET action = 'x' WHERE seq = 2")
    _drop_trigger("agencies_auditentry_no_update", "agencies_auditentry")
    _sql("UPDATE agencies_auditentry SET object_repr = '改过' WHERE seq = 2")
    broken = integrity.verify()
    assert broken.seq == 2 and "edited" in broken.problem


def test_a_row_inserted_in_sql_is_found_backdated_or_outside_the_chain(log):
    _sql("INSERT INTO agencies_auditentry (actor_name, action, object_type, object_id, "
         "object_repr, at, detail, previous_hash, entry_hash) "
         "VALUES ('x', 'catalog.publish', '', '', '', %s, '{}', '', '')",
         [dt.datetime(2020, 1, 1, tzinfo=dt.UTC)])
    broken = integrity.verify()
    assert broken.seq is None and "not in the chain" in broken.problem


def test_a_missing_trigger_stops_the_start(log):
    assert integrity.check_append_only_triggers() == []
    _drop_trigger("applications_applicationevent_no_update", "applications_applicationevent")
    with translation.override("en"):
        [error] = integrity.check_append_only_triggers()
    assert error.id == "xxgk.E012" and "applications_applicationevent" in error.msg


def test_protect_makes_the_missing_triggers_again(log, capsys):
    _drop_trigger("agencies_auditentry_no_update", "agencies_auditentry")
    _drop_trigger("applications_applicationevent_no_update", "applications_applicationevent")
    call_command("audit", "protect")
    assert "applications_applicationevent" in capsys.readouterr().out
    assert integrity.check_append_only_triggers() == []
    with pytest.raises(DatabaseError), transaction.atomic():
        _sql("UPDATE agencies_auditentry SET action = 'x' WHERE seq = 2")
    call_command("audit", "protect")
    assert "in place" in capsys.readouterr().out


def test_an_applications_history_cannot_be_changed_in_sql(world):
    application, _code = apply(world.education)
    event = ApplicationEvent.objects.filter(application=application).first()
    with pytest.raises(DatabaseError), transaction.atomic():
        _sql("UPDATE applications_applicationevent SET note = 'x' WHERE id = %s", [event.pk])


def test_the_command_says_intact_or_names_the_first_break(log, capsys):
    call_command("audit", "verify")
    assert "intact: 5 entries" in capsys.readouterr().out
    call_command("audit", "head")
    head = capsys.readouterr().out.strip()
    assert head == f"5:{log[-1].entry_hash}"
    call_command("audit", "verify", "--head", head)
    _sql("DELETE FROM agencies_auditentry WHERE seq >= 4")
    with pytest.raises(CommandError, match="cut short") as refused:
        call_command("audit", "verify", "--head", head)
    assert refused.value.returncode == 1
    with pytest.raises(CommandError, match="SEQ:HASH") as refused:
        call_command("audit", "verify", "--head", "five")
    assert refused.value.returncode == 2


def test_the_daily_task_logs_the_head_and_a_break(log, caplog):
    with caplog.at_level(logging.INFO, logger="xxgk.audit.head"):
        integrity.daily_audit_head()
    assert f"audit log head 5:{log[-1].entry_hash}" in caplog.text
    _sql("DELETE FROM agencies_auditentry WHERE seq = 1")
    with caplog.at_level(logging.INFO, logger="xxgk.audit.head"):
        integrity.daily_audit_head()
    assert "chain broken at entry 1" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_take_the_same_place(world):
    def write(n: int) -> None:
        try:
            for i in range(15):
                audit.record("test.parallel", detail={"writer": n, "i": i})
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seqs = sorted(AuditEntry.objects.filter(action="test.parallel").values_list("seq", flat=True))
    assert len(seqs) == 45 and integrity.verify() is None
