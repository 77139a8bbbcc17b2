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


@pytest.fixture(autouse=True)
def _public_pages_see_every_commit(settings):
    """Served pages re-read the public pages' generation on every request, so a test sees a
    change the moment it commits. The tenth of a second a server may serve a page after a
    change (``XXGK_PAGE_GENERATION_MAX_AGE``) is specified on its own, in
    tests/portal/test_cache.py."""
    settings.XXGK_PAGE_GENERATION_MAX_AGE = 0


@pytest.fixture(autouse=True)
def _rate_counts_go_straight_to_the_database(settings):
    """Every counted request adds its count to the shared table at once, so each test starts
    from its own (rolled-back) counts; a process's counting between flushes is specified in
    tests/core/test_ratelimit.py."""
    settings.XXGK_RATE_FLUSH_SECONDS = 0


@pytest.fixture
def world(db):
    """A small district: the government, two departments, a sub-district office, and one
    staff account per role (handler and reviewer in the education commission)."""
    from tests.factories import build_world

    return build_world()


@pytest.fixture
def client():
    """A test client whose ``force_login`` and ``login`` also pass the second factor
    (tests/signin.py): every staff test signs in as staff really are once signed in."""
    from tests.signin import Client

    return Client()


@pytest.fixture
def admin_client(db, admin_user):
    """pytest-django's ``admin_client``, signed in with the second factor too."""
    from tests.signin import Client

    client = Client()
    client.force_login(admin_user)
    return client
