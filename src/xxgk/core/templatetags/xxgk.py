"""Template helpers shared by the portal and the workbench."""

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def localized(obj) -> str:
    """An object's English name on English pages (``name_en``), else its Chinese name."""
    if get_language() == "en" and getattr(obj, "name_en", ""):
        return obj.name_en
    return getattr(obj, "name", str(obj))
