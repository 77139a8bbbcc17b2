"""Site-wide endpoints that belong to no domain."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from xxgk.agencies import access
from xxgk.core import jobs
from xxgk.core.models import Job, JobState


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: the app answers and its database does too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
def jobs_view(request: HttpRequest) -> HttpResponse:
    """The OGI office's view of the background work: what failed (with its error) and
    what waits, so that a letter or an email that cannot go out is never silently lost."""
    if not access.is_ogi_office(request.user):
        raise PermissionDenied
    failed = Job.objects.filter(state=JobState.FAILED).order_by("-finished_at")[:200]
    waiting = Job.objects.filter(state__in=[JobState.QUEUED, JobState.RUNNING]).order_by(
        "run_after")[:200]
    return render(request, "core/jobs.html", {
        "failed": [(job, jobs.label_of(job)) for job in failed],
        "waiting": [(job, jobs.label_of(job)) for job in waiting],
        "retrying": Job.objects.filter(state=JobState.QUEUED, attempts__gt=0).count(),
    })
