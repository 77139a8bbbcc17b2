"""Legal categories (``taxonomy.Category``) and the articles they cite, in the language of
the page.

``taxonomy.py`` holds each category's printed Chinese label with its English rendering
beside it. Pages in English show the English one; Chinese pages, documents and the
annual report the Chinese one. Model and form choices are built once at import, before any
page's language is known, so they get lazy labels that are resolved when shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.functional import lazy
from django.utils.translation import get_language

from xxgk.citations import article_en
from xxgk.taxonomy import Category


def in_page_language(category: Category, *, with_group: bool = False) -> str:
    """The category's label for the current language (Chinese when translation is off).

    ``with_group`` prefixes the heading the category is printed under, e.g.
    行政诉讼·复议后起诉 / "Administrative litigation · Litigation after reconsideration".
    """
    if get_language() == "en":
        if with_group and category.group_en:
            return f"{category.group_en} · {category.label_en}"
        return category.label_en
    if with_group and category.group_zh:
        return f"{category.group_zh}·{category.label_zh}"
    return category.label_zh


def group_in_page_language(category: Category) -> str:
    """The heading the category is printed under (不予公开), in the page's language."""
    return category.group_en if get_language() == "en" else category.group_zh


def article_in_page_language(article: str) -> str:
    """A citation of the Regulation as printed (第三十六条第（三）项), rendered for English
    pages (Art. 36 item (3)); Chinese pages and letters keep the printed one."""
    return article_en(article) if get_language() == "en" and article else article


lazy_label = lazy(in_page_language, str)


def category_choices(categories: Iterable[Category], *, with_group: bool = False
                     ) -> list[tuple[str, Any]]:
    """``(key, lazy label)`` pairs for a model or form field.

    With translation deactivated (``makemigrations``) the labels are the Chinese ones the
    migrations already hold, so this makes no migration.
    """
    return [(c.key, lazy_label(c, with_group=with_group)) for c in categories]
