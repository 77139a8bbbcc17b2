from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class WorkbenchConfig(AppConfig):
    """The staff pages."""

    name = "xxgk.workbench"


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin app with the site that asks for the second factor as ``admin.site``
    (named in INSTALLED_APPS; not this package's default config)."""

    default = False
    default_site = "xxgk.workbench.admin_site.StaffAdminSite"
