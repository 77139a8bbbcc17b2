"""Checking the files an applicant attaches (identity proof, authorisation, corrections).

A file is judged by its content, never by its name or by the type the browser claims:
the first bytes are sniffed with ``filetype``, so an executable renamed ``.pdf`` is
refused, and then the whole file is read as that kind (``xxgk.contents``), so a file that
only starts like a PDF or an image is refused too. Only PDF, JPEG and PNG are accepted, because staff must be able to open every
attachment safely on any office computer.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from xxgk.core import file_checks

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_FILES = 3
# The sniffed MIME type and the file name suffixes that belong to it.
ACCEPTED_TYPES: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
}
# Enough for filetype's longest signature; the rest of the file is never inspected.
_SNIFF_BYTES = 8192
_MAX_NAME = 200  # Document.filename


@dataclass(frozen=True)
class Attachment:
    """An accepted file: a safe name, the sniffed content type and the bytes."""

    name: str
    content_type: str
    content: bytes


def display_name(name: str) -> str:
    """The uploaded name without directories, quotes or control characters."""
    cleaned = "".join(ch for ch in PurePath(name.replace("\\", "/")).name
                      if unicodedata.category(ch)[0] != "C" and ch != '"')
    return cleaned.strip(" .")[:_MAX_NAME] or "attachment"


def safe_filename(name: str, content_type: str) -> str:
    """The uploaded name made safe, at most 200 characters, and ending in a suffix that
    matches the sniffed type, so that the file opens as what it is when downloaded."""
    cleaned = display_name(name)
    suffixes = ACCEPTED_TYPES[content_type]
    stem, suffix = PurePath(cleaned).stem, PurePath(cleaned).suffix
    if suffix.lower() not in suffixes:
        stem, suffix = cleaned, suffixes[0]
    return stem[: _MAX_NAME - len(suffix)] + suffix


def _too_large(name: str) -> forms.ValidationError:
    return forms.ValidationError(
        _("%(name)s is larger than %(limit)s."),
        code="too_large",
        params={"name": name, "limit": filesizeformat(MAX_FILE_BYTES)},
    )


def check_upload(uploaded: UploadedFile) -> Attachment:
    """Accept one uploaded file or raise ``ValidationError`` naming the file."""
    name = display_name(uploaded.name or "")
    if uploaded.size is not None and uploaded.size > MAX_FILE_BYTES:
        raise _too_large(name)
    uploaded.seek(0)
    head = uploaded.read(_SNIFF_BYTES)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ACCEPTED_TYPES:
        raise forms.ValidationError(
            _("%(name)s is not a PDF, JPEG or PNG file."),
            code="file_type",
            params={"name": name},
        )
    content = head + uploaded.read(MAX_FILE_BYTES + 1 - len(head))
    if len(content) > MAX_FILE_BYTES:
        raise _too_large(name)
    if refused := file_checks.content_refusal(kind.mime, content):
        raise forms.ValidationError(_("%(name)s: %(reason)s"), code="file_content",
                                    params={"name": name, "reason": refused})
    return Attachment(safe_filename(uploaded.name or "", kind.mime), kind.mime, content)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to ``MAX_FILES`` files in one input; cleans to a list of :class:`Attachment`.

    Every file is checked and every refusal reported, so the applicant can fix all of
    them at once.
    """

    widget = MultipleFileInput

    def __init__(self, *, max_files: int = MAX_FILES, **kwargs) -> None:
        self.max_files = max_files
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ".pdf,.jpg,.jpeg,.png,application/pdf,"
                                               "image/jpeg,image/png")

    def clean(self, data, initial=None) -> list[Attachment]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > self.max_files:
            raise forms.ValidationError(
                _("Attach at most %(max)d files."), code="too_many",
                params={"max": self.max_files},
            )
        accepted: list[Attachment] = []
        errors: list[forms.ValidationError] = []
        for uploaded in files:
            try:
                accepted.append(check_upload(super().clean(uploaded, initial)))
            except forms.ValidationError as exc:
                errors.append(exc)
        if errors:
            raise forms.ValidationError(errors)
        return accepted
