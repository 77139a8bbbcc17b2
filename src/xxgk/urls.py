from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("xxgk.portal.urls")),
    path("staff/", include("xxgk.workbench.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
