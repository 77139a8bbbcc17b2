from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    """Disclosure on application (依申请公开): applications, their events and clock."""

    name = "xxgk.applications"
    verbose_name = _("Disclosure on application")

    def ready(self) -> None:
        from xxgk.agencies import integrity

        # Registers the check that the keys fit the stored applicants' data.
        from . import history, keycheck  # noqa: F401

        integrity.register_sealed_records(history.first_break)
