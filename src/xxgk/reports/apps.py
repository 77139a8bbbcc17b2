from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The annual report: its templates (the national tables, the printable document)."""

    name = "xxgk.reports"
