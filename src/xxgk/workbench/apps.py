from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    """The staff pages."""

    name = "xxgk.workbench"
