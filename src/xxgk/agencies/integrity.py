"""Is the record intact? The audit log's chain verified, its head exported, and the
append-only triggers checked at start.

- :func:`verify` walks the whole audit log in order and returns the first broken link
  (``chain.first_break``), optionally against a head exported earlier; ``xxgk audit verify``
  prints it.
- :func:`export_head` writes the chain's head (its last number and hash) to the log
  ``xxgk.audit.head``, which operations send off the host (syslog: docs/operations.md); the
  worker runs it daily after verifying the chain, so a rewrite is caught within a day and the
  heads sent earlier prove what the log held.
- :func:`check_append_only_triggers` is a system check (``xxgk serve``, ``worker``,
  ``migrate``, ``check``): the triggers that refuse UPDATE on the audit log and on the
  applications' history must be there. SQLite drops a table's triggers when a migration
  rebuilds the table, and anyone with the database's owner rights can drop them; either way
  the site does not start without them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

from django.core import checks
from django.db import DatabaseError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xxgk.core import jobs

from . import chain
from .models import AuditEntry

head_log = logging.getLogger("xxgk.audit.head")

# Table → (its append-only trigger, the migration that creates it).
APPEND_ONLY_TRIGGERS: dict[str, tuple[str, tuple[str, str]]] = {
    "agencies_auditentry": ("agencies_auditentry_no_update",
                            ("agencies", "0004_audit_hash_chain")),
    "applications_applicationevent": ("applications_applicationevent_no_update",
                                      ("applications", "0004_events_append_only")),
}
# How `xxgk audit protect` makes a missing trigger again (as the migrations made them).
_CREATE = {
    "sqlite": "CREATE TRIGGER {trigger} BEFORE UPDATE ON {table} "
              "BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
    "postgresql": "CREATE OR REPLACE FUNCTION {table}_refuse() RETURNS trigger AS $$ "
                  "BEGIN RAISE EXCEPTION '{table} is append-only'; END; $$ LANGUAGE plpgsql; "
                  "CREATE TRIGGER {trigger} BEFORE UPDATE ON {table} "
                  "FOR EACH ROW EXECUTE FUNCTION {table}_refuse()",
}
_VALUES = ("id", "previous_hash", "entry_hash", *chain.FIELDS)


def _entries(progress: Callable[[int], None] | None) -> Iterator[dict[str, Any]]:
    # Rows outside the chain (no number: written in SQL around the application) first, then
    # the chain in order.
    yield from AuditEntry.objects.filter(seq__isnull=True).order_by("id").values(*_VALUES)[:1]
    for done, entry in enumerate(AuditEntry.objects.filter(seq__isnull=False).order_by("seq")
                                 .values(*_VALUES).iterator(chunk_size=5000), start=1):
        if progress is not None and done % 5000 == 0:
            progress(done)
        yield entry


# The checks of the records sealed into the chain (``chain.seal``), each registered by the
# app that owns its records (``applications.history``), so that the audit log need not know
# them.
_SEALED_RECORDS: list[Callable[[], chain.Break | None]] = []


def register_sealed_records(check: Callable[[], chain.Break | None]) -> None:
    """Have :func:`verify` also run ``check``: the first sealed record that is not as its
    entry sealed it, or None."""
    if check not in _SEALED_RECORDS:
        _SEALED_RECORDS.append(check)


def verify(anchor: tuple[int, str] | None = None,
           progress: Callable[[int], None] | None = None) -> chain.Break | None:
    """The first broken link of the audit log, then of the records sealed into it, or None
    when the whole chain holds."""
    broken = chain.first_break(_entries(progress), anchor)
    for check in _SEALED_RECORDS:
        if broken is None:
            broken = check()
    return broken


def head() -> tuple[int, str] | None:
    """The chain's last entry: ``(seq, hash)``, or None for an empty log."""
    return AuditEntry.objects.head()


def export_head() -> tuple[int, str] | None:
    """Verify the chain and write its head to the ``xxgk.audit.head`` log (the daily job).

    A broken chain is logged as an error naming the first broken link, and the head is
    still exported: what the log holds now is evidence too.
    """
    broken = verify()
    if broken is not None:
        head_log.error("audit log chain broken at %s", broken)
    current = head()
    if current is not None:
        head_log.info("audit log head %d:%s", *current)
    return current


@jobs.task(label=gettext_lazy("Daily check of the audit log and export of its head"))
def daily_audit_head() -> None:
    """The worker's daily task (``settings.XXGK_DAILY_TASKS``)."""
    export_head()


def missing_triggers() -> dict[str, str]:
    """Table → trigger, for each append-only trigger missing once its migration has run."""
    applied = MigrationRecorder(connection).applied_migrations()
    wanted = {table: trigger for table, (trigger, migration) in APPEND_ONLY_TRIGGERS.items()
              if migration in applied}
    if not wanted:
        return {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger "
                           "WHERE NOT tgisinternal AND tgenabled <> 'D'")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {row[0] for row in cursor.fetchall()}
    return {table: trigger for table, trigger in wanted.items() if trigger not in present}


def restore_triggers() -> list[str]:
    """Make the missing append-only triggers again; the tables whose trigger was made."""
    missing = missing_triggers()
    with transaction.atomic(), connection.cursor() as cursor:
        for table, trigger in missing.items():
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")  # a disabled one
            cursor.execute(_CREATE[connection.vendor].format(table=table, trigger=trigger))
    return sorted(missing)


@checks.register("audit")
def check_append_only_triggers(app_configs: Any = None,
                               **kwargs: Any) -> list[checks.CheckMessage]:
    """Error xxgk.E012 for each append-only trigger that is missing once its migration has
    run."""
    try:
        missing = missing_triggers()
    except DatabaseError:
        return []  # no database yet: `xxgk migrate` will make the tables and their triggers
    return [checks.Error(
        _("The table %(table)s has lost its trigger %(trigger)s, which refuses changes to "
          "what it records: its rows could be edited unnoticed.")
        % {"table": table, "trigger": trigger},
        hint=_("Run `xxgk audit verify` to see whether anything was changed, then `xxgk audit "
               "protect` to make the trigger again (docs/operations.md, \"The audit log\")."),
        id="xxgk.E012")
        for table, trigger in missing.items()]
