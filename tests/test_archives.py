"""Zip bombs and archives of too many parts are refused before any library opens them, by
their declared sizes; genuine workbooks pass."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk import archives


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def bomb(unpacked: int) -> bytes:
    """One part of ``unpacked`` zero bytes: a megabyte of zeros packs to about a kilobyte."""
    return _zip({"xl/worksheets/sheet1.xml": bytes(unpacked)})


def test_a_bomb_is_refused_by_its_size_and_by_its_ratio():
    with pytest.raises(archives.ArchiveError) as refused:
        archives.check_zip(bomb(300 * 1024 * 1024))
    assert (refused.value.reason, refused.value.found) == ("unpacked", 300 * 1024 * 1024)
    with pytest.raises(archives.ArchiveError) as refused:
        archives.check_zip(bomb(20 * 1024 * 1024))
    assert refused.value.reason == "ratio" and refused.value.found > 1000


def test_too_many_parts_are_refused():
    with pytest.raises(archives.ArchiveError) as refused:
        archives.check_zip(_zip({f"p{n}.xml": b"<x/>" for n in range(2001)}))
    assert (refused.value.reason, refused.value.found, refused.value.limit) == (
        "members", 2001, 2000)


def test_a_genuine_workbook_and_what_is_no_zip_pass():
    import openpyxl

    book = openpyxl.Workbook()
    for row in range(2000):
        book.active.append([f"关于第{row}项工作的通知", "西政发〔2023〕1号", row])
    out = io.BytesIO()
    book.save(out)
    archives.check_zip(out.getvalue())
    archives.check_zip(b"title,published_on\nx,2023-01-05\n")
    archives.check_zip(b"PK\x03\x04 damaged")


@settings(max_examples=30, deadline=None)
@given(st.lists(st.binary(max_size=2000), min_size=1, max_size=20))
def test_small_archives_of_any_content_pass(parts):
    archives.check_zip(_zip({f"part{n}.xml": part for n, part in enumerate(parts)}))


def test_the_readers_refuse_a_bomb_with_one_message(db):
    from django.utils import translation

    from xxgk.catalog import importing
    from xxgk.reports.proactive import read_workbook

    with translation.override("en"):
        with pytest.raises(importing.ReadError, match=r"would unpack to 300.0\sMB; at most 256"):
            importing.read_bytes(bomb(300 * 1024 * 1024), "catalogue.xlsx")
        rows, errors = read_workbook(bomb(20 * 1024 * 1024))
        assert rows == [] and "times its size, as a zip bomb does" in str(errors[0].message)
