"""The display-mode switch: a plain link that sets a cookie and goes back to the page."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from xxgk.portal import display as modes

ONE_YEAR = 365 * 24 * 3600


@require_GET
def display(request: HttpRequest, mode: str) -> HttpResponseRedirect:
    """Large text and high contrast, or the standard display; back to ``next`` (a page
    of this site only)."""
    if mode not in modes.MODES:
        raise Http404("no such display mode")
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("portal:home")
    response = HttpResponseRedirect(target)
    if mode == "large":
        response.set_cookie(modes.COOKIE, "large", max_age=ONE_YEAR, samesite="Lax",
                            httponly=True, secure=request.is_secure())
    else:
        response.delete_cookie(modes.COOKIE, samesite="Lax")
    return response
