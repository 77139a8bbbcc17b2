"""Staff pages. Thin: permission checks come from agencies.access, changes from actions."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from xxgk.agencies import access

from .access import require_staff


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if not access.is_staff_member(request.user) and access.duties_of(request.user):
        # The security duties work in the configuration pages and nowhere else.
        return redirect("admin:index")
    require_staff(request)
    return render(request, "workbench/home.html", {
        "roles": access.roles_of(request.user),
        "agencies": access.visible_agencies(request.user).select_related("parent"),
        "is_ogi_office": access.is_ogi_office(request.user),
    })
