from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    """Agency scorecards (监督考评) and the OGI office's training records."""

    name = "xxgk.oversight"
    verbose_name = _("Oversight and training")
