"""The job queue: slow work queued in the database and run by ``xxgk worker``.

Why a table of our own rather than a broker: the embedded default must need nothing but
the database, and a job written in the transaction of the action that needs it is queued
exactly when that action commits (never for a step rolled back, never lost for one that
committed). ``django-tasks``' database backend would do the same, but its releases follow
Django 6's API and do not promise Django 5.2 LTS; this module is small enough to own.

The life of a job: ``queued`` → a worker *claims* it (``running``, leased for
``LEASE``) → ``done``; or it raises, and is queued again after a growing delay
(:func:`backoff`) until ``max_attempts``, then ``failed``, with its error shown to staff;
a task that raises :class:`GiveUpError` (trying again cannot help) fails at once.
While the task runs its worker renews the lease, so a job is never taken from a worker that
is alive however long it takes; a worker killed mid-job leaves a ``running`` job whose lease
runs out within ``LEASE``, and the next claim takes it again. Jobs therefore run at least
once (twice only when a worker dies between a task's work and its recording), and every
task must be idempotent; email, which cannot be, is sent at most once (``core.mail``).

A task is a module-level function marked with :func:`task`, taking JSON-serialisable
keyword arguments (ids, never model instances: the row must outlive the process).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Job, JobState

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])

# How soon a dead worker's job is taken again. A live worker renews its lease every quarter
# of it (:class:`_Renewal`), so no task, however slow, outlives its lease while running.
LEASE = dt.timedelta(minutes=1)
MAX_BACKOFF = dt.timedelta(hours=1)
ERROR_CHARS = 2000


class UnknownTaskError(Exception):
    """A job names a function that is not a task (a typo, or a task since removed)."""


class GiveUpError(Exception):
    """Raised by a task when trying again cannot help (an email whose delivery is
    unconfirmed must not be sent again by itself): the job fails at once, its message shown
    to staff, who decide."""


def task(label: Any) -> Callable[[F], F]:
    """Mark a function as runnable by the worker (only marked functions can be queued);
    ``label`` (translatable) is what staff see of its jobs: "Rendering the letter"."""

    def mark(func: F) -> F:
        func.xxgk_task = True  # type: ignore[attr-defined]
        func.xxgk_label = label  # type: ignore[attr-defined]
        return func

    return mark


def label_of(job: Job) -> str:
    """The task's label for staff, or its path when the task no longer exists."""
    try:
        return str(getattr(import_string(job.task), "xxgk_label", job.task))
    except ImportError:
        return job.task


def task_path(func: Callable[..., Any]) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def enqueue(func: Callable[..., Any], *, subject: str = "", dedupe_key: str | None = None,
            run_after: dt.datetime | None = None, max_attempts: int = 5,
            **args: Any) -> Job:
    """Queue ``func(**args)`` in the current transaction.

    With a ``dedupe_key``, at most one job is ever created for it: a second call returns
    the first job, whatever its state (so "the reminders of 2 December" run once).
    """
    if not getattr(func, "xxgk_task", False):
        raise UnknownTaskError(f"{task_path(func)} is not marked as a task")
    if dedupe_key is not None and (existing := Job.objects.filter(dedupe_key=dedupe_key)
                                   .first()):
        return existing
    fields = {"task": task_path(func), "args": args, "subject": subject,
              "dedupe_key": dedupe_key, "max_attempts": max_attempts,
              "run_after": run_after or timezone.now()}
    try:
        with transaction.atomic():
            return Job.objects.create(**fields)
    except IntegrityError:
        # Another process queued the same key between our read and our write.
        existing = Job.objects.filter(dedupe_key=dedupe_key).first() if dedupe_key else None
        if existing is None:
            raise
        return existing


def backoff(attempts: int) -> dt.timedelta:
    """The wait before attempt ``attempts + 1``: 30 s, 1 min, 2 min, … at most an hour."""
    return min(dt.timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def claim(now: dt.datetime | None = None) -> Job | None:
    """Lease the next job that is due (or whose worker died), or None.

    ``skip_locked`` lets several workers claim side by side on PostgreSQL; SQLite runs
    every write transaction alone (``transaction_mode=IMMEDIATE``), which serialises
    claims the same way.
    """
    now = now or timezone.now()
    due = (Q(state=JobState.QUEUED, run_after__lte=now)
           | Q(state=JobState.RUNNING, leased_until__lt=now))
    while True:
        with transaction.atomic():
            job = (Job.objects.select_for_update(skip_locked=True).filter(due)
                   .order_by("run_after", "pk").first())
            if job is None:
                return None
            if job.attempts >= job.max_attempts:
                # Its last attempt never finished: the worker died each time.
                _finish(job, JobState.FAILED, now,
                        error="The worker stopped during every attempt.")
                continue
            job.state, job.attempts, job.leased_until = JobState.RUNNING, job.attempts + 1, now + LEASE
            job.save(update_fields=["state", "attempts", "leased_until"])
            return job


class _Renewal(threading.Thread):
    """Extends a running job's lease until its task ends, in a thread (and a database
    connection) of its own: a lease that ran out under a live worker would let a second
    worker run the same job alongside, and send its letter twice."""

    def __init__(self, job: Job) -> None:
        super().__init__(daemon=True, name=f"lease of job {job.pk}")
        self.job = job
        self.done = threading.Event()

    def run(self) -> None:
        try:
            while not self.done.wait(LEASE.total_seconds() / 4):
                try:
                    Job.objects.filter(pk=self.job.pk, attempts=self.job.attempts,
                                       state=JobState.RUNNING).update(
                        leased_until=timezone.now() + LEASE)
                except DatabaseError:
                    # A busy database: the next turn tries again, well within the lease.
                    logger.warning("job %s: its lease could not be renewed", self.job.pk)
        finally:
            connection.close()


def run(job: Job, now: dt.datetime | None = None) -> bool:
    """Run a claimed job, renewing its lease meanwhile, and record how it ended (a retry
    is due ``backoff`` after ``now``, default the time it failed); True when it
    succeeded."""
    renewal = _Renewal(job)
    renewal.start()
    try:
        func = import_string(job.task)
        if not getattr(func, "xxgk_task", False):
            raise UnknownTaskError(f"{job.task} is not a task")
        func(**job.args)
    except Exception as exc:
        # The job id and the error's type only: a message may quote a record.
        logger.warning("job %s (%s) failed on attempt %d: %s", job.pk, job.task,
                       job.attempts, type(exc).__name__)
        error = f"{type(exc).__name__}: {exc}"[:ERROR_CHARS]
        now = now or timezone.now()
        if job.attempts >= job.max_attempts or isinstance(exc, UnknownTaskError | GiveUpError):
            _finish(job, JobState.FAILED, now, error=error)
        else:
            _record(job, state=JobState.QUEUED, run_after=now + backoff(job.attempts),
                    leased_until=None, last_error=error)
        return False
    finally:
        renewal.done.set()
    _finish(job, JobState.DONE, now or timezone.now())
    return True


def requeue(job: Job) -> None:
    """Queue a failed job again, its attempts counted afresh (a person decided to try it
    once more: the caller audits that)."""
    Job.objects.filter(pk=job.pk, state=JobState.FAILED).update(
        state=JobState.QUEUED, attempts=0, run_after=timezone.now(), leased_until=None,
        finished_at=None, last_error="")


def _finish(job: Job, state: str, now: dt.datetime, error: str | None = None) -> None:
    values: dict[str, Any] = {"state": state, "finished_at": now, "leased_until": None}
    if error is not None:
        values["last_error"] = error
    _record(job, **values)


def _record(job: Job, **values: Any) -> None:
    """Write the job's outcome unless another worker has leased it since (our lease ran
    out while we worked): the newer attempt owns the row."""
    Job.objects.filter(pk=job.pk, attempts=job.attempts).update(**values)


def run_pending(limit: int | None = None) -> int:
    """Run due jobs until none is left (or ``limit`` have run); the number run."""
    count = 0
    while limit is None or count < limit:
        job = claim()
        if job is None:
            break
        run(job)
        count += 1
    return count


def work(stop: threading.Event, *, poll_seconds: float = 1.0,
         on_idle: Callable[[], None] = lambda: None) -> None:
    """The worker's loop: run due jobs, call ``on_idle`` (the scheduler) when there are
    none, then wait; a job in progress is finished before ``stop`` is honoured."""
    while not stop.is_set():
        job = claim()
        if job is not None:
            run(job)
            continue
        on_idle()
        stop.wait(poll_seconds)


def queue_daily(now: dt.datetime | None = None) -> None:
    """Queue each of ``XXGK_DAILY_TASKS`` once per local day, from ``XXGK_DAILY_HOUR``
    on; the day in the key makes it once however many workers ask."""
    now = timezone.localtime(now or timezone.now())
    if now.hour < settings.XXGK_DAILY_HOUR:
        return
    for path in settings.XXGK_DAILY_TASKS:
        enqueue(import_string(path), dedupe_key=f"daily:{path}:{now.date().isoformat()}")


def run_idle_tasks(now: dt.datetime | None = None) -> None:
    """What the worker does when no job is due: queue the daily tasks, then run each of
    ``XXGK_IDLE_TASKS`` (small, frequent work such as following the search index's
    queue). A failing idle task is logged and tried again on the next idle turn."""
    queue_daily(now)
    for path in settings.XXGK_IDLE_TASKS:
        try:
            import_string(path)()
        except Exception:
            logger.exception("idle task %s failed", path)


def subject_of(obj: Any) -> str:
    """What a job is about, as ``application:42``: the model's name and the row's key."""
    return f"{obj._meta.model_name}:{obj.pk}"


def for_subject(subject: str):
    """The jobs about ``subject`` that are not done, for the pages showing progress."""
    return Job.objects.filter(subject=subject).exclude(state=JobState.DONE).order_by("pk")
