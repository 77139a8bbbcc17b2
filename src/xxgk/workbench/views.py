"""Staff pages. Thin: permission checks come from agencies.access, changes from actions."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from xxgk.agencies import access

from . import two_factor
from .access import require_staff
from .forms import CodeForm


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if not access.is_staff_member(request.user) and access.duties_of(request.user):
        # The security duties work in the configuration pages and nowhere else.
        return redirect("admin:index")
    require_staff(request)
    return render(request, "workbench/home.html", {
        "roles": access.roles_of(request.user),
        "agencies": access.visible_agencies(request.user).select_related("parent"),
        "is_ogi_office": access.is_ogi_office(request.user),
    })


# ---- Two-factor sign-in (workbench.two_factor has the rule and the actions) ---------------


def _next(request: HttpRequest) -> str:
    """Where to go once signed in: the ``next`` asked for, if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return reverse("workbench:home")


def _may_use_two_factor(request: HttpRequest) -> None:
    if not (access.is_staff_member(request.user) or two_factor.is_required(request.user)):
        raise PermissionDenied


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """After the password: a code of the authenticator app, or a recovery code."""
    step = two_factor.pending_step(request.user)
    if step is not two_factor.Step.VERIFY:
        return redirect(_next(request) if step is None else
                        f"{reverse('workbench:two_factor_enrol')}?{request.GET.urlencode()}")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        refused = two_factor.verify(request, form.cleaned_data["code"])
        if refused is None:
            return redirect(_next(request))
        form.add_error("code", _("Too many wrong codes: wait a few seconds and try again.")
                       if refused is two_factor.Refused.THROTTLED else
                       _("This code is not right. Enter the code your authenticator app shows "
                         "now, or one of your recovery codes."))
    return render(request, "workbench/two_factor_verify.html",
                  {"form": form, "next": _next(request)})


@login_required
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), confirm with a first
    code; then the recovery codes are shown, once."""
    _may_use_two_factor(request)
    if two_factor.is_enrolled(request.user):
        return redirect(_next(request) if request.user.is_verified()
                        else reverse("workbench:two_factor_verify"))
    device = two_factor.start_enrolment(request.user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        codes = two_factor.confirm_enrolment(request, device, form.cleaned_data["code"])
        if codes is not None:
            return _show_recovery_codes(request, codes)
        form.add_error("code", _("This code is not right. Enter the six digits your "
                                 "authenticator app shows now."))
    return render(request, "workbench/two_factor_enrol.html", {
        "form": form, "next": _next(request), "required": two_factor.is_required(request.user),
        "qr": two_factor.qr_svg(device, _("QR code to scan with the authenticator app")),
        "secret": two_factor.secret_text(device)})


@login_required
def two_factor_settings(request: HttpRequest) -> HttpResponse:
    """The account's second factor: on or off, required or optional, recovery codes."""
    _may_use_two_factor(request)
    user = request.user
    recovery = StaticDevice.objects.devices_for_user(user, confirmed=True).first()
    return render(request, "workbench/two_factor.html", {
        "enrolled": two_factor.is_enrolled(user), "required": two_factor.is_required(user),
        "recovery_left": recovery.token_set.count() if recovery else 0})


@login_required
@require_POST
def two_factor_codes(request: HttpRequest) -> HttpResponse:
    _may_use_two_factor(request)
    if not request.user.is_verified():
        return redirect("workbench:two_factor")
    return _show_recovery_codes(request, two_factor.regenerate_recovery_codes(request))


@login_required
@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    _may_use_two_factor(request)
    if two_factor.disable(request):
        messages.success(request, _("Two-factor sign-in is off. You sign in with your "
                                    "password only."))
    else:
        messages.error(request, _("Your roles require two-factor sign-in: it cannot be "
                                  "turned off."))
    return redirect("workbench:two_factor")


def _show_recovery_codes(request: HttpRequest, codes: list[str]) -> HttpResponse:
    response = render(request, "workbench/two_factor_codes.html",
                      {"codes": codes, "next": _next(request)})
    # Shown once: never kept by the browser or a proxy.
    response["Cache-Control"] = "no-store"
    return response


def locked_out(request: HttpRequest, original_response: HttpResponse | None = None,
               credentials: dict | None = None) -> HttpResponse:
    """What django-axes answers once an account is locked for the caller's address (429):
    the login page again, saying why and for how long."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = ngettext(
        "Too many failed logins for this account from your address: logging in is blocked "
        "for %(minutes)d minute after the last try. Wait, or ask the security administrator "
        "to unlock the account.",
        "Too many failed logins for this account from your address: logging in is blocked "
        "for %(minutes)d minutes after the last try. Wait, or ask the security administrator "
        "to unlock the account.", minutes) % {"minutes": minutes}
    return render(request, "workbench/login.html", {
        "form": AuthenticationForm(request), "locked_out": message, "next": _next(request)},
        status=429)
