"""Staff pages for appeal cases (wired by xxgk.urls under /staff/appeals/)."""

from django.urls import path

from . import views

app_name = "appeals"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/documents/<int:document_pk>/", views.document_download, name="document"),
]
