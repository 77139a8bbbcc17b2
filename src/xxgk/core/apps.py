from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _refresh_statistics(sender, using: str = "default", **kwargs) -> None:
    from .db import refresh_planner_statistics

    refresh_planner_statistics(using)


class CoreConfig(AppConfig):
    """Site-wide pieces that belong to no domain: the server command, shared helpers."""

    name = "xxgk.core"
    verbose_name = _("Background work")

    def ready(self) -> None:
        # Once per `migrate` (this app's signal only), after every app has migrated.
        post_migrate.connect(_refresh_statistics, sender=self)
        # Registers the checks that the machine can print Chinese documents (fonts, subsetting).
        from . import checks  # noqa: F401
