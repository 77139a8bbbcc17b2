"""The OGI office's staff pages for search (wired by xxgk.urls under /staff/search/)."""

from django.urls import path

from . import views_staff as views

app_name = "search_staff"
urlpatterns = [
    path("", views.queries, name="queries"),
    path("hidden/", views.query_hide, name="query_hide"),
    path("hidden/<int:pk>/show/", views.query_show, name="query_show"),
    path("dictionary/", views.dictionary, name="dictionary"),
    path("dictionary/<int:pk>/remove/", views.word_remove, name="word_remove"),
    path("synonyms/", views.synonyms, name="synonyms"),
    path("synonyms/<int:pk>/", views.synonym, name="synonym"),
    path("synonyms/<int:pk>/delete/", views.synonym_delete, name="synonym_delete"),
]
