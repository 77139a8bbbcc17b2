from django.contrib import admin
from django.urls import include, path

from xxgk.core.views import healthz, jobs_view

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", include("xxgk.portal.urls_machine")),
    path("", include("xxgk.portal.urls")),
    path("search/", include("xxgk.search.urls")),
    path("apply/", include("xxgk.applications.urls_public")),
    path("staff/catalog/import/", include("xxgk.catalog.urls_import")),
    path("staff/catalog/policies/", include("xxgk.catalog.urls_policies")),
    path("staff/catalog/", include("xxgk.catalog.urls_staff")),
    path("staff/applications/", include("xxgk.applications.urls_staff")),
    path("staff/appeals/", include("xxgk.appeals.urls")),
    path("staff/reports/", include("xxgk.reports.urls_staff")),
    path("staff/oversight/", include("xxgk.oversight.urls")),
    path("staff/jobs/", jobs_view, name="jobs"),
    path("staff/search/", include("xxgk.search.urls_staff")),
    path("staff/", include("xxgk.workbench.urls")),
    path("reports/", include("xxgk.reports.urls_public")),
    path("api/", include("xxgk.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
