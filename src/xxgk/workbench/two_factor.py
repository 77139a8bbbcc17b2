"""Two-factor sign-in for staff: a code from an authenticator app (TOTP, django-otp's
``otp_totp``) after the password, or one of ten single-use recovery codes (``otp_static``).

The rule, stated once here: a second factor is **required** of every account that can do
more than handle its agency's work — any staff role other than handler (reviewer, OGI
office, auditor, and whatever role is added later), and every ``is_staff`` or
``is_superuser`` account (the admin). An account whose only roles are handler roles may
turn it on, and off again. Whoever has a confirmed device must enter a code at every
sign-in, required or not.

Until the second factor is verified in the session, ``SecondFactorMiddleware`` sends the
signed-in account from every staff page, staff API endpoint and admin page to the one step
it still has to take: enter a code, or enrol first. Enrolling, turning it off, regenerating
recovery codes and using one are written to the audit log.
"""

from __future__ import annotations

import base64
import enum
import io
from collections.abc import Callable
from typing import Any

import django_otp
import segno
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from xxgk.agencies import access, accounts, audit
from xxgk.agencies.models import StaffRole

RECOVERY_CODES = 10
# The only role that needs no second factor; any other role, present or future, does.
OPTIONAL_ROLES = frozenset({StaffRole.Role.HANDLER})
# Where the second factor is asked for: the staff pages, the staff API and the admin.
GATED_PREFIXES = ("/staff/", "/api/staff/", "/admin/")
DEVICE_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"

User = AbstractBaseUser | AnonymousUser


class Step(enum.StrEnum):
    """What a signed-in account still has to do before the staff pages open."""

    VERIFY = "verify"  # enter a code of its confirmed device
    ENROL = "enrol"  # set up an authenticator app first (required, none yet)


def is_required(user: User) -> bool:
    """Whether ``user`` must sign in with a second factor (see the module's rule)."""
    if getattr(user, "is_staff", False) or getattr(user, "is_superuser", False):
        return True
    return (any(role.role not in OPTIONAL_ROLES for role in access.roles_of(user))
            or bool(access.duties_of(user)))


def is_enrolled(user: User) -> bool:
    return confirmed_totp(user) is not None


def confirmed_totp(user: User) -> TOTPDevice | None:
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_step(user: User) -> Step | None:
    """The step ``user`` must take before the staff pages open, or None when there is none
    (signed out, verified in this session, or a handler who has not opted in).

    Needs django-otp's ``OTPMiddleware`` (``user.is_verified``)."""
    if not user.is_authenticated or user.is_verified():
        return None
    if is_enrolled(user):
        return Step.VERIFY
    if is_required(user):
        return Step.ENROL
    return None


class SecondFactorMiddleware:
    """The one check: a signed-in account with a pending step is sent to it (a page) or
    refused with 403 and the reason (the API) on every gated path but the step's own pages
    and logging out. Placed after django-otp's ``OTPMiddleware``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith(GATED_PREFIXES) and path not in _open_paths():
            step = pending_step(request.user)
            if step is not None:
                return _refusal(request, step)
        return self.get_response(request)


def _open_paths() -> set[str]:
    return {reverse(name) for name in (
        "workbench:two_factor_verify", "workbench:two_factor_enrol", "workbench:logout")}


def _refusal(request: HttpRequest, step: Step) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": _(
            "Sign-in is not complete: enter the code of your authenticator app on the "
            "staff login page first.")}, status=403)
    target = reverse(f"workbench:two_factor_{step}")
    wanted = request.get_full_path() if request.method == "GET" else reverse("workbench:home")
    if wanted == reverse("workbench:login"):
        wanted = reverse("workbench:home")
    return redirect(f"{target}?{urlencode({'next': wanted})}")


# ---- Actions: each changes the devices and writes the audit log --------------------------


def start_enrolment(user: AbstractBaseUser) -> TOTPDevice:
    """The unconfirmed authenticator device being set up (the same one on every reload of
    the page, so that a scanned code stays valid until it is confirmed)."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def confirm_enrolment(request: HttpRequest, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm ``device`` with its first ``code``; then the session is verified and the
    account gets fresh recovery codes, returned to be shown once. None if the code is
    wrong."""
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=request.user)
        if locked.confirmed or not locked.verify_token(_digits(code)):
            return None
        locked.confirmed = True
        locked.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=request.user).exclude(pk=locked.pk).delete()
        codes = _new_recovery_codes(request.user)
        audit.record("auth.two_factor_enrolled", obj=request.user, request=request)
    django_otp.login(request, locked)
    return codes


class Refused(enum.Enum):
    WRONG = "wrong"
    THROTTLED = "throttled"


def verify(request: HttpRequest, code: str) -> Refused | None:
    """Verify the session with a code of the authenticator app or a recovery code (which is
    then used up). Wrong codes slow further tries down (django-otp's throttling: 1, 2, 4, …
    seconds)."""
    user = request.user
    code = _digits(code)
    totp = confirmed_totp(user)
    if totp is None:
        return Refused.WRONG
    # Six digits are the app's code; anything else can only be a recovery code (eight
    # letters and digits), so a recovery code never counts as a wrong app code.
    candidate: Any = totp if code.isdigit() and len(code) == totp.digits else \
        StaticDevice.objects.devices_for_user(user, confirmed=True).first()
    if candidate is None:
        return Refused.WRONG
    if not candidate.verify_is_allowed()[0]:
        return Refused.THROTTLED
    device: Any = django_otp.verify_token(user, candidate.persistent_id, code.lower())
    if isinstance(device, StaticDevice):
        audit.record("auth.recovery_code_used", obj=user, request=request,
                     detail={"remaining": device.token_set.count()})
    if device is None:
        audit.record("auth.two_factor_failed", obj=user, request=request)
        return Refused.WRONG
    django_otp.login(request, device)
    return None


def regenerate_recovery_codes(request: HttpRequest) -> list[str]:
    """Ten new recovery codes in place of the old ones (all of which stop working)."""
    with transaction.atomic():
        codes = _new_recovery_codes(request.user)
        audit.record("auth.recovery_codes_regenerated", obj=request.user, request=request)
    return codes


def disable(request: HttpRequest) -> bool:
    """Turn the second factor off for an account that may go without it; False (and
    nothing changed) for one that must keep it."""
    user = request.user
    if is_required(user):
        return False
    with transaction.atomic():
        for model in django_otp.device_classes():
            model.objects.filter(user=user).delete()
        audit.record("auth.two_factor_disabled", obj=user, request=request)
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
    return True


def reset(actor: Any, user: AbstractBaseUser, *, request: HttpRequest | None = None) -> int:
    """A reset for an account that lost its phone and its recovery codes: its devices are
    removed, so that it enrols again at its next login (``xxgk login reset-second-factor``,
    or the security administrator's action on the accounts page). Returns how many devices
    there were."""
    _require_account_manager(actor, user)
    with transaction.atomic():
        removed = sum(model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
                      for model in django_otp.device_classes())
        audit.record("auth.two_factor_reset", actor=actor, obj=user, request=request,
                     detail={"devices": removed})
    return removed


def unlock(actor: Any, user: AbstractBaseUser, *, request: HttpRequest | None = None) -> int:
    """Lift django-axes' lock-out of ``user`` from every address before the cool-off ends
    (``xxgk login unlock``, or the security administrator's action on the accounts page).
    Returns how many locked addresses were cleared."""
    from axes.utils import reset as reset_attempts

    _require_account_manager(actor, user)
    with transaction.atomic():
        cleared = reset_attempts(username=user.get_username())
        audit.record("auth.unlocked", actor=actor, obj=user, request=request,
                     detail={"attempts": cleared})
    return cleared


def _require_account_manager(actor: Any, user: AbstractBaseUser) -> None:
    """Unlocking and resetting are the security administrator's (and the host operator's),
    within the rules of ``accounts``: not for one's own account, nor, unless a superuser,
    for a superuser's or a security duty's."""
    accounts.check_may_change(actor, user, powers=True)


def _new_recovery_codes(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _digits(code: str) -> str:
    return "".join(code.split())


# ---- What the enrolment page shows -------------------------------------------------------


def secret_text(device: TOTPDevice) -> str:
    """The key as an authenticator app takes it typed in: base32, in groups of four."""
    key = base64.b32encode(device.bin_key).decode()
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice, title: str) -> str:
    """The ``otpauth://`` address of ``device`` as an inline SVG QR code (no script, no
    image request: the page's CSP allows neither from elsewhere)."""
    out = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        out, kind="svg", xmldecl=False, svgns=True, scale=5, border=4, dark="#000",
        light="#fff", title=title, svgclass="qr")
    return out.getvalue().decode()
