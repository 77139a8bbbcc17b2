"""Tasks for the job queue's tests: their calls are recorded in the database (a job may
run in another thread or process than the test)."""

from __future__ import annotations

import time

from xxgk.agencies import audit
from xxgk.agencies.models import AuditEntry
from xxgk.core import jobs


@jobs.task(label="test")
def note(text: str) -> None:
    audit.record("test.note", detail={"text": text})


@jobs.task(label="test")
def fail_until(attempt: int) -> None:
    """Fails on each call until it has been called ``attempt`` times."""
    calls = AuditEntry.objects.filter(action="test.fail_until").count() + 1
    audit.record("test.fail_until", detail={"call": calls})
    if calls < attempt:
        raise RuntimeError(f"call {calls} fails")


@jobs.task(label="test")
def slow_note(text: str, seconds: float) -> None:
    """A note written after ``seconds``: a task slower than its lease."""
    time.sleep(seconds)
    audit.record("test.note", detail={"text": text})


def not_a_task() -> None:
    """Deliberately unmarked: the queue must refuse it."""


@jobs.task(label="test")
def give_up(text: str) -> None:
    audit.record("test.note", detail={"text": text})
    raise jobs.GiveUpError("trying again cannot help")
