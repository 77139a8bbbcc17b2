"""Staff pages of the annual report (wired by xxgk.urls under /staff/reports/)."""

from django.urls import path

from . import views_audit
from . import views_staff as views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("figures/import/", views.import_figures, name="import_figures"),
    path("figures/template.xlsx", views.figures_template_download, name="figures_template"),
    path("figures/<str:code>/<int:year>/", views.figures, name="figures"),
    path("parse/", views.parse_upload, name="parse"),
    path("audit/", views_audit.audit_upload, name="audit"),
    path("<str:code>/<int:year>/", views.report_detail, name="report"),
    path("<str:code>/<int:year>/start/", views.start, name="start"),
    path("<str:code>/<int:year>/narrative/", views.save_narrative, name="narrative"),
    path("<str:code>/<int:year>/approve/", views.approve, name="approve"),
    path("<str:code>/<int:year>/publish/", views.publish, name="publish"),
    path("<str:code>/<int:year>/reopen/", views.reopen, name="reopen"),
    path("<str:code>/<int:year>/download/<str:fmt>/", views.download, name="download"),
]
