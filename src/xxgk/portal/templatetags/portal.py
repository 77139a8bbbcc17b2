"""Template helpers of the public pages: the crawler meta tags, titles in the page's
language, and the display-mode switch."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.utils.translation import get_language

from xxgk.portal import display, site

register = template.Library()


def _english() -> bool:
    return get_language() == "en"


@register.inclusion_tag("portal/_meta.html", takes_context=True)
def site_meta(context: template.Context) -> dict[str, Any]:
    """The meta tags of every page; an item's page adds its ``article``."""
    request = context.get("request")
    return {
        "site_name": site.site_name(),
        "site_domain": site.site_domain(request),
        "site_id_code": settings.XXGK_SITE_ID_CODE,
        "column_name": str(context.get("column") or site.column_of(request)),
        "article": context.get("article"),
    }


@register.filter
def shown_title(item: Any) -> str:
    """The English title on English pages where there is one, else the Chinese title."""
    if _english() and getattr(item, "title_en", ""):
        return item.title_en
    return item.title


@register.filter
def chinese_only(item: Any) -> bool:
    """On an English page: the item has no English title, so it is shown in Chinese."""
    return _english() and not getattr(item, "title_en", "")


@register.filter
def display_mode(request: Any) -> str:
    """The reader's display mode (``large`` or ``standard``)."""
    return display.mode(request)
