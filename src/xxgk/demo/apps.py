from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The synthetic demo district built by `xxgk demo`."""

    name = "xxgk.demo"
