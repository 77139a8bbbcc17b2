"""Request-level guards that every page and the API share."""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


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


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _address(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


class ClientAddressMiddleware:
    """Put the client's own address in ``REMOTE_ADDR`` when a trusted reverse proxy
    forwarded the request, and drop the forwarding headers of everyone else.

    The audit log, the submissions limit and the query-code lock-out count by
    ``REMOTE_ADDR`` (``agencies.audit.client_address``); behind nginx that is the proxy's
    address, the same for every client. ``X-Forwarded-For`` is read from the right: each
    hop appends the address it saw, so the rightmost address that is not one of
    ``XXGK_TRUSTED_PROXIES`` is the one a trusted proxy saw connect; whatever a client
    wrote further left is its own invention and is ignored. gunicorn leaves the header
    alone (its ``--forwarded-allow-ips`` covers only the scheme), hence this.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        proxies = _networks(tuple(settings.XXGK_TRUSTED_PROXIES))

        def trusted(address: IPAddress | None) -> bool:
            return address is not None and any(address in network for network in proxies)

        if not trusted(_address(meta.get("REMOTE_ADDR", ""))):
            # Said by the client itself: not believed (nor is "https" over plain HTTP).
            meta.pop("HTTP_X_FORWARDED_FOR", None)
            meta.pop("HTTP_X_FORWARDED_PROTO", None)
            return self.get_response(request)
        for hop in reversed(meta.get("HTTP_X_FORWARDED_FOR", "").split(",")):
            address = _address(hop)
            if address is None:
                break
            meta["REMOTE_ADDR"] = str(address)
            if not trusted(address):
                break
        return self.get_response(request)
