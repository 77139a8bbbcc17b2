"""The interactive API docs (Swagger UI), served without a CDN.

django-ninja ships Swagger UI's files in its package but links them with ``{% static %}``
only when ``ninja`` is an installed app, and from a CDN otherwise. xxgk must work offline
and the API is not a Django app, so this module serves the few files it needs itself, from
the installed ninja package, under ``/api/docs/assets/``.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html, json_script
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from ninja.openapi.docs import Swagger

if TYPE_CHECKING:
    from ninja import NinjaAPI

ASSETS_DIR = Path(ninja.__file__).parent / "static" / "ninja"
ASSETS = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js",
                    "favicon.svg", "favicon.png"})


class OfflineSwagger(Swagger):
    """Swagger UI whose scripts and styles come from this server.

    ninja's own ``swagger-ui-init.js`` reads the settings and the CSRF token from the page,
    so the staff endpoints can be tried from the docs by a signed-in user. The online
    validator badge is switched off: it would send the schema to swagger.io.
    """

    default_settings = {**Swagger.default_settings, "validatorUrl": None}

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        signed_in = request.user.is_authenticated
        return HttpResponse(format_html(
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>{title}</title>"
            '<link rel="stylesheet" href="{css}">'
            '<link rel="icon" href="{icon}" type="image/svg+xml"></head>'
            '<body data-csrf-token="{token}" data-api-csrf="{csrf}">'
            "{settings}"
            '<main id="swagger-ui"></main>'
            '<script src="{bundle}"></script><script src="{init}"></script>'
            "</body></html>",
            title=api.title,
            css=asset_url("swagger-ui.css"),
            icon=asset_url("favicon.svg"),
            token=get_token(request) if signed_in else "",
            csrf="true" if signed_in else "",
            settings=json_script(settings, "swagger-settings"),
            bundle=asset_url("swagger-ui-bundle.js"),
            init=asset_url("swagger-ui-init.js"),
        ))


def asset_url(name: str) -> str:
    return reverse("api-docs-asset", kwargs={"name": name})


@require_GET
@cache_control(public=True, max_age=86400)
def asset(request: HttpRequest, name: str) -> FileResponse:
    """One of Swagger UI's files from the installed ninja package (an allow-list)."""
    if name not in ASSETS:
        raise Http404
    content_type, _encoding = mimetypes.guess_type(name)
    return FileResponse((ASSETS_DIR / name).open("rb"), content_type=content_type)
