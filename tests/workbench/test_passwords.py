"""Staff passwords follow the policy, and a signed-in session ends after half an hour idle."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from xxgk.workbench.passwords import CharacterClassesValidator, classes_in


@pytest.mark.parametrize(("password", "kinds"), [
    ("abcdefghij", 1), ("abcdeFGHIJ", 2), ("abcde12345", 2), ("Abcde12345", 3),
    ("Abc-12345z", 4), ("政务公开abc123", 3)])
def test_the_kinds_of_characters_are_counted(password, kinds):
    assert classes_in(password) == kinds


@pytest.mark.parametrize("password", ["short1A!", "1234567890", "abcdefghijkl", "Password123",
                                      "xxgk-demo"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_strong_password_passes():
    validate_password("Xicheng-公开-2026")


@given(st.text(min_size=1, max_size=30))
def test_the_validator_agrees_with_the_count(password):
    validator = CharacterClassesValidator(3)
    if classes_in(password) >= 3:
        validator.validate(password)
    else:
        with pytest.raises(ValidationError):
            validator.validate(password)


def test_a_session_ends_half_an_hour_after_its_last_request(world, client):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(world.handler)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + dt.timedelta(minutes=5))  # idle for 25 minutes
    before = timezone.now()
    client.get("/staff/")  # activity moves the end on
    end = Session.objects.get(session_key=key).expire_date
    assert dt.timedelta(minutes=29) < end - before <= dt.timedelta(minutes=30, seconds=5)
