from django.apps import AppConfig


class HolidaysConfig(AppConfig):
    """The working-day calendar's editable part: years the OGI office enters."""

    name = "xxgk.holidays"
    verbose_name = "工作日历 / Working-day calendar"
