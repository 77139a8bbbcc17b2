"""Public pages. Thin: they read and render; nothing here changes state."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xxgk.agencies.models import Agency


def home(request: HttpRequest) -> HttpResponse:
    top = Agency.objects.filter(parent__isnull=True, is_active=True).first()
    return render(request, "portal/home.html", {"top": top})


def guide(request: HttpRequest) -> HttpResponse:
    """The OGI guide (指南, Art. 12): every agency that discloses, with its contacts."""
    agencies = Agency.objects.filter(is_active=True).order_by("path")
    groups = {kind: [a for a in agencies if a.kind == kind] for kind, _label in Agency.Kind.choices}
    return render(request, "portal/guide.html", {
        "groups": [(label, groups[kind]) for kind, label in Agency.Kind.choices if groups[kind]],
    })
