"""A budget of requests per client and minute: counted in each process, summed across
processes in the shared table, refused until the minute ends once over."""

from __future__ import annotations

import datetime as dt

import pytest

from xxgk.core.models import RateCount
from xxgk.core.ratelimit import WINDOW_SECONDS, RateBudget

pytestmark = pytest.mark.django_db

START = 1_800_000_000.0 - 1_800_000_000.0 % WINDOW_SECONDS  # the start of a minute


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_over_the_budget_waits_until_the_minute_ends():
    clock = Clock(START + 15)
    budget = RateBudget("test", clock)
    assert [budget.hit("a", 3) for _ in range(3)] == [dt.timedelta(0)] * 3
    assert budget.hit("a", 3) == dt.timedelta(seconds=45)
    clock.now = START + WINDOW_SECONDS
    assert budget.hit("a", 3) == dt.timedelta(0)


def test_clients_have_budgets_of_their_own():
    budget = RateBudget("test", Clock(START))
    for _ in range(3):
        budget.hit("a", 3)
    assert budget.hit("a", 3)
    assert not budget.hit("b", 3)


def test_two_processes_share_one_budget_through_the_database():
    clock = Clock(START + 1)
    first, second = RateBudget("test", clock), RateBudget("test", clock)
    assert not first.hit("a", 3)
    assert not first.hit("a", 3)
    assert not second.hit("a", 3)
    assert second.hit("a", 3)
    assert first.hit("a", 3)
    assert RateCount.objects.get(scope="test", client="a").count == 5


def test_between_flushes_a_process_counts_alone_and_adds_its_counts_later(settings):
    settings.XXGK_RATE_FLUSH_SECONDS = 10
    clock = Clock(START + 1)
    budget = RateBudget("test", clock)
    results = [bool(budget.hit("a", 3)) for _ in range(5)]
    assert results == [False, False, False, True, True]
    # The first request flushed (nothing was sent before); the other four wait for the next.
    assert RateCount.objects.get().count == 1
    clock.now += 10
    budget.hit("a", 3)
    assert RateCount.objects.get().count == 6


def test_earlier_minutes_are_forgotten():
    clock = Clock(START)
    budget = RateBudget("test", clock)
    budget.hit("a", 3)
    clock.now += 3 * WINDOW_SECONDS
    budget.hit("b", 3)
    assert list(RateCount.objects.values_list("client", flat=True)) == ["b"]


def test_no_budget_counts_nothing():
    budget = RateBudget("test", Clock(START))
    assert not any(budget.hit("a", 0) for _ in range(10))
    assert not RateCount.objects.exists()
