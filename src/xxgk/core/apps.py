from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Site-wide pieces that belong to no domain: the server command, shared helpers."""

    name = "xxgk.core"
