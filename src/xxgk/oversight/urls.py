"""Staff pages of oversight (wired by xxgk.urls under /staff/oversight/)."""

from django.urls import path

from . import views

app_name = "oversight"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("scorecard.xlsx", views.export, name="export"),
    path("trainings/", views.trainings, name="trainings"),
    path("trainings/new/", views.training_create, name="training_create"),
]
