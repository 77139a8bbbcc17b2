"""Fixtures shared by the whole suite: a small district to act in."""

from __future__ import annotations

import os

import pytest

# Browser tests drive a live server from the test thread; Django's async-safety check would
# otherwise refuse the ORM calls those tests make while playwright's loop is running.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing is slow by design; tests only need it to be a hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    """A small district: the government, two departments, a sub-district office, and one
    staff account per role (handler and reviewer in the education commission)."""
    from tests.factories import build_world

    return build_world()
