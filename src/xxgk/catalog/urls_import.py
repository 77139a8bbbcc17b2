"""The staff import page (wired by xxgk.urls under /staff/catalog/import/)."""

from django.urls import path

from . import views_import as views

app_name = "catalog_import"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("template.xlsx", views.template, name="template"),
]
