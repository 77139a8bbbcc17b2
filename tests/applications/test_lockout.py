"""Query-code look-ups wait after failures: growing delays per address, a short bounded
slow-down per number, so guessing stops and no stranger locks an applicant out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from tests.applications.helpers import apply
from xxgk.agencies.models import AuditEntry
from xxgk.applications import actions, lockout

NOW = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)


def _request(address: str):
    request = RequestFactory().post("/", REMOTE_ADDR=address)
    request.user = AnonymousUser()
    return request
S = dt.timedelta(seconds=1)


def test_an_address_waits_a_quarter_hour_after_ten_failures_and_twice_as_long_each_time():
    wait = lockout.address_wait
    assert wait(9, NOW, NOW) == dt.timedelta(0)
    assert wait(10, NOW, NOW) == dt.timedelta(minutes=15)
    assert wait(11, NOW, NOW) == dt.timedelta(minutes=30)
    assert wait(12, NOW - dt.timedelta(minutes=50), NOW) == dt.timedelta(minutes=10)
    assert wait(99, NOW, NOW) == dt.timedelta(hours=24)


def test_a_number_is_slowed_for_a_minute_at_most():
    assert lockout.number_wait(19, NOW, NOW) == dt.timedelta(0)
    assert lockout.number_wait(20, NOW, NOW) == S
    assert lockout.number_wait(10_000, NOW, NOW) == dt.timedelta(minutes=1)


@given(failures=st.integers(0, 10_000), since=st.integers(0, 200_000),
       more=st.integers(0, 50), later=st.integers(0, 1000))
def test_waits_grow_with_failures_shrink_with_time_and_stay_bounded(failures, since, more,
                                                                     later):
    last = NOW - since * S
    for function, cap in ((lockout.address_wait, lockout.ADDRESS_MAX_WAIT),
                          (lockout.number_wait, lockout.NUMBER_MAX_WAIT)):
        wait = function(failures, last, NOW)
        assert dt.timedelta(0) <= wait <= cap
        assert function(failures + more, last, NOW) >= wait
        assert function(failures, last, NOW + later * S) <= wait


@pytest.mark.django_db
def test_many_addresses_guessing_one_number_slow_it_but_never_lock_its_applicant_out(
        world, monkeypatch):
    application, code = apply(world.education)
    for n in range(lockout.NUMBER_ALLOWED):
        request = _request(f"203.0.113.{n + 1}")
        assert actions.access_by_query_code(application.number, "WRONGWRONG",
                                            request=request) is None
    applicant = _request("198.51.100.1")
    with translation.override("en"), pytest.raises(actions.LookupLockedError) as refused:
        actions.access_by_query_code(application.number, code, request=applicant)
    assert "Try again in 1 second" in refused.value.message
    assert refused.value.wait <= lockout.NUMBER_MAX_WAIT
    # Once the short wait has passed (a minute at most), the right code opens it.
    later = timezone.now() + lockout.NUMBER_MAX_WAIT
    monkeypatch.setattr(actions.timezone, "now", lambda: later)
    assert actions.access_by_query_code(application.number, code, request=applicant) == application


@pytest.mark.django_db
def test_an_unknown_number_counts_against_the_address_only(world):
    request = _request("203.0.113.50")
    assert actions.access_by_query_code("XC-2026-999999", "WRONGWRONG", request=request) is None
    entry = AuditEntry.objects.get(action="application.lookup_failed")
    assert (entry.address, entry.object_id) == ("203.0.113.50", "")


# ---- Submissions --------------------------------------------------------------------------

def test_an_address_may_submit_twenty_applications_an_hour():
    oldest = NOW - dt.timedelta(minutes=40)
    assert lockout.submission_wait(19, oldest, NOW) == dt.timedelta(0)
    assert lockout.submission_wait(20, oldest, NOW) == dt.timedelta(minutes=20)
    assert lockout.submission_wait(20, NOW - dt.timedelta(hours=2), NOW) == dt.timedelta(0)
    assert lockout.submission_wait(500, oldest, NOW, allowed=0) == dt.timedelta(0)


@pytest.mark.django_db
def test_the_twenty_first_submission_within_the_hour_is_refused_on_the_page_and_the_api(world):
    from django.test import Client

    from tests.applications.helpers import submission

    for _n in range(lockout.SUBMISSIONS_ALLOWED):
        actions.submit_application(submission(world.education), request=_request("203.0.113.9"))
    with translation.override("en"), pytest.raises(actions.TooManyRequestsError) as refused:
        actions.submit_application(submission(world.education), request=_request("203.0.113.9"))
    assert "20 applications have been submitted from your network" in refused.value.message
    assert dt.timedelta(minutes=59) < refused.value.wait <= dt.timedelta(hours=1)
    # Another address, a staff registration and the demo (no request) are not limited.
    actions.submit_application(submission(world.education), request=_request("198.51.100.9"))
    actions.submit_application(submission(world.education))
    # The API and the page refuse the same: 429 with Retry-After, an error on the form.
    from tests.api.helpers import APPLY, person, post
    from tests.applications.test_forms import form_data

    api = post(Client(REMOTE_ADDR="203.0.113.9"), APPLY, person())
    assert api.status_code == 429 and 3500 < int(api["Retry-After"]) <= 3600
    page = Client(REMOTE_ADDR="203.0.113.9", HTTP_ACCEPT_LANGUAGE="en")
    page.cookies["django_language"] = "en"
    response = page.post("/apply/", form_data(client_token="test-token-limit-000001"))
    assert response.status_code == 200
    assert "submitted from your network in the last hour" in response.content.decode()
