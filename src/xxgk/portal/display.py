"""The large-text, high-contrast display mode (适老化), without JavaScript.

A link on every page asks ``portal:display``, which sets a cookie and sends the reader back;
the page then carries the mode as a class on ``<html>``, read here from the cookie when the
page is rendered, so the stylesheet can enlarge every size (they are in ``rem``). Anything
that caches rendered pages keys them on ``mode(request)`` as on the language.
"""

from __future__ import annotations

from typing import Any

COOKIE = "xxgk_display"
MODES = ("large", "standard")


def mode(request: Any) -> str:
    """The reader's display mode: ``large`` or ``standard``."""
    cookies = getattr(request, "COOKIES", None) or {}
    return "large" if cookies.get(COOKIE) == "large" else "standard"
