from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPConfig


class WorkbenchConfig(AppConfig):
    """The staff pages."""

    default = True
    name = "xxgk.workbench"


# The configurations below are named in INSTALLED_APPS; none is this package's own.


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin app with the site that asks for the second factor as ``admin.site``."""

    default = False
    default_site = "xxgk.workbench.admin_site.StaffAdminSite"


class AuthenticatorsConfig(TOTPConfig):
    """django-otp's authenticator-app devices, named in the admin's language."""

    default = False
    verbose_name = _("Authenticator apps")


class RecoveryCodesConfig(StaticConfig):
    """django-otp's static devices, which hold staff's recovery codes."""

    default = False
    verbose_name = _("Recovery codes")


class LockoutsConfig(AxesAppConfig):
    """django-axes' record of failed logins and lock-outs."""

    default = False
    verbose_name = _("Login failures and lock-outs")
