from django.apps import AppConfig


class OversightConfig(AppConfig):
    """Agency scorecards (监督考评) and the OGI office's training records."""

    name = "xxgk.oversight"
