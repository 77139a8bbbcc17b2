"""Account and role changes (三员分立): only the security administrator (or a superuser)
makes them, each one is in the audit log — who, whose account, what changed, never the
password — and every escalation is refused with a reason."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import translation

from tests.factories import UserFactory, security_duties
from xxgk.agencies import accounts, integrity
from xxgk.agencies.models import AuditEntry, StaffRole
from xxgk.core.steps import StepError

pytestmark = pytest.mark.django_db
Role = StaffRole.Role
NEW_PASSWORD = "Neues-Passwort-2026"  # noqa: S105  (a test's password)


@pytest.fixture
def duties(world):
    return security_duties(world)


@pytest.fixture
def security(duties):
    return duties[0]


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def _last(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).order_by("-seq").first()


def _refused(call, *args, **kwargs) -> str:
    with translation.override("en"), pytest.raises(StepError) as refused:
        call(*args, **kwargs)
    return refused.value.message


def test_creating_an_account_is_audited_without_its_password(world, security):
    account = accounts.create_account(security, username="newcomer", password=NEW_PASSWORD,
                                      first_name="新同事")
    assert account.check_password(NEW_PASSWORD)
    assert not (account.is_staff or account.is_superuser or account.staff_roles.exists())
    entry = _last("account.create")
    assert (entry.actor, entry.object_id, entry.object_type) == (security, str(account.pk),
                                                                 "auth.user")
    assert entry.detail == {"account": "newcomer", "password": True}
    every_detail = str(list(AuditEntry.objects.values_list("detail", flat=True)))
    assert NEW_PASSWORD not in every_detail and account.password not in every_detail
    assert integrity.verify() is None


def test_a_password_is_set_by_the_policy_and_audited(world, security):
    assert "10 characters" in _refused(accounts.set_password, security, world.handler,
                                       "short1A")
    accounts.set_password(security, world.handler, NEW_PASSWORD)
    world.handler.refresh_from_db()
    assert world.handler.check_password(NEW_PASSWORD)
    entry = _last("account.password")
    assert entry.actor == security and entry.object_id == str(world.handler.pk)
    assert NEW_PASSWORD not in str(entry.detail)


def test_deactivating_and_staff_flags_and_groups_are_audited_as_old_and_new(world, security):
    group = Group.objects.create(name="政务公开办")
    accounts.update_account(security, world.handler, is_active=False, is_staff=True,
                            first_name="陈", groups=[group])
    world.handler.refresh_from_db()
    assert not world.handler.is_active and world.handler.is_staff
    assert list(world.handler.groups.all()) == [group]
    entry = _last("account.change")
    assert entry.detail == {
        "account": "handler", "flags": {"is_active": [True, False], "is_staff": [False, True]},
        "details": ["first_name"], "groups_added": ["政务公开办"], "groups_removed": [],
    }


def test_nothing_changed_writes_nothing(world, security):
    before = AuditEntry.objects.count()
    accounts.update_account(security, world.handler, is_active=True, first_name="")
    assert AuditEntry.objects.count() == before


def test_roles_are_granted_and_revoked_with_their_agency_in_the_log(world, security):
    granted = accounts.grant_role(security, world.handler, world.finance, Role.REVIEWER)
    entry = _last("role.grant")
    assert entry.agency == world.finance and entry.object_id == str(world.handler.pk)
    assert entry.detail == {"account": "handler", "role": "reviewer", "agency": "110102109"}
    accounts.revoke_role(security, granted)
    assert not StaffRole.objects.filter(pk=granted.pk).exists()
    assert _last("role.revoke").detail == entry.detail


def test_the_ogi_office_and_everyone_else_change_no_account(world, duties):
    for actor in (world.ogi, world.auditor, world.handler, duties[1]):
        assert "Only a security administrator" in _refused(
            accounts.set_password, actor, world.finance_handler, NEW_PASSWORD)
        _refused(accounts.create_account, actor, username="x", password=NEW_PASSWORD)
        _refused(accounts.grant_role, actor, world.finance_handler, world.district,
                 Role.OGI_ADMIN)
        _refused(accounts.update_account, actor, world.finance_handler, is_staff=True)
    assert not AuditEntry.objects.filter(action__startswith="account.").exists()


def test_only_a_superuser_makes_a_superuser(world, security, superuser):
    assert "Only a superuser can make a superuser" in _refused(
        accounts.update_account, security, world.ogi, is_superuser=True)
    accounts.update_account(superuser, world.ogi, is_superuser=True)
    world.ogi.refresh_from_db()
    assert world.ogi.is_superuser
    assert _last("account.change").detail["flags"] == {"is_superuser": [False, True]}


def test_the_security_administrator_cannot_take_over_a_superuser_or_the_auditor(
        world, duties, superuser):
    security, auditor = duties
    for account in (superuser, auditor):
        assert "Only a superuser changes the account" in _refused(
            accounts.set_password, security, account, NEW_PASSWORD)
        _refused(accounts.update_account, security, account, is_active=False)
    accounts.set_password(superuser, auditor, NEW_PASSWORD)


def test_nobody_changes_their_own_powers(world, security, superuser):
    for role in (Role.OGI_ADMIN, Role.SECURITY_AUDITOR, Role.HANDLER):
        assert "Nobody changes their own powers" in _refused(
            accounts.grant_role, security, security, world.district, role)
    _refused(accounts.update_account, superuser, superuser, is_superuser=False)
    accounts.set_password(security, security, NEW_PASSWORD)


def test_security_duties_are_granted_by_a_superuser_and_are_their_accounts_only_role(
        world, security, superuser):
    newcomer = UserFactory(username="newcomer")
    assert "Only a superuser grants or revokes a security duty" in _refused(
        accounts.grant_role, security, newcomer, world.district, Role.SECURITY_ADMIN)
    assert "only power" in _refused(accounts.grant_role, superuser, world.ogi,
                                    world.district, Role.SECURITY_AUDITOR)
    accounts.grant_role(superuser, newcomer, world.district, Role.SECURITY_AUDITOR)
    assert "security duty" in _refused(accounts.grant_role, superuser, newcomer,
                                       world.district, Role.OGI_ADMIN)
    assert "only power" in _refused(accounts.update_account, superuser, newcomer,
                                    groups=[Group.objects.create(name="x")])
    other = UserFactory(username="security2")
    accounts.grant_role(superuser, other, world.district, Role.SECURITY_ADMIN)
    duty = StaffRole.objects.get(user=security)
    assert "Only a superuser" in _refused(accounts.revoke_role, other, duty)


def test_a_role_is_granted_once(world, security):
    assert "already holds" in _refused(accounts.grant_role, security, world.handler,
                                       world.education, Role.HANDLER)


def test_groups_permissions_are_changed_by_a_superuser_and_audited(world, security,
                                                                    superuser):
    change_user = Permission.objects.get(codename="change_user")
    assert "Only a superuser" in _refused(accounts.save_group, security, None, name="g",
                                          permissions=[change_user])
    group = accounts.save_group(superuser, None, name="政务公开办", permissions=[change_user])
    assert _last("group.create").detail["added"] == ["auth.change_user"]
    accounts.save_group(superuser, group, name="政务公开办", permissions=[])
    assert _last("group.change").detail["removed"] == ["auth.change_user"]
    assert not group.permissions.exists()


def test_anyone_changes_their_own_password_and_only_that(world):
    accounts.set_password(world.ogi, world.ogi, NEW_PASSWORD)
    assert _last("account.password").actor == world.ogi
    _refused(accounts.update_account, world.ogi, world.ogi, is_staff=False)
