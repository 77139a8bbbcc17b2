"""Every change to a staff account or its powers, in one place and in the audit log.

三员分立, as 等保 2.0 level 3 asks: the OGI office administers the system (agencies, the
calendar, configuration) and changes no account; the security administrator changes
accounts and roles and reads no audit log; the security auditor reads the audit log and
changes nothing. Creating an account, deactivating it, setting its password, granting and
revoking its roles, changing its groups or its staff and superuser flags all happen here,
so that the configuration pages and any command share one set of rules, and each change
writes an audit entry: who acted, whose account, what changed (never the password). The
commands ``xxgk createsuperuser`` and ``xxgk changepassword`` (agencies' own, in place of
Django's) act here too, as the host's operator (``audit.HostOperator``).

The rules, beyond "a security administrator or a superuser, nobody else":

- only a superuser makes or unmakes a superuser, and grants or revokes a security duty;
- only a superuser changes an account that is a superuser's or holds a security duty (its
  password too): the security administrator cannot take over the auditor who watches them;
- nobody changes their own powers (roles, groups, flags), a superuser neither; everyone
  changes their own password and details (the admin's "change password" page);
- a security duty is its account's only role, with no group and no superuser flag, so
  that no account both changes accounts and reads the log, or holds a duty and
  administers the system.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xxgk.core.steps import StepError

from . import access, audit
from .models import Agency, StaffRole

FLAGS = ("is_active", "is_staff", "is_superuser")
DETAILS = ("first_name", "last_name", "email")


def check_may_change(actor: Any, account: Any, *, powers: bool) -> None:
    """Refuse unless ``actor`` may change ``account`` (its powers, if ``powers``). Anyone
    signed in changes their own password and details."""
    own = account.pk is not None and account.pk == getattr(actor, "pk", None)
    if own and not powers and getattr(actor, "is_active", False):
        return
    if not access.may_manage_accounts(actor):
        raise StepError(_("Only a security administrator changes accounts and roles."))
    if own:
        raise StepError(_("Nobody changes their own powers: ask another security "
                          "administrator."))
    if not actor.is_superuser and (account.is_superuser or _duties(account)):
        raise StepError(_("Only a superuser changes the account of a superuser, a security "
                          "administrator or a security auditor."))


def create_account(actor: Any, *, username: str, password: str | None,
                   first_name: str = "", last_name: str = "", email: str = "",
                   request: HttpRequest | None = None) -> Any:
    """A new account with no role, no group and no flag: powers are granted afterwards,
    each in its own audited step. ``password`` None: it cannot sign in with a password."""
    if not access.may_manage_accounts(actor):
        raise StepError(_("Only a security administrator changes accounts and roles."))
    users = get_user_model()
    account = users(username=username, first_name=first_name, last_name=last_name,
                    email=email)
    with transaction.atomic():
        if users.objects.filter(username=username).exists():
            raise StepError(_("An account with this username exists."), "username")
        _put_password(account, password)
        account.save()
        audit.record("account.create", actor=actor, obj=account, request=request,
                     detail={"account": username, "password": password is not None})
    return account


def create_superuser(actor: Any, *, username: str, password: str | None, email: str = "",
                     request: HttpRequest | None = None) -> Any:
    """A superuser (``xxgk createsuperuser``): the account created, then its staff and
    superuser flags set, two audited steps in one transaction, so that a refused password
    leaves no account behind."""
    with transaction.atomic():
        account = create_account(actor, username=username, password=password, email=email,
                                 request=request)
        return update_account(actor, account, request=request, is_staff=True,
                              is_superuser=True)


def set_password(actor: Any, account: Any, password: str | None, *,
                 request: HttpRequest | None = None) -> None:
    """Set (or, with None, disable) ``account``'s password. Its signed-in sessions end."""
    with transaction.atomic():
        account = _locked(account)
        check_may_change(actor, account, powers=False)
        _put_password(account, password)
        account.save(update_fields=["password"])
        audit.record("account.password", actor=actor, obj=account, request=request,
                     detail={"account": account.get_username(),
                             "password": password is not None})


def update_account(actor: Any, account: Any, *, request: HttpRequest | None = None,
                   groups: Iterable[Group] | None = None, **values: Any) -> Any:
    """Change ``account``'s details (``DETAILS``), flags (``FLAGS``: deactivating is
    ``is_active=False``) and groups; nothing written when nothing changes."""
    with transaction.atomic():
        account = _locked(account)
        flags, details, old_groups, new_groups = check_update(actor, account, groups=groups,
                                                              **values)
        if not (flags or details or new_groups != old_groups):
            return account
        for name in (*flags, *details):
            setattr(account, name, values[name] if name in DETAILS else bool(values[name]))
        if flags or details:
            account.save(update_fields=[*flags, *details])
        if new_groups != old_groups:
            account.groups.set(new_groups)
        audit.record("account.change", actor=actor, obj=account, request=request, detail={
            "account": account.get_username(), "flags": flags, "details": details,
            "groups_added": sorted(g.name for g in new_groups - old_groups),
            "groups_removed": sorted(g.name for g in old_groups - new_groups),
        })
    return account


def check_update(actor: Any, account: Any, *, groups: Iterable[Group] | None = None,
                 **values: Any) -> tuple[dict[str, list[bool]], list[str], set[Group], set[Group]]:
    """Refuse what ``update_account`` would refuse; returns what would change: the flags
    (name: [old, new]), the details' names, the groups before and after."""
    unknown = set(values) - set(FLAGS) - set(DETAILS)
    if unknown:
        raise TypeError(f"not an account field: {', '.join(sorted(unknown))}")
    flags = {name: [getattr(account, name), bool(value)] for name, value in values.items()
             if name in FLAGS and getattr(account, name) != bool(value)}
    details = sorted(name for name, value in values.items()
                     if name in DETAILS and getattr(account, name) != value)
    old_groups = set(account.groups.all()) if account.pk else set()
    new_groups = old_groups if groups is None else set(groups)
    if flags or details or new_groups != old_groups:
        check_may_change(actor, account, powers=bool(flags) or new_groups != old_groups)
        if "is_superuser" in flags and not actor.is_superuser:
            raise StepError(_("Only a superuser can make a superuser."), "is_superuser")
        if _duties(account) and (new_groups or values.get("is_superuser")):
            raise StepError(_("A security duty is its account's only power: it comes with "
                              "no group and no superuser flag."))
    return flags, details, old_groups, new_groups


def grant_role(actor: Any, account: Any, agency: Agency, role: str, *,
               request: HttpRequest | None = None) -> StaffRole:
    """``account`` holds ``role`` on ``agency`` and everything below it from now on."""
    with transaction.atomic():
        account = _locked(account)
        check_grant(actor, account, agency, role)
        granted = StaffRole.objects.create(user=account, agency=agency, role=role)
        audit.record("role.grant", actor=actor, obj=account, agency=agency, request=request,
                     detail={"account": account.get_username(), "role": role,
                             "agency": agency.code})
    return granted


def check_revoke(actor: Any, staff_role: StaffRole) -> None:
    check_may_change(actor, staff_role.user, powers=True)
    if staff_role.role in access.SECURITY_DUTIES and not actor.is_superuser:
        raise StepError(_("Only a superuser grants or revokes a security duty."), "role")


def revoke_role(actor: Any, staff_role: StaffRole, *,
                request: HttpRequest | None = None) -> None:
    with transaction.atomic():
        account = _locked(staff_role.user)
        check_revoke(actor, staff_role)
        audit.record("role.revoke", actor=actor, obj=account, agency=staff_role.agency,
                     request=request, detail={"account": account.get_username(),
                                              "role": staff_role.role,
                                              "agency": staff_role.agency.code})
        staff_role.delete()


def save_group(actor: Any, group: Group | None, *, name: str,
               permissions: Iterable[Permission],
               request: HttpRequest | None = None) -> Group:
    """Create or change a group: what its members may configure. A superuser's step, since
    a group's permissions are powers for every member at once."""
    if not (getattr(actor, "is_active", False) and getattr(actor, "is_superuser", False)):
        raise StepError(_("Only a superuser changes what a group may do."))
    wanted = set(permissions)
    with transaction.atomic():
        stored = None if group is None or group.pk is None else Group.objects.get(pk=group.pk)
        old = set(stored.permissions.all()) if stored else set()
        old_name = stored.name if stored else ""
        group = Group(name=name) if group is None else group
        group.name = name
        group.save()
        group.permissions.set(wanted)
        audit.record("group.create" if stored is None else "group.change", actor=actor, obj=group,
                     request=request, detail={
                         "group": name, "renamed_from": old_name if old_name != name else "",
                         "added": sorted(_perm_label(p) for p in wanted - old),
                         "removed": sorted(_perm_label(p) for p in old - wanted)})
    return group


def check_grant(actor: Any, account: Any, agency: Agency, role: str) -> None:
    """Refuse what ``grant_role`` would refuse."""
    check_may_change(actor, account, powers=True)
    holds = set(StaffRole.objects.filter(user=account).values_list("role", flat=True))
    if role in access.SECURITY_DUTIES:
        if not actor.is_superuser:
            raise StepError(_("Only a superuser grants or revokes a security duty."), "role")
        if holds or account.is_superuser or account.groups.exists():
            raise StepError(_("A security duty is its account's only power: this account "
                              "already holds a role, a group or the superuser flag."), "role")
    elif holds & set(access.SECURITY_DUTIES):
        raise StepError(_("This account holds a security duty, which is its only role."),
                        "role")
    if StaffRole.objects.filter(user=account, agency=agency, role=role).exists():
        raise StepError(_("The account already holds this role on this agency."), "role")


def _duties(account: Any) -> set[str]:
    return set(StaffRole.objects.filter(user=account, role__in=access.SECURITY_DUTIES)
               .values_list("role", flat=True))


def _locked(account: Any) -> Any:
    """The account read again under a row lock: two administrators acting at once see
    each other's change, and a stale form's copy is never what the rules judge."""
    return get_user_model().objects.select_for_update().get(pk=account.pk)


def _put_password(account: Any, password: str | None) -> None:
    if password is None:
        account.set_unusable_password()
        return
    try:
        password_validation.validate_password(password, account)
    except ValidationError as error:
        raise StepError(" ".join(error.messages), "password") from error
    account.set_password(password)


def _perm_label(permission: Permission) -> str:
    return f"{permission.content_type.app_label}.{permission.codename}"
