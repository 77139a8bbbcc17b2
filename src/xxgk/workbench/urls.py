from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "workbench"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="workbench/login.html",
                                                redirect_authenticated_user=True), name="login"),
    path("login/code/", views.two_factor_verify, name="two_factor_verify"),
    path("login/enrol/", views.two_factor_enrol, name="two_factor_enrol"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", views.two_factor_settings, name="two_factor"),
    path("two-factor/recovery-codes/", views.two_factor_codes, name="two_factor_codes"),
    path("two-factor/off/", views.two_factor_disable, name="two_factor_disable"),
]
