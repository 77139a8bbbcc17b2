"""Many people submitting at once: every application is stored, every number is unique."""

import threading

import pytest
from django.db import connection

from tests.applications.helpers import submission
from xxgk.applications import actions
from xxgk.applications.models import Application

THREADS = 8
EACH = 5


@pytest.mark.django_db(transaction=True)
def test_simultaneous_submissions_are_all_stored_with_unique_numbers(world):
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def submit(thread: int) -> None:
        try:
            start.wait()
            for i in range(EACH):
                actions.submit_application(submission(world.education),
                                           client_token=f"t{thread}-{i}")
        except BaseException as exc:  # noqa: BLE001  (reported by the assertion below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = list(Application.objects.values_list("number", flat=True))
    assert len(numbers) == THREADS * EACH
    assert len(set(numbers)) == len(numbers)


@pytest.mark.django_db(transaction=True)
def test_the_same_form_submitted_at_once_creates_one_application(world):
    results = []
    start = threading.Barrier(THREADS)

    def submit() -> None:
        try:
            start.wait()
            results.append(actions.submit_application(submission(world.education),
                                                      client_token="same-form"))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Application.objects.count() == 1
    assert len({(app.pk, code) for app, code in results}) == 1
    assert len(results) == THREADS
