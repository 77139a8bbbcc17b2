"""Views standing for the portal's public pages, for tests/portal/test_cache.py.

Each shows catalogue data and records its renderings, so that a request that did not render
was served from the cache. A module of its own because the tests import it under its dotted
name (pytest imports test modules under another), as the URLconf does.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.template import engines
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _

from xxgk.catalog.models import InfoItem
from xxgk.portal.cache import PageCache, cached_public_page
from xxgk.urls import urlpatterns as site

RENDERS: list[str] = []
CACHE = PageCache()
OTHER_WORKER = PageCache()


def _item_page(request, pk: int) -> HttpResponse:
    RENDERS.append(request.get_full_path())
    item = InfoItem.objects.select_related("agency", "category").filter(pk=pk).first()
    if item is None or not item.is_public:
        raise Http404
    parts = [item.title, item.agency.name, item.category.name if item.category else "",
             ",".join(sorted(item.channels.values_list("channel", flat=True))),
             translation.get_language(), _("Home"), request.COOKIES.get("xxgk_display", "")]
    policy = getattr(item, "policydocument", None)
    if policy is not None:
        parts.append(policy.validity)
        parts += [i.title for i in policy.interpretations.filter(state="published")]
    return HttpResponse(" | ".join(parts), content_type="text/plain; charset=utf-8")


def _listing(request) -> HttpResponse:
    RENDERS.append(request.get_full_path())
    titles = InfoItem.objects.filter(state="published", attribute="proactive").values_list(
        "title", flat=True)
    who = request.user.username if request.user.is_authenticated else "anonymous"
    return HttpResponse("\n".join([who, *titles]), content_type="text/plain; charset=utf-8")


def _with_csrf(request) -> HttpResponse:
    RENDERS.append(request.path)
    template = engines["django"].from_string("<form>{% csrf_token %}</form>")
    return HttpResponse(template.render({}, request))


def _with_message(request) -> HttpResponse:
    RENDERS.append(request.path)
    messages.info(request, "saved")
    return HttpResponse("ok")


def _with_cookie(request) -> HttpResponse:
    RENDERS.append(request.path)
    response = HttpResponse("ok")
    response.set_cookie("seen", "1")
    return response


def _private(request) -> HttpResponse:
    RENDERS.append(request.path)
    response = HttpResponse("ok")
    response["Cache-Control"] = "private"
    return response


item_page = cached_public_page(_item_page, cache=CACHE)
urlpatterns = [
    path("item/<int:pk>/", item_page),
    path("other/item/<int:pk>/", cached_public_page(_item_page, cache=OTHER_WORKER)),
    path("list/", cached_public_page(_listing, cache=CACHE)),
    path("csrf/", cached_public_page(_with_csrf, cache=CACHE)),
    path("message/", cached_public_page(_with_message, cache=CACHE)),
    path("cookie/", cached_public_page(_with_cookie, cache=CACHE)),
    path("private/", cached_public_page(_private, cache=CACHE)),
    *site,  # the error pages and the base layout name the site's URLs
]
