"""The API fuzzed from its own OpenAPI schema (schemathesis): every operation, anonymous and
as a handler of an agency with applications to act on. Whatever is sent, the answer is never
a server error, its status is one the schema declares and its body has the declared shape.

Requests go through the WSGI application in the test's thread, so they see the test's
database; Django closes connections after each request outside its test client, which
would end the test's transaction, so that is switched off while the fuzzer runs.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import ignored_auth, positive_data_acceptance
from schemathesis.core.parameters import ParameterLocation

from tests.applications.helpers import apply, received
from xxgk.core.today import today

schema = schemathesis.pytest.from_fixture("api_schema")
# Enough to cover each operation's parameters and bodies, positive and negative: about
# 1,800 requests for the two runs together (3,000 at 25 examples found nothing more).
FUZZ = settings(max_examples=15, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.filter_too_much])
CSRF = "f" * 32


@pytest.fixture
def app_in_test_transaction(world, settings) -> Iterator[None]:
    """The world with an application received and one not yet, served as a client program
    sees it, with no limit on submissions or searches (every request is one address)."""
    settings.XXGK_SUBMISSIONS_PER_HOUR = 0
    settings.XXGK_SEARCHES_PER_MINUTE = 0
    apply(world.education)
    received(world.education, on=today())
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(app_in_test_transaction):
    """Loaded when the tests run, not when they are collected: loading serves a request,
    which imports every view, and pygal's import hook (the oversight charts) breaks
    pytest's importing of the test modules collected after it."""
    return schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


def _checks_for(case) -> dict:
    """Every check schemathesis has, except that a well-formed request may be refused with a
    422 where the API judges it beyond its schema, as the documentation says: a body is
    checked by the site's own form (an ID number's check digit, an email address when
    replies go by email), and a well-formed code must name an agency or a category. Only a
    search is never refused once well formed."""
    if case.operation.path == "/api/search":
        return {}
    return {"excluded_checks": [positive_data_acceptance]}


@schema.parametrize()
@FUZZ
def test_anonymous_requests_get_declared_answers(case, app_in_test_transaction):
    case.call_and_validate(**_checks_for(case))


@schema.include(tag="staff").parametrize()
@FUZZ
def test_a_handler_s_requests_get_declared_answers(case, app_in_test_transaction, world):
    cookies = case.meta.components.get(ParameterLocation.COOKIE) if case.meta else None
    if "sessionid" not in (case.cookies or {}) or (cookies and cookies.mode.is_negative):
        return  # a request without a valid session: the anonymous run sends those
    client = Client()
    client.force_login(world.handler)
    # The handler's real session in place of the generated one, so the check that generated
    # credentials are refused does not apply.
    case.cookies = {"sessionid": client.cookies["sessionid"].value}
    headers = {}
    if case.method.upper() == "POST":
        case.cookies["csrftoken"] = headers["X-CSRFToken"] = CSRF
    checks = _checks_for(case)
    checks["excluded_checks"] = [*checks.get("excluded_checks", []), ignored_auth]
    case.call_and_validate(headers=headers, **checks)
