"""Staff pages for policy documents (wired by xxgk.urls under /staff/catalog/policies/)."""

from django.urls import path

from . import views_policies as views

app_name = "catalog_policies"
urlpatterns = [
    path("", views.policy_list, name="list"),
    path("new/", views.policy_create, name="create"),
    path("cleanup/", views.cleanup, name="cleanup"),
    path("<int:pk>/", views.policy_detail, name="detail"),
    path("<int:pk>/interpretations/new/", views.interpretation_create,
         name="interpretation_create"),
    path("<int:pk>/validity/", views.validity_change, name="validity"),
]
