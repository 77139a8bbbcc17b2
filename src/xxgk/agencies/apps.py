from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    """Agencies (公开主体), staff roles scoped to a subtree, and the audit log."""

    name = "xxgk.agencies"
    verbose_name = _("Agencies and staff")

    def ready(self) -> None:
        # Registers the check that the append-only triggers are in place.
        from . import (
            integrity,  # noqa: F401
            signals,  # noqa: F401  (login/logout are audited)
        )
