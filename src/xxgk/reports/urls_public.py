"""Published annual reports on the portal (wired by xxgk.urls under /reports/)."""

from django.urls import path

from . import views_public as views

app_name = "annual_reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("<str:code>/<int:year>/", views.report_detail, name="detail"),
    path("<str:code>/<int:year>/download/<str:fmt>/", views.download, name="download"),
]
