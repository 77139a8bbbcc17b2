from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The public pages (zh and en)."""

    name = "xxgk.portal"
