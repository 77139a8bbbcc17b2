from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    """Administrative reconsideration and litigation about OGI decisions (section 四)."""

    name = "xxgk.appeals"
    verbose_name = _("Reconsideration and litigation")
