"""Request-level guards that every page and the API share."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than ``XXGK_MAX_REQUEST_BYTES`` before Django reads it.

    Django limits form fields but streams uploaded files to disk whatever their size; the
    per-file limits of the forms only apply after that. A reverse proxy should enforce the
    same limit (docs/operations.md); this keeps a direct deployment safe too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse(_("The request's length is not a number."), status=400,
                                content_type="text/plain; charset=utf-8")
        if length > settings.XXGK_MAX_REQUEST_BYTES:
            limit = settings.XXGK_MAX_REQUEST_BYTES // (1024 * 1024)
            return HttpResponse(
                _("The request is too large: at most %(mb)d MB may be sent at once.") % {"mb": limit},
                status=413, content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
