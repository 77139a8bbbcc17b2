"""The reader's preferences: the language and the display mode, each a cookie set by a plain
GET (a link, or a form without a CSRF token) that goes back to the page.

Neither changes a record, so neither needs a POST; and with no CSRF token on them the
public pages carry nothing of one visitor and can be served from the page cache
(``portal/cache.py``), which keys them on the language and the display mode. Django's own
``set_language`` (a POST under /i18n/) keeps working for anything that posts to it.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

from xxgk.portal import display as modes

ONE_YEAR = 365 * 24 * 3600


def _back(request: HttpRequest) -> HttpResponseRedirect:
    """To ``next`` when it is a page of this site, else the home page."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("portal:home")
    return HttpResponseRedirect(target)


@require_safe
def display(request: HttpRequest, mode: str) -> HttpResponseRedirect:
    """Large text and high contrast, or the standard display."""
    if mode not in modes.MODES:
        raise Http404("no such display mode")
    response = _back(request)
    if mode == "large":
        response.set_cookie(modes.COOKIE, "large", max_age=ONE_YEAR, samesite="Lax",
                            httponly=True, secure=request.is_secure())
    else:
        response.delete_cookie(modes.COOKIE, samesite="Lax")
    return response


@require_safe
def language(request: HttpRequest) -> HttpResponseRedirect:
    """The page's language (``?language=en`` or ``zh-hans``), kept in Django's language
    cookie, which ``LocaleMiddleware`` reads."""
    code = request.GET.get("language", "")
    if code not in dict(settings.LANGUAGES):
        raise Http404("no such language")
    response = _back(request)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE or request.is_secure(),
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE or "Lax")
    return response
