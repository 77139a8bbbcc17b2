"""Repeated login failures (django-axes): five wrong passwords for one username from one
address lock that username out from that address for 15 minutes after the last try, with a
message that says so; the admin has no password form of its own; nothing logged holds the
password, and the log lines hold neither the username nor the address."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/staff/login/"
WRONG = "not-the-Password-9"


def attempt(client: Client, password: str, username: str = "handler", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def signed_in(client: Client) -> bool:
    return client.get("/staff/").status_code == 200


def test_the_fifth_failure_locks_the_username_at_that_address(world):
    client = Client()
    for _ in range(4):
        assert attempt(client, WRONG).status_code == 200
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    locked = attempt(client, WRONG)
    assert locked.status_code == 429
    assert b"blocked for 15 minutes after the last try" in locked.content
    assert attempt(client, PASSWORD).status_code == 429  # even the right password
    assert not signed_in(client)


def test_the_lock_holds_for_that_username_and_that_address_only(world):
    for _ in range(5):
        attempt(Client(), WRONG)
    elsewhere = Client(REMOTE_ADDR="10.1.2.3")
    assert attempt(elsewhere, PASSWORD).status_code == 302 and signed_in(elsewhere)
    colleague = Client()
    assert attempt(colleague, PASSWORD, username="fin").status_code == 302


def test_a_forwarded_for_header_does_not_make_a_new_address(world):
    # A client connecting directly (not a trusted proxy: XXGK_TRUSTED_PROXIES) names
    # another address in the header each time; it is counted under its own.
    direct = {"REMOTE_ADDR": "198.51.100.7"}
    for n in range(5):
        attempt(Client(), WRONG, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}", **direct)
    assert attempt(Client(), PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99",
                   **direct).status_code == 429


def test_behind_the_trusted_proxy_each_client_is_counted_under_its_own_address(world):
    # The test client connects from 127.0.0.1, the default trusted proxy.
    for _ in range(5):
        attempt(Client(), WRONG, HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert attempt(Client(), PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 429
    assert attempt(Client(), PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.2").status_code == 302


def test_a_successful_login_clears_the_count(world):
    client = Client()
    for _ in range(4):
        attempt(client, WRONG)
    assert attempt(client, PASSWORD).status_code == 302
    client.post("/staff/logout/")
    for _ in range(4):
        assert attempt(client, WRONG).status_code == 200
    assert attempt(client, PASSWORD).status_code == 302


def test_the_lock_ends_when_the_cool_off_has_passed(world):
    client = Client()
    for _ in range(5):
        attempt(client, WRONG)
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert attempt(client, PASSWORD).status_code == 302 and signed_in(client)


def test_the_admin_takes_no_password_of_its_own(world):
    client = Client()
    response = client.post("/admin/login/", {"username": "ogi", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert not signed_in(client)


def test_failures_are_kept_without_the_password_and_logged_without_who(world, caplog):
    UserFactory(username="wangxiaoming")
    with caplog.at_level(logging.DEBUG):
        for _ in range(5):
            attempt(Client(REMOTE_ADDR="198.51.100.7"), WRONG, username="wangxiaoming")
    stored = AccessAttempt.objects.get()
    assert stored.username == "wangxiaoming" and stored.failures_since_start == 5
    assert WRONG not in stored.post_data and WRONG not in stored.get_data
    assert "AXES: Locking out" in caplog.text  # the failures were logged
    for secret in (WRONG, "wangxiaoming", "198.51.100.7"):
        assert secret not in caplog.text, secret
