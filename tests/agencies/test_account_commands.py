"""``xxgk createsuperuser`` and ``xxgk changepassword`` are agencies' own, in place of
Django's: the account change goes through ``accounts``, so the password policy has no way
round it and the audit log names the host's operator, the account and what changed, never
the password."""

from __future__ import annotations

import getpass
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command, get_commands
from django.utils import translation

from tests.factories import UserFactory
from xxgk.agencies import integrity
from xxgk.agencies.models import AuditEntry

pytestmark = pytest.mark.django_db
STRONG = "Erstes-Passwort-2026"  # noqa: S105  (a test's password)
WEAK = "qwertyuiop"  # noqa: S105  (common, one kind of character)


class Terminal(io.StringIO):
    """Standard input that says it is a terminal, as Django's own tests give it."""

    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def typed(monkeypatch):
    """What the operator types at the password prompts, in order."""
    answers: list[str] = []
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": answers.pop(0))
    monkeypatch.setattr(getpass, "getuser", lambda: "ops")
    return answers


def _entries() -> list[tuple[str, str, object]]:
    return [(e.action, e.actor_name, e.actor_id)
            for e in AuditEntry.objects.filter(action__startswith="account.").order_by("seq")]


def _no_password_in_the_log(*passwords: str) -> None:
    every = str(list(AuditEntry.objects.values_list("detail", "object_repr")))
    assert not any(p in every for p in passwords)


def test_the_commands_are_agencies_own():
    assert get_commands()["createsuperuser"] == "xxgk.agencies"
    assert get_commands()["changepassword"] == "xxgk.agencies"


def test_a_superuser_from_the_environment_is_audited_as_the_host_operator(db, monkeypatch,
                                                                        typed):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", STRONG)
    out = io.StringIO()
    call_command("createsuperuser", "--noinput", "--username", "root", "--email",
                 "root@example.org", stdout=out)
    assert "Superuser created successfully." in out.getvalue()
    root = get_user_model().objects.get(username="root")
    assert root.is_superuser and root.is_staff and root.check_password(STRONG)
    assert root.email == "root@example.org"
    assert _entries() == [("account.create", "command line (ops)", None),
                          ("account.change", "command line (ops)", None)]
    change = AuditEntry.objects.get(action="account.change")
    assert change.object_id == str(root.pk)
    assert change.detail["flags"] == {"is_staff": [False, True], "is_superuser": [False, True]}
    _no_password_in_the_log(STRONG, root.password)
    assert integrity.verify() is None


def test_a_superuser_without_a_password_cannot_sign_in_with_one(db, monkeypatch, typed):
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "root")
    call_command("createsuperuser", "--noinput", stdout=io.StringIO())
    root = get_user_model().objects.get(username="root")
    assert root.is_superuser and not root.has_usable_password()
    assert AuditEntry.objects.get(action="account.create").detail == {"account": "root",
                                                                      "password": False}


def test_a_password_against_the_policy_is_one_clear_line_and_nothing_is_made(db, monkeypatch,
                                                                           typed):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", WEAK)
    with pytest.raises(CommandError) as refused:
        call_command("createsuperuser", "--noinput", "--username", "root",
                     stdout=io.StringIO())
    message = str(refused.value)
    assert message.startswith("root: refused: ") and "\n" not in message
    assert WEAK not in message
    assert not get_user_model().objects.filter(username="root").exists()
    assert not AuditEntry.objects.filter(action__startswith="account.").exists()


def test_a_taken_username_is_refused(db, monkeypatch, typed):
    UserFactory(username="root")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", STRONG)
    with pytest.raises(CommandError, match="already taken"):
        call_command("createsuperuser", "--noinput", "--username", "root",
                     stdout=io.StringIO())


def test_at_the_terminal_a_refused_password_is_asked_again_with_no_way_round(db, typed):
    typed.extend([WEAK, WEAK, STRONG, STRONG])
    err = io.StringIO()
    call_command("createsuperuser", "--username", "root", "--email", "",
                 stdin=Terminal(), stdout=io.StringIO(), stderr=err)
    assert "too common" in err.getvalue()
    root = get_user_model().objects.get(username="root")
    assert root.is_superuser and root.check_password(STRONG)
    assert [action for action, _name, _id in _entries()] == ["account.create",
                                                            "account.change"]


def test_changing_a_password_at_the_terminal_is_audited(world, typed):
    typed.extend([STRONG, STRONG])
    out = io.StringIO()
    call_command("changepassword", "handler", stdout=out)
    assert "Password changed successfully for user 'handler'" in out.getvalue()
    world.handler.refresh_from_db()
    assert world.handler.check_password(STRONG)
    entry = AuditEntry.objects.get(action="account.password")
    assert (entry.actor_name, entry.object_id) == ("command line (ops)", str(world.handler.pk))
    assert entry.detail == {"account": "handler", "password": True}
    _no_password_in_the_log(STRONG, world.handler.password)


def test_a_password_against_the_policy_is_not_set(world, typed):
    before = world.handler.password
    typed.extend([WEAK, WEAK, "Kurz1!", "Kurz1!", STRONG, "other"])
    err = io.StringIO()
    with pytest.raises(CommandError, match="after 3 attempts"):
        call_command("changepassword", "handler", stdout=io.StringIO(), stderr=err)
    assert "too common" in err.getvalue() and "too short" in err.getvalue()
    world.handler.refresh_from_db()
    assert world.handler.password == before
    assert not AuditEntry.objects.filter(action="account.password").exists()


def test_an_unknown_account_is_one_clear_line(db, typed):
    with pytest.raises(CommandError, match="user 'nobody' does not exist"):
        call_command("changepassword", "nobody", stdout=io.StringIO())
