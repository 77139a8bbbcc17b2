"""The staff check every staff page makes first, whichever app the page belongs to."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from xxgk.agencies import access


def require_staff(request: HttpRequest) -> None:
    """Refuse (403) a signed-in account that holds no staff role: the staff pages are for
    staff only. Anonymous visitors are sent to the login page before, by
    ``login_required``."""
    if not access.is_staff_member(request.user):
        raise PermissionDenied
