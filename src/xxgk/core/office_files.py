"""The one check every reader of uploaded Office files makes before opening one."""

from __future__ import annotations

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from xxgk import archives


def refusal(data: bytes) -> str | None:
    """Why ``data`` (an XLSX or DOCX upload) is not opened, in the page's language, or None
    (``archives.check_zip``: too many parts, or it would unpack too large)."""
    try:
        archives.check_zip(data)
    except archives.ArchiveError as error:
        if error.reason == "members":
            return _("The file holds %(found)s parts; at most %(limit)s are accepted.") % {
                "found": f"{error.found:,}", "limit": f"{error.limit:,}"}
        if error.reason == "unpacked":
            return _("The file would unpack to %(found)s; at most %(limit)s are accepted.") % {
                "found": filesizeformat(error.found), "limit": filesizeformat(error.limit)}
        return _("The file would unpack to %(found)s times its size, as a zip bomb does; at "
                 "most %(limit)s times is accepted.") % {"found": f"{error.found:,}",
                                                         "limit": error.limit}
    return None
