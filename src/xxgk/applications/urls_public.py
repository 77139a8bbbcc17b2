"""Public pages of disclosure on application (wired by xxgk.urls under /apply/)."""

from django.urls import path, re_path

from . import views_public as views

app_name = "apply"
# Application numbers are "<top agency code>-<year>-<serial>" (actions._next_number).
NUMBER = r"(?P<number>[0-9A-Z]{2,20}-\d{4}-\d{6,})"

urlpatterns = [
    path("", views.apply, name="form"),
    path("submitted/", views.submitted, name="submitted"),
    path("follow/", views.follow, name="follow"),
    re_path(rf"^{NUMBER}/$", views.detail, name="detail"),
    re_path(rf"^{NUMBER}/correct/$", views.correct, name="correct"),
    re_path(rf"^{NUMBER}/withdraw/$", views.withdraw, name="withdraw"),
    re_path(rf"^{NUMBER}/letters/(?P<event_id>\d+)/$", views.letter, name="letter"),
    re_path(rf"^{NUMBER}/documents/(?P<document_id>\d+)/$", views.document, name="document"),
]
