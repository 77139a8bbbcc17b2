"""The checks every reader of an uploaded file makes before keeping or opening it, worded in
the page's language: one place, so that each upload path refuses a file for the same reasons
in the same words."""

from __future__ import annotations

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from xxgk import archives, contents


def archive_refusal(data: bytes) -> str | None:
    """Why ``data`` (an XLSX or DOCX upload) is not opened, or None
    (``archives.check_zip``: too many parts, or it would unpack too large)."""
    try:
        archives.check_zip(data)
    except archives.ArchiveError as error:
        return _archive_message(error.reason, error.found, error.limit)
    return None


def content_refusal(content_type: str, data: bytes) -> str | None:
    """Why ``data``, sniffed as ``content_type`` from its first bytes, is refused when read
    through (``contents.check_content``), or None."""
    try:
        contents.check_content(content_type, data)
    except contents.ContentError as error:
        if error.reason == "pdf":
            return _("The file starts like a PDF but cannot be read as one.")
        if error.reason == "pdf_password":
            return _("The PDF is protected by a password; upload it without one.")
        if error.reason == "pdf_script":
            return _("The PDF holds a script or an action that starts a program; such files "
                     "are not accepted.")
        if error.reason == "image":
            return _("The image is damaged or incomplete.")
        if error.reason == "pixels":
            return _("The image has more than %(limit)s pixels; a scan needs far fewer.") % {
                "limit": f"{error.limit:,}"}
        return _archive_message(error.reason, error.found, error.limit)
    return None


def _archive_message(reason: str, found: int, limit: int) -> str:
    if reason == "members":
        return _("The file holds %(found)s parts; at most %(limit)s are accepted.") % {
            "found": f"{found:,}", "limit": f"{limit:,}"}
    if reason == "unpacked":
        return _("The file would unpack to %(found)s; at most %(limit)s are accepted.") % {
            "found": filesizeformat(found), "limit": filesizeformat(limit)}
    return _("The file would unpack to %(found)s times its size, as a zip bomb does; at "
             "most %(limit)s times is accepted.") % {"found": f"{found:,}", "limit": limit}
