"""``xxgk login``: an operator unlocks an account before its cool-off ends, or removes a
lost second factor so that the account sets it up again; both are in the audit log."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client as PlainClient

from tests.factories import PASSWORD
from tests.signin import confirmed_device
from xxgk.agencies.models import AuditEntry

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("login", *args, stdout=out)
    return out.getvalue()


def test_unlock_lifts_the_lock_out_at_once(world):
    client = PlainClient()
    for _ in range(5):
        client.post("/staff/login/", {"username": "handler", "password": "wrong-Password-1"})
    assert client.post("/staff/login/", {"username": "handler",
                                         "password": PASSWORD}).status_code == 429
    assert "1 locked address(es) cleared" in run("unlock", "handler")
    assert client.post("/staff/login/", {"username": "handler",
                                         "password": PASSWORD}).status_code == 302
    entry = AuditEntry.objects.get(action="auth.unlocked")
    assert entry.detail == {"attempts": 1}
    # Written in the name of whoever ran the command, an OS account, not a site account.
    assert entry.actor is None and entry.actor_name.startswith("command line (")


def test_a_reset_second_factor_is_set_up_again_at_the_next_login(world):
    confirmed_device(world.reviewer)
    client = PlainClient()
    client.post("/staff/login/", {"username": "reviewer", "password": PASSWORD})
    assert client.get("/staff/")["Location"].startswith("/staff/login/code/")
    assert "1 device(s)" in run("reset-second-factor", "reviewer")
    assert client.get("/staff/")["Location"].startswith("/staff/login/enrol/")
    assert AuditEntry.objects.get(action="auth.two_factor_reset").object_repr == "reviewer"


def test_an_unknown_account_is_one_clear_line(world):
    with pytest.raises(CommandError, match="There is no account 'nobody'"):
        run("unlock", "nobody")
