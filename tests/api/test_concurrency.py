"""Many clients applying through the API at once: every application stored, every number
unique (SQLite queues writers with IMMEDIATE transactions; PostgreSQL locks the sequence)."""

import threading
import uuid

import pytest
from django.db import connection
from django.test import Client

from tests.api.helpers import APPLY, person, post
from xxgk.applications.models import Application

THREADS = 8
EACH = 5


def _in_threads(work) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def run(thread: int) -> None:
        try:
            start.wait()
            work(thread)
        except BaseException as exc:  # noqa: BLE001  (reported by the caller's assertion)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_simultaneous_applications_are_all_stored_with_unique_numbers(world, settings):
    # Every thread is this machine: the submissions limit per address is another test's.
    settings.XXGK_SUBMISSIONS_PER_HOUR = 0
    statuses: list[int] = []

    def work(thread: int) -> None:
        client = Client()
        for i in range(EACH):
            response = post(client, APPLY, person(description=f"申请 {thread}-{i}"),
                            **{"Idempotency-Key": str(uuid.uuid4())})
            statuses.append(response.status_code)

    assert _in_threads(work) == []
    assert statuses == [201] * THREADS * EACH
    numbers = list(Application.objects.values_list("number", flat=True))
    assert len(numbers) == THREADS * EACH
    assert len(set(numbers)) == len(numbers)


@pytest.mark.django_db(transaction=True)
def test_the_same_request_retried_at_once_creates_one_application(world):
    key = str(uuid.uuid4())
    bodies: list[dict] = []

    def work(thread: int) -> None:
        response = post(Client(), APPLY, person(), **{"Idempotency-Key": key})
        assert response.status_code in (200, 201)
        bodies.append(response.json())

    assert _in_threads(work) == []
    assert Application.objects.count() == 1
    assert len(bodies) == THREADS
    assert all(body == bodies[0] for body in bodies)
