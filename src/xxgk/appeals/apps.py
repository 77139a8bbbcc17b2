from django.apps import AppConfig


class AppealsConfig(AppConfig):
    """Administrative reconsideration and litigation about OGI decisions (section 四)."""

    name = "xxgk.appeals"
