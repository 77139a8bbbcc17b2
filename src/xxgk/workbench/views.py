"""Staff pages. Thin: permission checks come from agencies.access, changes from actions."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xxgk.agencies import access


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if not access.is_staff_member(request.user):
        raise PermissionDenied
    return render(request, "workbench/home.html", {
        "roles": access.roles_of(request.user),
        "agencies": access.visible_agencies(request.user).select_related("parent"),
        "is_ogi_office": access.is_ogi_office(request.user),
    })
