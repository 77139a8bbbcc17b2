"""System checks of the machine: can it print Chinese documents, and fast enough?

Django runs these at the start of ``xxgk check``, ``xxgk serve``, ``xxgk worker`` and
``xxgk migrate``, so a machine set up without ``make run`` (which installs the Debian
packages) says so at once and in one line, rather than by letters whose Chinese is empty
boxes. Both questions go to the libraries WeasyPrint loads (:mod:`xxgk.documents.fonts`)
and together cost a few milliseconds; WeasyPrint itself is not imported.

Both are Errors, which stop ``xxgk serve``:

- without a font that covers Chinese, every PDF (letters to applicants, annual reports)
  would be unreadable, and they are refused (``documents.MissingFontError``);
- without HarfBuzz subsetting a PDF takes half a minute, longer than gunicorn's 30 s
  request timeout, so the report downloads would fail and the worker's letters crawl.
  A Warning would let the site start and fail later in a way staff cannot explain.
"""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.utils.translation import gettext as _

from xxgk.documents import fonts

TAG = "documents"


@checks.register(TAG)
def check_document_fonts(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Error xxgk.E001 when no font covers Chinese (xxgk.E004: fontconfig is missing); Warning
    xxgk.W002 when Chinese is covered but not by the Noto CJK faces the documents name."""
    families = fonts.chinese_families()
    if families is None:
        return [checks.Error(
            _("The fontconfig library cannot be loaded, so no PDF can be made."),
            hint=_("Install it and the Chinese fonts: %(command)s")
            % {"command": "apt-get install fontconfig " + " ".join(fonts.DEBIAN_PACKAGES)},
            id="xxgk.E004",
        )]
    if not families:
        return [checks.Error(
            _("No installed font covers Chinese: letters and reports in PDF would show "
              "every Chinese character as an empty box, so they are refused."),
            hint=_("Install the Noto CJK fonts: %(command)s")
            % {"command": fonts.INSTALL_COMMAND},
            id="xxgk.E001",
        )]
    if not set(fonts.PREFERRED_FAMILIES) & set(families):
        return [checks.Warning(
            _("The Noto CJK fonts are not installed; PDFs will use %(face)s instead, and "
              "their layout will differ from the official style.")
            % {"face": families[0]},
            hint=_("Install the Noto CJK fonts: %(command)s")
            % {"command": fonts.INSTALL_COMMAND},
            id="xxgk.W002",
        )]
    return []


@checks.register(TAG)
def check_font_subsetting(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Error xxgk.E003 when WeasyPrint would subset fonts with fontTools (see the module)."""
    if fonts.harfbuzz_subset_available():
        return []
    return [checks.Error(
        _("HarfBuzz font subsetting (libharfbuzz-subset) is not installed: each PDF would "
          "take about half a minute, longer than a request may last."),
        hint=_("Install it: %(command)s") % {"command": fonts.INSTALL_COMMAND},
        id="xxgk.E003",
    )]
