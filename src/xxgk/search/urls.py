"""The public search page and its suggestions as people type."""

from django.urls import path

from . import views

app_name = "search"
urlpatterns = [
    path("", views.search_page, name="page"),
    path("suggest", views.suggestions, name="suggest"),
]
