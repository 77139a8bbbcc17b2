"""The configuration pages as each duty sees them (三员分立): the OGI office configures and
changes no account; the security administrator changes accounts and roles, through
``accounts``, audited; the security auditor reads the audit log and nothing else."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client as PlainClient
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD, UserFactory, security_duties
from tests.signin import Client, confirmed_device
from xxgk.agencies.models import AuditEntry, StaffRole

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Neues-Passwort-2026"  # noqa: S105  (a test's password)


@pytest.fixture
def duties(world):
    return security_duties(world)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _account_form(user, **changes) -> dict[str, object]:
    """The change form's fields as the page shows them for ``user``, with ``changes``."""
    values: dict[str, object] = {
        "first_name": user.first_name, "last_name": user.last_name, "email": user.email,
        "is_active": "on" if user.is_active else "", "is_staff": "on" if user.is_staff else "",
        "groups": [g.pk for g in user.groups.all()],
        "staff_roles-TOTAL_FORMS": 0, "staff_roles-INITIAL_FORMS": 0,
    }
    values.update(changes)
    return {name: value for name, value in values.items() if value != ""}


URLS_OF_ACCOUNTS = ("admin:auth_user_changelist", "admin:auth_user_add",
                    "admin:agencies_staffrole_changelist", "admin:agencies_staffrole_add")


@pytest.mark.parametrize("name", URLS_OF_ACCOUNTS)
def test_the_ogi_office_cannot_open_accounts_or_roles(world, name):
    assert _client(world.ogi).get(reverse(name)).status_code == 403


def test_the_ogi_office_cannot_change_an_account_even_with_a_groups_permission(world):
    group = Group.objects.create(name="政务公开办")
    group.permissions.set(Permission.objects.filter(content_type__app_label="auth"))
    world.ogi.groups.add(group)
    client = _client(world.ogi)
    url = reverse("admin:auth_user_change", args=[world.handler.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, _account_form(world.handler, is_superuser="on")).status_code == 403
    password = reverse("admin:auth_user_password_change", args=[world.handler.pk])
    assert client.post(password, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
                                  "usable_password": "true"}).status_code == 403
    world.handler.refresh_from_db()
    assert not world.handler.is_superuser and not world.handler.check_password(NEW_PASSWORD)


def test_the_ogi_office_sees_an_agencys_roles_but_cannot_change_them(world):
    group = Group.objects.create(name="政务公开办")
    group.permissions.set(Permission.objects.filter(content_type__model="agency"))
    world.ogi.groups.add(group)
    page = _client(world.ogi).get(reverse("admin:agencies_agency_change",
                                          args=[world.education.pk]))
    assert page.status_code == 200 and "handler" in page.content.decode()
    assert b'name="staff_roles-0-role"' not in page.content


def test_the_security_administrator_creates_an_account_audited(world, duties):
    security = duties[0]
    response = _client(security).post(reverse("admin:auth_user_add"), {
        "username": "newcomer", "usable_password": "true", "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD, "first_name": "新同事",
    })
    assert response.status_code == 302, response.content[:3000]
    account = get_user_model().objects.get(username="newcomer")
    assert account.check_password(NEW_PASSWORD) and account.first_name == "新同事"
    entry = AuditEntry.objects.get(action="account.create")
    assert entry.actor == security and entry.object_id == str(account.pk)


def test_the_security_administrator_deactivates_and_sets_a_password(world, duties):
    client = _client(duties[0])
    url = reverse("admin:auth_user_change", args=[world.handler.pk])
    response = client.post(url, _account_form(world.handler, is_active="", is_staff="on"))
    assert response.status_code == 302, response.content[:3000]
    response = client.post(reverse("admin:auth_user_password_change", args=[world.handler.pk]),
                           {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
                            "usable_password": "true"})
    assert response.status_code == 302
    world.handler.refresh_from_db()
    assert not world.handler.is_active and world.handler.is_staff
    assert world.handler.check_password(NEW_PASSWORD)
    change = AuditEntry.objects.get(action="account.change")
    assert change.detail["flags"] == {"is_active": [True, False], "is_staff": [False, True]}
    assert AuditEntry.objects.get(action="account.password").actor == duties[0]


def test_the_security_administrator_never_makes_a_superuser(world, duties):
    client = _client(duties[0])
    url = reverse("admin:auth_user_change", args=[world.handler.pk])
    assert b'name="is_superuser"' not in client.get(url).content
    client.post(url, _account_form(world.handler, is_superuser="on"))
    world.handler.refresh_from_db()
    assert not world.handler.is_superuser


def test_a_refused_change_says_why_on_the_form(world, duties):
    security, auditor = duties
    client = _client(security)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    own = client.post(reverse("admin:auth_user_change", args=[security.pk]),
                      _account_form(security, is_staff=""))
    takeover = client.post(
        reverse("admin:auth_user_password_change", args=[auditor.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"})
    assert own.status_code == 200 and "Nobody changes their own powers" in own.content.decode()
    assert takeover.status_code == 200
    assert "Only a superuser changes the account" in takeover.content.decode()
    auditor.refresh_from_db()
    assert not auditor.check_password(NEW_PASSWORD)
    assert not AuditEntry.objects.filter(action__startswith="account.").exists()


def test_the_security_administrator_grants_and_revokes_roles_audited(world, duties):
    client = _client(duties[0])
    response = client.post(reverse("admin:agencies_staffrole_add"), {
        "user": world.finance_handler.pk, "agency": world.district.pk, "role": "reviewer"})
    assert response.status_code == 302, response.content[:3000]
    granted = StaffRole.objects.get(user=world.finance_handler, role="reviewer")
    assert AuditEntry.objects.get(action="role.grant").agency == world.district
    response = client.post(reverse("admin:agencies_staffrole_delete", args=[granted.pk]),
                           {"post": "yes"})
    assert response.status_code == 302
    assert not StaffRole.objects.filter(pk=granted.pk).exists()
    assert AuditEntry.objects.get(action="role.revoke").detail["role"] == "reviewer"


def test_granting_oneself_a_duty_is_refused_on_the_form(world, duties):
    security = duties[0]
    client = _client(security)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("admin:agencies_staffrole_add"), {
        "user": security.pk, "agency": world.district.pk, "role": "ogi_admin"})
    assert response.status_code == 200
    assert "Nobody changes their own powers" in response.content.decode()
    assert not StaffRole.objects.filter(user=security, role="ogi_admin").exists()


def test_a_security_duty_cannot_be_revoked_by_the_security_administrator(world, duties):
    security, auditor = duties
    duty = StaffRole.objects.get(user=auditor)
    response = _client(security).post(reverse("admin:agencies_staffrole_delete",
                                              args=[duty.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert StaffRole.objects.filter(pk=duty.pk).exists()


def test_the_security_administrator_reads_no_audit_log_and_no_configuration(world, duties):
    client = _client(duties[0])
    for name in ("admin:agencies_auditentry_changelist", "admin:agencies_agency_changelist",
                 "admin:holidays_calendaryear_changelist"):
        assert client.get(reverse(name)).status_code == 403, name


def test_the_security_auditor_reads_the_audit_log_and_nothing_else(world, duties):
    auditor = duties[1]
    client = _client(auditor)
    log = client.get(reverse("admin:agencies_auditentry_changelist"))
    assert log.status_code == 200
    entry = AuditEntry.objects.first()
    assert client.get(reverse("admin:agencies_auditentry_change",
                              args=[entry.pk])).status_code == 200
    for name in (*URLS_OF_ACCOUNTS, "admin:agencies_agency_changelist",
                 "admin:holidays_calendaryear_changelist", "admin:auth_group_changelist"):
        assert client.get(reverse(name)).status_code == 403, name
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:agencies_auditentry_changelist") in index
    assert reverse("admin:auth_user_changelist") not in index


def test_the_duties_are_sent_from_the_workbench_to_the_configuration_pages(world, duties):
    for user in duties:
        response = _client(user).get(reverse("workbench:home"))
        assert response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_a_superuser_changes_a_groups_permissions_audited(world):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    permission = Permission.objects.get(codename="view_agency")
    response = _client(root).post(reverse("admin:auth_group_add"),
                                  {"name": "政务公开办", "permissions": [permission.pk]})
    assert response.status_code == 302, response.content[:3000]
    entry = AuditEntry.objects.get(action="group.create")
    assert entry.detail["added"] == ["agencies.view_agency"] and entry.actor == root


def test_changing_ones_own_password_is_audited_and_keeps_one_signed_in(world, duties):
    client = _client(duties[1])
    response = client.post(reverse("admin:password_change"), {
        "old_password": "test-pass-123", "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD})
    assert response.status_code == 302, response.content[:3000]
    duties[1].refresh_from_db()
    assert duties[1].check_password(NEW_PASSWORD)
    entry = AuditEntry.objects.get(action="account.password")
    assert entry.actor == duties[1] and entry.object_id == str(duties[1].pk)
    assert client.get(reverse("admin:agencies_auditentry_changelist")).status_code == 200


def _lock_out(username: str) -> PlainClient:
    client = PlainClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/staff/login/", {"username": username, "password": "wrong-Password-1"})
    assert client.post("/staff/login/", {"username": username,
                                         "password": PASSWORD}).status_code == 429
    return client


def _act_on(client: Client, action: str, *accounts):
    return client.post(reverse("admin:auth_user_changelist"),
                       {"action": action, "_selected_action": [a.pk for a in accounts]},
                       follow=True, headers={"accept-language": "en"})


def test_the_security_administrator_unlocks_a_login_in_the_admin(world, duties):
    security, audit_log = duties
    locked_out = _lock_out("handler")
    page = _act_on(_client(security), "unlock_logins", world.handler)
    assert "Unlocked the login of handler (1 locked address cleared)." in page.content.decode()
    assert locked_out.post("/staff/login/", {"username": "handler",
                                             "password": PASSWORD}).status_code == 302
    entry = AuditEntry.objects.get(action="auth.unlocked")
    assert (entry.actor, entry.object_id, entry.detail) == (security, str(world.handler.pk),
                                                            {"attempts": 1})


def test_the_security_administrator_resets_a_lost_second_factor(world, duties):
    security, audit_log = duties
    confirmed_device(world.reviewer)
    page = _act_on(_client(security), "reset_second_factors", world.reviewer)
    assert "Reset the second factor of reviewer (1 device removed)" in page.content.decode()
    assert not TOTPDevice.objects.filter(user=world.reviewer).exists()
    entry = AuditEntry.objects.get(action="auth.two_factor_reset")
    assert (entry.actor, entry.object_id) == (security, str(world.reviewer.pk))


def test_unlocking_and_resetting_keep_the_rules_of_accounts(world, duties):
    """Not the security auditor's account (only a superuser's step), not one's own, and
    nothing for the OGI office, even with every permission on accounts."""
    security, audit_log = duties
    _lock_out("audit-log")
    confirmed_device(audit_log)
    for action in ("unlock_logins", "reset_second_factors"):
        page = _act_on(_client(security), action, audit_log, security).content.decode()
        assert "Not done for audit-log: Only a superuser changes the account" in page
        assert "Not done for security: Nobody changes their own powers" in page
    assert TOTPDevice.objects.filter(user=audit_log).exists()
    assert not AuditEntry.objects.filter(action__in=("auth.unlocked",
                                                     "auth.two_factor_reset")).exists()
    group = Group.objects.create(name="政务公开办")
    group.permissions.set(Permission.objects.filter(content_type__app_label="auth"))
    world.ogi.groups.add(group)
    for action in ("unlock_logins", "reset_second_factors"):
        assert _act_on(_client(world.ogi), action, world.handler).status_code == 403
