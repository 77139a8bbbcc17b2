"""Office files are zip archives: refuse one that would unpack to far more than it weighs,
before any library opens it.

Pure Python: no Django import. An XLSX or DOCX is a zip of XML parts; a library that opens it
(openpyxl, python-docx) unpacks every part it reads. A zip bomb, a megabyte that unpacks to
gigabytes, took 2.2 GB of memory and 13 s in the figures import. The zip's central directory
declares each member's unpacked size, and Python's ``zipfile`` (which those libraries use)
never unpacks a member beyond its declared size, so checking the declared sizes and the
number of members bounds the work before it starts.
"""

from __future__ import annotations

import io
import zipfile

# A real workbook or document has tens of members and unpacks to a few times its size; the
# bounds leave room for a large genuine file (a 20 MB workbook of 1,000,000 cells unpacks to
# about 150 MB).
MAX_MEMBERS = 2_000
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
# Unpacked over packed, for the whole archive: XML rarely compresses beyond 1:30, a bomb does
# 1:1000 and more. Checked only past a megabyte unpacked, where it matters.
MAX_RATIO = 200
_RATIO_FROM_BYTES = 1024 * 1024


class ArchiveError(ValueError):
    """The archive is refused: ``reason`` is ``members``, ``unpacked`` (bytes) or ``ratio``,
    with the figure ``found`` and its ``limit`` (pages word it in their language)."""

    def __init__(self, reason: str, found: int, limit: int) -> None:
        super().__init__(f"{reason}: {found:,} (at most {limit:,})")
        self.reason, self.found, self.limit = reason, found, limit


def check_zip(data: bytes, *, max_members: int = MAX_MEMBERS,
              max_unpacked: int = MAX_UNPACKED_BYTES, max_ratio: int = MAX_RATIO) -> None:
    """Raise :class:`ArchiveError` when ``data`` is a zip whose members are too many or
    would unpack too large; a file that is not a zip at all is left to its reader."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return
    if len(members) > max_members:
        raise ArchiveError("members", len(members), max_members)
    unpacked = sum(member.file_size for member in members)
    if unpacked > max_unpacked:
        raise ArchiveError("unpacked", unpacked, max_unpacked)
    if unpacked > _RATIO_FROM_BYTES and unpacked > max_ratio * max(len(data), 1):
        raise ArchiveError("ratio", unpacked // max(len(data), 1), max_ratio)
