"""Who may see and do what: staff roles apply to an agency and its whole subtree.

Every view, API endpoint and command asks these functions rather than testing roles
itself, so the scoping rule lives in one place.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from .models import Agency, StaffRole

Role = StaffRole.Role

# The roles that work on an agency's records. The security duties (三员分立) are not among
# them: an account holding one works in the configuration pages only, so that whoever
# changes accounts or reads the audit log reads no application through that duty.
AGENCY_ROLES: tuple[str, ...] = (Role.HANDLER, Role.REVIEWER, Role.OGI_ADMIN, Role.AUDITOR)
SECURITY_DUTIES: tuple[str, ...] = (Role.SECURITY_ADMIN, Role.SECURITY_AUDITOR)


def roles_of(user: AbstractBaseUser | AnonymousUser) -> list[StaffRole]:
    """The agency roles ``user`` holds (never a security duty: ``duties_of``)."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_xxgk_roles", None)
    if cached is None:
        cached = list(StaffRole.objects.filter(user=user, role__in=AGENCY_ROLES)
                      .select_related("agency"))
        user._xxgk_roles = cached
    return cached


def duties_of(user: AbstractBaseUser | AnonymousUser) -> set[str]:
    """The security duties ``user`` holds: security administration, security audit."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_xxgk_duties", None)
    if cached is None:
        cached = set(StaffRole.objects.filter(user=user, role__in=SECURITY_DUTIES)
                     .values_list("role", flat=True))
        user._xxgk_duties = cached
    return cached


def may_manage_accounts(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Creates and deactivates accounts, sets passwords, grants and revokes roles: the
    security administrator (and a superuser). ``accounts`` says what even they may not."""
    return bool(getattr(user, "is_active", False)) and (
        bool(getattr(user, "is_superuser", False)) or Role.SECURITY_ADMIN in duties_of(user))


def may_read_audit_log(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Reads the audit log: the security auditor (and a superuser), nobody who changes
    accounts or configuration."""
    return bool(getattr(user, "is_active", False)) and (
        bool(getattr(user, "is_superuser", False)) or Role.SECURITY_AUDITOR in duties_of(user))


def is_staff_member(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(roles_of(user)) or bool(getattr(user, "is_superuser", False))


def visible_agencies(
    user: AbstractBaseUser | AnonymousUser, roles: Iterable[str] | None = None
) -> QuerySet[Agency]:
    """The agencies in the subtrees where ``user`` holds any of ``roles`` (default: any)."""
    if getattr(user, "is_superuser", False):
        return Agency.objects.all()
    wanted = set(roles) if roles is not None else None
    prefixes = {r.agency.path for r in roles_of(user) if wanted is None or r.role in wanted}
    if not prefixes:
        return Agency.objects.none()
    condition = Q()
    for prefix in prefixes:
        condition |= Q(path__startswith=prefix)
    return Agency.objects.filter(condition)


def has_role(user: AbstractBaseUser | AnonymousUser, agency: Agency, *roles: str) -> bool:
    """Whether ``user`` holds one of ``roles`` on ``agency`` or on an agency above it."""
    if getattr(user, "is_superuser", False):
        return True
    return any(
        agency.path.startswith(r.agency.path) and (not roles or r.role in roles)
        for r in roles_of(user)
    )


# Who writes an agency's own records — registers its paper applications, keeps its
# catalogue and consultations: its handlers and the OGI office. Reviewers approve, auditors
# read.
WRITER_ROLES: tuple[str, ...] = (Role.HANDLER, Role.OGI_ADMIN)


def may_write(user: AbstractBaseUser | AnonymousUser, agency: Agency) -> bool:
    return has_role(user, agency, *WRITER_ROLES)


def writable_agencies(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Agency]:
    """The active agencies whose records ``user`` may write."""
    return visible_agencies(user, roles=WRITER_ROLES).filter(is_active=True)


def is_ogi_office(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Holds the OGI-office administrator role at the top of some tree."""
    return getattr(user, "is_superuser", False) or any(
        r.role == Role.OGI_ADMIN and r.agency.parent_id is None for r in roles_of(user)
    )
