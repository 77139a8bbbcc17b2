"""An uploaded file is read through before it is kept: its first bytes only name its kind.

Pure Python: no Django import. Every upload path sniffs the type from the first bytes
(``filetype``), which a file that starts like a PDF or a PNG and is anything after passes. Staff
open these files on their own machines, so each is read as its kind is read:

- a PDF must parse to a document with a catalogue and at least one page (``pdfminer``, the
  reader behind ``pdfplumber``, which also repairs a broken cross-reference table as viewers
  do), open without a password, and carry no script or launch action;
- an image must open, declare at most ``MAX_PIXELS`` pixels (a few megabytes of PNG can
  declare gigapixels, which a viewer then tries to allocate) and pass Pillow's ``verify``
  (structure and checksums); a JPEG is decoded at an eighth of its size, which finds a
  truncated or corrupt scan without the cost of a full decode; the decoding is strict whatever
  the process's setting (WeasyPrint, imported to render documents, turns on Pillow's loading of
  truncated images process-wide, under which a cut-off JPEG would pass);
- an Office file or OFD is a zip whose declared sizes ``archives.check_zip`` bounds.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Iterator

from PIL import Image, ImageFile

from xxgk import archives

# A 50-megapixel phone camera is the largest genuine scan; a poster-sized scan at 300 dpi is
# about 60 megapixels.
MAX_PIXELS = 80_000_000
ZIP_TYPES = frozenset({
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/ofd",
})
# Names that make a PDF run something when it is opened. Read from the decoded objects, not the
# raw bytes, so a name hidden in a compressed object stream is found too.
_ACTIVE_NAMES = frozenset({"JavaScript", "JS", "Launch"})
_PDF_OBJECTS_CHECKED = 10_000


class ContentError(ValueError):
    """The file is refused: ``reason`` is one of ``pdf``, ``pdf_password``, ``pdf_script``,
    ``image``, ``pixels`` (with the figure ``found`` and its ``limit``) or an
    ``archives.ArchiveError`` reason; pages word it in their language."""

    def __init__(self, reason: str, found: int = 0, limit: int = 0) -> None:
        super().__init__(reason if not limit else f"{reason}: {found:,} (at most {limit:,})")
        self.reason, self.found, self.limit = reason, found, limit


def check_content(content_type: str, data: bytes) -> None:
    """Raise :class:`ContentError` unless ``data`` reads as the ``content_type`` it was
    sniffed as; a type this module does not know is left to its reader."""
    if content_type == "application/pdf":
        _check_pdf(data)
    elif content_type.startswith("image/"):
        _check_image(data)
    elif content_type in ZIP_TYPES:
        try:
            archives.check_zip(data)
        except archives.ArchiveError as error:
            raise ContentError(error.reason, error.found, error.limit) from error


def _check_pdf(data: bytes) -> None:
    # pdfminer raises many kinds of error on a broken file (its own, and struct, zlib, type
    # and key errors from deep inside); any of them means a viewer would fail too.
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise ContentError("pdf_password") from error
    except Exception as error:  # noqa: BLE001 (see above)
        raise ContentError("pdf") from error
    try:
        has_page = next(PDFPage.create_pages(document), None) is not None
        active = _has_active_content(document)
    except Exception as error:  # noqa: BLE001
        raise ContentError("pdf") from error
    if not has_page:
        raise ContentError("pdf")
    if active:
        raise ContentError("pdf_script")


def _has_active_content(document) -> bool:  # noqa: ANN001 (pdfminer has no type hints)
    from pdfminer.pdftypes import PDFObjRef
    from pdfminer.psparser import PSLiteral

    def names(value, depth: int = 0) -> set[str]:  # noqa: ANN001
        if isinstance(value, PSLiteral):
            return {str(value.name)}
        if isinstance(value, dict) and depth < 4:
            found = {str(key) for key in value}
            for inner in value.values():
                if not isinstance(inner, PDFObjRef):
                    found |= names(inner, depth + 1)
            return found
        if isinstance(value, list) and depth < 4:
            return set().union(*(names(inner, depth + 1) for inner in value[:100]))
        return set()

    if any(names(xref.get_trailer()) & _ACTIVE_NAMES for xref in document.xrefs):
        return True
    checked = 0
    for xref in document.xrefs:
        for objid in xref.get_objids():
            checked += 1
            if checked > _PDF_OBJECTS_CHECKED:
                return False
            try:
                value = document.getobj(objid)
            except Exception:  # noqa: BLE001, S112 (a damaged object is not a script)
                continue
            if names(value) & _ACTIVE_NAMES:
                return True
    return False


def _check_image(data: bytes) -> None:
    # Like pdfminer, Pillow raises many kinds of error on a damaged file (its own, OSError,
    # SyntaxError, and index or struct errors from its chunk readers): each means a viewer would
    # fail too.
    try:
        with _strict_decoding():
            _read_image(data)
    except ContentError:
        raise
    except Image.DecompressionBombError as error:  # beyond twice Pillow's own limit
        raise ContentError("pixels", 0, MAX_PIXELS) from error
    except Exception as error:  # noqa: BLE001 (see above)
        raise ContentError("image") from error


def _read_image(data: bytes) -> None:
    with warnings.catch_warnings():
        # Pillow warns of a bomb above its own limit; ours is lower and refuses it.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        image = Image.open(io.BytesIO(data))
    with image:
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise ContentError("pixels", width * height, MAX_PIXELS)
        image.verify()
    if data[:3] == b"\xff\xd8\xff":  # JPEG: verify() does not decode it
        with Image.open(io.BytesIO(data)) as image:
            image.draft("RGB", (max(width // 8, 1), max(height // 8, 1)))
            image.load()


@contextlib.contextmanager
def _strict_decoding() -> Iterator[None]:
    # The setting is a module global; the servers and the worker check uploads in one thread.
    saved = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = saved
