"""The admin site: django-otp's ``OTPAdminSite``, so that only an account verified by its
second factor is let in, whatever the middleware does, with the staff login as its login."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django_otp.admin import OTPAdminSite


class StaffAdminSite(OTPAdminSite):
    """Named ``admin`` (the default site's name, which ``admin:`` URLs use)."""

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """One login for staff and admin: the staff login (password, then the code; the
        lock-out watches it) and back here. A verified account the admin still refuses
        (no ``is_staff``) is told so rather than sent round again."""
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"),
                                 reverse("workbench:login"))

