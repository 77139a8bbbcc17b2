from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def install_shipped_lists(sender: AppConfig, using: str = "default", **kwargs) -> None:
    """Install the shipped synonym groups once (the OGI office edits them afterwards), after
    every migrate and every flush, like the catalogue tree."""
    from .vocabulary import install_shipped_synonyms

    install_shipped_synonyms(sender.get_model("SynonymGroup"), using=using)


class SearchConfig(AppConfig):
    name = "xxgk.search"
    verbose_name = _("Search")

    def ready(self) -> None:
        post_migrate.connect(install_shipped_lists, sender=self)
