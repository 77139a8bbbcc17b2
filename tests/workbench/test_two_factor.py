"""Two-factor sign-in: required for every role but handler and for the admin, optional for
handlers; after the password a code of the authenticator app or a single-use recovery code;
until then no staff page, staff API endpoint or admin page opens."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import Client as PlainClient
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD, StaffRoleFactory, UserFactory
from tests.signin import Client, code, confirmed_device
from tests.test_authorisation import ARGS, STAFF_API, _url
from xxgk.agencies.models import AuditEntry, StaffRole
from xxgk.workbench import two_factor

pytestmark = pytest.mark.django_db

LOGIN = "/staff/login/"
VERIFY = "/staff/login/code/"
ENROL = "/staff/login/enrol/"


def log_in(client, username: str, **extra):
    """The password step, as the login form sends it."""
    return client.post(LOGIN, {"username": username, "password": PASSWORD, **extra})


def actions_for(user) -> list[str]:
    return list(AuditEntry.objects.filter(actor=user, action__startswith="auth.")
                .order_by("seq").values_list("action", flat=True))


def _unthrottle(device) -> None:
    """Let the seconds django-otp makes a caller wait after a wrong code pass."""
    type(device).objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - dt.timedelta(minutes=1))


# ---- The rule ----------------------------------------------------------------------------


def test_every_role_but_handler_requires_the_second_factor(world):
    assert not two_factor.is_required(world.handler)
    for user in (world.reviewer, world.ogi, world.auditor):
        assert two_factor.is_required(user), user
    both = UserFactory(username="both")
    StaffRoleFactory(user=both, agency=world.education, role=StaffRole.Role.HANDLER)
    StaffRoleFactory(user=both, agency=world.education, role=StaffRole.Role.REVIEWER)
    assert two_factor.is_required(both)


def test_a_role_added_later_requires_it_too(world):
    newcomer = UserFactory(username="newcomer")
    StaffRole.objects.create(user=newcomer, agency=world.district, role="security_admin")
    assert two_factor.is_required(newcomer)


def test_admin_accounts_require_it_whatever_their_roles(world):
    assert two_factor.is_required(UserFactory(username="staffer", is_staff=True))
    assert two_factor.is_required(UserFactory(username="root", is_superuser=True))
    assert not two_factor.is_required(UserFactory(username="citizen"))


# ---- Password, then the code ---------------------------------------------------------------


def test_after_the_password_the_code_is_asked_and_a_wrong_one_refused(world):
    client = PlainClient()
    device = confirmed_device(world.reviewer)
    response = log_in(client, "reviewer", next="/staff/applications/")
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fstaff%2Fapplications%2F"
    assert client.get("/staff/applications/")["Location"].startswith(VERIFY)

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    wrong = client.post(VERIFY, {"code": "000000", "next": "/staff/applications/"})
    assert wrong.status_code == 200 and b"This code is not right" in wrong.content
    assert client.get("/staff/applications/").status_code == 302
    hurried = client.post(VERIFY, {"code": code(device)})
    assert b"Too many wrong codes" in hurried.content

    _unthrottle(device)
    right = client.post(VERIFY, {"code": code(device), "next": "/staff/applications/"})
    assert right.status_code == 302 and right["Location"] == "/staff/applications/"
    assert client.get("/staff/applications/").status_code == 200
    assert actions_for(world.reviewer) == ["auth.login", "auth.two_factor_failed"]


def test_a_code_is_accepted_once(world):
    device = confirmed_device(world.reviewer)
    first, second = PlainClient(), PlainClient()
    log_in(first, "reviewer")
    log_in(second, "reviewer")
    used = code(device)
    assert first.post(VERIFY, {"code": used}).status_code == 302
    assert second.post(VERIFY, {"code": used}).status_code == 200
    assert second.get("/staff/").status_code == 302


def test_a_recovery_code_works_once(world):
    client = Client()
    client.force_login(world.ogi)
    codes = re.findall(r"<code>(\w+)</code>",
                       client.post(reverse("workbench:two_factor_codes")).content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10

    for attempt in range(2):
        other = PlainClient()
        log_in(other, "ogi")
        response = other.post(VERIFY, {"code": codes[0].upper()})
        if attempt == 0:
            assert response.status_code == 302
            assert other.get("/staff/").status_code == 200
        else:
            assert response.status_code == 200
            assert other.get("/staff/").status_code == 302
    used = AuditEntry.objects.get(action="auth.recovery_code_used")
    assert used.detail == {"remaining": 9} and used.actor == world.ogi


def test_new_recovery_codes_replace_the_old_ones(world):
    client = Client()
    client.force_login(world.ogi)
    old = re.findall(r"<code>(\w+)</code>",
                     client.post(reverse("workbench:two_factor_codes")).content.decode())
    response = client.post(reverse("workbench:two_factor_codes"))
    assert response["Cache-Control"] == "no-store"
    new = re.findall(r"<code>(\w+)</code>", response.content.decode())
    assert set(old).isdisjoint(new)
    other = PlainClient()
    log_in(other, "ogi")
    assert other.post(VERIFY, {"code": old[0]}).status_code == 200
    _unthrottle(StaticDevice.objects.get(user=world.ogi))
    assert other.post(VERIFY, {"code": new[0]}).status_code == 302
    assert actions_for(world.ogi).count("auth.recovery_codes_regenerated") == 2


# ---- Enrolment -----------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["reviewer", "ogi", "auditor"])
def test_a_required_account_without_a_device_must_enrol_first(world, username):
    client = PlainClient()
    log_in(client, username)
    response = client.get("/staff/")
    assert response.status_code == 302 and response["Location"].startswith(ENROL)
    assert client.get("/api/staff/applications").status_code == 403

    page = client.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body and "<script" not in body
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    assert two_factor.secret_text(device) in body
    assert client.get(ENROL).content.decode().count(two_factor.secret_text(device)) == 1

    assert client.post(ENROL, {"code": "123456"}).status_code == 200
    _unthrottle(device)
    shown = client.post(ENROL, {"code": code(device), "next": "/staff/"})
    assert shown.status_code == 200 and shown["Cache-Control"] == "no-store"
    codes = re.findall(r"<code>(\w+)</code>", shown.content.decode())
    assert len(codes) == 10
    assert set(StaticDevice.objects.get(user__username=username).token_set
               .values_list("token", flat=True)) == set(codes)
    assert client.get("/staff/").status_code == 200
    assert client.get(ENROL)["Location"] == "/staff/"  # enrolled: nothing more to set up
    assert "auth.two_factor_enrolled" in actions_for(device.user)


def test_an_account_with_a_device_is_asked_for_the_code_even_where_it_is_optional(world):
    confirmed_device(world.handler)
    client = PlainClient()
    log_in(client, "handler")
    assert client.get("/staff/")["Location"].startswith(VERIFY)


def test_a_handler_may_turn_it_on_and_off(world):
    client = PlainClient()
    log_in(client, "handler")
    assert client.get("/staff/").status_code == 200  # optional: not asked
    assert client.get(reverse("workbench:two_factor")).status_code == 200
    assert client.get(VERIFY)["Location"] == "/staff/"  # nothing to verify

    client.get(ENROL)
    device = TOTPDevice.objects.get(user=world.handler)
    assert client.post(ENROL, {"code": code(device)}).status_code == 200
    assert client.get("/staff/").status_code == 200  # verified by the enrolment itself

    response = client.post(reverse("workbench:two_factor_disable"))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.handler).exists()
    assert not StaticDevice.objects.filter(user=world.handler).exists()
    assert actions_for(world.handler)[-2:] == ["auth.two_factor_enrolled",
                                               "auth.two_factor_disabled"]
    again = PlainClient()
    log_in(again, "handler")
    assert again.get("/staff/").status_code == 200


def test_a_required_account_cannot_turn_it_off(world):
    client = Client()
    client.force_login(world.reviewer)
    client.post(reverse("workbench:two_factor_disable"))
    assert TOTPDevice.objects.filter(user=world.reviewer, confirmed=True).exists()
    assert "auth.two_factor_disabled" not in actions_for(world.reviewer)


# ---- Nothing opens before the second factor ------------------------------------------------


@pytest.fixture
def half_signed_in(world):
    """The OGI office's account after the password, before the code."""
    confirmed_device(world.ogi)
    client = Client()
    client.force_login(world.ogi, second_factor=False)
    return client


@pytest.mark.parametrize("name", sorted(set(ARGS) - {
    "workbench:two_factor_verify", "workbench:two_factor_enrol"}))
def test_no_staff_page_opens_before_the_code(half_signed_in, name):
    url = _url(name, "0")
    for response in (half_signed_in.get(url), half_signed_in.post(url, {})):
        assert response.status_code == 302 and response["Location"].startswith(VERIFY), name


@pytest.mark.parametrize("name", STAFF_API)
def test_no_staff_api_endpoint_answers_before_the_code(half_signed_in, name):
    url = _url(name, "110102-2026-00001")
    for response in (half_signed_in.get(url),
                     half_signed_in.post(url, {}, content_type="application/json")):
        assert response.status_code == 403, name
        assert "detail" in response.json()


def test_the_admin_opens_only_after_the_code(world, half_signed_in):
    response = half_signed_in.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    half_signed_in.verify_second_factor(world.ogi)
    assert half_signed_in.get("/admin/").status_code == 200


def test_the_admin_signs_in_through_the_staff_login(world):
    client = PlainClient()
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == f"{LOGIN}?next=/admin/"
    device = confirmed_device(world.ogi)
    log_in(client, "ogi", next="/admin/")
    assert client.get("/admin/")["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    assert client.post(VERIFY, {"code": code(device), "next": "/admin/"})["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admin_refuses_a_verified_account_that_is_not_an_administrator(world):
    client = Client()
    client.force_login(world.reviewer)
    assert client.get("/admin/", follow=True).status_code == 403


def test_public_pages_stay_open_between_the_steps(half_signed_in):
    assert half_signed_in.get("/").status_code == 200
    assert half_signed_in.post(reverse("workbench:logout")).status_code == 302
