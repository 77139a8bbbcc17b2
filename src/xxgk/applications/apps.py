from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    """Disclosure on application (依申请公开): applications, their events and clock."""

    name = "xxgk.applications"
