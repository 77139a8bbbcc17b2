from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def install_default_tree(sender: AppConfig, using: str = "default", **kwargs) -> None:
    """Add the shipped catalogue nodes that are missing, after every migrate (a new
    release's nodes arrive with it) and after every flush (which empties the table, as
    tests that commit do), like Django's own content types and permissions."""
    from .tree import install

    install(sender.get_model("Category"), using=using)


class CatalogConfig(AppConfig):
    name = "xxgk.catalog"
    verbose_name = _("Catalogue")

    def ready(self) -> None:
        post_migrate.connect(install_default_tree, sender=self)
