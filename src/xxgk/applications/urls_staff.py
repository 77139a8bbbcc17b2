"""Staff pages of disclosure on application (wired by xxgk.urls under /staff/applications/)."""

from django.urls import path

from . import views_staff

app_name = "applications"
urlpatterns = [
    path("", views_staff.inbox_view, name="inbox"),
    # Before "<str:number>/", which would otherwise take "register" for a number.
    path("register/", views_staff.register, name="register"),
    path("<str:number>/", views_staff.detail, name="detail"),
    path("<str:number>/identity/", views_staff.identity, name="identity"),
    path("<str:number>/documents/<int:pk>/", views_staff.document, name="document"),
    path("<str:number>/do/<slug:name>/", views_staff.act, name="act"),
    path("<str:number>/emails/<int:job>/resend/", views_staff.resend_email,
         name="resend_email"),
]
