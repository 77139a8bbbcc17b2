"""The one budget of public searches per address (``XXGK_SEARCHES_PER_MINUTE``): the search
page, the suggestions as people type and ``GET /api/search`` all count against it, checked
by :func:`check`, before the page cache, so a page served from memory counts too.

The default, 240 a minute, is far above what people do by hand (the box asks for
suggestions 150 ms after typing stops, so a person typing and searching makes a few dozen
requests a minute) and leaves room for an office behind one address; a program pulling
pages as fast as it can is refused after a second or two. The count is
``core.ratelimit``'s: shared by every app server, a dictionary update per request.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xxgk.agencies.audit import client_address
from xxgk.core.ratelimit import RateBudget
from xxgk.core.steps import TooManyRequestsError, wait_text

SEARCHES = RateBudget("search")


def check(request: HttpRequest) -> None:
    """Count one search from the request's address; refuse it (``TooManyRequestsError``,
    429 on every channel) when the address is over its budget for this minute. Requests
    without an address are counted together."""
    wait = SEARCHES.hit(client_address(request) or "", settings.XXGK_SEARCHES_PER_MINUTE)
    if wait:
        raise TooManyRequestsError(_(
            "Too many searches have come from your network in the last minute. Try again in "
            "%(wait)s.") % {"wait": wait_text(wait)}, wait)
