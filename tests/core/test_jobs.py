"""The job queue: queued with the action's transaction, run at least once, retried with
backoff, failed visibly, and taken again when a worker dies mid-job."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import transaction
from django.utils import timezone

from tests.core import job_tasks
from xxgk.agencies.models import AuditEntry
from xxgk.core import jobs
from xxgk.core.models import Job, JobState


def notes() -> list[str]:
    return [e.detail["text"] for e in AuditEntry.objects.filter(action="test.note").order_by("pk")]


def test_a_job_is_queued_only_if_its_transaction_commits(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.enqueue(job_tasks.note, text="rolled back")
        raise RuntimeError("the action failed")
    assert not Job.objects.exists()
    jobs.enqueue(job_tasks.note, text="kept")
    assert jobs.run_pending() == 1
    assert notes() == ["kept"]
    assert Job.objects.get().state == JobState.DONE


def test_only_functions_marked_as_tasks_can_be_queued(db):
    with pytest.raises(jobs.UnknownTaskError):
        jobs.enqueue(job_tasks.not_a_task)
    Job.objects.create(task="tests.core.job_tasks.not_a_task", run_after=timezone.now())
    jobs.run_pending()
    job = Job.objects.get()
    assert job.state == JobState.FAILED and "not a task" in job.last_error


def test_a_deduplicated_job_is_queued_once(db):
    first = jobs.enqueue(job_tasks.note, dedupe_key="once", text="a")
    assert jobs.enqueue(job_tasks.note, dedupe_key="once", text="b").pk == first.pk
    jobs.run_pending()
    jobs.enqueue(job_tasks.note, dedupe_key="once", text="c")
    assert jobs.run_pending() == 0
    assert notes() == ["a"]


def test_a_failing_job_is_retried_with_growing_delays_then_shown_as_failed(db):
    job = jobs.enqueue(job_tasks.fail_until, max_attempts=3, attempt=10)
    now = timezone.now()
    waits = []
    for _attempt in range(3):
        claimed = jobs.claim(now)
        assert claimed is not None and claimed.pk == job.pk
        assert not jobs.run(claimed, now)
        job.refresh_from_db()
        if job.state == JobState.QUEUED:
            waits.append(job.run_after - now)
            assert jobs.claim(now) is None  # not before its delay
            now = job.run_after
    assert waits == [jobs.backoff(1), jobs.backoff(2)] and waits[0] < waits[1]
    assert job.state == JobState.FAILED
    assert job.attempts == 3 and job.last_error == "RuntimeError: call 3 fails"


def test_a_job_that_gives_up_fails_at_once_and_a_person_may_queue_it_again(db):
    job = jobs.enqueue(job_tasks.give_up, text="once")
    jobs.run_pending()
    job.refresh_from_db()
    assert (job.state, job.attempts, notes()) == (JobState.FAILED, 1, ["once"])
    assert "cannot help" in job.last_error
    jobs.requeue(job)
    job.refresh_from_db()
    assert (job.state, job.attempts, job.last_error) == (JobState.QUEUED, 0, "")
    jobs.run_pending()
    assert notes() == ["once", "once"]


def test_a_job_that_fails_then_succeeds_is_done(db):
    jobs.enqueue(job_tasks.fail_until, attempt=2)
    now = timezone.now()
    jobs.run(jobs.claim(now), now)
    assert jobs.run(jobs.claim(now + jobs.backoff(1)))
    assert Job.objects.get().state == JobState.DONE


def test_backoff_grows_and_is_capped_at_an_hour():
    delays = [jobs.backoff(n) for n in range(1, 12)]
    assert delays == sorted(delays)
    assert delays[0] == dt.timedelta(seconds=30) and delays[-1] == dt.timedelta(hours=1)


def test_a_job_whose_worker_died_is_run_again_when_its_lease_runs_out(db):
    jobs.enqueue(job_tasks.note, text="survives")
    now = timezone.now()
    claimed = jobs.claim(now)  # ... and the worker is killed here, before running it
    assert claimed.state == JobState.RUNNING
    assert jobs.claim(now + dt.timedelta(minutes=1)) is None  # still leased
    again = jobs.claim(now + jobs.LEASE + dt.timedelta(seconds=1))
    assert again.pk == claimed.pk and again.attempts == 2
    assert jobs.run(again)
    assert notes() == ["survives"]


def test_a_job_that_outlasts_its_lease_is_not_taken_from_a_live_worker(transactional_db,
                                                                     monkeypatch):
    monkeypatch.setattr(jobs, "LEASE", dt.timedelta(seconds=1))
    jobs.enqueue(job_tasks.slow_note, text="once", seconds=3)
    claimed = jobs.claim()
    worker = threading.Thread(target=jobs.run, args=(claimed,))
    worker.start()
    try:
        time.sleep(2)  # twice the lease: the worker is still at it
        assert jobs.claim() is None
    finally:
        worker.join()
    job = Job.objects.get()
    assert (job.state, job.attempts) == (JobState.DONE, 1)
    assert notes() == ["once"]


def test_a_stale_worker_does_not_overwrite_the_newer_attempt(db):
    jobs.enqueue(job_tasks.note, text="x")
    now = timezone.now()
    stale = jobs.claim(now)
    fresh = jobs.claim(now + jobs.LEASE + dt.timedelta(seconds=1))
    assert jobs.run(fresh)
    stale.task = "tests.core.job_tasks.not_a_task"
    jobs.run(stale)  # the old lease's outcome arrives late
    assert Job.objects.get().state == JobState.DONE


def test_a_job_that_killed_its_worker_every_time_fails(db):
    jobs.enqueue(job_tasks.note, max_attempts=2, text="never")
    now = timezone.now()
    for _attempt in range(2):
        assert jobs.claim(now) is not None
        now += jobs.LEASE + dt.timedelta(seconds=1)
    assert jobs.claim(now) is None
    job = Job.objects.get()
    assert job.state == JobState.FAILED and "every attempt" in job.last_error


def test_daily_tasks_are_queued_once_a_day_from_the_configured_hour(db, settings):
    settings.XXGK_DAILY_HOUR = 7
    settings.XXGK_DAILY_TASKS = ["tests.core.job_tasks.note"]
    shanghai = timezone.get_default_timezone()
    jobs.queue_daily(dt.datetime(2026, 12, 2, 6, 59, tzinfo=shanghai))
    assert not Job.objects.exists()
    for minute in (0, 30):
        jobs.queue_daily(dt.datetime(2026, 12, 2, 7, minute, tzinfo=shanghai))
    jobs.queue_daily(dt.datetime(2026, 12, 3, 8, 0, tzinfo=shanghai))
    assert sorted(Job.objects.values_list("dedupe_key", flat=True)) == [
        "daily:tests.core.job_tasks.note:2026-12-02", "daily:tests.core.job_tasks.note:2026-12-03"]


def test_the_ogi_office_sees_failed_jobs_with_their_error(world, client):
    from django.urls import reverse

    Job.objects.create(task="tests.core.job_tasks.note", state=JobState.FAILED, attempts=5,
                       last_error="RuntimeError: the mail server is down",
                       run_after=timezone.now(), finished_at=timezone.now())
    client.force_login(world.handler)
    assert client.get(reverse("jobs")).status_code == 403
    client.force_login(world.ogi)
    page = client.get(reverse("jobs")).content.decode()
    assert "the mail server is down" in page
