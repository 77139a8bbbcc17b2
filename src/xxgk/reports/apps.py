from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The annual report: its templates (the national tables, the printable document)."""

    name = "xxgk.reports"
    verbose_name = _("Annual reports")
