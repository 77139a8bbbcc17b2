"""The site's identity for the meta tags government-site crawlers read (《政府网站发展指引》,
国办发〔2017〕47号): ``SiteName``, ``SiteDomain``, ``SiteIDCode``, ``ColumnName`` on every
page, and ``ArticleTitle``, ``PubDate``, ``ContentSource`` on an item's page.

Configured per site (``XXGK_SITE_NAME``, ``XXGK_SITE_DOMAIN``, ``XXGK_SITE_ID_CODE``,
docs/operations.md); the defaults are the top agency's name and the address the page was
asked for, so a new install carries true values before anyone configures it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from xxgk.agencies.models import top_agency

# The ColumnName of each page, by the column it belongs to (the page's language).
COLUMN_ENTRY = _("Open government information")
COLUMN_GUIDE = _("Guide to open government information")
COLUMN_RULES = _("Rules on open government information")
COLUMN_CATALOGUE = _("Statutory proactive disclosure")
COLUMN_POLICIES = _("Policy library")
COLUMN_REPORTS = _("Annual reports on open government information")
COLUMN_APPLY = _("Disclosure on application")
COLUMN_HOME = _("Home")
# Pages of other apps carry the column of their URL namespace.
NAMESPACE_COLUMNS = {"apply": COLUMN_APPLY, "annual_reports": COLUMN_REPORTS,
                     "portal": COLUMN_ENTRY}


@dataclass(frozen=True)
class Article:
    """What an item's page tells crawlers about the item."""

    title: str
    published: str
    source: str


def site_name() -> str:
    if settings.XXGK_SITE_NAME:
        return settings.XXGK_SITE_NAME
    top = top_agency()
    return top.name if top else ""


def site_domain(request: HttpRequest | None) -> str:
    if settings.XXGK_SITE_DOMAIN:
        return settings.XXGK_SITE_DOMAIN
    return request.get_host() if request is not None else ""


def column_of(request: HttpRequest | None) -> str:
    """The column of a page that names none: by the namespace of its URL."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    if match.view_name == "portal:home":
        return str(COLUMN_HOME)
    return str(NAMESPACE_COLUMNS.get(match.namespace, ""))

