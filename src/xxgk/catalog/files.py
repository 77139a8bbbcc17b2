"""Checking the files published with an item: judged by their content, never their name.

Accepted: PDF, DOCX, XLSX, OFD (the Chinese fixed-layout format, a zip with ``OFD.xml``),
JPEG, PNG and GIF. The first bytes are sniffed with ``filetype``; an Office file or an OFD is
a zip archive, told apart by the entries it holds, so an executable or any other archive
renamed ``.pdf`` or ``.docx`` is refused.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

import filetype
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from xxgk.applications.uploads import display_name
from xxgk.core import file_checks
from xxgk.core.steps import StepError

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_ATTACHMENTS = 10
# The content type and the suffix a file of it is saved with.
TYPES: dict[str, str] = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/ofd": ".ofd",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
}
# The zip entry that makes an archive each of these kinds.
_ZIP_MARKERS: tuple[tuple[str, str], ...] = (
    ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("OFD.xml", "application/ofd"),
)


@dataclass(frozen=True)
class CheckedFile:
    """An accepted file: a safe name ending in its type's suffix, the type, the bytes."""

    name: str
    content_type: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _zip_kind(content: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    return next((kind for marker, kind in _ZIP_MARKERS if marker in names), None)


def sniff(content: bytes) -> str | None:
    """The accepted content type of ``content``, or None."""
    guess = filetype.guess(content[:8192])
    if guess is None:
        return None
    if guess.mime == "application/zip" or guess.extension in ("docx", "xlsx", "zip"):
        return _zip_kind(content)
    return guess.mime if guess.mime in TYPES else None


def check_file(name: str, content: bytes) -> CheckedFile:
    """Accept one file or raise ``StepError`` on the ``attachments`` field, naming it."""
    shown = display_name(name or "")
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise StepError(_("%(name)s is larger than %(limit)s.")
                        % {"name": shown, "limit": filesizeformat(MAX_ATTACHMENT_BYTES)},
                        "attachments")
    kind = sniff(content)
    if kind is None:
        raise StepError(_("%(name)s is not a PDF, Word, Excel, OFD or image file.")
                        % {"name": shown}, "attachments")
    if refused := file_checks.content_refusal(kind, content):
        raise StepError(_("%(name)s: %(reason)s") % {"name": shown, "reason": refused},
                        "attachments")
    suffix = TYPES[kind]
    stem = shown[: -len(suffix)] if shown.lower().endswith(suffix) else shown
    return CheckedFile(stem[: 200 - len(suffix)] + suffix, kind, content)
