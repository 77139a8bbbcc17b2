"""The site's URLs plus ``/bench/bare/``: a Django view that reads nothing and renders
nothing, the floor under any page's rate (``bench/public_pages.py``)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from xxgk.urls import urlpatterns as site


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/bare/", bare), *site]
