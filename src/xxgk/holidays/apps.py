from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HolidaysConfig(AppConfig):
    """The working-day calendar's editable part: years the OGI office enters."""

    name = "xxgk.holidays"
    verbose_name = _("Working-day calendar")
